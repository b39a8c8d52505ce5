"""Standards with chosen text for the search and API tests, made through the services
(helpers only: this module holds no tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from houqin.standards.clauses import tree_load
from houqin.standards.models import Standard
from houqin.standards.services import (
    standard_adopt,
    standard_propose,
    version_new_draft,
    version_publish,
)
from tests.standards.builders import n, node_make


def text_of(*chapters: tuple[str, tuple[str, ...]]) -> tuple[Any, ...]:
    """Chapters (title, paragraphs) as parsed clauses: each paragraph in a 条 of its own."""
    return tuple(
        n(
            "chapter",
            title=title,
            children=tuple(
                n("clause", title="", children=(n("paragraph", text),)) for text in paragraphs
            ),
        )
        for title, paragraphs in chapters
    )


def standard_make(
    org: Any,
    actor: Any,
    *,
    title: str,
    text: tuple[Any, ...],
    number: str = "",
    status: str = "in_force",
    lines: tuple[str, ...] = ("canteen",),
    node_code: str = "TG-01",
) -> Standard:
    """An internal standard with ``text``; published with ``number`` unless ``status`` is
    a drafting state."""
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={"title": title, "node": node_make(org, node_code), "reason": "检索测试"},
        lines=list(lines),
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=text)
    if status not in ("drafting", "consultation", "review", "proposed"):
        version_publish(
            version=version,
            actor=actor,
            number=number,
            published_on=date(2026, 3, 1),
            effective_on=date(2026, 4, 1),
        )
    Standard.objects.filter(pk=standard.pk).update(status=status)
    standard.refresh_from_db()
    return standard


def adopted_make(
    org: Any, actor: Any, *, number: str, title: str, level: str = "national"
) -> Standard:
    return standard_adopt(
        organization=org,
        actor=actor,
        data={"number": number, "title": title, "level": level, "node": node_make(org)},
    )


CANTEEN = text_of(
    ("留样", ("每餐次的食品成品应留样，每个品种留样量不少于125 g。",)),
    ("清洗消毒", ("餐用具应在使用后30 min内清洗消毒。", "消毒后的餐用具应存放在保洁柜内。")),
)
CLEANING = text_of(
    ("保洁频次", ("公共卫生间应每2 h保洁1次，地面无积水。",)),
    ("依据", ("保洁作业按GB/T 24421.1—2023的要求建立记录。",)),
)

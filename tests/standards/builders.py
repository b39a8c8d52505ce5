"""Standards test data built through the services: a node, a draft with a few clauses, a
standard in force with a published version."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from houqin.standards.clauses import tree_load
from houqin.standards.models import Standard, StandardNode
from houqin.standards.services import standard_propose, version_new_draft, version_publish


def n(kind: str, text: str = "", title: str = "", children: tuple = (), **extra: Any) -> Any:
    """A parsed clause (what textformat produces) for ``tree_load``."""
    return SimpleNamespace(kind=kind, title=title, text=text, extra=extra, children=children)


# A short draft for the editor's tests. It lacks the chapters 2 and 3 GB/T 1.1—2020
# requires, so the drafting check reports two errors (S-REF-01, S-TERM-01) on it.
SAMPLE_TEXT = (
    n(
        "foreword",
        children=(
            n(
                "paragraph",
                "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。",
            ),
        ),
    ),
    n("scope", title="范围", children=(n("paragraph", "本文件规定了公共卫生间保洁的要求。"),)),
    n(
        "chapter",
        title="保洁要求",
        children=(
            n("clause", title="频次", children=(n("paragraph", "保洁员应每2 h保洁1次。"),)),
            n(
                "clause",
                title="质量",
                children=(
                    n("paragraph", "地面宜无积水。"),
                    n("note", "积水面积以目测为准。"),
                ),
            ),
        ),
    ),
)


# SAMPLE_TEXT with the chapters 2 and 3 GB/T 1.1—2020 requires: the drafting check finds
# no error in it (warnings only), so a draft of it may be circulated or sent to review.
# SAMPLE_TEXT itself stays as the editor's tests know it (保洁要求 is chapter 2 there).
COMPLETE_TEXT = (
    *SAMPLE_TEXT[:2],
    n(
        "references",
        title="规范性引用文件",
        children=(n("paragraph", "本文件没有规范性引用文件。"),),
    ),
    n(
        "terms",
        title="术语和定义",
        children=(n("paragraph", "本文件没有需要界定的术语和定义。"),),
    ),
    *SAMPLE_TEXT[2:],
)


def node_make(org: Any, code: str = "TG-01") -> StandardNode:
    root = StandardNode.objects.filter(organization=org, code="TG").first()
    if root is None:
        root = StandardNode.objects.add_root(
            instance=StandardNode(organization=org, code="TG", name="服务提供标准")
        )
    existing = StandardNode.objects.filter(organization=org, code=code).first()
    return existing or StandardNode.objects.add_child(
        root, instance=StandardNode(organization=org, code=code, name="服务规范")
    )


def draft_make(
    org: Any,
    actor: Any,
    number: str = "",
    title: str = "公共卫生间保洁规范",
    text: tuple = SAMPLE_TEXT,
) -> Standard:
    """A standard in drafting with a draft version holding ``text``: SAMPLE_TEXT for the
    editor's tests, COMPLETE_TEXT for a draft that goes through the lifecycle (the drafting
    check's errors block circulation and review)."""
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={"title": title, "node": node_make(org), "reason": "规范保洁", "number": number},
        lines=["property"],
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    standard.refresh_from_db()
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=text)
    return standard


def in_force_make(
    org: Any, actor: Any, number: str = "JGSW/FW 001—2026", text: tuple = SAMPLE_TEXT
) -> Standard:
    """A standard in force whose first version (``text``) is published."""
    standard = draft_make(org, actor, text=text)
    version = standard.versions.get()
    version_publish(
        version=version,
        actor=actor,
        number=number,
        published_on=date(2026, 3, 1),
        effective_on=date(2026, 4, 1),
    )
    Standard.objects.filter(pk=standard.pk).update(status="in_force")
    standard.refresh_from_db()
    return standard


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a URL-sweep route that takes ``standards.<model>``."""
    from houqin.accounts.models import User

    actor = User.objects.filter(organization=org).first()
    model = app_model.split(".")[1]
    if model == "standardnode":
        return node_make(org)
    standard = Standard.objects.filter(organization=org).first() or draft_make(org, actor)
    if model == "standard":
        return standard
    version = standard.versions.order_by("-seq").first()
    if model == "standardversion":
        return version
    if model == "clause":
        return version.clauses.filter(kind="clause").first()
    if model in ("standardplan", "planitem"):
        return plan_sample(org, model, standard)
    if model in ("consultation", "comment", "acknowledgement"):
        return lifecycle_sample(org, model, standard, version, actor)
    raise LookupError(f"no sample maker for {app_model}: add one in tests/standards/builders.py")


def plan_sample(org: Any, model: str, standard: Standard) -> Any:
    """A 2026 plan of organization A and one item in it (linked to ``standard``)."""
    from houqin.org.models import Department
    from houqin.standards.models import PlanItem, StandardPlan

    plan = StandardPlan.objects.get_or_create(
        organization=org, year=2026, defaults={"title": "2026年度标准制修订计划"}
    )[0]
    if model == "standardplan":
        return plan
    department = Department.objects.get_or_create(
        organization=org, code="S1", defaults={"name": "样例科"}
    )[0]
    return PlanItem.objects.create(
        organization=org,
        plan=plan,
        action="new",
        title=standard.title,
        standard=standard,
        node=standard.node,
        owner_department=department,
        starts_on=date(2026, 2, 1),
        due_on=date(2026, 9, 30),
    )


def lifecycle_sample(org: Any, model: str, standard: Standard, version: Any, actor: Any) -> Any:
    """A consultation on ``version`` with one comment, or a reading task of a person made for
    it (so that nobody of the fixed people owns it)."""
    from houqin.standards.models import Acknowledgement, Comment, Consultation
    from tests.factories import UserFactory

    reader = UserFactory(organization=org, username=f"sample-{model}", name="样例读者")
    if model == "acknowledgement":
        return Acknowledgement.objects.create(
            organization=org, version=version, user=reader, due_on=date(2026, 5, 1)
        )
    consultation = Consultation.objects.filter(standard=standard).first() or (
        Consultation.objects.create(
            organization=org,
            standard=standard,
            version=version,
            deadline=date(2026, 5, 1),
            opened_by=actor or reader,
        )
    )
    if model == "consultation":
        return consultation
    return Comment.objects.create(
        organization=org, consultation=consultation, author=actor or reader, text="样例意见"
    )

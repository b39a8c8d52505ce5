"""What every rendering of a standard shares: which version to export, the cover's fields,
the parts of the text (front matter, body, annexes, bibliography), the contents list, the
metadata page of an adopted standard without text, the figures' image files, and the
download file name. The Word, PDF and print renderings all start from ``document_source``
so they show the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.common.models import Attachment
from houqin.standards.clauses import Item, clause_tree, walk
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.rendering import heading_text

K = Clause.Kind
EXPORT_STATES = ("in_force", "under_review", "revising", "published")
DRAFT_STAGES = {"consultation": "征求意见稿", "review": "送审稿"}
DEFAULT_STAGE = "工作组讨论稿"
NO_DATE = "XXXX-XX-XX"
CHAPTER_KINDS = (K.SCOPE, K.REFERENCES, K.TERMS, K.CHAPTER)
FRONT_KINDS = (K.FOREWORD, K.INTRODUCTION)
ELEMENT_TITLES: dict[str, str] = {
    K.FOREWORD: "前　　言",
    K.INTRODUCTION: "引　　言",
    K.BIBLIOGRAPHY: "参　考　文　献",
}
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Cover:
    """The cover of a standard as GB/T 1.1—2020 §8.1 lays it out."""

    ics: str
    ccs: str
    mark: str
    kind: str
    number: str
    replaces: list[str]
    title: str
    english_title: str
    stage: str
    published: str
    effective: str
    issuer: str

    @property
    def title_lines(self) -> list[str]:
        """The title as printed large on the cover: a long title breaks at its first space
        ("食品安全国家标准 / 餐饮服务通用卫生规范"), as printed standards do."""
        head, space, tail = self.title.replace("\u3000", " ").partition(" ")
        if space and len(self.title) > 12 and head and tail.strip():
            return [head, tail.strip()]
        return [self.title]


@dataclass(frozen=True)
class TocEntry:
    """A line of the contents: "前言", "1　范围", "附录A（规范性）　记录表", "参考文献";
    ``front`` entries are paged in roman numerals."""

    text: str
    anchor: str
    front: bool


@dataclass
class Source:
    """A standard and one of its versions, split into the parts a document prints."""

    standard: Standard
    version: StandardVersion | None
    cover: Cover
    front: list[Item] = field(default_factory=list)
    body: list[Item] = field(default_factory=list)
    annexes: list[Item] = field(default_factory=list)
    bibliography: list[Item] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def has_text(self) -> bool:
        return bool(self.front or self.body or self.annexes or self.bibliography)

    @property
    def header(self) -> str:
        """The running head: the standard's number, or its stage for an unnumbered draft."""
        return self.cover.number or self.cover.title


def version_for_export(standard: Standard) -> StandardVersion | None:
    """The version in force (the latest published version of a standard that is published,
    in force, under review or being revised), else the latest draft, else the latest
    published version (a withdrawn standard), else None (no text at all)."""
    versions = list(standard.versions.order_by("-seq"))
    published = [v for v in versions if v.is_published]
    drafts = [v for v in versions if not v.is_published]
    if standard.status in EXPORT_STATES and published:
        return published[0]
    if drafts:
        return drafts[0]
    return published[0] if published else None


def download_name(standard: Standard, extension: str) -> str:
    """ "JGSW-TG 001—2026 机关食堂服务规范.docx": the slash of the code becomes a hyphen."""
    stem = f"{standard.number.replace('/', '-')} {standard.title}".strip()
    return f"{_UNSAFE_NAME.sub('', stem) or '标准'}.{extension}"


def _mark(number: str) -> str:
    """The big code on the cover: "GB", "DB64", "T/CAS", "JGSW"."""
    code = number.split(" ", 1)[0]
    if code.startswith("T/"):
        return code
    return code.split("/", 1)[0]


def _kind(standard: Standard, issuer: str) -> str:
    level = standard.level
    if level == Standard.Level.NATIONAL:
        return "中华人民共和国国家标准"
    if level == Standard.Level.INDUSTRY:
        return "中华人民共和国行业标准"
    label = {"local": "地方标准", "group": "团体标准", "internal": "内部标准"}[level]
    return f"{issuer}{label}" if issuer else label


def _dates(standard: Standard, version: StandardVersion | None, latest: bool) -> tuple[str, str]:
    if version is not None and not version.is_published:
        return NO_DATE, NO_DATE
    if version is None or latest:
        published = standard.published_on.isoformat() if standard.published_on else NO_DATE
        effective = standard.effective_on.isoformat() if standard.effective_on else NO_DATE
        return published, effective
    assert version.published_at is not None
    return timezone.localdate(version.published_at).isoformat(), NO_DATE


def _cover(
    standard: Standard, version: StandardVersion | None, versions: list[StandardVersion]
) -> Cover:
    issuer = standard.issuing_body or standard.organization.name
    published = [v for v in versions if v.is_published]
    latest = bool(published) and version is not None and version.pk == published[0].pk
    number = (version.number if version is not None and version.is_published else "") or (
        standard.number
    )
    replaces = [s.number for s in standard.replaces.all() if s.number]
    older = [v.number for v in published if version is None or v.seq < version.seq]
    if older and older[0] and older[0] != number and older[0] not in replaces:
        replaces.insert(0, older[0])
    stage = ""
    if version is not None and not version.is_published:
        stage = DRAFT_STAGES.get(standard.status, DEFAULT_STAGE)
    published_on, effective_on = _dates(standard, version, latest)
    return Cover(
        ics=str(getattr(standard, "ics", "") or ""),
        ccs=str(getattr(standard, "ccs", "") or ""),
        mark=_mark(number) if number else "",
        kind=_kind(standard, issuer),
        number=number,
        replaces=replaces,
        title=standard.title,
        english_title=standard.english_title,
        stage=stage,
        published=published_on,
        effective=effective_on,
        issuer=issuer,
    )


def _images(standard: Standard, version: StandardVersion | None, names: set[str]) -> dict:
    """The image files the figures name (``extra["src"]``), taken from the image attachments
    of the version or the standard with that original file name."""
    if not names:
        return {}
    owners = [(ContentType.objects.get_for_model(Standard), standard.pk)]
    if version is not None:
        owners.append((ContentType.objects.get_for_model(StandardVersion), version.pk))
    images: dict[str, bytes] = {}
    for content_type, pk in owners:
        found = Attachment.objects.filter(
            content_type=content_type,
            object_id=str(pk),
            kind=Attachment.Kind.IMAGE,
            original_name__in=names,
        )
        for attachment in found:
            try:
                with attachment.file.open("rb") as handle:
                    images[attachment.original_name] = handle.read()
            except OSError:
                continue
    return images


def _metadata(standard: Standard) -> tuple[list[tuple[str, str]], list[str]]:
    """The rows of the metadata page shown for an adopted standard without text."""

    def day(value: Any) -> str:
        return value.isoformat() if value else "—"

    rows = [
        ("标准编号", standard.number or "—"),
        ("标准名称", standard.title),
        ("英文名称", standard.english_title or "—"),
        ("标准层级", standard.get_level_display()),
        ("发布机构", standard.issuing_body or "—"),
        ("发布日期", day(standard.published_on)),
        ("实施日期", day(standard.effective_on)),
        ("状态", standard.get_status_display()),
        ("体系节点", str(standard.node)),
        ("归口科室", str(standard.owner_department) if standard.owner_department else "—"),
        ("代替标准", "、".join(s.number for s in standard.replaces.all()) or "—"),
        ("被以下标准代替", "、".join(s.number for s in standard.replaced_by.all()) or "—"),
        (
            "适用服务条线",
            "、".join(line.get_line_display() for line in standard.lines.all()) or "—",
        ),
        ("适用岗位", "、".join(post.name for post in standard.posts.all()) or "—"),
        ("下次复审日期", day(standard.review_due_on)),
    ]
    content_type = ContentType.objects.get_for_model(Standard)
    files = Attachment.objects.filter(content_type=content_type, object_id=str(standard.pk))
    return rows, [a.original_name for a in files]


def document_source(standard: Standard, version: StandardVersion | None) -> Source:
    """Everything a rendering needs, read in a handful of queries."""
    versions = list(standard.versions.order_by("-seq"))
    items = clause_tree(version.clauses.all()) if version is not None else []
    source = Source(standard=standard, version=version, cover=_cover(standard, version, versions))
    for item in items:
        kind = item.clause.kind
        if kind in FRONT_KINDS:
            source.front.append(item)
        elif kind == K.ANNEX:
            source.annexes.append(item)
        elif kind == K.BIBLIOGRAPHY:
            source.bibliography.append(item)
        else:
            source.body.append(item)
    source.front.sort(key=lambda i: i.clause.kind != K.FOREWORD)
    source.toc = [
        TocEntry(heading_text(i.clause), f"c-{i.clause.uid}", i.clause.kind in FRONT_KINDS)
        for i in (*source.front, *source.body, *source.annexes, *source.bibliography)
        if i.clause.kind in (*CHAPTER_KINDS, *ELEMENT_TITLES, K.ANNEX)
    ]
    figures = {
        str((i.clause.extra or {}).get("src", ""))
        for i in walk(items)
        if i.clause.kind == K.FIGURE and (i.clause.extra or {}).get("src")
    }
    source.images = _images(standard, version, figures)
    if not source.has_text:
        source.metadata, source.attachments = _metadata(standard)
    return source


def inline_paragraph(item: Item) -> Item | None:
    """An untitled 条 without its own text prints its first paragraph on its number's line."""
    c = item.clause
    if c.kind == K.CLAUSE and not c.title and not c.text and item.children:
        first = item.children[0]
        if first.clause.kind == K.PARAGRAPH:
            return first
    return None

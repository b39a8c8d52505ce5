"""The text the drafting checker reads: a tree of ``Element``s with their printed numbers,
plus the cover (``Cover``). It is built from parsed markup or an imported file
(``draft_from_document``) or from a stored draft version (``draft_from_version``), so the
rules never touch the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from houqin.standards import textformat as tf
from houqin.standards.clauses import Item, numbering

ELEMENT_LABELS = {
    tf.FOREWORD: "前言",
    tf.INTRODUCTION: "引言",
    tf.BIBLIOGRAPHY: "参考文献",
}


@dataclass(eq=False)
class Element:
    """One element of the text. ``uid`` is the stored clause's uid, or a path ("0.2.1") for
    text that is not stored. ``number`` is the number as printed ("5.2.1", "a)", "注1",
    "表A.1", "附录A"), set from the element's position."""

    kind: str
    title: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)
    uid: str = ""
    number: str = ""
    parent: Element | None = field(default=None, repr=False)
    pk: int | None = None  # the stored clause's id (a draft version's text), for links

    @property
    def clause(self) -> Element:  # numbering() reads items' ``.clause``
        return self

    @property
    def label(self) -> str:
        """Where a hit on this element is reported: its clause number as printed ("5.2.1"),
        the element's name for front matter ("前言"), "附录A" for an annex; content inside
        a clause (a paragraph, list item, note) reports at that clause's number."""
        node: Element | None = self
        while node is not None:
            if node.kind in ELEMENT_LABELS:
                return ELEMENT_LABELS[node.kind]
            if node.kind in tf.CHAPTER_KINDS or node.kind in (tf.CLAUSE, tf.TERM, tf.ANNEX):
                return node.number
            node = node.parent
        return ""

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self) -> Iterator[Element]:
        """This element and everything below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Cover:
    """What the cover of the document says. ``fields`` keeps cover lines the importer found
    that have no attribute here (ICS, CCS, 备案号 …) by their Chinese name."""

    number: str = ""
    title: str = ""
    english_title: str = ""
    level: str = ""
    issuer: str = ""
    published_on: date | None = None
    effective_on: date | None = None
    replaces: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    toc: list[str] | None = None  # the 目次 lines of an imported file; None: no 目次


@dataclass
class Draft:
    """A whole text to check. ``internal_prefix`` is the organization's internal numbering
    prefix (S-ID-01); ``stored`` is True for a draft version (the cover comes from the
    standard's record, not from a typed cover)."""

    cover: Cover
    elements: list[Element]
    internal_prefix: str = "JGSW"
    stored: bool = False
    # S-REF-04: numbers (without year, as ``numbers.normalized`` gives) of library standards
    # that are withdrawn or replaced, mapped to the replacing number or "".
    superseded: dict[str, str] = field(default_factory=dict)
    # What the rules of one check derive from the whole text (the walk, the top-level
    # elements by kind, the headings, each element's own texts): ``check`` empties it first.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def walk(self) -> Iterator[Element]:
        for element in self.elements:
            yield from element.walk()

    def find(self, uid: str) -> Element | None:
        return next((e for e in self.walk() if e.uid == uid), None)

    def of_kind(self, *kinds: str) -> list[Element]:
        return [e for e in self.walk() if e.kind in kinds]


def _items(elements: Iterable[Element], depth: int = 0) -> list[Item]:
    return [Item(e, depth, _items(e.children, depth + 1)) for e in elements]  # type: ignore[arg-type]


def renumbered(elements: list[Element]) -> list[Element]:
    """Set parents and printed numbers from positions (the same numbering as stored text)."""

    def link(children: list[Element], parent: Element | None) -> None:
        for child in children:
            child.parent = parent
            link(child.children, child)

    link(elements, None)
    numbering(_items(elements))
    return elements


def _from_node(node: tf.Node, path: str) -> Element:
    return Element(
        kind=node.kind,
        title=node.title,
        text=node.text,
        extra=dict(node.extra),
        uid=path,
        children=[_from_node(c, f"{path}.{i}") for i, c in enumerate(node.children)],
    )


def draft_from_document(
    document: tf.Document, *, cover: Cover | None = None, internal_prefix: str = "JGSW"
) -> Draft:
    """A draft of parsed markup or an imported file; ``cover`` defaults to the header's."""
    header = document.header
    if cover is None:
        cover = Cover(
            number=header.number,
            title=header.title,
            english_title=header.english_title,
            level=header.level,
            published_on=header.published_on,
            effective_on=header.effective_on,
        )
    elements = [_from_node(n, str(i)) for i, n in enumerate(document.nodes)]
    return Draft(cover=cover, elements=renumbered(elements), internal_prefix=internal_prefix)


def draft_from_version(version: Any) -> Draft:
    """A draft of a stored version: one query for its clauses; the cover from its standard."""
    from houqin.standards.clauses import clause_tree
    from houqin.standards.services import settings_for

    standard = version.standard

    def build(items: list[Item]) -> list[Element]:
        return [
            Element(
                kind=i.clause.kind,
                title=i.clause.title,
                text=i.clause.text,
                extra=dict(i.clause.extra or {}),
                uid=str(i.clause.uid),
                number=i.clause.number,
                pk=i.clause.pk,
                children=build(i.children),
            )
            for i in items
        ]

    elements = build(clause_tree(version.clauses.all()))
    cover = Cover(
        number=standard.number,
        title=standard.title,
        english_title=standard.english_title,
        level=standard.level,
        issuer=standard.organization.name,
        published_on=standard.published_on,
        effective_on=standard.effective_on,
        replaces=[s.number for s in standard.replaces.all()],
    )
    prefix = settings_for(standard.organization).internal_prefix
    return Draft(cover=cover, elements=renumbered(elements), internal_prefix=prefix, stored=True)

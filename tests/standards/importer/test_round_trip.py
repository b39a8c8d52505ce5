"""The strongest test: each starter standard, stored as a draft and published, exported to
Word by the house exporter (``documents.standard_docx``), imported back: the tree, the
typed numbers, the cover and the 目次 are the original ones, and nothing is flagged."""

from __future__ import annotations

import pytest

from houqin.standards import textformat as tf
from houqin.standards.checker.document import draft_from_document
from houqin.standards.clauses import tree_load
from houqin.standards.documents.standard_docx import version_docx
from houqin.standards.importer import import_docx
from houqin.standards.models import Standard
from houqin.standards.services import standard_propose, version_new_draft, version_publish
from houqin.standards.starter import starter_files
from tests.standards.builders import node_make
from tests.standards.importer.helpers import check_tree, shape

STARTERS = starter_files()


def _exported(org, actor, document: tf.Document) -> bytes:
    header = document.header
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={
            "title": header.title,
            "english_title": header.english_title,
            "node": node_make(org),
            "reason": "导入往返测试",
        },
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    standard.refresh_from_db()
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=document.nodes)
    if header.published_on:  # published: the cover carries its number and dates
        version_publish(
            version=version,
            actor=actor,
            number=header.number,
            published_on=header.published_on,
            effective_on=header.effective_on or header.published_on,
        )
        Standard.objects.filter(pk=standard.pk).update(status="in_force")
    version.refresh_from_db()
    return version_docx(version)


@pytest.mark.parametrize("path", STARTERS, ids=[p.stem for p in STARTERS])
def test_it_reads_back_a_starter_standard_exported_to_word(path, org_a, standards_officer):
    original = tf.parse(path.read_text(encoding="utf-8"))
    imported = import_docx(_exported(org_a, standards_officer, original))

    assert imported.flags == []
    assert shape(imported.document.nodes) == shape(original.nodes)
    check_tree(imported.document.nodes)
    header = original.header
    cover = imported.cover
    published = header.published_on is not None
    assert (cover.title, cover.english_title, cover.issuer) == (
        header.title,
        header.english_title,
        org_a.name,
    )
    assert cover.number == (header.number if published else "")
    assert cover.level == "internal"  # from the number, or else the kind line 内部标准
    assert (cover.published_on, cover.effective_on) == (header.published_on, header.effective_on)
    assert cover.fields == ({} if published else {"阶段": "工作组讨论稿"})
    assert imported.document.header.number == cover.number
    assert imported.document.header.title == header.title
    numbered = draft_from_document(original)
    expected = [e.number for e in numbered.walk() if e.kind in (*tf.CHAPTER_KINDS, tf.CLAUSE)]
    typed = [
        n.extra["typed"]
        for n, _ in tf.walk(imported.document.nodes)
        if n.kind in (*tf.CHAPTER_KINDS, tf.CLAUSE)
    ]
    assert typed == expected
    assert cover.toc == [_toc_line(e) for e in numbered.elements]


def _toc_line(element) -> str:
    """The 目次 line the exporter writes for a top-level element (spaces single)."""
    names = {tf.FOREWORD: "前言", tf.INTRODUCTION: "引言", tf.BIBLIOGRAPHY: "参考文献"}
    if element.kind in names:
        return names[element.kind]
    if element.kind == tf.ANNEX:
        kind = {"normative": "规范性", "informative": "资料性"}[element.extra["annex_type"]]
        return f"{element.number}（{kind}） {element.title}"
    return f"{element.number} {element.title}"

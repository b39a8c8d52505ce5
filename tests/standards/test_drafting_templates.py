"""Drafting templates: each parses, gives the GB/T 1.1—2020 elements in their order and starts
a draft the checker finds nothing in; the service fills an empty draft (one revision, one
change-log entry) and refuses everything else; the editor's empty state offers the four
templates and posts the chosen one with its revision."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards import textformat as tf
from houqin.standards.checker import check
from houqin.standards.checker.document import Cover, draft_from_document
from houqin.standards.checker.rules.elements import chapter_role
from houqin.standards.checker.texts import DRAFTING_STATEMENT, FIRST_ISSUE, PATENT_NOTICE
from houqin.standards.clauses import ConflictError, version_items, walk
from houqin.standards.drafting import DIRECTORY, TEMPLATES, TEMPLATES_BY_KEY, template_document
from houqin.standards.models import Standard, StandardVersion
from houqin.standards.services import (
    standard_adopt,
    standard_propose,
    version_new_draft,
)
from houqin.standards.services.checks import version_check
from houqin.standards.services.templates import draft_from_template
from tests.conftest import person, signed_in
from tests.standards.builders import node_make

pytestmark = pytest.mark.django_db

KEYS = [t.key for t in TEMPLATES]
# The chapters each kind of standard has after 术语和定义 (GB/T 24421; 岗位工作标准 and
# 管理标准 as GB/T 15498 lays them out).
CHAPTERS = {
    "service_spec": ["基本要求", "服务内容", "服务质量要求", "评价与改进"],
    "service_provision": ["服务流程", "服务准备", "服务实施", "服务结束", "异常处置", "服务记录"],
    "post_work": ["岗位职责", "任职要求", "工作内容与要求", "检查与考核"],
    "management": ["职责", "管理内容与要求", "检查与考核", "记录"],
}
COVER = Cover(number="JGSW/FW 001—2026", title="会议服务规范")


def empty_draft(org: Any, actor: Any, title: str = "会议服务规范") -> StandardVersion:
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={"title": title, "node": node_make(org), "reason": "统一会议服务", "number": ""},
        lines=["meetings"],
    )
    Standard.objects.filter(pk=standard.pk).update(status=Standard.Status.DRAFTING)
    standard.refresh_from_db()
    return version_new_draft(standard=standard, actor=actor)


def log_count(standard: Standard) -> int:
    return ChangeLogEntry.objects.filter(
        content_type__model="standard", object_id=str(standard.pk)
    ).count()


@pytest.fixture
def empty(org_a, standards_officer) -> StandardVersion:
    return empty_draft(org_a, standards_officer)


@pytest.fixture
def adopted_entry(org_a, standards_officer, node) -> StandardVersion:
    """The empty draft in which the office enters an adopted standard's clauses."""
    adopted = standard_adopt(
        organization=org_a,
        actor=standards_officer,
        data={
            "number": "GB/T 18883—2022",
            "title": "室内空气质量标准",
            "level": "national",
            "node": node,
            "published_on": date(2022, 7, 11),
            "effective_on": date(2023, 2, 1),
        },
    )
    return version_new_draft(standard=adopted, actor=standards_officer)


# ---- the templates themselves ---------------------------------------------------------------


def test_the_registry_names_every_template_file_once() -> None:
    assert sorted(t.filename for t in TEMPLATES) == sorted(p.name for p in DIRECTORY.glob("*.txt"))
    assert len(TEMPLATES_BY_KEY) == len(TEMPLATES) == 4
    assert {t.name for t in TEMPLATES} == {"服务规范", "服务提供规范", "岗位工作标准", "管理标准"}
    assert all(t.description.endswith("。") and len(t.description) < 80 for t in TEMPLATES)


@pytest.mark.parametrize("key", KEYS)
def test_each_template_gives_the_elements_in_order(key: str) -> None:
    document = template_document(key)
    nodes = document.nodes
    assert [n.kind for n in nodes[:4]] == [tf.FOREWORD, tf.SCOPE, tf.REFERENCES, tf.TERMS]
    assert [n.title for n in nodes[4:]] == CHAPTERS[key]
    assert all(n.kind == tf.CHAPTER for n in nodes[4:])
    draft = draft_from_document(document, cover=COVER)
    roles = [chapter_role(e) for e in draft.elements[1:]]
    assert roles == ["scope", "references", "terms"] + ["core"] * len(CHAPTERS[key])
    foreword = [c.text.replace("  ", " ") for c in nodes[0].children]
    assert foreword[:2] == [DRAFTING_STATEMENT, PATENT_NOTICE]
    assert foreword[-1] == FIRST_ISSUE
    assert document.header == tf.Header()  # the cover is the standard's own record


@pytest.mark.parametrize("key", KEYS)
def test_a_fresh_draft_from_each_template_gives_no_checker_hit(key: str) -> None:
    issues = check(draft_from_document(template_document(key), cover=COVER))
    assert [(i.rule, i.clause, i.message) for i in issues] == []


@pytest.mark.parametrize("key", KEYS)
def test_every_chapter_says_what_to_write_in_brackets(key: str) -> None:
    document = template_document(key)
    for chapter in document.nodes[1:]:
        texts = [
            node.text + "".join(str(v) for v in node.extra.values())
            for node, _ in tf.walk(chapter.children)
        ]
        if chapter.kind in (tf.REFERENCES, tf.TERMS):
            assert all("【" not in t for t in texts)
        else:
            assert any("【" in t and "】" in t for t in texts), chapter.title


def test_the_none_sentence_of_chapter_2_turns_into_the_lead_in_by_the_checkers_fix() -> None:
    text = template_document("service_spec")
    references = text.nodes[2]
    cited = tf.Node(tf.REFERENCE, extra={"code": "GB/T 18883", "year": "", "title": "室内空气质量"})
    chapter = tf.Node(tf.REFERENCES, references.title, children=(*references.children, cited))
    document = tf.Document(text.header, (*text.nodes[:2], chapter, *text.nodes[3:]))
    hits = [i for i in check(draft_from_document(document, cover=COVER)) if i.rule == "S-REF-01"]
    assert len(hits) == 1 and hits[0].fix is not None
    assert hits[0].fix.after.startswith("下列文件中的内容通过文中的规范性引用")


# ---- the service ------------------------------------------------------------------------------


def test_it_fills_an_empty_draft_with_one_revision_and_one_log_entry(
    empty, standards_officer
) -> None:
    standard = empty.standard
    before, logged = empty.revision, log_count(standard)
    count = draft_from_template(
        version=empty, key="post_work", actor=standards_officer, base_revision=before
    )
    empty.refresh_from_db()
    assert empty.revision == before + 1
    assert empty.edited_by == standards_officer
    assert log_count(standard) == logged + 1
    entry = ChangeLogEntry.objects.filter(object_id=str(standard.pk)).latest("pk")
    assert "岗位工作标准" in entry.changes["文本"][1]
    items = list(walk(version_items(empty)))
    assert count == len(items) == empty.clauses.count()
    chapters = [i.clause for i in items if i.depth == 0 and i.clause.kind == "chapter"]
    assert [(c.number, c.title) for c in chapters] == [
        ("4", "岗位职责"),
        ("5", "任职要求"),
        ("6", "工作内容与要求"),
        ("7", "检查与考核"),
    ]


@pytest.mark.parametrize("key", KEYS)
def test_the_stored_draft_of_each_template_passes_the_editors_check(
    key: str, org_a, standards_officer
) -> None:
    version = empty_draft(org_a, standards_officer)
    draft_from_template(
        version=version, key=key, actor=standards_officer, base_revision=version.revision
    )
    result = version_check(StandardVersion.objects.get(pk=version.pk))
    assert [(i.rule, i.clause, i.message) for i in result.issues] == []


def test_it_refuses_a_draft_that_has_text(draft, standards_officer) -> None:
    version = draft.versions.get()
    before, clauses = version.revision, version.clauses.count()
    with pytest.raises(ValidationError, match="只能用于空白草案"):
        draft_from_template(
            version=version, key="service_spec", actor=standards_officer, base_revision=before
        )
    version.refresh_from_db()
    assert (version.revision, version.clauses.count()) == (before, clauses)


def test_it_refuses_a_published_version(in_force, standards_officer) -> None:
    version = in_force.versions.get()
    clauses = version.clauses.count()
    Standard.objects.filter(pk=in_force.pk).update(status=Standard.Status.REVISING)
    version.standard.refresh_from_db()
    with pytest.raises(ValidationError, match="已发布的版本不能修改"):
        draft_from_template(
            version=version,
            key="service_spec",
            actor=standards_officer,
            base_revision=version.revision,
        )
    assert version.clauses.count() == clauses


def test_it_refuses_people_who_may_not_edit_the_text(empty, worker, department_head) -> None:
    for someone in (worker, department_head):  # the head's department does not own it
        with pytest.raises(PermissionDenied):
            draft_from_template(
                version=empty, key="management", actor=someone, base_revision=empty.revision
            )
    assert not empty.clauses.exists()


def test_it_refuses_a_stale_revision_an_unknown_template_and_an_adopted_standard(
    empty, adopted_entry, standards_officer
) -> None:
    with pytest.raises(ConflictError, match="草案已被"):
        draft_from_template(
            version=empty,
            key="service_spec",
            actor=standards_officer,
            base_revision=empty.revision - 1,
        )
    with pytest.raises(ValidationError, match="没有这个起草模板"):
        draft_from_template(
            version=empty, key="other", actor=standards_officer, base_revision=empty.revision
        )
    with pytest.raises(ValidationError, match="照原文录入"):
        draft_from_template(
            version=adopted_entry,
            key="service_spec",
            actor=standards_officer,
            base_revision=adopted_entry.revision,
        )
    assert not empty.clauses.exists() and not adopted_entry.clauses.exists()


# ---- the editor's empty state and the view ------------------------------------------------


def test_the_empty_editor_offers_each_template_with_the_revision(empty, standards_officer) -> None:
    client = signed_in(standards_officer)
    html = client.get(reverse("standards:editor", args=[empty.pk])).content.decode()
    action = reverse("standards:draft_template", args=[empty.pk])
    assert f'action="{action}"' in html
    assert f'<input type="hidden" name="revision" value="{empty.revision}">' in html
    for template in TEMPLATES:
        assert f'<h3 class="card-title mb-0">{template.name}</h3>' in html
        assert template.description in html
        assert f'name="template" value="{template.key}"' in html
    assert "先添加“前言”和“范围”，再逐章添加" in html


def test_a_draft_with_text_and_an_adopted_entry_offer_no_template(
    draft, adopted_entry, standards_officer
) -> None:
    client = signed_in(standards_officer)
    for version in (draft.versions.get(), adopted_entry):
        html = client.get(reverse("standards:editor", args=[version.pk])).content.decode()
        assert 'id="clause-tree"' in html
        assert reverse("standards:draft_template", args=[version.pk]) not in html


def test_posting_a_template_fills_the_draft_and_goes_back_to_the_editor(
    empty, standards_officer
) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:draft_template", args=[empty.pk])
    response = client.post(url, {"template": "service_provision", "revision": empty.revision})
    editor = reverse("standards:editor", args=[empty.pk])
    assert response.status_code == 302 and response["Location"] == editor
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("已按“服务提供规范”模板生成草案")
    assert empty.clauses.filter(kind="chapter", title="服务流程").exists()
    page = client.get(editor).content.decode()
    assert "【服务名称】" in page
    assert url not in page


def test_a_stale_revision_is_refused_with_the_conflict_message(empty, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:draft_template", args=[empty.pk])
    response = client.post(url, {"template": "service_spec", "revision": empty.revision + 5})
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:editor", args=[empty.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("草案已被") and "请刷新页面" in message
    missing = signed_in(standards_officer).post(url, {"template": "service_spec"})
    [message] = [str(m) for m in get_messages(missing.wsgi_request)]
    assert "缺少草案版本号" in message
    assert not empty.clauses.exists()


def test_the_view_checks_who_posts(
    empty, worker, department_head, org_b, standards_officer
) -> None:
    other_office = person(org_b, "olga", "standards_officer", name="外单位标准员")
    url = reverse("standards:draft_template", args=[empty.pk])
    data = {"template": "service_spec", "revision": empty.revision}
    assert signed_in(worker).post(url, data).status_code == 403
    assert signed_in(department_head).post(url, data).status_code == 403
    assert signed_in(other_office).post(url, data).status_code == 404
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert signed_in(standards_officer).get(url).status_code == 405
    assert not empty.clauses.exists()


def test_the_tree_emptied_in_the_editor_offers_the_templates_with_the_new_revision(
    empty, standards_officer
) -> None:
    client = signed_in(standards_officer)
    added = client.post(
        reverse("standards:editor_add", args=[empty.pk]),
        {"kind": "scope", "revision": empty.revision},
    )
    assert added.status_code == 200
    scope = empty.clauses.get()
    empty.refresh_from_db()
    deleted = client.post(
        reverse("standards:editor_delete", args=[scope.pk]), {"revision": empty.revision}
    )
    empty.refresh_from_db()
    html = deleted.content.decode()
    assert reverse("standards:draft_template", args=[empty.pk]) in html
    assert f'<input type="hidden" name="revision" value="{empty.revision}">' in html
    response = client.post(
        reverse("standards:draft_template", args=[empty.pk]),
        {"template": "management", "revision": empty.revision},
    )
    assert response.status_code == 302
    assert empty.clauses.filter(kind="chapter", title="管理内容与要求").exists()

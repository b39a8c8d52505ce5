"""The page that imports a standard's text into a draft: a Word file or pasted text written
as clauses (one logged change, the revision bumped) and the editor opened; a draft with
clauses replaced only after confirmation; unreadable input, people who may not edit,
other organizations and published versions refused with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards import clauses as ops
from houqin.standards.importer import import_text
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.services import standard_propose, version_new_draft
from houqin.standards.services.drafts import draft_import
from tests.conftest import person, signed_in
from tests.factories import DepartmentFactory
from tests.standards.builders import draft_make, n, node_make
from tests.standards.importer.helpers import new_document, para, to_bytes

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOREWORD = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。"
)
PASTED = f"""前言
{FOREWORD}
1 范围
本文件规定了会议服务的要求。
2 会前准备
2.1 会场布置
会场应在会前30 min布置完毕。
注：大型会议提前1 d布置。
"""


def word_file(*, flagged: bool = False) -> bytes:
    """A small standard in Word: 前言, 范围, a chapter with a clause (typed numbers, one of
    them in a heading style) and a list; ``flagged`` puts a clause number in the 前言."""
    doc = new_document()
    para(doc, "前言", "Heading 1")
    para(doc, FOREWORD)
    if flagged:
        para(doc, "5.1 保洁人员应持证上岗。")
    para(doc, "1 范围")
    para(doc, "本文件规定了公共卫生间保洁服务的要求。")
    para(doc, "2 保洁要求", "Heading 1")
    para(doc, "2.1 频次")
    para(doc, "保洁员应按下列频次保洁：")
    para(doc, "a) 每2 h巡查1次；")
    para(doc, "b) 每日下班后全面清洁1次。")
    return to_bytes(doc)


def upload(data: bytes, name: str = "保洁规范.docx", content_type: str = DOCX) -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def empty_draft(org: Any, actor: Any, title: str = "会议服务规范") -> StandardVersion:
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={"title": title, "node": node_make(org), "reason": "规范会议服务", "number": ""},
        lines=["meetings"],
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    standard.refresh_from_db()
    return version_new_draft(standard=standard, actor=actor)


def url(version: StandardVersion) -> str:
    return reverse("standards:draft_import", args=[version.pk])


def send(
    client: Any,
    version: StandardVersion,
    *,
    follow: bool = False,
    headers: dict[str, str] | None = None,
    **data: Any,
) -> Any:
    """POST the form as the page would, on the draft's current revision unless given."""
    version.refresh_from_db()
    data.setdefault("revision", version.revision)
    return client.post(url(version), data, follow=follow, **(headers or {}))


def outline(version: StandardVersion) -> list[tuple[str, str, str]]:
    return [
        (i.clause.kind, i.clause.number, i.clause.title or i.clause.text)
        for i in ops.walk(ops.version_items(version))
    ]


def log_of(version: StandardVersion) -> list[ChangeLogEntry]:
    return list(
        ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Standard),
            object_id=str(version.standard_id),
            changes__has_key="草案文本",
        )
    )


@pytest.fixture
def officer(standards_officer):
    return signed_in(standards_officer)


@pytest.fixture
def empty(org_a, standards_officer) -> StandardVersion:
    return empty_draft(org_a, standards_officer)


@pytest.fixture
def filled(draft) -> StandardVersion:
    """A draft holding the sample text (10 clauses)."""
    return draft.versions.get()


# ---- the form ------------------------------------------------------------------------------


def test_it_shows_the_form_and_what_the_importer_understands(officer, empty) -> None:
    response = officer.get(url(empty))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'name="file"' in html and 'accept=".docx,.txt' in html
    assert '<textarea name="text"' in html
    assert f'name="revision" value="{empty.revision}"' in html
    assert "附录A（规范性）" in html and "“5.2.1”" in html and "“注：”" in html
    assert 'enctype="multipart/form-data"' in html and 'hx-post="' in html
    assert "standards/import.js" in html
    assert "替换草案现有的" not in html  # an empty draft: nothing to replace
    assert "<script>" not in html


def test_it_asks_to_confirm_replacing_a_draft_with_clauses(officer, filled) -> None:
    html = officer.get(url(filled)).content.decode()
    assert "替换草案现有的 10 条内容" in html
    assert 'name="replace"' in html


# ---- importing -----------------------------------------------------------------------------


def test_it_imports_a_word_file_into_an_empty_draft_and_opens_the_editor(officer, empty) -> None:
    revision = empty.revision

    response = send(officer, empty, file=upload(word_file()))

    editor = reverse("standards:editor", args=[empty.pk])
    assert response.status_code == 302 and response["Location"] == editor
    assert outline(empty) == [
        ("foreword", "", ""),
        ("paragraph", "", FOREWORD),
        ("scope", "1", "范围"),
        ("paragraph", "", "本文件规定了公共卫生间保洁服务的要求。"),
        ("chapter", "2", "保洁要求"),
        ("clause", "2.1", "频次"),
        ("paragraph", "", "保洁员应按下列频次保洁："),
        ("list_item", "a)", "每2 h巡查1次；"),
        ("list_item", "b)", "每日下班后全面清洁1次。"),
    ]
    empty.refresh_from_db()
    assert empty.revision == revision + 1
    assert empty.edited_by is not None and empty.edited_by.username == "bob"
    [entry] = log_of(empty)
    assert entry.actor.username == "bob"
    assert entry.changes["草案文本"] == ["第1版草案（空）", "导入“保洁规范.docx”，9 条内容"]

    page = officer.get(editor).content.decode()
    assert "已从“保洁规范.docx”读入 9 条内容，起草规则检查的结果在页面下方。" in page
    check = reverse("standards:version_check", args=[empty.pk])
    assert f'hx-get="{check}" hx-trigger="load' in page  # the check runs as the editor opens


def test_it_imports_pasted_text(officer, empty) -> None:
    response = send(officer, empty, text=PASTED)

    assert response.status_code == 302
    assert outline(empty)[-4:] == [
        ("chapter", "2", "会前准备"),
        ("clause", "2.1", "会场布置"),
        ("paragraph", "", "会场应在会前30 min布置完毕。"),
        ("note", "注", "大型会议提前1 d布置。"),
    ]
    [entry] = log_of(empty)
    assert entry.changes["草案文本"][1] == "导入粘贴的文字，8 条内容"
    page = officer.get(response["Location"]).content.decode()
    assert "已从粘贴的文字读入 8 条内容" in page


def test_it_reads_a_text_file_in_gb18030(officer, empty) -> None:
    data = PASTED.encode("gb18030")
    response = send(officer, empty, file=upload(data, "会议服务.txt", "text/plain"))
    assert response.status_code == 302
    assert ("clause", "2.1", "会场布置") in outline(empty)


def test_it_replaces_the_draft_only_after_confirmation(officer, filled) -> None:
    before = outline(filled)
    revision = filled.revision

    response = send(officer, filled, text=PASTED)

    assert response.status_code == 200
    html = response.content.decode()
    assert "草案中已有 10 条内容。要用导入的内容替换，请勾选“替换草案现有的 10 条内容”" in html
    assert f">\n{PASTED}</textarea>" in html  # the pasted text is kept
    assert outline(filled) == before
    filled.refresh_from_db()
    assert filled.revision == revision
    assert log_of(filled) == []

    response = send(officer, filled, text=PASTED, replace="on")

    assert response.status_code == 302
    texts = [text for _kind, _no, text in outline(filled)]
    assert "保洁员应每2 h保洁1次。" not in texts and "会场布置" in texts
    filled.refresh_from_db()
    assert filled.revision == revision + 1
    [entry] = log_of(filled)
    assert entry.changes["草案文本"] == ["第1版草案 10 条内容", "导入粘贴的文字，8 条内容"]


def test_it_reports_the_lines_it_could_not_place(officer, empty) -> None:
    response = send(officer, empty, file=upload(word_file(flagged=True)), follow=True)

    flagged = empty.clauses.get(text="5.1 保洁人员应持证上岗。")
    assert flagged.kind == "paragraph" and flagged.parent.kind == "foreword"
    assert "不在任何章或附录中" in flagged.extra["flag"]
    html = response.content.decode()
    assert "有 1 处未能确定位置，已作为段落保留并在编辑器中标出，请逐一核对：" in html
    assert "第3段“5.1 保洁人员应持证上岗。”是条的编号，但不在任何章或附录中" in html
    [entry] = log_of(empty)
    assert entry.note == "1 处未能确定位置，已作为段落保留并标出"


def test_the_editor_marks_a_flagged_line_until_the_author_ticks_it(officer, empty) -> None:
    send(officer, empty, file=upload(word_file(flagged=True)))
    flagged = empty.clauses.get(text="5.1 保洁人员应持证上岗。")
    client = officer
    editor = client.get(reverse("standards:editor", args=[empty.pk])).content.decode()
    assert "导入待核对" in editor and "不在任何章或附录中" in editor
    empty.refresh_from_db()
    client.post(
        reverse("standards:editor_save", args=[flagged.pk]),
        {"revision": empty.revision, "text": flagged.text, "flag_checked": "1"},
    )
    flagged.refresh_from_db()
    assert not flagged.extra["flag"]
    assert (
        "导入待核对"
        not in client.get(reverse("standards:editor", args=[empty.pk])).content.decode()
    )


def test_it_names_the_first_few_flags_and_counts_the_rest(officer, empty) -> None:
    lines = ["前言", FOREWORD, *(f"{i}.1 第{i}条要求应写清。" for i in range(5, 10)), "1 范围"]
    response = send(officer, empty, text="\n".join([*lines, "本文件规定了要求。"]), follow=True)

    html = response.content.decode()
    assert "有 5 处未能确定位置" in html
    assert "第3行“5.1 第5条要求应写清。”" in html and "第5行“7.1 第7条要求应写清。”" in html
    assert "第6行" not in html
    assert "另有 2 处" in html


def test_an_htmx_upload_is_sent_to_the_editor_by_header(officer, empty) -> None:
    response = send(officer, empty, text=PASTED, headers={"HTTP_HX_REQUEST": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("standards:editor", args=[empty.pk])


# ---- refused input: a message on the form, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"file": ("保洁规范.docx", b"PK\x03\x04 damaged")},
            "文件已损坏或不是Word文档（.docx），无法打开",
        ),
        (
            {"file": ("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)},
            "旧版Word文件",
        ),
        ({"file": ("照片.jpg", b"\xff\xd8\xff\xe0 jpeg")}, "只能导入 Word 文档（.docx）或文本文件"),
        ({"file": ("空.docx", b"")}, "文件是空的（0 字节）"),
        ({"file": ("空白.docx", to_bytes(new_document()))}, "文件里没有文字，无法导入。"),
        ({}, "请选择要导入的文件，或把标准全文粘贴到文本框中。"),
        ({"text": "   \n  "}, "请选择要导入的文件，或把标准全文粘贴到文本框中。"),
        ({"text": PASTED, "file": ("a.docx", b"x")}, "请只用一种方式：上传文件或粘贴文字"),
        ({"revision": "old"}, "页面缺少草案版本号，请刷新页面后再导入。"),
    ],
    ids=[
        "damaged",
        "doc",
        "wrong-type",
        "empty-file",
        "no-text",
        "nothing",
        "blank",
        "both",
        "rev",
    ],
)
def test_it_shows_why_it_cannot_import_and_writes_nothing(officer, empty, data, message) -> None:
    revision = empty.revision
    if "file" in data:
        name, content = data.pop("file")
        data["file"] = upload(content, name)
    if "revision" in data:
        data["text"] = PASTED

    response = send(officer, empty, **data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not empty.clauses.exists()
    empty.refresh_from_db()
    assert empty.revision == revision
    assert log_of(empty) == []


def test_it_marks_the_field_that_could_not_be_read(officer, empty) -> None:
    html = send(officer, empty, text="JGSW/FW 001—2026\n公共卫生间保洁服务规范").content.decode()
    assert "只找到了封面，没有找到正文" in html
    assert 'aria-invalid="true" aria-describedby="id_text_error"' in html
    assert 'id="id_text_error"' in html


def test_it_refuses_a_file_over_the_upload_limit(officer, empty, settings) -> None:
    settings.HOUQIN_UPLOAD_MAX_MB = 1
    data = PASTED.encode() * (1024 * 1024 // len(PASTED.encode()) + 1)
    response = send(officer, empty, file=upload(data, "很大.txt", "text/plain"))
    assert "文件太大：不能超过 1 MB。" in response.content.decode()
    assert not empty.clauses.exists()


def test_it_refuses_a_page_loaded_before_someone_else_changed_the_draft(
    officer, filled, standards_officer
) -> None:
    stale = filled.revision
    ops.clause_add(
        version=filled, actor=standards_officer, base_revision=stale, kind="chapter", title="新章"
    )
    before = outline(filled)

    response = send(officer, filled, text=PASTED, replace="on", revision=stale)

    assert "草案已被李标准在" in response.content.decode()
    assert outline(filled) == before


# ---- who may import ------------------------------------------------------------------------


def test_it_refuses_people_who_may_not_edit_the_text(
    draft, filled, worker, department_head, standards_officer, org_a
) -> None:
    other = DepartmentFactory(organization=org_a, code="CY", name="餐饮管理科")
    Standard.objects.filter(pk=draft.pk).update(owner_department=other)
    for user in (worker, department_head):
        client = signed_in(user)
        assert client.get(url(filled)).status_code == 403
        assert send(client, filled, text=PASTED, replace="on").status_code == 403
    Standard.objects.filter(pk=draft.pk).update(status="consultation")  # the text is frozen
    officer = signed_in(standards_officer)
    assert officer.get(url(filled)).status_code == 403
    assert send(officer, filled, text=PASTED, replace="on").status_code == 403
    assert len(outline(filled)) == 10


def test_the_head_of_the_owning_department_may_import(draft, filled, department_head) -> None:
    Standard.objects.filter(pk=draft.pk).update(owner_department=department_head.department)
    response = send(signed_in(department_head), filled, text=PASTED, replace="on")
    assert response.status_code == 302


def test_it_hides_another_organizations_draft(filled, org_b) -> None:
    outsider = signed_in(person(org_b, "olivia", "standards_officer"))
    assert outsider.get(url(filled)).status_code == 404
    assert send(outsider, filled, text=PASTED, replace="on").status_code == 404
    assert len(outline(filled)) == 10


def test_it_needs_sign_in(client, empty) -> None:
    response = client.get(url(empty))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_refuses_a_published_version(officer, in_force, standards_officer) -> None:
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    published = in_force.versions.get()
    before = outline(published)

    page = officer.get(url(published))
    assert page.status_code == 200
    assert "本版本已发布，文本不能修改，也不能导入。" in page.content.decode()
    assert 'name="file"' not in page.content.decode()
    response = send(officer, published, text=PASTED, replace="on")
    assert response.status_code == 400
    assert outline(published) == before

    draft = version_new_draft(standard=in_force, actor=standards_officer)
    link = reverse("standards:draft_import", args=[draft.pk])
    assert f'href="{link}"' in officer.get(url(published)).content.decode()


# ---- the service ---------------------------------------------------------------------------


def test_the_service_refuses_a_published_version_and_a_person_who_may_not_edit(
    in_force, worker, standards_officer
) -> None:
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    published = StandardVersion.objects.select_related("standard").get(standard=in_force)
    imported = import_text(PASTED)
    with pytest.raises(ValidationError, match="已发布的版本不能修改"):
        draft_import(
            version=published,
            imported=imported,
            actor=standards_officer,
            base_revision=None,
            replace=True,
        )
    with pytest.raises(PermissionDenied):
        draft_import(
            version=published, imported=imported, actor=worker, base_revision=None, replace=True
        )
    assert published.clauses.count() == 10


def test_the_service_keeps_the_draft_when_the_tree_cannot_be_stored(
    filled, standards_officer
) -> None:
    imported = import_text(PASTED)
    bad = imported.document.__class__(
        imported.document.header, (n("paragraph", "不能放在最上一层的段。"),)
    )
    imported.document = bad
    with pytest.raises(ValidationError, match="只能放在章、条或附录之下"):
        draft_import(
            version=filled,
            imported=imported,
            actor=standards_officer,
            base_revision=filled.revision,
            replace=True,
        )
    assert len(outline(filled)) == 10
    assert Clause.objects.filter(version=filled, text="保洁员应每2 h保洁1次。").exists()


# ---- queries -------------------------------------------------------------------------------


def test_the_form_takes_as_many_queries_for_a_long_draft_as_for_a_short_one(
    officer, org_a, standards_officer, django_assert_num_queries
) -> None:
    short = draft_make(org_a, standards_officer, title="短标准").versions.get()
    long = draft_make(org_a, standards_officer, title="长标准").versions.get()
    chapters = [
        n("chapter", title=f"第{i}章", children=(n("paragraph", "应。"),)) for i in range(20)
    ]
    ops.tree_load(version=long, nodes=chapters)
    officer.get(url(short))  # warm the per-session caches

    with CaptureQueriesContext(connection) as few:
        assert officer.get(url(short)).status_code == 200
    with django_assert_num_queries(len(few.captured_queries)):
        assert officer.get(url(long)).status_code == 200

"""The ``export_standard`` command (a contract other checks call): Word and PDF, the version
in force before any draft, the draft when nothing is in force, numbers in any spelling,
and clear errors."""

from __future__ import annotations

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from houqin.standards.models import Clause, Standard
from houqin.standards.services import version_new_draft
from tests.conftest import person
from tests.standards.test_documents_data import RICH_NUMBER, RICH_TITLE, adopted, rich_in_force

pytestmark = pytest.mark.django_db


def export(*args: str, **options: str) -> str:
    out = StringIO()
    call_command("export_standard", *args, stdout=out, **options)
    return out.getvalue()


def cover(path) -> dict[str, list[str]]:
    doc = Document(str(path))
    found: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        found.setdefault(p.style.name, []).append(p.text)
    return found


@pytest.fixture
def rich(org_a, standards_officer):
    return rich_in_force(org_a, standards_officer)


def test_it_exports_the_version_in_force_to_word(rich, tmp_path):
    path = tmp_path / "out.docx"
    message = export(RICH_NUMBER, format="docx", output=str(path))
    found = cover(path)
    assert found["封面编号"] == [RICH_NUMBER]
    assert found["封面标准名称"] == [RICH_TITLE]
    assert "封面阶段" not in found
    assert "第1版（已发布）" in message and str(path) in message


def test_it_accepts_a_hyphen_for_the_dash_and_any_spacing(rich, tmp_path):
    for spelling in ("JGSW/TG 001-2026", "jgsw/tg 001 - 2026", "JGSW/TG  001–2026"):
        path = tmp_path / "out.docx"
        export(spelling, "--format", "docx", "-o", str(path))
        assert cover(path)["封面编号"] == [RICH_NUMBER]


def test_it_prefers_the_version_in_force_over_a_revision_draft(rich, standards_officer, tmp_path):
    draft = version_new_draft(standard=rich, actor=standards_officer)
    scope = draft.clauses.get(kind=Clause.Kind.SCOPE).children.get()
    scope.text = "修订草案的范围。"
    scope.save()
    Standard.objects.filter(pk=rich.pk).update(status="revising")
    path = tmp_path / "out.docx"
    export(RICH_NUMBER, format="docx", output=str(path))
    body = cover(path)["标准正文"]
    assert "本文件规定了机关食堂餐饮服务的要求。" in body
    assert "修订草案的范围。" not in body


def test_it_exports_the_latest_draft_when_nothing_is_in_force(draft, tmp_path):
    Standard.objects.filter(pk=draft.pk).update(status="consultation", number="JGSW/FW 007—2026")
    path = tmp_path / "out.docx"
    message = export("JGSW/FW 007-2026", format="docx", output=str(path))
    found = cover(path)
    assert found["封面阶段"] == ["（征求意见稿）"]
    assert found["封面标准名称"] == ["公共卫生间保洁规范"]
    assert "草案" in message


def test_it_exports_pdf(rich, tmp_path):
    path = tmp_path / "out.pdf"
    export(RICH_NUMBER.replace("—", "-"), format="pdf", output=str(path))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF text is not checked")
    text = subprocess.run(
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert RICH_TITLE in "".join(text.split())


def test_it_gives_an_adopted_standard_its_cover_and_metadata(org_a, standards_officer, tmp_path):
    adopted(org_a, standards_officer)
    path = tmp_path / "gb.docx"
    message = export("GB 31654-2021", format="docx", output=str(path))
    assert cover(path)["封面类别"] == ["中华人民共和国国家标准"]
    assert "未录入条文" in message


def test_it_refuses_an_unknown_number(rich, tmp_path):
    with pytest.raises(CommandError, match="没有编号为“JGSW/TG 999—2026”的标准"):
        export("JGSW/TG 999-2026", format="docx", output=str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_it_refuses_a_standard_without_text(org_a, standards_officer, tmp_path):
    from houqin.standards.services import standard_propose
    from tests.standards.builders import node_make

    standard_propose(
        organization=org_a,
        actor=standards_officer,
        data={
            "title": "会议服务规范",
            "node": node_make(org_a),
            "reason": "立项",
            "number": "JGSW/FW 008—2026",
        },
    )
    with pytest.raises(CommandError, match="还没有文本"):
        export("JGSW/FW 008—2026", format="docx", output=str(tmp_path / "x.docx"))


def test_it_asks_which_organization_when_a_number_is_shared(
    rich, org_b, standards_officer, tmp_path
):
    other = person(org_b, "olga", "standards_officer")
    rich_in_force(org_b, other)
    path = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="--organization"):
        export(RICH_NUMBER, format="docx", output=str(path))
    message = export(RICH_NUMBER, format="docx", output=str(path), organization="org-b")
    assert cover(path)["封面类别"] == ["乙市机关事务服务中心内部标准"]
    assert RICH_NUMBER in message
    with pytest.raises(CommandError, match="没有单位代码为“org-z”"):
        export(RICH_NUMBER, format="docx", output=str(path), organization="org-z")

"""The drafting check wired into Houqin: ``check_standard`` (a contract: JSON, exit 0/1/2),
``POST /api/v1/standards/check/`` (a contract), the gate before consultation and review, a
rule switched off for one clause with a reason, the check panel and the rule pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards.clauses import tree_load
from houqin.standards.services.checks import version_check, waiver_add, waiver_remove
from tests.conftest import signed_in
from tests.standards.builders import n
from tests.standards.test_standard_pages import queries

pytestmark = pytest.mark.django_db

FAULTY = """JGSW/FW 009—2026
会议服务规范
2026-01-01发布　2026-02-01实施
江城市机关事务服务中心　发布

前言
本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。
1 范围
本文件规定了会议服务的要求。
2 规范性引用文件
本文件没有规范性引用文件。
3 术语和定义
本文件没有需要界定的术语和定义。
4 会前准备
4.1 服务人员必须提前30 min到场。
4.2 会场温度应保持在20 ℃～26 ℃。
"""
KEYS = {"rule", "severity", "clause", "excerpt", "message", "suggestion", "fixable"}


def run(path, *args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_standard", str(path), *args, stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_command_prints_json_and_exits_1_on_errors(tmp_path) -> None:
    path = tmp_path / "faulty.txt"
    path.write_text(FAULTY, encoding="utf-8")
    status, out = run(path, "--format", "json")
    hits = json.loads(out)
    assert status == 1
    assert all(set(hit) == KEYS for hit in hits)
    verb = next(h for h in hits if h["rule"] == "S-VERB-01")
    assert verb["clause"] == "4.1" and verb["severity"] == "error" and "必须" in verb["excerpt"]


def test_the_command_exits_0_without_errors_and_speaks_chinese(tmp_path) -> None:
    path = tmp_path / "fine.txt"
    path.write_text(FAULTY.replace("必须", "应"), encoding="utf-8")
    status, out = run(path)
    assert status == 0
    assert "共" in out or "没有发现问题" in out


def test_a_file_that_cannot_be_read_exits_2_with_the_reason(tmp_path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as caught:
        run(broken)
    assert caught.value.returncode == 2 and caught.value.args[0]
    with pytest.raises(CommandError) as missing:
        run(tmp_path / "missing.docx")
    assert missing.value.returncode == 2 and "无法读取文件" in missing.value.args[0]


def test_the_api_checks_text_and_files(worker, served) -> None:
    client = signed_in(worker)
    url = reverse("api:standard-check")
    response = client.post(url, {"text": FAULTY})
    assert response.status_code == 200
    assert "S-VERB-01" in {hit["rule"] for hit in response.json()}
    bad = io.BytesIO(b"PK\x03\x04 broken")
    bad.name = "bad.docx"
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and response.json()["error"]["fields"]["file"]
    assert client.post(url, {}).status_code == 400
    assert signed_in(served).post(url, {"text": FAULTY}).status_code == 403


@pytest.fixture
def faulty_draft(draft, standards_officer):
    version = draft.versions.get()
    tree_load(
        version=version,
        nodes=[n("chapter", title="补充要求", children=(n("paragraph", "保洁员必须佩戴工牌。"),))],
    )
    return draft


def test_a_waived_error_no_longer_stands_and_the_waiver_is_logged(
    faulty_draft, standards_officer
) -> None:
    version = faulty_draft.versions.get()
    errors = [e for e in version_check(version).errors if e.rule == "S-VERB-01"]
    assert [e.clause for e in errors] == ["3"]
    waiver = waiver_add(
        standard=faulty_draft,
        actor=standards_officer,
        clause_uid=errors[0].uid,
        rule="S-VERB-01",
        reason="引用《条例》原文，保持原话",
    )
    result = version_check(version)
    assert "S-VERB-01" not in {e.rule for e in result.errors}
    assert result.waived[0][1] == waiver
    assert ChangeLogEntry.objects.filter(object_id=faulty_draft.pk, changes__icontains="S-VERB-01")


def test_a_waiver_needs_a_reason_a_rule_and_a_clause_of_the_draft(
    faulty_draft, standards_officer
) -> None:
    uid = next(
        e.uid for e in version_check(faulty_draft.versions.get()).errors if e.rule == "S-VERB-01"
    )
    for rule, reason, clause in (
        ("S-VERB-01", "短", uid),
        ("X-NONE-01", "理由充分的说明", uid),
        ("S-VERB-01", "理由充分的说明", "00000000-0000-0000-0000-000000000000"),
    ):
        with pytest.raises(Exception):  # noqa: B017 (each a ValidationError with its field)
            waiver_add(
                standard=faulty_draft,
                actor=standards_officer,
                clause_uid=clause,
                rule=rule,
                reason=reason,
            )
    waiver = waiver_add(
        standard=faulty_draft,
        actor=standards_officer,
        clause_uid=uid,
        rule="S-VERB-01",
        reason="理由充分的说明",
    )
    waiver_remove(waiver=waiver, actor=standards_officer)
    assert "S-VERB-01" in {e.rule for e in version_check(faulty_draft.versions.get()).errors}


def test_the_check_panel_and_waiving_from_the_page(faulty_draft, standards_officer) -> None:
    client = signed_in(standards_officer)
    version = faulty_draft.versions.get()
    panel = client.get(
        reverse("standards:version_check", args=[version.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "S-VERB-01" in panel and "<mark>必须</mark>" in panel and "错误 " in panel
    uid = next(e.uid for e in version_check(version).errors if e.rule == "S-VERB-01")
    response = client.post(
        reverse("standards:check_waive", args=[version.pk]),
        {"clause_uid": uid, "rule": "S-VERB-01", "reason": "引用法规原文"},
    )
    assert response.status_code == 302
    page = client.get(reverse("standards:version_check", args=[version.pk])).content.decode()
    assert "已关闭的规则" in page and "引用法规原文" in page


def test_the_rule_pages_teach_with_examples(worker) -> None:
    client = signed_in(worker)
    listing = client.get(reverse("standards:rule_list")).content.decode()
    assert "S-VERB-01" in listing and "P-MEAS-02" in listing
    page = client.get(reverse("standards:rule_detail", args=["S-VERB-01"])).content.decode()
    assert "错误示例" in page and "正确示例" in page and "GB/T 1.1" in page
    assert client.get(reverse("standards:rule_detail", args=["S-NONE-99"])).status_code == 404


def test_the_check_panel_runs_the_same_queries_for_more_clauses(
    faulty_draft, standards_officer
) -> None:
    client = signed_in(standards_officer)
    version = faulty_draft.versions.get()
    url = reverse("standards:version_check", args=[version.pk])
    queries(client, url)  # the first request warms the session and caches
    few = queries(client, url)
    tree_load(
        version=version,
        nodes=[
            n("chapter", title=f"要求{i}", children=(n("paragraph", "人员必须及时到场。"),))
            for i in range(10)
        ],
    )
    assert queries(client, url) == few

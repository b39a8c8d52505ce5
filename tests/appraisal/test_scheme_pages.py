"""Scheme pages: the list (filters, search, export, empty state, query count), a new
scheme, a scheme's page (versions, the version in use, the draft editor, query count), rows
added, refused, changed and removed in place with htmx, subjects and grading, publishing
and revising from the page, one version and two versions side by side."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.appraisal.models import AppraisalScheme, Indicator, SchemeVersion
from houqin.appraisal.scheme_services import version_revise
from tests.appraisal.builders import department_make, period_make, scheme_make
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
NOW = datetime(2026, 10, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def count_queries(client: Client, url: str) -> int:
    """Queries of a page, read after a first request has filled the per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def page_text(response) -> str:
    return response.content.decode()


def tag_of(text: str, name: str) -> str:
    """The opening tag of the form field called ``name``."""
    found = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', text)
    assert found, name
    return found.group(0)


def row_url(version: SchemeVersion) -> str:
    return reverse("appraisal:version_row", args=[version.pk])


def draft_of(scheme: AppraisalScheme) -> SchemeVersion:
    return scheme.versions.get(status=SchemeVersion.Status.DRAFT)


# ---- list -------------------------------------------------------------------------------


def test_the_list_queries_do_not_grow_with_the_rows(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)

    def make(start: int, count: int) -> None:
        for i in range(start, start + count):
            scheme = scheme_make(org_a, name=f"方案{i:02d}", subject_kind="team")
            period_make(scheme)
            version_revise(scheme=scheme, actor=standards_officer)

    make(0, 2)
    url = reverse("appraisal:scheme_list")
    few = count_queries(client, url)
    filtered = count_queries(client, f"{url}?subject_kind=team&state=draft")
    make(2, 18)
    assert count_queries(client, url) == few
    assert count_queries(client, f"{url}?subject_kind=team&state=draft") == filtered
    text = page_text(client.get(url))
    assert "方案00" in text and "第1版" in text and "第2版草稿" in text


def test_the_list_filters_searches_and_exports(org_a, standards_officer) -> None:
    scheme_make(org_a, name="科室季度考核")
    scheme_make(org_a, name="保洁服务商月度考核", subject_kind="vendor", published=False)
    client = signed_in(standards_officer)
    url = reverse("appraisal:scheme_list")
    unpublished = page_text(client.get(f"{url}?state=unpublished"))
    assert "保洁服务商月度考核" in unpublished and "科室季度考核" not in unpublished
    by_kind = page_text(client.get(f"{url}?subject_kind=department"))
    assert "科室季度考核" in by_kind and "保洁服务商月度考核" not in by_kind
    found = page_text(client.get(f"{url}?q=保洁"))
    assert "保洁服务商月度考核" in found and "科室季度考核" not in found
    export = client.get(f"{url}?state=published&export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    assert [c.value for c in sheet[3]][:3] == ["方案名称", "考核对象", "在用版本"]
    assert [c.value for c in sheet[4]][:3] == ["科室季度考核", "科室", "第1版"]
    assert sheet.max_row == 4
    assert "版本状态：已发布（在用）" in sheet["A2"].value


def test_the_empty_list_says_what_to_do_first(org_a, standards_officer, leader) -> None:
    url = reverse("appraisal:scheme_list")
    office = page_text(signed_in(standards_officer).get(url))
    assert "先新建一个考核方案" in office
    assert reverse("appraisal:scheme_create") in office
    reader = page_text(signed_in(leader).get(url))
    assert "标准化办公室新建并发布考核方案后" in reader
    assert reverse("appraisal:scheme_create") not in reader


def test_a_new_scheme_opens_its_first_draft(org_a, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("appraisal:scheme_create")
    data = {"name": "班组半年评比", "subject_kind": "team", "description": "每半年一评比"}
    response = client.post(url, data)
    scheme = AppraisalScheme.objects.get(name="班组半年评比")
    assert response["Location"] == reverse("appraisal:scheme_detail", args=[scheme.pk])
    page = page_text(client.get(response["Location"]))
    assert "第1版草稿" in page and "还没有考核指标，请至少添加一项。" in page
    again = page_text(client.post(url, data))
    assert "方案名称“班组半年评比”已被使用，请换一个。" in again
    missing = page_text(client.post(url, {"subject_kind": "team"}))
    assert "请填写方案名称。" in missing


# ---- the scheme's page --------------------------------------------------------------------


def test_the_page_queries_do_not_grow_with_versions_and_rows(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a, subjects=[department_make(org_a, "WY", "物业科")])
    period_make(scheme)
    client = signed_in(standards_officer)
    url = reverse("appraisal:scheme_detail", args=[scheme.pk])
    version_revise(scheme=scheme, actor=standards_officer)
    few = count_queries(client, url)
    draft = draft_of(scheme)
    for i in range(6):
        Indicator.objects.create(
            organization=org_a,
            version=draft,
            seq=10 + i,
            name=f"附加指标{i}",
            weight=1,
            source="pass_rate",
            method="rate",
        )
    draft.departments.add(department_make(org_a, "CY", "餐饮科"))
    SchemeVersion.objects.filter(pk=draft.pk).update(status="published", seq=5)
    version_revise(scheme=scheme, actor=standards_officer)
    assert count_queries(client, url) == few


def test_readers_see_the_versions_but_no_editor(org_a, leader, standards_officer) -> None:
    scheme = scheme_make(org_a, subjects=[department_make(org_a, "WY", "物业科")])
    version_revise(scheme=scheme, actor=standards_officer, note="调整合格率权重")
    page = page_text(signed_in(leader).get(reverse("appraisal:scheme_detail", args=[scheme.pk])))
    assert "在用版本：第1版" in page and "第2版草稿（修订中，尚未发布）" in page
    assert "物业科" in page and "调整合格率权重" in page
    assert 'id="draft-editor"' not in page and "修订方案" not in page


def test_a_row_is_added_in_place_and_a_bad_one_keeps_what_was_typed(
    org_a, standards_officer
) -> None:
    scheme = scheme_make(org_a, indicators=[], published=False)
    version = draft_of(scheme)
    client = signed_in(standards_officer)
    form = client.get(f"{row_url(version)}?row_kind=indicator", headers=HX)
    assert 'data-testid="row-form"' in page_text(form) and "<html" not in page_text(form)
    bad = {
        "row_kind": "indicator",
        "name": "否决项不合格",
        "weight": "30",
        "source": "veto_failures",
        "method": "deduct",
        "kind": "",
        "per_unit": "",
        "note": "每次扣 5 分",
    }
    refused = client.post(row_url(version), bad, headers=HX)
    text = page_text(refused)
    assert refused.status_code == 200 and "HX-Retarget" not in refused
    assert "指标“否决项不合格”用扣分制，请填写每次扣分（大于 0）。" in text
    assert 'value="否决项不合格"' in text and "每次扣 5 分" in text
    # The cursor waits in the field to mend, which is marked; the first field lets it go.
    assert "autofocus" in tag_of(text, "per_unit") and "is-invalid" in tag_of(text, "per_unit")
    assert "autofocus" not in tag_of(text, "name")
    assert not version.indicators.exists()
    saved = client.post(row_url(version), {**bad, "per_unit": "5"}, headers=HX)
    assert saved["HX-Retarget"] == "#draft-editor"
    text = page_text(saved)
    assert "已添加指标“否决项不合格”。" in text
    assert "各项指标的权重合计 30 分，应正好为 100 分（还差 70 分）。" in text
    assert version.indicators.get().per_unit == 5


def test_a_row_is_changed_and_removed_after_asking(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a, published=False)
    version = draft_of(scheme)
    row = version.indicators.get(name="任务完成率")
    client = signed_in(standards_officer)
    form = page_text(client.get(f"{row_url(version)}?row_kind=indicator&row={row.pk}", headers=HX))
    assert 'value="任务完成率"' in form and 'data-others="60"' in form
    data = {"row_kind": "indicator", "row": row.pk, "name": "任务完成率", "weight": "30"}
    data |= {"source": "task_done_rate", "method": "rate", "per_unit": "0", "note": ""}
    changed = client.post(row_url(version), data, headers=HX)
    assert "已修改指标“任务完成率”。" in page_text(changed)
    remove = reverse("appraisal:version_row_remove", args=[version.pk])
    ask = page_text(client.get(f"{remove}?row_kind=indicator&row={row.pk}", headers=HX))
    assert "删除指标“任务完成率”？" in ask
    assert version.indicators.filter(pk=row.pk).exists()
    done = client.post(remove, {"row_kind": "indicator", "row": row.pk}, headers=HX)
    assert "已删除指标“任务完成率”。" in page_text(done)
    assert not version.indicators.filter(pk=row.pk).exists()


def test_without_htmx_the_forms_are_pages_of_their_own(org_a, standards_officer) -> None:
    version = draft_of(scheme_make(org_a, published=False))
    client = signed_in(standards_officer)
    page = page_text(client.get(f"{row_url(version)}?row_kind=band"))
    assert "<html" in page and "添加等次" in page and "hx-post" not in page
    refused = client.post(
        row_url(version), {"row_kind": "band", "grade": "excellent", "min_score": "95"}
    )
    assert refused.status_code == 200
    assert "等次“优秀”已经设定过，请修改原来那一行。" in page_text(refused)
    rule = {"row_kind": "rule", "grade": "good", "kind": "reward", "measure": "通报表扬"}
    saved = client.post(row_url(version), rule)
    assert saved["Location"].endswith("#draft")
    assert version.reward_rules.filter(grade="good", measure="通报表扬").exists()


def test_rows_of_another_version_or_a_published_one_are_not_edited(
    org_a, standards_officer
) -> None:
    published = scheme_make(org_a, name="甲").versions.get()
    draft = draft_of(scheme_make(org_a, name="乙", published=False))
    client = signed_in(standards_officer)
    foreign = published.indicators.first()
    response = client.get(f"{row_url(draft)}?row_kind=indicator&row={foreign.pk}", headers=HX)
    assert response.status_code == 404
    refused = client.get(f"{row_url(published)}?row_kind=indicator", headers=HX)
    assert refused["HX-Redirect"].endswith("#versions")


def test_subjects_and_grading_are_chosen_from_the_kind(org_a, standards_officer) -> None:
    wuye = department_make(org_a, "WY", "物业科")
    department_make(org_a, "CY", "餐饮科")
    version = draft_of(scheme_make(org_a, published=False))
    client = signed_in(standards_officer)
    url = reverse("appraisal:version_settings", args=[version.pk])
    form = page_text(client.get(url, headers=HX))
    assert "考核的科室" in form and "餐饮科" in form and "不勾选即考核全部科室。" in form
    saved = client.post(url, {"grading": "share", "note": "", "subjects": [wuye.pk]}, headers=HX)
    assert "已保存考核对象和评定方式。" in page_text(saved)
    assert list(version.departments.all()) == [wuye]
    assert "名额比例上限" in page_text(saved)


def test_publishing_is_refused_with_the_reasons_then_done(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a, bands={}, rules=[], published=False)
    version = draft_of(scheme)
    client = signed_in(standards_officer)
    detail = reverse("appraisal:scheme_detail", args=[scheme.pk])
    assert 'data-testid="publish" disabled' in page_text(client.get(detail))
    publish = reverse("appraisal:version_publish", args=[version.pk])
    refused = page_text(client.post(publish, follow=True))
    assert "不能发布：还没有设定等次分数线" in refused
    client.post(row_url(version), {"row_kind": "band", "grade": "pass", "min_score": "0"})
    with time_machine.travel(NOW, tick=False):
        done = page_text(client.post(publish, follow=True))
    assert "已发布第1版。之后新建的考核周期按此版本计分。" in done
    assert "李标准 · 2026-10-09 09:00 发布" in done
    assert "修订方案" in done


def test_revising_from_the_page_opens_a_copy(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    client = signed_in(standards_officer)
    page = page_text(client.post(reverse("appraisal:scheme_revise", args=[scheme.pk]), follow=True))
    assert "已复制为第2版草稿" in page and 'id="draft-editor"' in page
    again = page_text(
        client.post(reverse("appraisal:scheme_revise", args=[scheme.pk]), follow=True)
    )
    assert "第2版草稿还没有发布，请在草稿中修改，不用再新建。" in again


def test_a_version_and_two_versions_side_by_side(org_a, leader, standards_officer) -> None:
    scheme = scheme_make(org_a)
    draft = version_revise(scheme=scheme, actor=standards_officer)
    draft.indicators.filter(name="任务完成率").update(weight=30)
    draft.indicators.filter(name="检查合格率").delete()
    client = signed_in(leader)
    one = page_text(client.get(reverse("appraisal:version_detail", args=[draft.pk])))
    assert "第2版（草稿）" in one and "任务完成率" in one
    compare = page_text(client.get(reverse("appraisal:version_compare", args=[scheme.pk])))
    assert "第1版 → 第2版" in compare and "2 项有变化" in compare
    assert "修改" in compare and "删除" in compare

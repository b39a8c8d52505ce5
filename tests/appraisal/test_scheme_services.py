"""Scheme services: a new scheme starts with an empty draft; a draft's rows are checked one by
one when saved and as a whole before publishing (weights sum to exactly 100, deduction and
manual methods consistent with their sources, grade bands in order without overlap, shares
within 100 %); a published version never changes; revising copies it into a new draft."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.appraisal import scheme_services as services
from houqin.appraisal.models import (
    AppraisalScheme,
    GradeBand,
    Indicator,
    SchemeVersion,
    SubjectKind,
)
from houqin.common.models import ChangeLogEntry
from tests.appraisal.builders import department_make, scheme_make

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RATE = {"source": "pass_rate", "method": "rate", "kind": "", "per_unit": Decimal(0), "note": ""}


def draft_of(scheme: AppraisalScheme) -> SchemeVersion:
    return scheme.versions.get(status=SchemeVersion.Status.DRAFT)


def indicator(name: str, weight: int | str, **fields: object) -> dict[str, object]:
    return {**RATE, "name": name, "weight": Decimal(str(weight)), **fields}


def test_it_creates_a_scheme_with_an_empty_first_draft(org_a, standards_officer) -> None:
    scheme = services.scheme_create(
        organization=org_a,
        actor=standards_officer,
        name=" 科室季度考核 ",
        subject_kind=SubjectKind.DEPARTMENT,
        description="每季度考核各科室",
    )
    assert scheme.name == "科室季度考核"
    version = draft_of(scheme)
    assert version.seq == 1
    assert services.version_problems(version)[0] == "还没有考核指标，请至少添加一项。"
    created = ChangeLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(AppraisalScheme), object_id=str(scheme.pk)
    )
    assert created.changes["name"] == [None, "科室季度考核"]


def test_only_the_office_creates_schemes(org_a, leader) -> None:
    with pytest.raises(PermissionDenied):
        services.scheme_create(
            organization=org_a, actor=leader, name="方案", subject_kind=SubjectKind.TEAM
        )


def test_weights_must_reach_exactly_100_before_publishing(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a, indicators=[], adjustments=[], rules=[], published=False)
    version = draft_of(scheme)
    save = services.version_row_save
    save(version=version, kind="indicator", actor=standards_officer, data=indicator("合格率", 60))
    row = save(
        version=version, kind="indicator", actor=standards_officer, data=indicator("完成率", 30)
    )
    problems = services.version_problems(version)
    assert "各项指标的权重合计 90 分，应正好为 100 分（还差 10 分）。" in problems
    with pytest.raises(ValidationError) as refused:
        services.version_publish(version=version, actor=standards_officer, now=NOW)
    assert "各项指标的权重合计 90 分，应正好为 100 分（还差 10 分）。" in refused.value.messages
    save(
        version=version,
        kind="indicator",
        actor=standards_officer,
        data=indicator("完成率", "40.5"),
        row=row,
    )
    assert "（多了 0.5 分）" in services.version_problems(version)[0]
    save(
        version=version,
        kind="indicator",
        actor=standards_officer,
        data=indicator("完成率", 40),
        row=row,
    )
    assert services.version_problems(version) == []
    published = services.version_publish(version=version, actor=standards_officer, now=NOW)
    assert published.status == SchemeVersion.Status.PUBLISHED
    assert published.published_at == NOW
    assert published.published_by == standards_officer
    assert [i.seq for i in published.indicators.order_by("seq")] == [1, 2]


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"method": "deduct", "source": "veto_failures"}, "per_unit", "请填写每次扣分"),
        ({"method": "manual", "source": "pass_rate"}, "source", "数据来源应选“人工录入”"),
        ({"method": "rate", "source": "manual"}, "method", "计分方法应选“人工评分”"),
        ({"method": "rate", "source": "tasks_missed"}, "method", "是次数，不能按比率得分"),
        ({"method": "deduct", "source": "pass_rate", "per_unit": 1}, "method", "是比率"),
        ({"source": "task_done_rate", "kind": "patrol"}, "kind", "才能选检查类型"),
    ],
)
def test_a_bad_indicator_is_not_saved_and_the_field_says_why(
    org_a, standards_officer, fields, field, text
) -> None:
    version = draft_of(scheme_make(org_a, indicators=[], published=False))
    data = indicator("指标甲", 100, **{**fields, "per_unit": Decimal(fields.get("per_unit", 0))})
    with pytest.raises(ValidationError) as refused:
        services.version_row_save(
            version=version, kind="indicator", actor=standards_officer, data=data
        )
    assert text in refused.value.message_dict[field][0]
    assert "指标甲" in refused.value.message_dict[field][0]
    assert not Indicator.objects.filter(version=version).exists()


def test_the_same_rules_stop_publishing_rows_written_elsewhere(org_a, standards_officer) -> None:
    scheme = scheme_make(
        org_a,
        indicators=[
            {"name": "人工评分项", "weight": 50, "source": "pass_rate", "method": "manual"},
            {"name": "否决扣分", "weight": 50, "source": "veto_failures", "method": "deduct"},
        ],
        adjustments=[
            {"name": "表扬", "direction": "bonus", "source": "manual", "points": 5, "cap": 3},
        ],
        published=False,
    )
    problems = services.version_problems(draft_of(scheme))
    assert problems == [
        "指标“人工评分项”为人工评分，数据来源应选“人工录入”。",
        "指标“否决扣分”用扣分制，请填写每次扣分（大于 0）。",
        "加扣分项“表扬”的封顶（3 分）不能小于每次分值（5 分）。",
    ]


@pytest.mark.parametrize(
    ("grading", "bands", "text"),
    [
        ("score", {}, "还没有设定等次分数线"),
        ("score", {"excellent": (80, None), "good": (80, None), "fail": (0, None)}, "分数段重叠"),
        ("score", {"excellent": (70, None), "good": (80, None), "fail": (0, None)}, "顺序不对"),
        ("score", {"pass": (60, None)}, "最低一档“合格”的最低分是 60 分"),
        ("share", {"excellent": (90, None), "fail": (0, None)}, "请至少为一个等次设定名额"),
        ("share", {"excellent": (90, 60), "good": (80, 50), "fail": (0, None)}, "合计 110%"),
        ("share", {"excellent": (90, 20), "fail": (0, 10)}, "最低一档“不合格”不能设名额"),
    ],
)
def test_grade_bands_in_order_without_overlap_and_shares_within_100(
    org_a, grading, bands, text
) -> None:
    scheme = scheme_make(org_a, bands=bands, grading=grading, rules=[], published=False)
    problems = services.version_problems(draft_of(scheme))
    assert any(text in p for p in problems), problems


def test_good_bands_by_score_and_by_share_pass(org_a) -> None:
    by_score = scheme_make(org_a, name="甲", published=False)
    by_share = scheme_make(org_a, name="乙", grading="share", published=False)
    assert services.version_problems(draft_of(by_score)) == []
    assert services.version_problems(draft_of(by_share)) == []


def test_a_reward_rule_needs_its_grade(org_a) -> None:
    scheme = scheme_make(org_a, bands={"pass": (0, None)}, published=False)
    problems = services.version_problems(draft_of(scheme))
    assert problems == [
        "奖惩规则“优秀 → 通报表扬并奖励”的等次“优秀”没有设定分数线，"
        "请先设定这个等次或删除这条规则。",
        "奖惩规则“不合格 → 约谈并提交整改计划”的等次“不合格”没有设定分数线，"
        "请先设定这个等次或删除这条规则。",
    ]


def test_a_grade_is_set_once(org_a, standards_officer) -> None:
    version = draft_of(scheme_make(org_a, published=False))
    with pytest.raises(ValidationError) as refused:
        services.version_row_save(
            version=version,
            kind="band",
            actor=standards_officer,
            data={"grade": "good", "min_score": Decimal(85), "max_share": None},
        )
    assert refused.value.message_dict["grade"] == ["等次“良好”已经设定过，请修改原来那一行。"]


def test_a_published_version_never_changes(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a)
    version = scheme.versions.get()
    row = version.indicators.first()
    with pytest.raises(ValidationError, match="已经发布"):
        services.version_row_save(
            version=version,
            kind="indicator",
            actor=standards_officer,
            data=indicator("检查合格率", 70),
            row=row,
        )
    with pytest.raises(ValidationError, match="已经发布"):
        services.version_row_remove(
            version=version, kind="indicator", row=row, actor=standards_officer
        )
    with pytest.raises(ValidationError, match="已经发布过了"):
        services.version_publish(version=version, actor=standards_officer, now=NOW)
    assert version.indicators.get(pk=row.pk).weight == Decimal(60)


def test_revising_copies_the_published_version_into_a_new_draft(org_a, standards_officer) -> None:
    wuye = department_make(org_a, "WY", "物业科")
    scheme = scheme_make(org_a, subjects=[wuye], grading="share")
    first = scheme.versions.get()
    draft = services.version_revise(scheme=scheme, actor=standards_officer, note="调整权重")
    assert (draft.seq, draft.status, draft.grading, draft.note) == (2, "draft", "share", "调整权重")
    assert list(draft.departments.all()) == [wuye]
    for relation in ("indicators", "adjustments", "bands", "reward_rules"):
        assert getattr(draft, relation).count() == getattr(first, relation).count() > 0
    copied = draft.indicators.get(name="检查合格率")
    services.version_row_save(
        version=draft,
        kind="indicator",
        actor=standards_officer,
        data=indicator("检查合格率", 50),
        row=copied,
    )
    assert first.indicators.get(name="检查合格率").weight == Decimal(60)
    with pytest.raises(ValidationError, match="第2版草稿还没有发布"):
        services.version_revise(scheme=scheme, actor=standards_officer)


def test_revising_needs_a_published_version(org_a, standards_officer) -> None:
    scheme = scheme_make(org_a, published=False)
    SchemeVersion.objects.filter(scheme=scheme).delete()
    with pytest.raises(ValidationError, match="还没有发布过的版本"):
        services.version_revise(scheme=scheme, actor=standards_officer)


def test_row_edits_are_logged_on_the_version(org_a, standards_officer) -> None:
    version = draft_of(scheme_make(org_a, published=False))
    row = version.indicators.get(name="检查合格率")
    services.version_row_save(
        version=version,
        kind="indicator",
        actor=standards_officer,
        data=indicator("检查合格率", 55),
        row=row,
    )
    services.version_row_remove(
        version=version,
        kind="band",
        row=GradeBand.objects.get(version=version, grade="good"),
        actor=standards_officer,
    )
    notes = list(
        ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SchemeVersion),
            object_id=str(version.pk),
        ).values_list("note", "changes")
    )
    assert notes[0] == (
        "删除等次“良好”",
        {"等次“良好”·等次": ["良好", None], "等次“良好”·最低分": ["80", None]},
    )
    assert notes[1] == ("修改指标“检查合格率”", {"指标“检查合格率”·权重（分）": ["60", "55"]})


def test_subjects_are_of_the_kind_and_the_organization(org_a, org_b, standards_officer) -> None:
    version = draft_of(scheme_make(org_a, published=False))
    mine = department_make(org_a, "WY", "物业科")
    theirs = department_make(org_b, "XX", "外单位科")
    with pytest.raises(ValidationError, match="不属于本单位"):
        services.version_settings_save(
            version=version, actor=standards_officer, grading="score", note="", subjects=[theirs]
        )
    services.version_settings_save(
        version=version,
        actor=standards_officer,
        grading="share",
        note="只考核物业科",
        subjects=[mine],
    )
    version.refresh_from_db()
    assert (version.grading, version.note) == ("share", "只考核物业科")
    assert list(version.departments.all()) == [mine]
    entry = ChangeLogEntry.objects.filter(object_id=str(version.pk)).first()
    assert entry is not None and entry.changes["考核对象"] == ["全部", "物业科"]


def test_two_versions_side_by_side(org_a, standards_officer) -> None:
    scheme = scheme_make(
        org_a,
        indicators=[
            {"name": "检查合格率", "weight": 60, "source": "pass_rate", "method": "rate"},
            {"name": "任务完成率", "weight": 30, "source": "task_done_rate", "method": "rate"},
            {"name": "阅读确认率", "weight": 10, "source": "acknowledged_rate", "method": "rate"},
        ],
    )
    draft = services.version_revise(scheme=scheme, actor=standards_officer)
    save = services.version_row_save
    save(
        version=draft,
        kind="indicator",
        actor=standards_officer,
        data=indicator("检查合格率", 50),
        row=draft.indicators.get(name="检查合格率"),
    )
    services.version_row_remove(
        version=draft,
        kind="indicator",
        row=draft.indicators.get(name="阅读确认率"),
        actor=standards_officer,
    )
    save(
        version=draft,
        kind="indicator",
        actor=standards_officer,
        data=indicator("整改及时率", 20, source="fix_on_time_rate"),
    )
    rows = services.indicators_compare(scheme.versions.get(seq=1), draft)
    assert [(r.name, r.change) for r in rows] == [
        ("检查合格率", "changed"),
        ("任务完成率", "same"),
        ("整改及时率", "added"),
        ("阅读确认率", "removed"),
    ]

"""The demo center, seeded once and checked part by part: accounts, the center, the library,
checklists and appraisal; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from houqin.accounts.demo import DEMO_PASSWORD
from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from houqin.org.models import Department, Organization

pytestmark = pytest.mark.django_db


def test_the_demo_center_is_seeded_once_and_a_second_run_changes_nothing() -> None:
    """One seed (it takes seconds), each part of the demo checked by its own function, then
    a second run that must add nothing."""
    call_command("seed_demo", stdout=StringIO())
    snapshot = list(User.objects.values_list("username", "password", "name").order_by("username"))
    accounts_checked()
    center_checked()
    library_checked()
    checklists_checked()
    appraisal_checked()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    for nothing in ("账号 0 个", "检查表 0 张", "考核方案 0 个"):
        assert nothing in out.getvalue()
    assert (
        list(User.objects.values_list("username", "password", "name").order_by("username"))
        == snapshot
    )


def accounts_checked() -> None:
    """One demo account per role, with the demo password and that role only."""
    for role in ROLES:
        user = User.objects.get(username=role.code)
        assert user.is_demo and user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role.code]
    assert Organization.objects.get(code="jc-center").parent.code == "jc-bureau"
    assert Department.objects.count() == 7
    assert User.objects.get(username="bureau_reader").organization.code == "jc-bureau"


def center_checked() -> None:
    """Served units, staff of every employment, vendors, places and equipment."""
    from collections import Counter

    from houqin.org.models import ServedUnit, Staff, Vendor
    from houqin.places.models import Equipment, Place

    assert ServedUnit.objects.count() == 20
    assert User.objects.filter(groups__name="served").count() >= 600
    assert 100 <= Staff.objects.count() <= 140
    assert set(Staff.objects.values_list("employment", flat=True)) == {
        "civil_servant",
        "institution",
        "contract",
        "outsourced",
    }
    assert (
        Vendor.objects.count() == 3
        and not Staff.objects.filter(employment="outsourced", vendor=None).exists()
    )
    kinds = Counter(Place.objects.values_list("kind", flat=True))
    assert (
        kinds["campus"] == 1
        and kinds["building"] == 3
        and kinds["room"] > 300
        and kinds["point"] > 0
    )
    types = Counter(Equipment.objects.values_list("type", flat=True))
    assert (
        types["elevator"],
        types["air_conditioner"],
        types["fire_extinguisher"],
        types["generator"],
    ) == (8, 200, 300, 1)
    assert types["hydrant"] > 0 and types["pump"] > 0


def library_checked() -> None:
    """The starter library, loaded through the lifecycle."""
    from houqin.standards.models import Acknowledgement, Comment, Standard, StandardPlan

    internal = Standard.objects.filter(level="internal")
    assert internal.count() >= 8
    assert Standard.objects.exclude(level="internal").filter(status="in_force").count() >= 10
    meeting = internal.get(status="consultation")
    assert meeting.number == "JGSW/TG 002—2026"
    comments = Comment.objects.filter(consultation__standard=meeting)
    assert comments.count() == 3 and comments.filter(disposition="pending").count() == 1
    assert comments.exclude(clause_uid=None).count() == 2
    fire = internal.get(number="JGSW/BZ 001—2020")
    assert fire.status == "in_force" and fire.review_due_on.year == 2025
    for standard in internal.filter(status="in_force"):
        assert standard.versions.published().get().clauses.count() > 20
    assert Acknowledgement.objects.exists()
    plan = StandardPlan.objects.get()
    assert plan.items.count() >= 8 and plan.items.filter(standard=None).count() == 1


def checklists_checked() -> None:
    """Checklists with two quarters of checks, findings in every state, orders."""
    from django.utils import timezone

    from houqin.checklists.models import ChecklistItem, ChecklistTemplate, Record, Schedule, Task
    from houqin.findings.models import Finding, Rectification, SupervisionOrder
    from houqin.findings.services import is_overdue

    names = set(ChecklistTemplate.objects.values_list("name", flat=True))
    assert {"公共卫生间保洁", "食品留样", "电梯半月维保", "车辆出车前检查"} <= names
    assert len(names) == 7
    assert ChecklistItem.objects.exclude(clause=None).count() >= 25
    sample = ChecklistItem.objects.get(template__name="食品留样", text="每个品种留样量")
    assert (sample.min_value, sample.unit, sample.veto) == (125, "g", True)
    assert sample.clause is not None and sample.clause.text.startswith("每餐次的每个品种")
    assert Schedule.objects.filter(frequency="monthly").exists()
    assert Schedule.objects.filter(frequency="every_n_days").count() == 8
    today = timezone.localdate()
    for login in ("worker", "vendor_worker"):
        assert Task.objects.filter(person__username=login, opens_at__date=today).exists()
    done = Task.objects.filter(status="done")
    assert done.count() == Record.objects.filter(status="submitted").count() > 500
    assert Task.objects.filter(status="missed").exists()
    assert Record.objects.filter(passed=False).exists()
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert statuses == {"assigned", "fixed", "returned", "effect_check", "closed"}
    assert any(is_overdue(r) for r in Rectification.objects.all())
    assert Finding.objects.exclude(repeat_of=None).exists()
    from houqin.checklists.demo import history_start

    assert Task.objects.order_by("due_at").first().due_at.date() <= history_start(today)
    from houqin.appraisal.models import RoundItem

    # two orders of the findings demo, the rest issued by the appraisal demo's 督办 round
    by_round = RoundItem.objects.exclude(order=None).values("order")
    assert SupervisionOrder.objects.exclude(pk__in=by_round).count() == 2


def appraisal_checked() -> None:
    """Schemes with two frozen quarters (appeals, a circular) and this quarter computed."""
    from houqin.appraisal.models import (
        Appeal,
        AppraisalScheme,
        Circular,
        DeductionStatement,
        Period,
        RewardPenalty,
    )

    kinds = set(AppraisalScheme.objects.values_list("subject_kind", flat=True))
    assert kinds == {"department", "vendor", "person"}
    for scheme in AppraisalScheme.objects.all():
        states = list(scheme.periods.order_by("starts_on").values_list("status", flat=True))
        assert states == ["final", "final", "computed"]
    assert Period.objects.filter(status="computed", scores__isnull=False).exists()
    assert set(Appeal.objects.values_list("status", flat=True)) == {"accepted", "rejected"}
    accepted = Appeal.objects.get(status="accepted")
    assert accepted.points_after > accepted.points_before
    assert Circular.objects.filter(status="published", period__status="final").count() == 1
    assert RewardPenalty.objects.filter(score__period__status="final").exists()
    assert DeductionStatement.objects.exists()

"""Sweep entries for the reward/penalty ledger pages and API (see tests/test_url_sweep.py)
and the org-A row they take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

ENTRY = "appraisal.rewardpenalty"
VIEW = "appraisal.view_rewardpenalty"
APPROVE = "appraisal.approve_rewardpenalty"

ROUTES: dict[str, Route] = {
    "appraisal:ledger_list": Route(VIEW, denied="worker"),
    "appraisal:ledger_create": Route("appraisal.add_rewardpenalty", denied="leader"),
    "appraisal:ledger_detail": Route(VIEW, sample=ENTRY, denied="worker"),
    "appraisal:ledger_decide": Route(
        APPROVE, sample=ENTRY, method="post", denied="standards_officer"
    ),
    "api:ledger-entry-list": Route(VIEW, denied="worker"),
    "api:ledger-entry-detail": Route(VIEW, sample=ENTRY, denied="worker"),
    "api:ledger-entry-approve": Route(
        APPROVE, sample=ENTRY, method="post", denied="standards_officer"
    ),
    "api:ledger-entry-reject": Route(
        APPROVE, sample=ENTRY, method="post", denied="standards_officer"
    ),
}


def sample(app_model: str, org: Any) -> Any:
    """A proposed entry for a department, registered by hand."""
    if app_model != ENTRY:
        raise LookupError(app_model)
    from django.utils import timezone

    from houqin.appraisal.models import RewardPenalty
    from houqin.org.models import Department

    department = Department.objects.get_or_create(
        organization=org, code="L1", defaults={"name": "样例科"}
    )[0]
    return RewardPenalty.objects.filter(organization=org).first() or RewardPenalty.objects.create(
        organization=org,
        kind=RewardPenalty.Kind.REWARD,
        subject_kind=RewardPenalty.Subject.DEPARTMENT,
        department=department,
        subject_name=department.name,
        measure="通报表扬",
        reason="样例事由",
        origin=RewardPenalty.Origin.MANUAL,
        proposed_at=timezone.now(),
    )

"""Sweep entries for the supervision round pages (see tests/test_url_sweep.py) and the
org-A round they take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

ROUND = "appraisal.supervisionround"
VIEW = "appraisal.view_supervisionround"
RUN = "appraisal.change_supervisionround"

ROUTES: dict[str, Route] = {
    "appraisal:round_list": Route(VIEW, denied="worker"),
    "appraisal:round_create": Route("appraisal.add_supervisionround", denied="leader"),
    "appraisal:round_detail": Route(VIEW, sample=ROUND, denied="worker"),
    "appraisal:round_pick": Route(RUN, sample=ROUND, method="post", denied="leader"),
    "appraisal:round_issue": Route(RUN, sample=ROUND, method="post", denied="leader"),
    "appraisal:round_propose": Route(RUN, sample=ROUND, method="post", denied="leader"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A supervision round of the first quarter of 2026, without items."""
    if app_model != ROUND:
        raise LookupError(app_model)
    from datetime import date

    from django.utils import timezone

    from houqin.accounts.models import User
    from houqin.appraisal.models import SupervisionRound

    actor = User.objects.get_or_create(
        organization=org, username="round-sampler", defaults={"name": "样例督办人"}
    )[0]
    return SupervisionRound.objects.get_or_create(
        organization=org,
        year=2026,
        quarter=1,
        defaults={
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2026, 3, 31),
            "created_by": actor,
            "proposed_at": timezone.now(),
        },
    )[0]

"""Sweep entries for the period, score and appeal pages (see tests/test_url_sweep.py) and
the org-A rows they take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

PERIOD = "appraisal.period"
SCORE = "appraisal.score"
APPEAL = "appraisal.appeal"
VIEW = "appraisal.view_period"
RUN = "appraisal.change_period"

ROUTES: dict[str, Route] = {
    "appraisal:period_list": Route(VIEW, denied="served"),
    "appraisal:period_create": Route("appraisal.add_period", denied="department_head"),
    "appraisal:period_detail": Route(VIEW, sample=PERIOD, denied="served"),
    "appraisal:period_progress": Route(VIEW, sample=PERIOD, denied="served"),
    "appraisal:period_step": Route(RUN, sample=PERIOD, method="post", denied="department_head"),
    "appraisal:period_compare": Route(VIEW, sample=PERIOD, denied="served"),
    "appraisal:score_detail": Route(VIEW, sample=SCORE, denied="served"),
    "appraisal:score_manual": Route(RUN, sample=SCORE, method="post", denied="department_head"),
    "appraisal:appeal_create": Route(
        "appraisal.add_appeal", sample=SCORE, method="post", denied="leader"
    ),
    "appraisal:appeal_detail": Route("appraisal.view_appeal", sample=APPEAL, denied="served"),
    "appraisal:appeal_decide": Route(
        "appraisal.change_appeal", sample=APPEAL, method="post", denied="department_head"
    ),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes a period, a score or an appeal: a
    published period of a department scheme with one score and an appeal on it."""
    if app_model not in (PERIOD, SCORE, APPEAL):
        raise LookupError(app_model)
    from django.utils import timezone

    from houqin.accounts.models import User
    from houqin.appraisal.models import Appeal, AppraisalScheme, Period
    from houqin.org.models import Department
    from tests.appraisal.builders import period_make, scheme_make, score_make

    name = "样例周期考核方案"
    scheme = AppraisalScheme.objects.filter(organization=org, name=name).first()
    if scheme is None:
        scheme = scheme_make(org, name=name)
    period = Period.objects.filter(scheme=scheme).first() or period_make(
        scheme, status=Period.Status.PUBLISHED
    )
    if app_model == PERIOD:
        return period
    department = Department.objects.get_or_create(
        organization=org, code="S1", defaults={"name": "样例科"}
    )[0]
    score = period.scores.first() or score_make(period, department, 88, rank=1)
    if app_model == SCORE:
        return score
    actor = User.objects.get_or_create(
        organization=org, username="appeal-sampler", defaults={"name": "样例申诉人"}
    )[0]
    return Appeal.objects.create(
        organization=org,
        score=score,
        line=score.lines.first(),
        reason="样例理由",
        submitted_by=actor,
        submitted_at=timezone.now(),
    )

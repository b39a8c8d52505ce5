"""Sweep entries for the appraisal API (see tests/test_url_sweep.py); the scheme, period,
score and appeal come from the samples of routes_schemes.py and routes_periods.py."""

from __future__ import annotations

from tests.routes import Route

SCHEME = "appraisal.appraisalscheme"
PERIOD = "appraisal.period"
SCORE = "appraisal.score"
APPEAL = "appraisal.appeal"
VIEW = "appraisal.view_period"
RUN = "appraisal.change_period"
DECIDE = "appraisal.change_appeal"

ROUTES: dict[str, Route] = {
    "api:appraisal-scheme-list": Route("appraisal.view_appraisalscheme", denied="served"),
    "api:appraisal-scheme-detail": Route(
        "appraisal.view_appraisalscheme", sample=SCHEME, denied="department_head"
    ),
    "api:appraisal-period-list": Route(VIEW, denied="served"),
    "api:appraisal-period-detail": Route(VIEW, sample=PERIOD, denied="served"),
    **{
        f"api:appraisal-period-{step}": Route(
            RUN, sample=PERIOD, method="post", denied="department_head"
        )
        for step in ("compute", "publish", "close-publicity", "freeze")
    },
    "api:appraisal-score-list": Route(VIEW, denied="served"),
    "api:appraisal-score-detail": Route(VIEW, sample=SCORE, denied="served"),
    "api:appraisal-score-breakdown": Route(VIEW, sample=SCORE, denied="served"),
    "api:appraisal-appeal-list": Route("appraisal.view_appeal", denied="served"),
    "api:appraisal-appeal-detail": Route("appraisal.view_appeal", sample=APPEAL, denied="served"),
    **{
        f"api:appraisal-appeal-{step}": Route(
            DECIDE, sample=APPEAL, method="post", denied="department_head"
        )
        for step in ("accept", "reject")
    },
}

"""Sweep entries for the self-evaluation pages (see tests/test_url_sweep.py) and the org-A
self-evaluation they take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

SELFEVAL = "appraisal.selfevaluation"
VIEW = "appraisal.view_selfevaluation"

ROUTES: dict[str, Route] = {
    "appraisal:selfeval_list": Route(VIEW, denied="worker"),
    "appraisal:selfeval_create": Route("appraisal.add_selfevaluation", denied="leader"),
    "appraisal:selfeval_detail": Route(VIEW, sample=SELFEVAL, denied="worker"),
    "appraisal:selfeval_refresh": Route(
        "appraisal.change_selfevaluation", sample=SELFEVAL, method="post", denied="leader"
    ),
    "appraisal:selfeval_word": Route(VIEW, sample=SELFEVAL, denied="worker"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A self-evaluation of 2025 with no figures."""
    if app_model != SELFEVAL:
        raise LookupError(app_model)
    from django.utils import timezone

    from houqin.accounts.models import User
    from houqin.appraisal.models import SelfEvaluation

    actor = User.objects.get_or_create(
        organization=org, username="selfeval-sampler", defaults={"name": "样例起草人"}
    )[0]
    return SelfEvaluation.objects.get_or_create(
        organization=org,
        year=2025,
        defaults={
            "title": "2025年度标准化工作自我评价报告",
            "completeness": "样例。",
            "implementation": "样例。",
            "effects": "样例。",
            "improvements": "样例。",
            "conclusion": "样例。",
            "figures_at": timezone.now(),
            "drafted_by": actor,
        },
    )[0]

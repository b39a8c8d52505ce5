"""Sweep entries for the circular pages (see tests/test_url_sweep.py) and the org-A
circular they take (a draft of a frozen period)."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

CIRCULAR = "appraisal.circular"
VIEW = "appraisal.view_circular"
EDIT = "appraisal.change_circular"

ROUTES: dict[str, Route] = {
    "appraisal:circular_list": Route(VIEW, denied="served"),
    "appraisal:circular_create": Route("appraisal.add_circular", denied="leader"),
    "appraisal:circular_detail": Route(VIEW, sample=CIRCULAR, denied="served"),
    "appraisal:circular_publish": Route(EDIT, sample=CIRCULAR, method="post", denied="leader"),
    "appraisal:circular_word": Route(VIEW, sample=CIRCULAR, denied="served"),
    "appraisal:circular_print": Route(VIEW, sample=CIRCULAR, denied="served"),
    "appraisal:circular_pdf": Route(VIEW, sample=CIRCULAR, denied="served"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A circular, published (so that every reader with the permission sees it), of
    a frozen period of a department scheme."""
    if app_model != CIRCULAR:
        raise LookupError(app_model)
    from datetime import date

    from django.utils import timezone

    from houqin.accounts.models import User
    from houqin.appraisal.models import Circular, Period
    from tests.appraisal.builders import period_make, scheme_make

    actor = User.objects.get_or_create(
        organization=org, username="circular-sampler", defaults={"name": "样例起草人"}
    )[0]
    period = period_make(
        scheme_make(org, name="样例考核方案"), status=Period.Status.FINAL, frozen_at=timezone.now()
    )
    return Circular.objects.create(
        organization=org,
        period=period,
        status=Circular.Status.PUBLISHED,
        year=2026,
        number=1,
        reference="通报〔2026〕1号",
        title="关于样例考核结果的通报",
        recipients="各科室",
        body="样例正文。",
        requirements="样例要求。",
        signer=org.name,
        dated=date(2026, 10, 9),
        drafted_by=actor,
    )

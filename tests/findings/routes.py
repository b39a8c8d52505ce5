"""Sweep entries for the findings routes (see tests/test_url_sweep.py) and the org-A rows
they take."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.routes import Route

FINDING = "findings.finding"
ORDER = "findings.supervisionorder"
VIEW = "findings.view_finding"
FIX = "findings.change_rectification"
MANAGE = "findings.change_finding"
OVERSEE = "checklists.view_schedule"

ROUTES: dict[str, Route] = {
    "findings:finding_list": Route(VIEW, denied="served"),
    "findings:finding_create": Route("findings.add_finding", denied="leader"),
    "findings:finding_detail": Route(VIEW, sample=FINDING, denied="served"),
    "findings:rectification_step": Route(FIX, sample=FINDING, method="post", denied="leader"),
    "findings:board": Route(OVERSEE, denied="worker"),
    "findings:policy": Route("findings.change_findingpolicy", denied="leader"),
    "findings:order_list": Route(VIEW, denied="served"),
    "findings:order_create": Route(MANAGE, denied="worker"),
    "findings:order_detail": Route(VIEW, sample=ORDER, denied="served"),
    "findings:order_step": Route(FIX, sample=ORDER, method="post", denied="leader"),
    "findings:order_word": Route(VIEW, sample=ORDER, denied="served"),
    "findings:order_print": Route(VIEW, sample=ORDER, denied="served"),
    "findings:order_pdf": Route(VIEW, sample=ORDER, denied="served"),
    "findings:compliance": Route(OVERSEE, denied="worker"),
    "findings:compliance_rows": Route(OVERSEE, denied="worker"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes ``findings.<model>``: a finding raised by
    hand for a department, or a supervision order on it."""
    from django.utils import timezone

    from houqin.accounts.models import User
    from houqin.findings.models import Finding, SupervisionOrder
    from houqin.findings.services import Responsible, finding_raise
    from houqin.org.models import Department

    actor = User.objects.get_or_create(
        organization=org, username="finding-sampler", defaults={"name": "样例发现人"}
    )[0]
    department = Department.objects.get_or_create(
        organization=org, code="S1", defaults={"name": "样例科"}
    )[0]
    finding = Finding.objects.filter(organization=org).first() or finding_raise(
        organization=org,
        actor=actor,
        title="样例问题",
        severity="minor",
        responsible=Responsible(department=department),
    )
    if app_model == FINDING:
        return finding
    if app_model == ORDER:
        order = SupervisionOrder.objects.create(
            organization=org,
            year=2026,
            number=1,
            reference="督办〔2026〕1号",
            title="样例督办单",
            body="请整改。",
            deadline=timezone.localdate() + timedelta(days=7),
            department=department,
            issuer=actor,
            issued_at=timezone.now(),
        )
        order.findings.add(finding)
        return order
    raise LookupError(f"no sample maker for {app_model}: add one in tests/findings/routes.py")

"""Sweep entries for the random spot check, special campaign and third-party evaluation
routes (see tests/test_url_sweep.py) and the org-A rows they take."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests.routes import Route

DRAW = "checklists.randomdraw"
CAMPAIGN = "checklists.campaign"
TEMPLATE = "checklists.checklisttemplate"
SEE = "checklists.view_schedule"
MANAGE = "checklists.add_task"
ENTER = "checklists.change_checklisttemplate"

ROUTES: dict[str, Route] = {
    "checklists:draw_list": Route(SEE, denied="worker"),
    "checklists:draw_create": Route(MANAGE, denied="leader"),
    "checklists:draw_detail": Route(SEE, sample=DRAW, denied="worker"),
    "checklists:draw_verify": Route(SEE, sample=DRAW, method="post", denied="worker"),
    "checklists:campaign_list": Route(SEE, denied="worker"),
    "checklists:campaign_create": Route(MANAGE, denied="leader"),
    "checklists:campaign_detail": Route(SEE, sample=CAMPAIGN, denied="worker"),
    "checklists:campaign_assign": Route(MANAGE, sample=CAMPAIGN, denied="leader"),
    "checklists:third_party_create": Route(ENTER, sample=TEMPLATE, denied="worker"),
    "checklists:third_party_import": Route(ENTER, sample=TEMPLATE, denied="worker"),
    "checklists:third_party_template": Route(ENTER, sample=TEMPLATE, denied="worker"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes a draw or a campaign."""
    from houqin.accounts.models import User
    from houqin.checklists.models import Campaign, ChecklistTemplate, RandomDraw

    if app_model == CAMPAIGN:
        return Campaign.objects.get_or_create(
            organization=org,
            title="样例专项检查",
            defaults={
                "topic": "食品安全",
                "starts_on": date(2026, 9, 1),
                "ends_on": date(2026, 9, 30),
            },
        )[0]
    if app_model == DRAW:
        template = ChecklistTemplate.objects.get_or_create(organization=org, name="样例检查表")[0]
        drawer = User.objects.filter(organization=org).order_by("pk").first()
        if drawer is None:
            drawer = User.objects.create_user("draw-sample", None, organization=org, name="抽取人")
        now = timezone.now()
        return RandomDraw.objects.create(
            organization=org,
            title="样例抽查",
            template=template,
            subject_type="places",
            pool_words="样例",
            inspector_words="样例",
            subjects_wanted=1,
            inspectors_each=1,
            subject_pool=[],
            inspector_pool=[],
            seed="00",
            algorithm="v1",
            result=[],
            opens_at=now,
            due_at=now + timedelta(hours=2),
            drawn_by=drawer,
            drawn_at=now,
        )
    raise LookupError(f"no sample maker for {app_model} in tests/checklists/routes_draws.py")

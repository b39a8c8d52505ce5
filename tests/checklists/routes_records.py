"""Sweep entries for the record, ledger and handover routes (see tests/test_url_sweep.py)
and the org-A rows they take."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.routes import Route

RECORD = "checklists.record"
ANSWER = "checklists.answer"
HANDOVER = "checklists.handover"
TASK = "checklists.task"
DO = "checklists.add_record"
SEE = "checklists.view_record"

ROUTES: dict[str, Route] = {
    "checklists:record_start": Route(DO, sample=TASK, method="post", denied="leader"),
    "checklists:record_fill": Route(DO, sample=RECORD, denied="leader"),
    "checklists:record_summary": Route(DO, sample=RECORD, denied="leader"),
    "checklists:record_submit": Route(DO, sample=RECORD, method="post", denied="leader"),
    "checklists:record_result": Route(SEE, sample=RECORD, denied="served"),
    "checklists:answer_save": Route(DO, sample=ANSWER, method="post", denied="leader"),
    "checklists:answer_photo": Route(DO, sample=ANSWER, method="post", denied="leader"),
    "checklists:answer_photo_delete": Route(DO, sample=ANSWER, method="post", denied="leader"),
    "checklists:answer_sign": Route(DO, sample=ANSWER, method="post", denied="leader"),
    "checklists:record_list": Route(SEE, denied="served"),
    "checklists:record_detail": Route(SEE, sample=RECORD, denied="served"),
    "checklists:handover_list": Route(SEE, denied="served"),
    "checklists:handover_create": Route(DO, denied="leader"),
    "checklists:handover_detail": Route(SEE, sample=HANDOVER, denied="served"),
    "api:record-submit": Route(DO, method="post", denied="leader"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes a record, an answer, a handover or a task:
    a draft record of a one-item checklist, its answer, a handover between two people."""
    from houqin.accounts.models import User
    from houqin.checklists.models import Answer, ChecklistItem, ChecklistTemplate, Handover, Record
    from tests.conftest import person

    if app_model == TASK:
        from tests.checklists.routes_tasks import sample as task_sample

        return task_sample(TASK, org)
    if app_model not in (RECORD, ANSWER, HANDOVER):
        raise LookupError(f"no sample maker for {app_model} in tests/checklists/routes_records.py")
    inspector = User.objects.filter(organization=org).order_by("pk").first() or person(
        org, "sample-inspector", "worker"
    )
    if app_model == HANDOVER:
        incoming = person(org, "sample-incoming", "worker")
        return Handover.objects.create(
            organization=org,
            done="样例交接",
            outgoing=inspector,
            incoming=incoming,
            handed_at=timezone.now(),
        )
    template = ChecklistTemplate.objects.get_or_create(organization=org, name="样例检查表")[0]
    item = ChecklistItem.objects.get_or_create(
        organization=org, template=template, text="样例检查项"
    )[0]
    record = Record.objects.create(
        organization=org,
        template=template,
        template_revision=template.revision,
        kind="self",
        inspector=inspector,
        started_at=timezone.now() - timedelta(minutes=5),
        scoring=template.scoring,
    )
    answer = Answer.objects.create(organization=org, record=record, item=item)
    return record if app_model == RECORD else answer

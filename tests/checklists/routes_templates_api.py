"""Sweep entries for the read APIs of checklist templates and schedules (see
tests/test_url_sweep.py); their rows come from the other routes modules' samples."""

from __future__ import annotations

from tests.routes import Route

TEMPLATE = "checklists.checklisttemplate"
SCHEDULE = "checklists.schedule"
VIEW_TEMPLATE = "checklists.view_checklisttemplate"
VIEW_SCHEDULE = "checklists.view_schedule"

ROUTES: dict[str, Route] = {
    "api:checklist-template-list": Route(VIEW_TEMPLATE, denied="worker"),
    "api:checklist-template-detail": Route(VIEW_TEMPLATE, sample=TEMPLATE, denied="worker"),
    "api:schedule-list": Route(VIEW_SCHEDULE, denied="worker"),
    "api:schedule-detail": Route(VIEW_SCHEDULE, sample=SCHEDULE, denied="worker"),
}

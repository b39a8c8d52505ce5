"""Sweep entries for the checklist routes (see tests/test_url_sweep.py) and the org-A rows
they take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

TEMPLATE = "checklists.checklisttemplate"
ITEM = "checklists.checklistitem"
VIEW = "checklists.view_checklisttemplate"
CHANGE = "checklists.change_checklisttemplate"

ROUTES: dict[str, Route] = {
    "checklists:template_list": Route(VIEW, denied="worker"),
    "checklists:template_create": Route("checklists.add_checklisttemplate", denied="leader"),
    "checklists:template_detail": Route(VIEW, sample=TEMPLATE, denied="worker"),
    "checklists:template_update": Route(CHANGE, sample=TEMPLATE, denied="leader"),
    "checklists:item_create": Route(CHANGE, sample=TEMPLATE, denied="leader"),
    "checklists:items_from_clauses": Route(CHANGE, sample=TEMPLATE, denied="leader"),
    "checklists:item_update": Route(CHANGE, sample=ITEM, denied="leader"),
    "checklists:item_remove": Route(CHANGE, sample=ITEM, method="post", denied="leader"),
    "checklists:item_move": Route(CHANGE, sample=ITEM, method="post", denied="leader"),
    "checklists:citation_reviewed": Route(CHANGE, sample=ITEM, method="post", denied="leader"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes ``checklists.<model>``: a template with
    one item."""
    from houqin.checklists.models import ChecklistItem, ChecklistTemplate

    template = ChecklistTemplate.objects.get_or_create(organization=org, name="样例检查表")[0]
    if app_model == TEMPLATE:
        return template
    if app_model == ITEM:
        return ChecklistItem.objects.create(organization=org, template=template, text="样例检查项")
    raise LookupError(f"no sample maker for {app_model}: add one in tests/checklists/routes.py")

"""Writes of the standard system and of standards, by topic: ``system`` (nodes, settings),
``standards`` (propose, adopt, edit), ``versions`` (drafts, publishing, adopted text) and
``plan``. Lifecycle steps with their own rules live in ``lifecycle.py``; clause edits in
``clauses.py``."""

from houqin.standards.models import IN_FORCE_STATES
from houqin.standards.services.plan import (
    plan_create,
    plan_delete,
    plan_item_add,
    plan_item_delete,
    plan_item_update,
    plan_update,
)
from houqin.standards.services.standards import (
    add_years,
    lines_set,
    standard_adopt,
    standard_delete,
    standard_propose,
    standard_update,
)
from houqin.standards.services.system import (
    node_add,
    node_move,
    node_restore,
    node_retire,
    node_siblings,
    node_update,
    settings_for,
    system_template_create,
)
from houqin.standards.services.versions import (
    adopted_text_open,
    adopted_text_publish,
    can_edit_text,
    draft_version,
    published_version,
    version_new_draft,
    version_publish,
)

__all__ = [
    "IN_FORCE_STATES",
    "add_years",
    "adopted_text_open",
    "adopted_text_publish",
    "can_edit_text",
    "draft_version",
    "lines_set",
    "node_add",
    "node_move",
    "node_restore",
    "node_retire",
    "node_siblings",
    "node_update",
    "plan_create",
    "plan_delete",
    "plan_item_add",
    "plan_item_delete",
    "plan_item_update",
    "plan_update",
    "published_version",
    "settings_for",
    "standard_adopt",
    "standard_delete",
    "standard_propose",
    "standard_update",
    "system_template_create",
    "version_new_draft",
    "version_publish",
]

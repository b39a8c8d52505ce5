"""The standard system (a tree of nodes), standards, their versions of ordered clauses, and
the records of their lifecycle: consultation comments, review meetings, periodic reviews,
read-and-acknowledge tasks and the yearly plan.

A published version is immutable: its clauses refuse to change. A revision is a new draft
version whose clauses keep the ``uid`` of the clauses they came from, so a checklist item
that cites a clause follows it across versions."""

from houqin.standards.models.checks import CheckWaiver
from houqin.standards.models.core import (
    APPROVE,
    DRAFT,
    IN_FORCE_STATES,
    MANAGE,
    SEES_ALL,
    Clause,
    ClauseQuerySet,
    NodeManager,
    NodeQuerySet,
    Standard,
    StandardLine,
    StandardNode,
    StandardQuerySet,
    StandardVersion,
    StandardWorkflow,
    VersionQuerySet,
    sees_all_standards,
)
from houqin.standards.models.lifecycle import (
    Acknowledgement,
    Comment,
    Consultation,
    PeriodicReview,
    ReviewMeeting,
)
from houqin.standards.models.plan import (
    PlanItem,
    StandardPlan,
    StandardSettings,
)

__all__ = [
    "APPROVE",
    "DRAFT",
    "IN_FORCE_STATES",
    "MANAGE",
    "SEES_ALL",
    "Acknowledgement",
    "CheckWaiver",
    "Clause",
    "ClauseQuerySet",
    "Comment",
    "Consultation",
    "NodeManager",
    "NodeQuerySet",
    "PeriodicReview",
    "PlanItem",
    "ReviewMeeting",
    "Standard",
    "StandardLine",
    "StandardNode",
    "StandardPlan",
    "StandardQuerySet",
    "StandardSettings",
    "StandardVersion",
    "StandardWorkflow",
    "VersionQuerySet",
    "sees_all_standards",
]

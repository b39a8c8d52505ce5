"""The workflow helper: a model declares its states and transitions; a transition is one
service call that checks the rule and the permission, compare-and-sets the state, records
the change log and runs the workflow's follow-up after the commit.

    class ContractWorkflow(Workflow):
        field = "status"
        transitions = {
            "activate": Transition(("draft",), "active", "org.activate_contract", "生效"),
        }

    class Contract(OrgScoped):
        workflow = ContractWorkflow
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    permission: str
    label: str
    confirm: str = ""  # what the confirmation dialog says will happen
    needs_note: bool = False


class Workflow:
    field: ClassVar[str] = "status"
    transitions: ClassVar[dict[str, Transition]] = {}

    @classmethod
    def after(cls, obj: Any, name: str, transition: Transition, actor: Any) -> None:
        """Runs after the transition commits (notifications); nothing by default."""

    @classmethod
    def available(cls, obj: models.Model, user: Any) -> list[tuple[str, Transition]]:
        """The transitions this user may apply to obj now (for buttons)."""
        state = getattr(obj, cls.field)
        return [
            (name, t)
            for name, t in cls.transitions.items()
            if state in t.sources and user.has_perm(t.permission)
        ]


def _label(model: type[models.Model], field: str, value: str) -> str:
    choices = getattr(model._meta.get_field(field), "flatchoices", ())
    return str(dict(choices).get(value, value))


@transaction.atomic
def transition_apply(*, obj: M, name: str, actor: Any, note: str = "") -> M:
    """执行状态变更：检查当前状态和权限，比较并设置状态，记变更日志，提交后执行后续动作。"""
    model = type(obj)
    workflow: type[Workflow] = model.workflow  # type: ignore[attr-defined]
    transition = workflow.transitions.get(name)
    if transition is None:
        raise ValidationError("没有这个操作。")
    if not actor.has_perm(transition.permission):
        raise PermissionDenied
    current = getattr(obj, workflow.field)
    if current not in transition.sources:
        raise ValidationError(
            f"当前状态为“{_label(model, workflow.field, current)}”，不能{transition.label}。"
        )
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": f"请填写{transition.label}的原因。"})
    changed = model._default_manager.filter(pk=obj.pk, **{workflow.field: current}).update(
        **{workflow.field: transition.target, "updated_at": timezone.now()}
    )
    if not changed:
        raise ValidationError("状态已被他人修改，请刷新页面后重试。")
    setattr(obj, workflow.field, transition.target)
    changelog_record(
        obj=obj,
        action=ChangeLogEntry.Action.TRANSITION,
        actor=actor,
        changes={
            workflow.field: [
                _label(model, workflow.field, current),
                _label(model, workflow.field, transition.target),
            ]
        },
        note=note,
    )
    transaction.on_commit(lambda: workflow.after(obj, name, transition, actor))
    return obj

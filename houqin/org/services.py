"""Writes of the organization's people and contracts that carry a rule of their own."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.common.workflow import Transition
from houqin.org.models import Contract, ServedUnit, Staff


@transaction.atomic
def staff_leave(*, staff: Staff, actor: Any, request: Any = None) -> Staff:
    """职工离职：标记为离职并停用其登录账号（结束全部会话）；记录保留，不删除。"""
    if staff.status == Staff.Status.LEFT:
        raise ValidationError("该职工已是离职状态。")
    before = snapshot(staff)
    changed = Staff.objects.filter(pk=staff.pk, status=Staff.Status.ACTIVE).update(
        status=Staff.Status.LEFT
    )
    if not changed:
        raise ValidationError("状态已被他人修改，请刷新页面后重试。")
    staff.status = Staff.Status.LEFT
    changelog_record(
        obj=staff,
        action=ChangeLogEntry.Action.TRANSITION,
        actor=actor,
        changes=diff(before, snapshot(staff)),
        note="离职",
    )
    if staff.user is not None and staff.user.is_active and staff.user_id != actor.pk:
        from houqin.accounts.services import user_set_active

        user_set_active(actor=actor, user=staff.user, active=False, request=request)
    return staff


def contract_notify(*, contract: Contract, transition: Transition, actor: Any) -> None:
    """合同生效或终止后，通知本单位的中心领导（提交后执行）。"""
    from houqin.accounts.models import User
    from houqin.common.notifications import notify

    leaders = [
        user
        for user in User.objects.filter(
            organization_id=contract.organization_id, is_active=True, groups__name="leader"
        )
        if user.pk != getattr(actor, "pk", None)
    ]
    if leaders:
        notify(
            recipients=leaders,
            kind="workflow",
            title=f"合同“{contract.title}”已{transition.label}",
            body=f"{getattr(actor, 'name', '')}将合同状态改为“{contract.get_status_display()}”。",
            link=url_for_pk("org:contract_detail", contract.pk),
            target=contract,
        )


def _login_names(text: str) -> list[str]:
    return [name for name in re.split(r"[\s,，、;；]+", text.strip()) if name]


@transaction.atomic
def served_unit_requesters_set(*, unit: ServedUnit, logins: str, actor: Any) -> ServedUnit:
    """设置可代表服务单位申请服务的人员（按登录名，须是本单位的启用账号）；记变更日志。"""
    from houqin.accounts.models import User

    names = _login_names(logins)
    found = {
        u.username.casefold(): u
        for u in User.objects.filter(organization_id=unit.organization_id, is_active=True).filter(
            username__in=[*names, *(n.lower() for n in names)]
        )
    }
    missing = [n for n in names if n.casefold() not in found]
    if missing:
        raise ValidationError(
            {"requester_logins": f"以下登录名不存在或已停用：{'、'.join(missing[:10])}。"}
        )
    before = sorted(unit.requesters.values_list("username", flat=True))
    unit.requesters.set(found.values())
    after = sorted(u.username for u in found.values())
    if before != after:
        changelog_record(
            obj=unit,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"可申请服务的人员": ["、".join(before) or None, "、".join(after) or None]},
        )
    return unit

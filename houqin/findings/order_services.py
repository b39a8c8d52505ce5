"""Supervision orders (督办单): issued on one or several findings to a department or a vendor,
numbered 督办〔年度〕序号号 per organization and year, answered by the recipient and closed by
the issuer, every step through the workflow helper."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from houqin.common.changelog import changelog_record
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.workflow import transition_apply
from houqin.findings.models import FIX, MANAGE, Finding, SupervisionOrder
from houqin.findings.people import heads_of, is_member, vendor_managers_of
from houqin.findings.services import is_overdue

SUPERVISION_KIND = "supervision"
NOTIFICATION_KINDS.setdefault(SUPERVISION_KIND, "督办单")
ORDER_WORD = "督办"
MAX_FINDINGS = 200
NUMBER_ATTEMPTS = 5
DEFAULT_DAYS = timedelta(days=7)


def order_reference(year: int, number: int) -> str:
    """督办〔2026〕3号 (GB/T 9704 发文字号: 〔〕 around the year, no leading zeros)."""
    return f"{ORDER_WORD}〔{year}〕{number}号"


def _recipients(order: SupervisionOrder) -> list[Any]:
    """The heads of the recipient department and the managers of the recipient vendor."""
    people: list[Any] = []
    if order.department_id is not None:
        people += heads_of([order.department_id]).get(order.department_id, [])
    if order.vendor_id is not None:
        people += vendor_managers_of([order.vendor_id]).get(order.vendor_id, [])
    return people


def may_answer(user: Any, order: SupervisionOrder) -> bool:
    """The recipient answers: a member of the recipient department or a staff member of the
    recipient vendor (with the right to report fixes), or a manager."""
    if not user.has_perm(FIX):
        return False
    if user.has_perm(MANAGE):
        return True
    return is_member(user, department_id=order.department_id, vendor_id=order.vendor_id)


def _tell(people: list[Any], actor: Any, order: SupervisionOrder, title: str, body: str) -> None:
    recipients = [p for p in people if p.pk != getattr(actor, "pk", None)]
    if recipients:
        notify(
            recipients=recipients,
            kind=SUPERVISION_KIND,
            title=title,
            body=body,
            link=url_for_pk("findings:order_detail", order.pk),
            target=order,
        )


def _numbered(organization: Any, year: int, fields: dict[str, Any]) -> SupervisionOrder:
    """Create the order with the next number of the year; a number taken meanwhile by
    another issuer (the unique constraint) is retried with the next one."""
    for _ in range(NUMBER_ATTEMPTS):
        top = SupervisionOrder.objects.filter(organization=organization, year=year).aggregate(
            top=Max("number")
        )["top"]
        number = (top or 0) + 1
        try:
            with transaction.atomic():
                return SupervisionOrder.objects.create(
                    organization=organization,
                    year=year,
                    number=number,
                    reference=order_reference(year, number),
                    **fields,
                )
        except IntegrityError:
            continue
    raise ValidationError("督办单编号被同时占用，请稍后再试。")


@transaction.atomic
def order_issue(
    *,
    organization: Any,
    actor: Any,
    title: str,
    body: str,
    deadline: date,
    findings: Sequence[Finding],
    department: Any = None,
    vendor: Any = None,
    now: datetime | None = None,
    without_findings: bool = False,
) -> SupervisionOrder:
    """签发督办单：至少一个本单位的问题（季度督办对标准复审、低分等事项签发时
    ``without_findings`` 可以不附问题），主送科室或服务商，办理期限不早于今天；编号按单位和
    年度顺序取号（督办〔2026〕3号）。记变更日志（督办单和每个问题各一条），通知主送科室负责人
    或服务商负责人。"""
    if not actor.has_perm(MANAGE):
        raise PermissionDenied
    now = now or timezone.now()
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "请填写督办单标题。"
    if not body:
        errors["body"] = "请写明督办内容和要求。"
    if deadline is None or deadline < timezone.localdate(now):
        errors["deadline"] = "办理期限不能早于今天。"
    if department is None and vendor is None:
        errors["department"] = "请选择主送的科室或服务商。"
    chosen = {f.pk: f for f in findings}
    if not chosen and not without_findings:
        errors["findings"] = "请至少选择一个问题。"
    elif len(chosen) > MAX_FINDINGS:
        errors["findings"] = f"一张督办单最多列 {MAX_FINDINGS} 个问题。"
    elif any(f.organization_id != organization.pk for f in chosen.values()):
        errors["findings"] = "只能督办本单位的问题。"
    for key, value in (("department", department), ("vendor", vendor)):
        if value is not None and value.organization_id != organization.pk:
            errors[key] = "只能主送本单位的科室或服务商。"
    if errors:
        raise ValidationError(errors)
    order = _numbered(
        organization,
        timezone.localdate(now).year,
        {
            "title": title[:120],
            "body": body,
            "deadline": deadline,
            "department": department,
            "vendor": vendor,
            "issuer": actor,
            "issued_at": now,
        },
    )
    order.findings.set(list(chosen.values()))
    changelog_record(
        obj=order,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={
            "reference": [None, order.reference],
            "title": [None, order.title],
            "deadline": [None, deadline.isoformat()],
            "督办的问题": [None, f"{len(chosen)} 个问题"],
        },
    )
    for finding in chosen.values():
        changelog_record(
            obj=finding,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"督办单": [None, order.reference]},
        )
    _tell(
        _recipients(order),
        actor,
        order,
        f"收到督办单：{order.reference}",
        f"{order.title}。请于 {deadline:%Y-%m-%d} 前办理完毕并报送办理情况。",
    )
    return order


@transaction.atomic
def order_answer(*, order: SupervisionOrder, actor: Any, answer: str) -> SupervisionOrder:
    """主送方报送办理情况（必填），状态变为“已报送”，通知签发人审核。"""
    if not may_answer(actor, order):
        raise PermissionDenied
    answer = (answer or "").strip()
    if len(answer) < 4:
        raise ValidationError({"note": "请写明办理情况（至少4个字）。"})
    transition_apply(obj=order, name="answer", actor=actor, note=answer[:300])
    now = timezone.now()
    SupervisionOrder.objects.filter(pk=order.pk).update(answer=answer, answered_at=now)
    order.answer, order.answered_at = answer, now
    _tell(
        [order.issuer],
        actor,
        order,
        f"督办单已报送办理情况：{order.reference}",
        answer[:200],
    )
    return order


@transaction.atomic
def order_send_back(*, order: SupervisionOrder, actor: Any, reason: str) -> SupervisionOrder:
    """签发方退回重办（须写原因），状态回到“办理中”，通知主送方。"""
    transition_apply(obj=order, name="send_back", actor=actor, note=reason)
    _tell(
        _recipients(order),
        actor,
        order,
        f"督办单被退回重办：{order.reference}",
        f"退回原因：{reason.strip()}",
    )
    return order


@transaction.atomic
def order_close(*, order: SupervisionOrder, actor: Any) -> SupervisionOrder:
    """办结：只有“已报送”的督办单可以办结；办结后不再变化。"""
    transition_apply(obj=order, name="close", actor=actor)
    now = timezone.now()
    SupervisionOrder.objects.filter(pk=order.pk).update(closed_at=now)
    order.closed_at = now
    return order


def order_step(*, order: SupervisionOrder, actor: Any, step: str, note: str = "") -> None:
    """One button of the order page: answer, send_back or close."""
    if step == "answer":
        order_answer(order=order, actor=actor, answer=note)
    elif step == "send_back":
        order_send_back(order=order, actor=actor, reason=note)
    elif step == "close":
        order_close(order=order, actor=actor)
    else:
        raise ValidationError("没有这个操作。")


def order_defaults(findings: Sequence[Finding], today: date) -> dict[str, Any]:
    """What the order form starts with: a title naming the first finding, the department
    (or vendor) responsible for most of them, a week to answer and a plain body."""
    rows = list(findings)
    if not rows:
        return {"deadline": today + DEFAULT_DAYS}
    departments = Counter(f.rectification.department for f in rows if f.rectification.department)
    vendors = Counter(f.rectification.vendor for f in rows if f.rectification.vendor)
    department = departments.most_common(1)[0][0] if departments else None
    vendor = vendors.most_common(1)[0][0] if vendors and not department else None
    first = rows[0].title
    more = f"等{len(rows)}个问题" if len(rows) > 1 else "问题"
    overdue = sum(1 for f in rows if is_overdue(f.rectification))
    late = f"，其中{overdue}个已超过整改期限" if overdue else ""
    return {
        "title": f"关于督促整改“{first[:40]}”{more}的督办单",
        "department": department,
        "vendor": vendor,
        "deadline": today + DEFAULT_DAYS,
        "body": (
            f"经检查，发现以下{len(rows)}个问题尚未整改到位{late}（见附件）。"
            "请高度重视，逐项查明原因，落实整改责任人和整改措施，举一反三，防止同类问题再次发生。"
        ),
    }

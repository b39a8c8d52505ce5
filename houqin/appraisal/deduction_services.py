"""Vendor deductions (服务商扣款): a contract's terms and rules, the monthly statement made
from the vendor's findings, missed tasks and third-party evaluations, and its steps —
issued to the vendor, appealed line by line or confirmed, answered by the office, signed
off for payment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Q, QuerySet
from django.utils import timezone

from houqin.appraisal.models import DeductionLine, DeductionRule, DeductionStatement, DeductionTerms
from houqin.appraisal.models.deductions import APPEAL, MANAGE, RUN, SIGN_OFF
from houqin.checklists.selectors import membership
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.services import record_create, record_update, validate
from houqin.common.workflow import Transition, transition_apply
from houqin.findings.compliance import figure_rows, month_bounds, records_in, scope_for
from houqin.org.models import Contract

DEDUCTION_KIND = "deduction"
NOTIFICATION_KINDS.setdefault(DEDUCTION_KIND, "服务商扣款")
VIEW = "appraisal.view_deductionstatement"
CENT = Decimal("0.01")
Basis = DeductionRule.Basis


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _created(obj: Any, actor: Any) -> None:
    changes = {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")}
    changelog_record(obj=obj, action=ChangeLogEntry.Action.CREATE, actor=actor, changes=changes)


# ---- who sees what --------------------------------------------------------------------------


def sees_all(user: Any) -> bool:
    """The office and the leaders see every statement of the organization."""
    return bool(user.has_perm(RUN) or user.has_perm(SIGN_OFF))


def statement_rows(user: Any) -> QuerySet[DeductionStatement]:
    """The statements a person may see: all of the organization for the office and the
    leaders; for a vendor's person only their own vendor's, once issued to it."""
    rows = DeductionStatement.objects.for_user(user).select_related("contract", "vendor")
    if sees_all(user):
        return rows
    if not user.has_perm(VIEW):
        return rows.none()
    vendor_id = membership(user).vendor_id
    if vendor_id is None:
        return rows.none()
    return rows.filter(vendor_id=vendor_id).exclude(status=DeductionStatement.Status.DRAFT)


def statement_lines(statement: DeductionStatement) -> list[DeductionLine]:
    return list(statement.lines.select_related("appealed_by", "answered_by").order_by("seq"))


def _own_vendor(user: Any, statement: DeductionStatement) -> None:
    if not user.has_perm(APPEAL) or membership(user).vendor_id != statement.vendor_id:
        raise PermissionDenied


# ---- terms and rules ------------------------------------------------------------------------


@transaction.atomic
def terms_save(*, contract: Contract, actor: Any, data: dict[str, Any]) -> DeductionTerms:
    """设置合同的扣款约定（月服务费、月扣款上限占月服务费的百分比），记变更日志。"""
    if not actor.has_perm(MANAGE) or contract.organization_id != actor.organization_id:
        raise PermissionDenied
    values = {
        "monthly_fee": data["monthly_fee"],
        "cap_percent": data["cap_percent"],
        "service_line": data.get("service_line") or "",
    }
    _no_double_count(contract, values["service_line"])
    terms = DeductionTerms.objects.filter(contract=contract).first()
    if terms is None:
        return record_create(
            model=DeductionTerms,
            actor=actor,
            organization=contract.organization,
            data={"contract": contract, **values},
        )
    return record_update(obj=terms, actor=actor, data=values)


def _no_double_count(contract: Contract, service_line: str) -> None:
    """Two contracts of one vendor running at the same time count the vendor's rows once:
    each must name its own service line."""
    for other in (
        DeductionTerms.objects.filter(
            contract__vendor_id=contract.vendor_id,
            contract__starts_on__lte=contract.ends_on,
            contract__ends_on__gte=contract.starts_on,
        )
        .exclude(contract=contract)
        .select_related("contract")
    ):
        if not service_line or not other.service_line or other.service_line == service_line:
            raise ValidationError(
                f"该服务商的合同“{other.contract.number}”在同一时期也有扣款约定"
                f"（计入的服务条线：{other.get_service_line_display() or '全部'}）。"
                "请为两份合同各指定不同的服务条线，以免同一个问题在两张扣款单上重复扣款。"
            )


def _rule_check(rule: DeductionRule) -> None:
    if rule.basis == Basis.FINDING and not rule.severity:
        raise ValidationError({"severity": "按发现问题扣款，请选择问题的严重程度。"})
    if rule.basis == Basis.THIRD_PARTY and rule.threshold is None:
        raise ValidationError({"threshold": "按第三方评价扣款，请填写标准分。"})
    if rule.basis != Basis.FINDING:
        rule.severity = ""
    if rule.basis != Basis.THIRD_PARTY:
        rule.threshold = None


@transaction.atomic
def rule_add(*, terms: DeductionTerms, actor: Any, data: dict[str, Any]) -> DeductionRule:
    """给合同添加一条扣款规则：按某严重程度的问题、按漏检任务，或按第三方评价低于标准分。"""
    if not actor.has_perm(MANAGE) or terms.organization_id != actor.organization_id:
        raise PermissionDenied
    rule = DeductionRule(
        organization_id=terms.organization_id,
        terms=terms,
        basis=data.get("basis") or "",
        severity=data.get("severity") or "",
        threshold=data.get("threshold"),
        unit_amount=data.get("unit_amount") or Decimal(0),
    )
    _rule_check(rule)
    validate(rule)
    rule.unit_amount = _money(Decimal(rule.unit_amount))
    rule.save()
    _created(rule, actor)
    return rule


def rule_switch(*, rule: DeductionRule, actor: Any, active: bool) -> DeductionRule:
    """停用或重新启用一条扣款规则（已生成的扣款单不变）。"""
    if not actor.has_perm(MANAGE):
        raise PermissionDenied
    return record_update(obj=rule, actor=actor, data={"active": active})


# ---- making a month's statement -------------------------------------------------------------


def _line(rule: DeductionRule, statement: DeductionStatement, now: datetime) -> dict[str, Any]:
    """The count behind one rule over the statement's month (its contract's vendor, in its
    service line if it names one) and the rows it comes from."""
    start, end = month_bounds(statement.month)
    contract = statement.contract
    scope = scope_for(
        contract.organization,
        start=start,
        end=end,
        vendor=contract.vendor,
        service_line=statement.service_line or None,
        now=now,
    )
    if rule.basis == Basis.THIRD_PARTY:
        rows = records_in(scope).filter(third_party__isnull=False, score__isnull=False)
        ids = list(rows.order_by("submitted_at", "pk").values_list("pk", flat=True))
        average = rows.aggregate(average=Avg("score"))["average"]
        threshold = rule.threshold or Decimal(0)
        below = max(threshold - Decimal(str(average)), Decimal(0)) if average is not None else 0
        count = _money(Decimal(below))
        mean = "无第三方评价" if average is None else f"平均 {_money(Decimal(str(average)))} 分"
        label = f"第三方评价（{mean}，标准分 {threshold}）"
        return {"label": label, "count": count, "evidence": {"records": ids}}
    if rule.basis == Basis.MISSED_TASK:
        tasks = figure_rows(scope, "tasks_missed")
        ids = list(tasks.order_by("due_at", "pk").values_list("pk", flat=True))
        return {"label": "漏检任务", "count": Decimal(len(ids)), "evidence": {"tasks": ids}}
    findings = figure_rows(scope, f"severity_{rule.severity}")
    ids = list(findings.order_by("raised_at", "pk").values_list("pk", flat=True))
    label = f"{rule.get_severity_display()}问题"
    return {"label": label, "count": Decimal(len(ids)), "evidence": {"findings": ids}}


def _totals(statement: DeductionStatement, amounts: list[Decimal]) -> None:
    statement.total_before_cap = _money(sum(amounts, Decimal(0)))
    statement.total = min(statement.total_before_cap, statement.cap_amount)


def _fill(statement: DeductionStatement, terms: DeductionTerms, now: datetime) -> None:
    lines = []
    rules = terms.rules.filter(active=True).order_by("pk")
    for seq, rule in enumerate(rules, 1):
        found = _line(rule, statement, now)
        amount = _money(found["count"] * rule.unit_amount)
        lines.append(
            DeductionLine(
                organization_id=statement.organization_id,
                statement=statement,
                rule=rule,
                seq=seq,
                label=found["label"][:120],
                count=found["count"],
                unit_amount=rule.unit_amount,
                amount=amount,
                original_amount=amount,
                evidence=found["evidence"],
            )
        )
    DeductionLine.objects.bulk_create(lines)
    _totals(statement, [line.amount for line in lines])
    DeductionStatement.objects.filter(pk=statement.pk).update(
        total_before_cap=statement.total_before_cap, total=statement.total
    )


def _overlaps(month: date) -> Q:
    start, end = month_bounds(month)
    return Q(contract__starts_on__lte=end, contract__ends_on__gte=start)


@transaction.atomic
def statement_make(
    *, terms: DeductionTerms, month: date, actor: Any = None, now: datetime | None = None
) -> tuple[DeductionStatement, bool]:
    """生成一个合同某月的扣款单（草稿）：每条启用的规则一项，数量取自该服务商当月的问题、
    漏检任务和第三方评价；合计超过月扣款上限时按上限扣款。已有的不重复生成。"""
    first = month.replace(day=1)
    existing = DeductionStatement.objects.filter(contract_id=terms.contract_id, month=first)
    found = existing.first()
    if found is not None:
        return found, False
    contract = terms.contract
    statement = DeductionStatement.objects.create(
        organization_id=terms.organization_id,
        contract=contract,
        vendor_id=contract.vendor_id,
        month=first,
        monthly_fee=terms.monthly_fee,
        cap_percent=terms.cap_percent,
        cap_amount=terms.cap_amount,
        service_line=terms.service_line,
        total_before_cap=Decimal(0),
        total=Decimal(0),
        made_at=now or timezone.now(),
    )
    _fill(statement, terms, now or timezone.now())
    _created(statement, actor)
    return statement, True


@transaction.atomic
def statement_refresh(
    *, statement: DeductionStatement, actor: Any, now: datetime | None = None
) -> DeductionStatement:
    """按最新的数据和规则重新生成草稿扣款单的各项（下发后不能再重新生成）。"""
    if not actor.has_perm(RUN):
        raise PermissionDenied
    locked = DeductionStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != DeductionStatement.Status.DRAFT:
        raise ValidationError("扣款单已下发，不能重新生成。")
    terms = DeductionTerms.objects.filter(contract_id=locked.contract_id).first()
    if terms is None:
        raise ValidationError("这个合同还没有扣款约定，请先设置。")
    before = snapshot(locked)
    locked.lines.all().delete()
    locked.monthly_fee, locked.cap_percent = terms.monthly_fee, terms.cap_percent
    locked.cap_amount, locked.service_line = terms.cap_amount, terms.service_line
    locked.made_at = now or timezone.now()
    locked.save(
        update_fields=["monthly_fee", "cap_percent", "cap_amount", "service_line", "made_at"]
    )
    _fill(locked, terms, locked.made_at)
    changes = diff(before, snapshot(locked))
    changelog_record(
        obj=locked,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes=changes,
        note="重新生成扣款项",
    )
    return locked


def last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def statements_monthly(*, today: date, now: datetime | None = None) -> dict[str, Any]:
    """每月一次：为上个月在服务期内、设置了扣款约定的每个合同生成扣款单；已有的跳过，
    所以重复运行不会多生成。"""
    month = last_month(today)
    made = skipped = 0
    terms_rows = (
        DeductionTerms.objects.filter(_overlaps(month))
        .exclude(contract__status=Contract.Status.DRAFT)
        .select_related("contract__vendor", "contract__organization")
        .order_by("pk")
    )
    for terms in terms_rows:
        _, created = statement_make(terms=terms, month=month, now=now)
        made, skipped = made + created, skipped + (not created)
    return {"month": f"{month:%Y-%m}", "made": made, "skipped": skipped}


# ---- the statement's steps ------------------------------------------------------------------


@transaction.atomic
def statement_issue(
    *, statement: DeductionStatement, actor: Any, now: datetime | None = None
) -> DeductionStatement:
    """下发扣款单：服务商负责人可以查看，确认或对某一项申诉。"""
    transition_apply(obj=statement, name="issue", actor=actor)
    when = now or timezone.now()
    DeductionStatement.objects.filter(pk=statement.pk).update(issued_at=when, issued_by=actor)
    statement.issued_at, statement.issued_by = when, actor
    return statement


def statement_confirm(*, statement: DeductionStatement, actor: Any) -> DeductionStatement:
    """服务商负责人确认本公司的扣款单（确认后不能再申诉）。"""
    _own_vendor(actor, statement)
    return transition_apply(obj=statement, name="confirm", actor=actor)


@transaction.atomic
def line_appeal(
    *, line: DeductionLine, actor: Any, reason: str, now: datetime | None = None
) -> DeductionLine:
    """服务商负责人对扣款单的一项提出申诉（写明理由）；每项只能申诉一次。"""
    statement = line.statement
    _own_vendor(actor, statement)
    if statement.status not in (
        DeductionStatement.Status.ISSUED,
        DeductionStatement.Status.APPEALED,
    ):
        raise ValidationError(f"扣款单“{statement.get_status_display()}”，不能再申诉。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明申诉理由。"})
    locked = DeductionLine.objects.select_for_update().get(pk=line.pk)
    if locked.appeal != DeductionLine.Appeal.NONE:
        raise ValidationError("这一项已经申诉过了。")
    if statement.status == DeductionStatement.Status.ISSUED:
        transition_apply(obj=statement, name="appeal", actor=actor, note=reason.strip())
    before = snapshot(locked)
    locked.appeal, locked.appeal_reason = DeductionLine.Appeal.SUBMITTED, reason.strip()
    locked.appealed_by, locked.appealed_at = actor, now or timezone.now()
    locked.save()
    changelog_record(
        obj=locked,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes=diff(before, snapshot(locked)),
    )
    return locked


@transaction.atomic
def line_answer(
    *,
    line: DeductionLine,
    actor: Any,
    accept: bool,
    answer: str,
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> DeductionLine:
    """办公室答复一项申诉：采纳时填写更正后的金额（不超过原金额），扣款单合计按上限重算；
    驳回时金额不变。两种情况都须写明答复。"""
    if not actor.has_perm(RUN):
        raise PermissionDenied
    locked = DeductionLine.objects.select_for_update().get(pk=line.pk)
    if locked.appeal != DeductionLine.Appeal.SUBMITTED:
        raise ValidationError("这一项没有待答复的申诉。")
    if not answer.strip():
        raise ValidationError({"answer": "请写明答复意见。"})
    before = snapshot(locked)
    if accept:
        if amount is None or amount < 0 or amount > locked.original_amount:
            raise ValidationError(
                {"amount": f"更正后的金额应在 0 至 {locked.original_amount} 元之间。"}
            )
        locked.amount = _money(amount)
    locked.appeal = DeductionLine.Appeal.ACCEPTED if accept else DeductionLine.Appeal.REJECTED
    locked.answer, locked.answered_by, locked.answered_at = (
        answer.strip(),
        actor,
        now or timezone.now(),
    )
    locked.save()
    changelog_record(
        obj=locked,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes=diff(before, snapshot(locked)),
    )
    if accept:
        _recount(locked.statement, actor)
    transaction.on_commit(lambda: _tell_appellant(locked, actor))
    return locked


def _recount(statement: DeductionStatement, actor: Any) -> None:
    stored = DeductionStatement.objects.select_for_update().get(pk=statement.pk)
    before = snapshot(stored)
    _totals(stored, list(stored.lines.values_list("amount", flat=True)))
    stored.save(update_fields=["total_before_cap", "total", "updated_at"])
    changes = diff(before, snapshot(stored))
    if changes:
        changelog_record(
            obj=stored,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes=changes,
            note="采纳申诉，重算扣款合计",
        )
    statement.total_before_cap, statement.total = stored.total_before_cap, stored.total


def statement_settle(*, statement: DeductionStatement, actor: Any) -> DeductionStatement:
    """所有申诉都答复后，办公室按答复后的金额确认扣款单。"""
    if statement.lines.filter(appeal=DeductionLine.Appeal.SUBMITTED).exists():
        raise ValidationError("还有申诉没有答复，请先答复每一项申诉。")
    return transition_apply(obj=statement, name="settle", actor=actor)


@transaction.atomic
def statement_sign_off(
    *, statement: DeductionStatement, actor: Any, now: datetime | None = None
) -> DeductionStatement:
    """领导签发已确认的扣款单，作为付款依据（记录签发人和时间）。"""
    transition_apply(obj=statement, name="sign_off", actor=actor)
    when = now or timezone.now()
    DeductionStatement.objects.filter(pk=statement.pk).update(signed_at=when, signed_by=actor)
    statement.signed_at, statement.signed_by = when, actor
    return statement


STEPS = {
    "issue": statement_issue,
    "confirm": statement_confirm,
    "settle": statement_settle,
    "sign_off": statement_sign_off,
}


def statement_step(*, statement: DeductionStatement, actor: Any, name: str) -> DeductionStatement:
    step = STEPS.get(name)
    if step is None:
        raise ValidationError("没有这个操作。")
    return step(statement=statement, actor=actor)


def available_steps(statement: DeductionStatement, user: Any) -> list[tuple[str, Transition]]:
    """The steps this person may take on the statement now (for the buttons)."""
    own = membership(user).vendor_id == statement.vendor_id if user.has_perm(APPEAL) else False
    return [
        (name, transition)
        for name, transition in DeductionStatement.workflow.available(statement, user)
        if name in STEPS and (name != "confirm" or own)
    ]


# ---- notifications --------------------------------------------------------------------------


def _vendor_people(statement: DeductionStatement) -> list[Any]:
    from houqin.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            staff__vendor_id=statement.vendor_id,
            staff__status="active",
            groups__name="vendor_manager",
        ).distinct()
    )


def _office(statement: DeductionStatement, role: str) -> list[Any]:
    from houqin.accounts.models import User

    return list(
        User.objects.filter(
            organization_id=statement.organization_id, is_active=True, groups__name=role
        ).distinct()
    )


def statement_notify(
    *, statement: DeductionStatement, name: str, transition: Transition, actor: Any
) -> None:
    """下发后通知服务商负责人；申诉或确认后通知标准化办公室；确认后通知领导签发（提交后执行）。"""
    if name == "issue":
        people = _vendor_people(statement)
    elif name in ("appeal", "confirm"):
        people = _office(statement, "standards_officer")
    elif name == "settle":
        people = _office(statement, "leader")
    else:
        people = [*_vendor_people(statement), *_office(statement, "standards_officer")]
    if name == "confirm":
        people += _office(statement, "leader")
    people = [p for p in people if p.pk != getattr(actor, "pk", None)]
    if people:
        notify(
            recipients=people,
            kind=DEDUCTION_KIND,
            title=f"{statement}：{transition.label}",
            body=f"{getattr(actor, 'name', '')}{transition.label}，实际扣款 {statement.total} 元。",
            link=url_for_pk("appraisal:deduction_detail", statement.pk),
            target=statement,
        )


def _tell_appellant(line: DeductionLine, actor: Any) -> None:
    if line.appealed_by is None or line.appealed_by.pk == actor.pk:
        return
    notify(
        recipients=[line.appealed_by],
        kind=DEDUCTION_KIND,
        title=f"扣款申诉{line.get_appeal_display()}：{line.label}",
        body=line.answer,
        link=url_for_pk("appraisal:deduction_detail", line.statement_id),
        target=line.statement,
    )

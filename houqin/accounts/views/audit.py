"""The security audit trail, for the audit admin only."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from houqin.accounts.filters import AuditFilter
from houqin.accounts.models import AuditEvent, SecurityPolicy, User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.accounts.selectors import audit_event_list
from houqin.accounts.services import audit_record
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.lists import Column, ListPage

VIEW_AUDIT = "accounts.view_audit"
COLUMNS = [
    Column("时间", "created_at"),
    Column("事件", "kind"),
    Column("结果", "outcome"),
    Column("操作人", "actor_username"),
    Column("地址", "ip"),
    Column("详情"),
]


def _list_page(request: HttpRequest) -> ListPage:
    return ListPage(
        request,
        audit_event_list(),
        columns=COLUMNS,
        default_sort="-created_at",
        filterset_class=AuditFilter,
        search_fields=("actor_username", "ip", "user_agent"),
    )


DETAIL_LABELS = {
    "ip": "地址",
    "username": "登录名",
    "name": "名称",
    "records": "清除的失败记录",
    "sessions_ended": "结束的会话",
    "what": "导出内容",
    "filter": "筛选条件",
    "rows": "行数",
    "prefix": "令牌前缀",
    "user_agent": "浏览器",
}
EXPORT_LABELS = {"accounts": "账号列表", "audit": "安全审计日志"}


def _field_label(name: str) -> str:
    for model in (User, SecurityPolicy):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


def _role_names(codes: list[str]) -> str:
    return "、".join(ROLE_BY_CODE[c].label if c in ROLE_BY_CODE else c for c in codes) or "无"


def describe(event: AuditEvent) -> str:
    """The detail of an entry in words."""
    parts = []
    for key, value in (event.detail or {}).items():
        if key == "changes" and isinstance(value, dict):
            parts += [f"{_field_label(f)}：{pair[0]} → {pair[1]}" for f, pair in value.items()]
        elif key in {"before", "after"}:
            parts.append(f"{'原角色' if key == 'before' else '新角色'}：{_role_names(value)}")
        elif key == "what":
            parts.append(f"导出内容：{EXPORT_LABELS.get(value, value)}")
        elif value not in ("", None):
            parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    if event.target_id and event.target_id != event.actor_id and event.target is not None:
        parts.insert(0, f"对象：{event.target.name}（{event.target.username}）")
    return "；".join(parts)


@perm_required(VIEW_AUDIT)
def audit_list_view(request: HttpRequest) -> HttpResponse:
    listing = _list_page(request)
    page = listing.page()
    rows = [{"event": event, "detail": describe(event)} for event in page.object_list]
    template = "accounts/_audit_table.html" if request.htmx else "accounts/audit_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"listing": listing, "page": page, "rows": rows})


@perm_required(VIEW_AUDIT)
def audit_export_view(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    listing = _list_page(request)
    events = list(listing.rows[:50000])
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=actor,
        request=request,
        detail={"what": "audit", "filter": listing.filter_note(), "rows": len(events)},
    )
    return xlsx_response(
        title="安全审计日志",
        headers=["时间", "事件", "结果", "操作人", "地址", "浏览器", "详情"],
        rows=(
            [
                e.created_at,
                e.get_kind_display(),
                e.get_outcome_display(),
                e.actor_username,
                e.ip or "",
                e.user_agent,
                describe(e),
            ]
            for e in events
        ),
        filter_note=listing.filter_note(),
        filename="安全审计日志.xlsx",
        exported_by=actor.name,
    )

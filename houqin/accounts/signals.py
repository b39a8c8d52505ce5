"""Receivers that write the security audit trail for Django's and axes' sign-in events."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from houqin.accounts.models import AuditEvent, UserSession
from houqin.accounts.services import audit_record, session_register
from houqin.common.signals import list_exported


@receiver(user_logged_in, dispatch_uid="houqin_audit_login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session_register(user=user, request=request)
    audit_record(kind=AuditEvent.Kind.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="houqin_audit_logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    kind = getattr(request, "houqin_logout_kind", AuditEvent.Kind.LOGOUT)
    audit_record(kind=kind, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="houqin_audit_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    if getattr(request, "axes_locked_out", False):
        return  # the lockout receiver records it
    audit_record(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        outcome=AuditEvent.Outcome.FAILURE,
        actor_username=str(credentials.get("username", ""))[:64],
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="houqin_audit_lockout")
def _on_lockout(sender: Any, request: Any, username: str, **kw: Any) -> None:
    audit_record(
        kind=AuditEvent.Kind.LOCKOUT,
        outcome=AuditEvent.Outcome.FAILURE,
        actor_username=(username or "")[:64],
        request=request,
    )


@receiver(list_exported, dispatch_uid="houqin_audit_list_export")
def _on_list_export(
    sender: Any, request: Any, what: str, filter_note: str, rows: int, **kw: Any
) -> None:
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=request.user,
        request=request,
        detail={"what": what, "filter": filter_note, "rows": rows},
    )

"""Every write about accounts, roles, the policy and sessions; each one is audited."""

from __future__ import annotations

import hashlib
import secrets
import string
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import (
    ApiToken,
    AuditEvent,
    Membership,
    PasswordHistory,
    SecurityPolicy,
    User,
    UserSession,
)
from houqin.accounts.policy import policy_forget, policy_get
from houqin.accounts.roles import ADMIN_ROLES, ROLE_BY_CODE, ROLES
from houqin.accounts.selectors import user_is_admin, user_roles
from houqin.common.masking import mask_phone
from houqin.org.models import Department, Organization

RECOVERY_CODE_COUNT = 10


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    kind: str,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    actor: User | None = None,
    actor_username: str = "",
    target: User | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the security audit trail."""
    if actor is not None and not actor_username:
        actor_username = actor.username
    return AuditEvent.objects.create(
        kind=kind,
        outcome=outcome,
        actor=actor,
        actor_username=actor_username[:64],
        target=target,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        detail=detail or {},
    )


def roles_sync() -> None:
    """Create one group per role and give it exactly the permissions listed in roles.py."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.code)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def temporary_password() -> str:
    """A random password that satisfies any policy: the user must change it at sign-in."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{core[:4]}-{secrets.choice(string.ascii_uppercase)}{core[4:]}7a"


def _end_sessions(user: User, *, except_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


@transaction.atomic
def user_create(
    *,
    actor: User,
    organization: Organization,
    username: str,
    name: str,
    phone: str = "",
    email: str = "",
    department: Department | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """创建账号：登录名不区分大小写唯一；返回账号和一次性临时密码（首次登录须修改）。"""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该登录名已被使用，请换一个。"})
    if department is not None and department.organization_id != organization.pk:
        raise ValidationError({"department": "科室不属于该单位。"})
    password = temporary_password()
    user = User(
        username=username,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        organization=organization,
        department=department,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    audit_record(
        kind=AuditEvent.Kind.ACCOUNT_CREATE,
        actor=actor,
        target=user,
        request=request,
        detail={"username": user.username, "name": user.name},
    )
    return user, password


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    name: str,
    phone: str,
    department: Department | None,
    email: str = "",
    request: HttpRequest | None = None,
) -> User:
    """修改账号的姓名、手机号、电子邮件和科室，记录修改前后的值（手机号脱敏）。"""
    if department is not None and department.organization_id != user.organization_id:
        raise ValidationError({"department": "科室不属于该单位。"})

    def _values() -> dict[str, str]:
        return {
            "name": user.name,
            "phone": mask_phone(user.phone),
            "email": user.email,
            "department": str(user.department or ""),
        }

    before = _values()
    user.name, user.phone, user.department = name.strip(), phone.strip(), department
    user.email = email.strip()
    user.save(update_fields=["name", "phone", "email", "department"])
    after = _values()
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        audit_record(
            kind=AuditEvent.Kind.ACCOUNT_UPDATE,
            actor=actor,
            target=user,
            request=request,
            detail={"changes": changes},
        )
    return user


@transaction.atomic
def user_set_active(
    *, actor: User, user: User, active: bool, request: HttpRequest | None = None
) -> User:
    """停用或启用账号。停用立即结束该账号的全部会话；不能停用自己。"""
    if user.pk == actor.pk:
        raise ValidationError("不能停用或启用自己的账号。")
    changed = User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
    if not changed:
        raise ValidationError("账号状态已被他人修改，请刷新页面后重试。")
    user.is_active = active
    ended = 0 if active else _end_sessions(user)
    audit_record(
        kind=AuditEvent.Kind.ACCOUNT_ENABLE if active else AuditEvent.Kind.ACCOUNT_DISABLE,
        actor=actor,
        target=user,
        request=request,
        detail={"sessions_ended": ended},
    )
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    """重置密码：生成一次性临时密码，结束该账号的全部会话，下次登录须修改。"""
    if user.pk == actor.pk:
        raise ValidationError("不能重置自己的密码，请在“修改密码”中修改。")
    password = temporary_password()
    _remember_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    _end_sessions(user)
    audit_record(kind=AuditEvent.Kind.PASSWORD_RESET, actor=actor, target=user, request=request)
    return password


def _remember_password(user: User) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = max(policy_get().password_history, 1)
        stale = user.password_history.values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def user_change_password(
    *, user: User, new_password: str, request: HttpRequest | None = None
) -> User:
    """本人修改密码：按安全策略校验（含历史密码），结束本人的其他会话。"""
    validate_password(new_password, user)
    _remember_password(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    current = request.session.session_key if request is not None else None
    _end_sessions(user, except_key=current)
    audit_record(kind=AuditEvent.Kind.PASSWORD_CHANGE, actor=user, target=user, request=request)
    return user


def password_expired(user: User) -> bool:
    if user.is_demo:
        return False
    max_age = policy_get().password_max_age_days
    if not max_age:
        return False
    return (timezone.now() - user.password_changed_at).days >= max_age


def password_change_required(user: User) -> bool:
    return not user.is_demo and (user.must_change_password or password_expired(user))


@transaction.atomic
def user_set_roles(
    *, actor: User, user: User, role_codes: set[str], request: HttpRequest | None = None
) -> User:
    """分配角色（安全管理员）。三员互斥，三员不能兼任业务角色；不能修改自己的角色。"""
    unknown = role_codes - ROLE_BY_CODE.keys()
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}。")
    if user.pk == actor.pk:
        raise ValidationError("不能修改自己的角色，请由另一名安全管理员操作。")
    admin = role_codes & ADMIN_ROLES
    if len(admin) > 1:
        raise ValidationError(
            "三员分立：一个账号只能担任系统管理员、安全管理员、安全审计员中的一个。"
        )
    if admin and len(role_codes) > 1:
        raise ValidationError("三员分立：管理员账号不能同时担任业务角色。")
    before = sorted(user_roles(user))
    groups = {g.name: g for g in Group.objects.filter(name__in=role_codes)}
    Membership.objects.filter(user=user).exclude(group__name__in=role_codes).delete()
    for code in sorted(role_codes - set(before)):
        Membership.objects.create(user=user, group=groups[code], is_admin_role=code in ADMIN_ROLES)
    User.objects.filter(pk=user.pk).update(roles_version=F("roles_version") + 1)
    user.roles_version += 1
    user._houqin_roles = frozenset(role_codes)  # type: ignore[attr-defined]
    after = sorted(role_codes)
    if before != after:
        audit_record(
            kind=AuditEvent.Kind.ROLE_CHANGE,
            actor=actor,
            target=user,
            request=request,
            detail={"before": before, "after": after},
        )
    return user


POLICY_FIELDS = (
    "password_min_length",
    "password_min_classes",
    "password_history",
    "password_max_age_days",
    "lockout_failures",
    "lockout_minutes",
    "idle_timeout_minutes",
)


@transaction.atomic
def policy_update(
    *, actor: User, values: dict[str, int], request: HttpRequest | None = None
) -> SecurityPolicy:
    """修改安全策略，记录每一项修改前后的值。"""
    policy, _ = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
    changes = {}
    for field in POLICY_FIELDS:
        if field in values and getattr(policy, field) != values[field]:
            changes[field] = [getattr(policy, field), values[field]]
            setattr(policy, field, values[field])
    policy.full_clean()
    policy.save()
    transaction.on_commit(policy_forget)
    policy_forget()
    if changes:
        audit_record(
            kind=AuditEvent.Kind.POLICY_CHANGE,
            actor=actor,
            request=request,
            detail={"changes": changes},
        )
    return policy


@transaction.atomic
def lockout_clear(*, actor: User, username: str = "", ip: str = "", request: HttpRequest) -> int:
    """解除登录锁定（按登录名或地址）。"""
    if not username and not ip:
        raise ValidationError("请填写要解除锁定的登录名或地址。")
    count = 0
    if username:
        count += axes_reset(username=username.strip().casefold())
    if ip:
        count += axes_reset(ip=ip.strip())
    audit_record(
        kind=AuditEvent.Kind.UNLOCK,
        actor=actor,
        request=request,
        detail={"username": username, "ip": ip, "records": count},
    )
    return count


def session_register(*, user: User, request: HttpRequest) -> UserSession:
    """Remember a new signed-in session so that the user can see and end it."""
    if request.session.session_key is None:
        request.session.save()
    session, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
        },
    )
    return session


@transaction.atomic
def session_end(*, actor: User, session: UserSession, request: HttpRequest | None = None) -> None:
    """结束本人的一个会话（在另一台设备上登录的）。"""
    if session.user_id != actor.pk:
        raise ValidationError("只能结束自己的会话。")
    Session.objects.filter(session_key=session.session_key).delete()
    session.delete()
    audit_record(
        kind=AuditEvent.Kind.SESSION_END,
        actor=actor,
        target=actor,
        request=request,
        detail={"ip": session.ip or "", "user_agent": session.user_agent},
    )


def totp_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is enrolling (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


@transaction.atomic
def totp_enroll(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> list[str]:
    """确认动态码后启用两步验证，替换旧的验证器，返回新的一组恢复码（只显示一次）。"""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("验证器已失效，请重新扫码。")
    if not device.verify_token(token.strip()):
        audit_record(
            kind=AuditEvent.Kind.OTP_FAILED, outcome="failure", actor=user, request=request
        )
        raise ValidationError({"token": "动态码不正确，请核对手机上的 6 位数字后重试。"})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_new(user=user)
    audit_record(kind=AuditEvent.Kind.OTP_ENROLL, actor=user, target=user, request=request)
    return codes


def recovery_codes_new(*, user: User) -> list[str]:
    """Replace the user's recovery codes with a new set; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [
        f"{secrets.randbelow(10**4):04d}-{secrets.randbelow(10**4):04d}"
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def totp_disable(*, user: User, request: HttpRequest | None = None) -> None:
    """关闭两步验证（三员不能关闭）。"""
    if user_is_admin(user):
        raise ValidationError("管理员账号必须使用两步验证，不能关闭。")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(kind=AuditEvent.Kind.OTP_DISABLE, actor=user, target=user, request=request)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str = "", actor: User | None = None) -> str:
    """为用户创建个人接口令牌，只返回一次明文；库中只存摘要。"""
    prefix = secrets.token_hex(4)
    raw = f"hq_{prefix}_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=token_digest(raw))
    audit_record(
        kind=AuditEvent.Kind.TOKEN_CREATE,
        actor=actor or user,
        target=user,
        detail={"prefix": prefix, "name": name},
    )
    return raw

"""Reads of accounts: scoped user lists, the audit trail, figures for the home page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import AuditEvent, Membership, User, UserSession
from houqin.accounts.policy import policy_get
from houqin.accounts.roles import ADMIN_ROLES, BUSINESS_ROLES, ROLE_BY_CODE

LIST_COLUMNS = (
    "pk",
    "username",
    "name",
    "phone",
    "is_active",
    "is_demo",
    "last_login",
    "date_joined",
    "department__name",
)


def user_list(*, actor: User) -> QuerySet[User, dict[str, Any]]:
    """The accounts of the actor's organization as rows of exactly the columns lists show."""
    return User.objects.filter(organization_id=actor.organization_id).values(*LIST_COLUMNS)


def user_get(*, actor: User, pk: int) -> User:
    """One account of the actor's organization; any other is 404."""
    user = (
        User.objects.filter(organization_id=actor.organization_id, pk=pk)
        .select_related("department")
        .first()
    )
    if user is None:
        raise Http404
    return user


def role_labels_by_user(user_ids: list[int]) -> dict[int, list[str]]:
    """Role labels of many users in one query, in the order roles.py lists the roles."""
    order = {code: index for index, code in enumerate(ROLE_BY_CODE)}
    codes: dict[int, list[str]] = {pk: [] for pk in user_ids}
    rows = Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "group__name")
    for user_id, code in rows:
        if code in ROLE_BY_CODE:
            codes[user_id].append(code)
    return {
        pk: [ROLE_BY_CODE[c].label for c in sorted(found, key=order.__getitem__)]
        for pk, found in codes.items()
    }


def role_labels(user: User) -> list[str]:
    return role_labels_by_user([user.pk])[user.pk]


def user_roles(user: User) -> frozenset[str]:
    """The role codes of a user, cached on the user object for the request."""
    cached = getattr(user, "_houqin_roles", None)
    if cached is None:
        if not user.is_authenticated or user.pk is None:
            cached = frozenset()
        else:
            cached = frozenset(user.groups.values_list("name", flat=True))
        user._houqin_roles = cached  # type: ignore[attr-defined]
    return cached


def user_is_admin(user: User) -> bool:
    return bool(user_roles(user) & ADMIN_ROLES)


def audit_event_list() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("target")


def active_lockouts() -> list[dict[str, object]]:
    """Login names and addresses locked now: failures summed as django-axes sums them
    (per login name and per address) within the lock time."""
    policy = policy_get()
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    result: list[dict[str, object]] = []
    for field, label in (("username", "登录名"), ("ip_address", "地址")):
        named = recent.exclude(**{f"{field}__isnull": True})
        if field == "username":
            named = named.exclude(username="")
        rows = (
            named.values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=policy.lockout_failures)
            .order_by("-last")
        )
        result += [{"kind": label, "field": field, "value": row[field], **row} for row in rows]
    return result


def sessions_of(user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user)


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_wait_seconds(user: User) -> int:
    """Seconds until django-otp accepts another code after wrong ones (0 when it does now)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    locked_until = (info or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def password_days_left(user: User) -> int | None:
    """Days until the password expires, or None when it never does (or for demo accounts)."""
    max_age = policy_get().password_max_age_days
    if not max_age or user.is_demo:
        return None
    return max_age - (timezone.now() - user.password_changed_at).days


def _card(
    title: str,
    icon: str,
    url: str,
    action: str,
    text: str = "",
    figures: list[tuple[str, object, str]] | None = None,
) -> dict[str, object]:
    return {
        "title": title,
        "icon": icon,
        "url": url,
        "action": action,
        "text": text,
        "figures": figures or [],
    }


def home_cards(user: User) -> list[dict[str, object]]:
    """The cards of the home page: the pages this person may use, each with live figures."""
    cards = []
    today = timezone.localdate().isoformat()
    if user.has_perm("accounts.manage_accounts"):
        users = User.objects.filter(organization_id=user.organization_id)
        user_url = reverse("accounts:user_list")
        cards.append(
            _card(
                "账号管理",
                "users",
                user_url,
                "管理账号",
                "创建账号、停用离职人员、为忘记密码的人重置密码。",
                [
                    ("启用", users.filter(is_active=True).count(), f"{user_url}?status=active"),
                    (
                        "已停用",
                        users.filter(is_active=False).count(),
                        f"{user_url}?status=disabled",
                    ),
                ],
            )
        )
        cards.append(
            _card(
                "新建账号",
                "user-plus",
                reverse("accounts:user_create"),
                "新建",
                "为新同事开通账号，系统生成一次性临时密码。",
            )
        )
    if user.has_perm("accounts.assign_roles"):
        no_role = User.objects.filter(
            organization_id=user.organization_id, is_active=True, memberships__isnull=True
        ).count()
        cards.append(
            _card(
                "角色分配",
                "id-badge",
                reverse("accounts:user_list"),
                "分配角色",
                "为账号分配角色；三员互斥，且不兼任业务角色。",
                [("未分配角色的账号", no_role, reverse("accounts:user_list"))],
            )
        )
    if user.has_perm("accounts.manage_policy"):
        policy = policy_get()
        cards.append(
            _card(
                "安全策略",
                "shield-lock",
                reverse("accounts:policy"),
                "查看和修改",
                f"密码至少 {policy.password_min_length} 位、{policy.password_max_age_days} 天有效；"
                f"连续失败 {policy.lockout_failures} 次锁定 {policy.lockout_minutes} 分钟；"
                f"空闲 {policy.idle_timeout_minutes} 分钟自动退出。",
            )
        )
        cards.append(
            _card(
                "登录锁定",
                "lock",
                reverse("accounts:lockouts"),
                "查看和解除",
                "因多次输错密码而被锁定的登录名和地址。",
                [("当前锁定", len(active_lockouts()), reverse("accounts:lockouts"))],
            )
        )
    if user.has_perm("accounts.view_audit"):
        audit_url = reverse("accounts:audit_list")
        todays = AuditEvent.objects.filter(created_at__date=timezone.localdate())
        cards.append(
            _card(
                "审计日志",
                "list-details",
                audit_url,
                "查阅审计日志",
                "登录、锁定、密码、角色和策略的每一次变化。",
                [
                    ("今日事件", todays.count(), f"{audit_url}?since={today}"),
                    (
                        "今日失败",
                        todays.filter(outcome=AuditEvent.Outcome.FAILURE).count(),
                        f"{audit_url}?since={today}&outcome=failure",
                    ),
                ],
            )
        )
    cards += _business_cards(user)
    for code in sorted(user_roles(user) & BUSINESS_ROLES):
        role = ROLE_BY_CODE[code]
        cards.insert(
            0,
            _card(role.label, "id-badge", reverse("accounts:role_list"), "职责与权限", role.duties),
        )
    enrolled = has_totp(user)
    days_left = password_days_left(user)
    security_text = "已启用两步验证。" if enrolled else "尚未启用两步验证，建议启用以保护账号。"
    if days_left is not None:
        security_text += f"密码还有 {max(days_left, 0)} 天到期。"
    cards.append(
        _card(
            "账号安全",
            "shield-check",
            reverse("accounts:profile"),
            "个人设置",
            security_text,
            [("登录中的设备", sessions_of(user).count(), reverse("accounts:sessions"))],
        )
    )
    return cards


def _business_cards(user: User) -> list[dict[str, object]]:
    """Figures of the organization's data the person may read, each linking to its rows
    (one aggregate query per kind of data)."""
    from houqin.common.models import ChangeLogEntry
    from houqin.org.models import Contract, Staff
    from houqin.places.selectors import expiring_certificates

    cards = []
    org = user.organization_id
    today = timezone.localdate()
    if user.has_perm("org.view_staff"):
        url = reverse("org:staff_list")
        staff = Staff.objects.filter(organization_id=org, status=Staff.Status.ACTIVE).aggregate(
            active=Count("pk"),
            outsourced=Count("pk", filter=Q(employment=Staff.Employment.OUTSOURCED)),
        )
        figures = [
            ("在岗", staff["active"], f"{url}?status=active"),
            ("外包", staff["outsourced"], f"{url}?status=active&employment=outsourced"),
        ]
        cards.append(
            _card("职工", "users", url, "职工名录", "中心在岗职工，含编外和外包人员。", figures)
        )
    if user.has_perm("org.view_contract"):
        url = reverse("org:contract_list")
        contracts = Contract.objects.filter(organization_id=org).aggregate(
            active=Count("pk", filter=Q(status=Contract.Status.ACTIVE)),
            draft=Count("pk", filter=Q(status=Contract.Status.DRAFT)),
        )
        figures = [
            ("生效", contracts["active"], f"{url}?status=active"),
            ("草稿", contracts["draft"], f"{url}?status=draft"),
        ]
        text = "外包服务合同：草稿可修改，生效后锁定。"
        cards.append(_card("服务合同", "file-spreadsheet", url, "全部合同", text, figures))
    if user.has_perm("places.view_equipment"):
        url = reverse("places:equipment_list")
        certificates = expiring_certificates(user=user, today=today).aggregate(
            expired=Count("pk", filter=Q(certificate_expires__lt=today)),
            soon=Count("pk", filter=Q(certificate_expires__gte=today)),
        )
        figures = [
            ("证书已过期", certificates["expired"], f"{url}?certificate=expired"),
            ("30 天内到期", certificates["soon"], f"{url}?certificate=soon"),
        ]
        text = "电梯、灭火器等须定期检验的设备，证书到期前请安排检验。"
        cards.append(_card("设备台账", "devices", url, "设备台账", text, figures))
    if user.has_perm("common.view_changelogentry") and not user_is_admin(user):
        url = reverse("changelog_list")
        changes = ChangeLogEntry.objects.filter(organization_id=org, created_at__date=today)
        figures = [("今日变更", changes.count(), f"{url}?since={today.isoformat()}")]
        text = "谁在什么时间改了哪些业务数据。"
        cards.append(_card("变更记录", "history", url, "查看变更记录", text, figures))
    return cards

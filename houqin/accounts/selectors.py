"""Reads of accounts: scoped user lists, the audit trail, figures for the home page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Max, Model, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from houqin.accounts.models import AuditEvent, Membership, User, UserSession
from houqin.accounts.policy import policy_get
from houqin.accounts.roles import ADMIN_ROLES, BUSINESS_ROLES, ROLE_BY_CODE
from houqin.common.lists import url_for
from houqin.common.statements import MAX_MANY, Counts, Ids, Rows
from houqin.org.models import Department, Organization

LIST_COLUMNS = (
    "pk",
    "username",
    "name",
    "phone",
    "is_active",
    "is_demo",
    "last_login",
    "date_joined",
    "department_id",
)


def user_list(*, actor: User) -> QuerySet[User, dict[str, Any]]:
    """The accounts of the actor's organization as rows of exactly the columns lists show;
    with_department_names adds the department's name to the rows of a page."""
    return User.objects.filter(organization_id=actor.organization_id).values(*LIST_COLUMNS)


def _department_names(ids: Ids) -> QuerySet[Department, tuple[int, str]]:
    return Department.objects.filter(pk__in=ids.many).values_list("pk", "name")


_DEPARTMENT_NAMES = Rows(_department_names)


def with_department_names(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of user_list, each with its department's name as ``department__name``.
    Read apart from the list: joined into it, the department would be joined into the
    list's COUNT as well, over every account of the organization."""
    wanted = tuple({user["department_id"] for user in users} - {None})
    if len(wanted) <= MAX_MANY:
        names = dict(_DEPARTMENT_NAMES.run(ids=Ids(many=wanted)) if wanted else ())
    else:
        names = dict(_department_names(Ids(many=wanted)))
    for user in users:
        user["department__name"] = names.get(user["department_id"])
    return users


def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


_USER_FIELDS = _attnames(User)
_ORG_FIELDS = _attnames(Organization)
_DEPARTMENT_FIELDS = _attnames(Department)


def _session_user_row(ids: Ids) -> QuerySet[User, tuple[Any, ...]]:
    return User.objects.filter(pk=ids.user).values_list(
        *_USER_FIELDS,
        *(f"organization__{name}" for name in _ORG_FIELDS),
        *(f"department__{name}" for name in _DEPARTMENT_FIELDS),
    )


_SESSION_USER = Rows(_session_user_row)


def user_for_session(pk: Any) -> User | None:
    """The signed-in user of a request with their organization and department, as
    ``select_related("organization", "department")`` loads them, in a statement compiled
    once (every request of a signed-in person reads it)."""
    rows = _SESSION_USER.run(ids=Ids(user=User._meta.pk.to_python(pk)))
    if not rows:
        return None
    row = rows[0]
    users, orgs = len(_USER_FIELDS), len(_USER_FIELDS) + len(_ORG_FIELDS)
    user = User.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, row[:users])
    organization = Organization.from_db(DEFAULT_DB_ALIAS, _ORG_FIELDS, row[users:orgs])
    User.organization.field.set_cached_value(user, organization)
    department = (
        Department.from_db(DEFAULT_DB_ALIAS, _DEPARTMENT_FIELDS, row[orgs:])
        if user.department_id is not None
        else None
    )
    User.department.field.set_cached_value(user, department)
    return user


def _device_row(ids: Ids, label: str) -> QuerySet[Any, tuple[Any, ...]]:
    model = apps.get_model(label)
    return model._default_manager.filter(id=ids.many[0]).values_list(*_attnames(model))


_DEVICE = Rows(_device_row)


def device_for_session(persistent_id: str) -> Device | None:
    """The two-factor device named in a session, as ``Device.from_persistent_id`` loads it,
    in a statement compiled once per kind of device (every request of an administrator
    reads it)."""
    try:
        label, device_id = persistent_id.rsplit("/", 1)
        model = apps.get_model(label)
        pk = int(device_id)
    except (ValueError, LookupError):
        return None
    if not issubclass(model, Device):
        return None
    rows = _DEVICE.run(model._meta.label_lower, ids=Ids(many=(pk,)))
    if not rows:
        return None
    device: Device = model.from_db(DEFAULT_DB_ALIAS, _attnames(model), rows[0])
    return device


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


def _memberships(ids: Ids) -> QuerySet[Membership, tuple[int, str]]:
    return Membership.objects.filter(user_id__in=ids.many).values_list("user_id", "group__name")


_MEMBERSHIPS = Rows(_memberships)  # a list page of accounts asks for 25 users' roles


def role_labels_by_user(user_ids: list[int]) -> dict[int, list[str]]:
    """Role labels of many users in one query, in the order roles.py lists the roles."""
    order = {code: index for index, code in enumerate(ROLE_BY_CODE)}
    codes: dict[int, list[str]] = {pk: [] for pk in user_ids}
    rows: Iterable[tuple[int, str]]
    if len(user_ids) <= MAX_MANY:  # a page of the list
        rows = _MEMBERSHIPS.run(ids=Ids(many=tuple(user_ids))) if user_ids else []
    else:  # an export
        rows = _memberships(Ids(many=tuple(user_ids)))
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


def access_shape(user: User) -> tuple[frozenset[str], bool]:
    """What decides which rows a user may see, besides their ids: role codes, superuser.
    A Statement built for a user is keyed by it (see stand_in)."""
    return user_roles(user), user.is_superuser


def stand_in(ids: Ids, roles: frozenset[str], superuser: bool) -> User:
    """A user with a Statement's placeholder ids and a real user's access_shape: has_perm
    and for_user build the same querysets for it as for the real user."""
    user = User(pk=ids.user, organization_id=ids.org, is_active=True, is_superuser=superuser)
    user._houqin_roles = roles  # type: ignore[attr-defined]
    return user


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


def home_card(
    title: str,
    icon: str,
    url: str,
    action: str,
    text: str = "",
    figures: Sequence[tuple[str, object, str]] = (),
) -> dict[str, object]:
    """One home-page card: a title, an icon, where it leads and its live figures."""
    return {
        "title": title,
        "icon": icon,
        "url": url,
        "action": action,
        "text": text,
        "figures": list(figures),
    }


def _home_figure_querysets(
    ids: Ids, roles: frozenset[str], superuser: bool, today: date, time_zone: str
) -> dict[str, QuerySet[Any]]:
    """What the home page counts for this person, one queryset per figure (time_zone only
    keys the statement: the dates below are taken in it)."""
    from houqin.common.models import ChangeLogEntry
    from houqin.org.models import Contract, Staff
    from houqin.places.selectors import expiring_certificates

    user = stand_in(ids, roles, superuser)
    querysets: dict[str, QuerySet[Any]] = {}
    if user.has_perm("accounts.manage_accounts"):
        users = User.objects.filter(organization_id=ids.org)
        querysets["users_active"] = users.filter(is_active=True)
        querysets["users_disabled"] = users.filter(is_active=False)
    if user.has_perm("accounts.assign_roles"):
        querysets["users_without_role"] = User.objects.filter(
            organization_id=ids.org, is_active=True, memberships__isnull=True
        )
    day = _local_day(today)
    if user.has_perm("accounts.view_audit"):
        todays = AuditEvent.objects.filter(created_at__gte=day[0], created_at__lt=day[1])
        querysets["audit_today"] = todays
        querysets["audit_failures_today"] = todays.filter(outcome=AuditEvent.Outcome.FAILURE)
    if user.has_perm("org.view_staff"):
        staff = Staff.objects.filter(organization_id=ids.org, status=Staff.Status.ACTIVE)
        querysets["staff_active"] = staff
        querysets["staff_outsourced"] = staff.filter(employment=Staff.Employment.OUTSOURCED)
    if user.has_perm("org.view_contract"):
        contracts = Contract.objects.filter(organization_id=ids.org)
        querysets["contracts_active"] = contracts.filter(status=Contract.Status.ACTIVE)
        querysets["contracts_draft"] = contracts.filter(status=Contract.Status.DRAFT)
    if user.has_perm("places.view_equipment"):
        certificates = expiring_certificates(user=user, today=today)
        querysets["certificates_expired"] = certificates.filter(certificate_expires__lt=today)
        querysets["certificates_soon"] = certificates.filter(certificate_expires__gte=today)
    if user.has_perm("common.view_changelogentry") and not user_is_admin(user):
        querysets["changes_today"] = ChangeLogEntry.objects.filter(
            organization_id=ids.org, created_at__gte=day[0], created_at__lt=day[1]
        )
    if user.has_perm("standards.view_standard"):
        from houqin.standards.models import Acknowledgement

        reading = Acknowledgement.objects.filter(
            user_id=ids.user, acknowledged_at__isnull=True
        ).exclude(version__standard__status="withdrawn")
        querysets["reading_pending"] = reading
        querysets["reading_late"] = reading.filter(due_on__lt=today)
    querysets["totp_devices"] = TOTPDevice.objects.filter(user_id=ids.user, confirmed=True)
    querysets["sessions"] = sessions_of(user)
    return querysets


def _local_day(day: date) -> tuple[datetime, datetime]:
    """The day as a range of instants in the current time zone: what ``__date=day``
    selects, but through the index on the column instead of converting every row."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


_HOME_FIGURES = Counts(_home_figure_querysets)


def home_figures(user: User) -> dict[str, int]:
    """Every figure of the user's home page, in one statement."""
    return _HOME_FIGURES.run(
        *access_shape(user),
        timezone.localdate(),
        timezone.get_current_timezone_name(),
        ids=Ids(org=user.organization_id, user=user.pk),
    )


def home_cards(user: User) -> list[dict[str, object]]:
    """The cards of the home page: the pages this person may use, each with live figures."""
    figures = home_figures(user)
    cards = []
    today = timezone.localdate().isoformat()
    if "users_active" in figures:
        user_url = url_for("accounts:user_list")
        cards.append(
            home_card(
                "账号管理",
                "users",
                user_url,
                "管理账号",
                "创建账号、停用离职人员、为忘记密码的人重置密码。",
                [
                    ("启用", figures["users_active"], f"{user_url}?status=active"),
                    ("已停用", figures["users_disabled"], f"{user_url}?status=disabled"),
                ],
            )
        )
        cards.append(
            home_card(
                "新建账号",
                "user-plus",
                url_for("accounts:user_create"),
                "新建",
                "为新同事开通账号，系统生成一次性临时密码。",
            )
        )
    if "users_without_role" in figures:
        cards.append(
            home_card(
                "角色分配",
                "id-badge",
                url_for("accounts:user_list"),
                "分配角色",
                "为账号分配角色；三员互斥，且不兼任业务角色。",
                [
                    (
                        "未分配角色的账号",
                        figures["users_without_role"],
                        url_for("accounts:user_list"),
                    )
                ],
            )
        )
    if user.has_perm("accounts.manage_policy"):
        policy = policy_get()
        cards.append(
            home_card(
                "安全策略",
                "shield-lock",
                url_for("accounts:policy"),
                "查看和修改",
                f"密码至少 {policy.password_min_length} 位、{policy.password_max_age_days} 天有效；"
                f"连续失败 {policy.lockout_failures} 次锁定 {policy.lockout_minutes} 分钟；"
                f"空闲 {policy.idle_timeout_minutes} 分钟自动退出。",
            )
        )
        cards.append(
            home_card(
                "登录锁定",
                "lock",
                url_for("accounts:lockouts"),
                "查看和解除",
                "因多次输错密码而被锁定的登录名和地址。",
                [("当前锁定", len(active_lockouts()), url_for("accounts:lockouts"))],
            )
        )
    if "audit_today" in figures:
        audit_url = url_for("accounts:audit_list")
        cards.append(
            home_card(
                "审计日志",
                "list-details",
                audit_url,
                "查阅审计日志",
                "登录、锁定、密码、角色和策略的每一次变化。",
                [
                    ("今日事件", figures["audit_today"], f"{audit_url}?since={today}"),
                    (
                        "今日失败",
                        figures["audit_failures_today"],
                        f"{audit_url}?since={today}&outcome=failure",
                    ),
                ],
            )
        )
    cards += _business_cards(figures, today)
    for code in sorted(user_roles(user) & BUSINESS_ROLES):
        role = ROLE_BY_CODE[code]
        cards.insert(
            0,
            home_card(
                role.label, "id-badge", url_for("accounts:role_list"), "职责与权限", role.duties
            ),
        )
    days_left = password_days_left(user)
    security_text = (
        "已启用两步验证。" if figures["totp_devices"] else "尚未启用两步验证，建议启用以保护账号。"
    )
    if days_left is not None:
        security_text += f"密码还有 {max(days_left, 0)} 天到期。"
    cards.append(
        home_card(
            "账号安全",
            "shield-check",
            url_for("accounts:profile"),
            "个人设置",
            security_text,
            [("登录中的设备", figures["sessions"], url_for("accounts:sessions"))],
        )
    )
    return cards


def _business_cards(figures: dict[str, int], today: str) -> list[dict[str, object]]:
    """The cards of the organization's data the person may read (those whose figures
    home_figures counted), each figure linking to its rows."""
    cards = []
    if "staff_active" in figures:
        url = url_for("org:staff_list")
        staff = [
            ("在岗", figures["staff_active"], f"{url}?status=active"),
            ("外包", figures["staff_outsourced"], f"{url}?status=active&employment=outsourced"),
        ]
        cards.append(
            home_card("职工", "users", url, "职工名录", "中心在岗职工，含编外和外包人员。", staff)
        )
    if "contracts_active" in figures:
        url = url_for("org:contract_list")
        contracts = [
            ("生效", figures["contracts_active"], f"{url}?status=active"),
            ("草稿", figures["contracts_draft"], f"{url}?status=draft"),
        ]
        text = "外包服务合同：草稿可修改，生效后锁定。"
        cards.append(home_card("服务合同", "file-spreadsheet", url, "全部合同", text, contracts))
    if figures.get("reading_pending"):
        url = url_for("standards:acknowledgement_list")
        reading = [
            ("待确认", figures["reading_pending"], url),
            ("已逾期", figures["reading_late"], url),
        ]
        text = "新实施的标准适用于你的岗位或科室，请阅读后确认。"
        cards.insert(0, home_card("阅读确认", "eye", url, "去阅读", text, reading))
    if "certificates_expired" in figures:
        url = url_for("places:equipment_list")
        certificates = [
            ("证书已过期", figures["certificates_expired"], f"{url}?certificate=expired"),
            ("30 天内到期", figures["certificates_soon"], f"{url}?certificate=soon"),
        ]
        text = "电梯、灭火器等须定期检验的设备，证书到期前请安排检验。"
        cards.append(home_card("设备台账", "devices", url, "设备台账", text, certificates))
    if "changes_today" in figures:
        url = url_for("changelog_list")
        changes = [("今日变更", figures["changes_today"], f"{url}?since={today}")]
        text = "谁在什么时间改了哪些业务数据。"
        cards.append(home_card("变更记录", "history", url, "查看变更记录", text, changes))
    return cards

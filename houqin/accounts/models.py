"""Accounts: users, role memberships, the security policy, sessions, API tokens, audit trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Login names are unique regardless of case; users are
    disabled, never deleted."""

    username = models.CharField(
        "登录名",
        max_length=64,
        unique=True,
        error_messages={"unique": "该登录名已被使用，请换一个。"},
        help_text="字母、数字、点、下划线或短横线，不区分大小写。",
    )
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("手机号", max_length=20, blank=True)
    email = models.EmailField("电子邮件", blank=True, help_text="用于接收邮件通知，可不填。")
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="users", verbose_name="所属单位"
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="科室",
    )
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示账号", default=False)
    must_change_password = models.BooleanField("下次登录须改密码", default=True)
    roles_version = models.PositiveIntegerField(
        "角色版本", default=0, help_text="角色每变一次加一，会话中缓存的角色随之失效。"
    )
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)
    groups = models.ManyToManyField(  # type: ignore[assignment]
        Group,
        through="accounts.Membership",
        blank=True,
        related_name="user_set",
        related_query_name="user",
        verbose_name="角色",
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="该登录名已被使用，请换一个。",
            ),
        ]
        permissions = [
            ("manage_accounts", "管理账号（创建、停用、重置密码）"),
            ("assign_roles", "分配角色、解除锁定"),
            ("manage_policy", "设置安全策略"),
            ("view_audit", "查阅和导出安全审计日志"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role. At most one of the three administrator roles per user (database
    constraint); the service layer also keeps administrators out of business roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    is_admin_role = models.BooleanField(default=False)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_admin_role=True),
                name="membership_one_admin_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.group_id}"


class SecurityPolicy(models.Model):
    """The one security policy of this installation, kept by the security admin."""

    password_min_length = models.PositiveSmallIntegerField("密码最短长度", default=10)
    password_min_classes = models.PositiveSmallIntegerField(
        "至少包含的字符种类（大写、小写、数字、符号）", default=3
    )
    password_history = models.PositiveSmallIntegerField("不得与最近几次密码相同", default=5)
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天，0 表示不过期）", default=90
    )
    lockout_failures = models.PositiveSmallIntegerField("连续失败几次后锁定", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=15)
    idle_timeout_minutes = models.PositiveSmallIntegerField("空闲超时（分钟）", default=30)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(password_min_length__gte=8, password_min_length__lte=64),
                name="policy_min_length_range",
                violation_error_message="密码最短长度须在 8 到 64 之间。",
            ),
            models.CheckConstraint(
                condition=models.Q(password_min_classes__gte=1, password_min_classes__lte=4),
                name="policy_min_classes_range",
                violation_error_message="字符种类须在 1 到 4 之间。",
            ),
            models.CheckConstraint(
                condition=models.Q(lockout_failures__gte=3, idle_timeout_minutes__gte=5),
                name="policy_lockout_idle_floor",
                violation_error_message="锁定次数不少于 3，空闲超时不少于 5 分钟。",
            ),
        ]

    def __str__(self) -> str:
        return "安全策略"


class PasswordHistory(models.Model):
    """A password hash the user had; new passwords may not repeat the recent ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of a user, so that the user (and disabling) can end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    created_at = models.DateTimeField("登录时间", default=timezone.now)
    last_seen_at = models.DateTimeField("最近活动", default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计日志不可修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志不可删除。")


class AuditEvent(models.Model):
    """One entry of the security audit trail. Append-only: the application never edits
    or deletes one (the model refuses, and database triggers refuse too)."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "锁定"
        UNLOCK = "unlock", "解除锁定"
        LOGOUT = "logout", "退出"
        TIMEOUT = "timeout", "超时退出"
        OTP_FAILED = "otp_failed", "动态码错误"
        OTP_ENROLL = "otp_enroll", "启用两步验证"
        OTP_DISABLE = "otp_disable", "关闭两步验证"
        PASSWORD_CHANGE = "password_change", "修改密码"
        PASSWORD_RESET = "password_reset", "重置密码"
        ACCOUNT_CREATE = "account_create", "创建账号"
        ACCOUNT_UPDATE = "account_update", "修改账号"
        ACCOUNT_DISABLE = "account_disable", "停用账号"
        ACCOUNT_ENABLE = "account_enable", "启用账号"
        ROLE_CHANGE = "role_change", "角色变更"
        POLICY_CHANGE = "policy_change", "安全策略变更"
        SESSION_END = "session_end", "结束会话"
        TOKEN_CREATE = "token_create", "创建接口令牌"
        EXPORT = "export", "导出"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=32, choices=Kind.choices, db_index=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_username = models.CharField("操作人登录名", max_length=64, blank=True)
    target = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对象",
    )
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "安全审计日志"
        verbose_name_plural = "安全审计日志"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志不可删除。")

"""The left navigation: sections appear only for people who may use their pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str = ""


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection("", (NavItem("首页", "home", "home"),)),
    NavSection(
        "系统管理",
        (NavItem("账号管理", "accounts:user_list", "users", "accounts.manage_accounts"),),
    ),
    NavSection(
        "安全管理",
        (
            NavItem("角色分配", "accounts:user_list", "id-badge", "accounts.assign_roles"),
            NavItem("安全策略", "accounts:policy", "shield-lock", "accounts.manage_policy"),
            NavItem("登录锁定", "accounts:lockouts", "lock", "accounts.manage_policy"),
        ),
    ),
    NavSection(
        "安全审计",
        (NavItem("审计日志", "accounts:audit_list", "list-details", "accounts.view_audit"),),
    ),
    NavSection("帮助", (NavItem("角色与权限", "accounts:role_list", "shield-check"),)),
)


def navigation_for(user: object, current_path: str) -> list[dict[str, object]]:
    """The sections and items this user may see, with the current one marked."""
    result = []
    for section in SECTIONS:
        items = [
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "icon": item.icon,
            }
            for item in section.items
            if not item.permission or user.has_perm(item.permission)  # type: ignore[attr-defined]
        ]
        for entry in items:
            url = str(entry["url"])
            entry["active"] = current_path == url or (url != "/" and current_path.startswith(url))
        if items:
            result.append({"label": section.label, "items": items})
    return result

"""The left navigation: sections appear only for people who may use their pages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from houqin.common.icons import icon_svg


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str | tuple[str, ...] = ""  # any of these


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection("", (NavItem("首页", "home", "home"),)),
    NavSection(
        "组织与人员",
        (
            NavItem("科室", "org:department_list", "building", "org.view_department"),
            NavItem("班组", "org:team_list", "users", "org.view_team"),
            NavItem("岗位", "org:post_list", "id-badge", "org.view_post"),
            NavItem("职工", "org:staff_list", "user", "org.view_staff"),
            NavItem("服务单位", "org:servedunit_list", "building", "org.view_servedunit"),
            NavItem("外包服务商", "org:vendor_list", "users", "org.view_vendor"),
            NavItem("服务合同", "org:contract_list", "file-spreadsheet", "org.view_contract"),
            NavItem(
                "Excel 导入",
                "imports:import_index",
                "download",
                ("org.add_staff", "org.add_department", "places.add_place", "places.add_equipment"),
            ),
        ),
    ),
    NavSection(
        "场所与设备",
        (
            NavItem("场所", "places:place_tree", "building", "places.view_place"),
            NavItem("设备台账", "places:equipment_list", "devices", "places.view_equipment"),
            NavItem("打印标签", "places:labels", "qrcode", "places.view_place"),
        ),
    ),
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
            NavItem(
                "群机器人", "common:webhookendpoint_list", "bell", "common.view_webhookendpoint"
            ),
        ),
    ),
    NavSection(
        "日志与审计",
        (
            NavItem("变更记录", "changelog_list", "history", "common.view_changelogentry"),
            NavItem("审计日志", "accounts:audit_list", "list-details", "accounts.view_audit"),
        ),
    ),
    NavSection("帮助", (NavItem("角色与权限", "accounts:role_list", "shield-check"),)),
)


@lru_cache(maxsize=64)
def _url(name: str) -> str:
    return reverse(name)


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The sections and items this user may see, with the current one marked."""
    result: list[dict[str, Any]] = []
    for section in SECTIONS:
        items: list[dict[str, Any]] = []
        for item in section.items:
            wanted = (item.permission,) if isinstance(item.permission, str) else item.permission
            if item.permission and not any(user.has_perm(p) for p in wanted):
                continue
            url = _url(item.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
        if items:
            result.append({"label": section.label, "items": items})
    return result


def navigation_html(user: Any, current_path: str) -> SafeString:
    """The items of the left navigation as HTML, built as a string: every page shows it."""
    parts: list[str] = []
    for section in navigation_for(user, current_path):
        if section["label"]:
            parts.append(f'<li class="nav-item nav-section">{escape(section["label"])}</li>')
        for item in section["items"]:
            active = item["active"]
            current = ' aria-current="page"' if active else ""
            parts.append(
                f'<li class="nav-item{" active" if active else ""}"><a class="nav-link" '
                f'href="{escape(item["url"])}"{current}>'
                f'<span class="nav-link-icon">{icon_svg(item["icon"])}</span>'
                f'<span class="nav-link-title">{escape(item["label"])}</span></a></li>'
            )
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)

"""The shell's navigation: the left menu (sections appear only for people who may use their
pages), the notification bell and the user menu. Every page shows them, so they are built
as strings, not templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from houqin.common.icons import icon_svg
from houqin.common.lists import url_for


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
        "标准",
        (
            NavItem("标准库", "standards:standard_list", "book", "standards.view_standard"),
            NavItem("标准检索", "standards:search", "search", "standards.view_standard"),
            NavItem("标准体系", "standards:system", "sitemap", "standards.view_standardnode"),
            NavItem("覆盖情况", "standards:coverage", "chart-bar", "standards.view_standardnode"),
            NavItem(
                "制修订计划", "standards:plan_list", "calendar-event", "standards.view_standardplan"
            ),
            NavItem("阅读标准", "standards:read_list", "file-text", "standards.view_standard"),
            NavItem(
                "我的阅读确认",
                "standards:acknowledgement_list",
                "circle-check",
                "standards.view_standard",
            ),
            NavItem("起草规则", "standards:rule_list", "shield-check", "standards.draft_standard"),
            NavItem("标准化提醒", "standards:reminder_list", "bell", "standards.manage_standard"),
            NavItem(
                "标准化设置", "standards:settings", "settings", "standards.change_standardsettings"
            ),
        ),
    ),
    NavSection(
        "检查",
        (
            NavItem("我的任务", "checklists:my_tasks", "circle-check", "checklists.view_task"),
            NavItem(
                "检查表",
                "checklists:template_list",
                "list-details",
                "checklists.view_checklisttemplate",
            ),
            NavItem(
                "检查计划", "checklists:schedule_list", "calendar-event", "checklists.view_schedule"
            ),
            NavItem("检查任务", "checklists:task_list", "clock", "checklists.view_schedule"),
            NavItem("随机抽查", "checklists:draw_list", "refresh", "checklists.view_schedule"),
            NavItem(
                "专项检查", "checklists:campaign_list", "shield-check", "checklists.view_schedule"
            ),
            NavItem(
                "检查记录", "checklists:record_list", "file-spreadsheet", "checklists.view_record"
            ),
            NavItem("交接班", "checklists:handover_list", "key", "checklists.view_record"),
            NavItem("问题整改", "findings:finding_list", "alert-triangle", "findings.view_finding"),
            NavItem("督办单", "findings:order_list", "file-text", "findings.view_finding"),
            NavItem("合规情况", "findings:compliance", "chart-bar", "checklists.view_schedule"),
        ),
    ),
    NavSection(
        "考核",
        (
            NavItem(
                "考核方案",
                "appraisal:scheme_list",
                "list-details",
                "appraisal.view_appraisalscheme",
            ),
            NavItem("考核周期", "appraisal:period_list", "trophy", "appraisal.view_period"),
            NavItem("奖惩台账", "appraisal:ledger_list", "award", "appraisal.view_rewardpenalty"),
            NavItem(
                "服务商扣款",
                "appraisal:deduction_list",
                "coin",
                "appraisal.view_deductionstatement",
            ),
            NavItem(
                "扣款约定",
                "appraisal:deduction_contracts",
                "file-spreadsheet",
                "appraisal.view_deductionterms",
            ),
            NavItem(
                "季度督办",
                "appraisal:round_list",
                "clipboard-check",
                "appraisal.view_supervisionround",
            ),
            NavItem("通报", "appraisal:circular_list", "speakerphone", "appraisal.view_circular"),
            NavItem(
                "自我评价",
                "appraisal:selfeval_list",
                "report-analytics",
                "appraisal.view_selfevaluation",
            ),
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


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The sections and items this user may see, with the current one marked."""
    visible = _visible(_permission_key(user))
    current = _current(visible, current_path)
    return [
        {
            "label": label,
            "items": [
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": url == current,
                }
                for item, url, _, _ in items
            ],
        }
        for label, _, items in visible
    ]


def navigation_html(user: Any, current_path: str) -> SafeString:
    """The items of the left navigation as HTML, built as a string: every page shows it.
    What a user sees depends only on their permissions, so the items are built once per
    set of permissions and only the current one is marked per request."""
    parts: list[str] = []
    visible = _visible(_permission_key(user))
    active = _current(visible, current_path)
    for _, heading, items in visible:
        parts.append(heading)
        for _, url, plain, marked in items:
            parts.append(marked if url == active else plain)
    return mark_safe("".join(parts))  # noqa: S308  (built from escaped parts)


def _active(url: str, current_path: str) -> bool:
    return current_path == url or (url != "/" and current_path.startswith(url))


def _current(visible: Any, current_path: str) -> str:
    """The URL of the item the page belongs to: the longest that matches (标准库 at
    /standards/ is not current on /standards/system/, 标准体系 is)."""
    urls = [url for _, _, items in visible for _, url, _, _ in items if _active(url, current_path)]
    return max(urls, key=len, default="")


def _permission_key(user: Any) -> frozenset[str] | None:
    """The user's permissions (None: all of them, for an active superuser)."""
    if user.is_active and user.is_superuser:
        return None
    return frozenset(user.get_all_permissions())


_Item = tuple[NavItem, str, str, str]  # item, URL, HTML, HTML marked current


@lru_cache(maxsize=64)
def _visible(permissions: frozenset[str] | None) -> tuple[tuple[str, str, tuple[_Item, ...]], ...]:
    """(label, heading HTML, items) of the sections a holder of these permissions sees."""
    sections = []
    for section in SECTIONS:
        items = []
        for item in section.items:
            wanted = (item.permission,) if isinstance(item.permission, str) else item.permission
            if item.permission and permissions is not None and not set(wanted) & permissions:
                continue
            url = url_for(item.url_name)
            items.append((item, url, _item_html(item, url, False), _item_html(item, url, True)))
        if items:
            heading = (
                f'<li class="nav-item nav-section">{escape(section.label)}</li>'
                if section.label
                else ""
            )
            sections.append((section.label, heading, tuple(items)))
    return tuple(sections)


def _item_html(item: NavItem, url: str, active: bool) -> str:
    current = ' aria-current="page"' if active else ""
    return (
        f'<li class="nav-item{" active" if active else ""}"><a class="nav-link" '
        f'href="{escape(url)}"{current}>'
        f'<span class="nav-link-icon">{icon_svg(item.icon)}</span>'
        f'<span class="nav-link-title">{escape(item.label)}</span></a></li>'
    )


def bell_html(unread: int) -> SafeString:
    """The notification bell of the top bar, with the number of unread notifications."""
    url = escape(url_for("common:notification_list"))
    if not unread:
        label, badge = "通知", ""
    else:
        label = f"通知，{unread} 条未读"
        badge = f'<span class="badge bg-red badge-notification badge-pill">{unread}</span>'
    return mark_safe(  # noqa: S308  (an int and our own URL)
        f'<div class="nav-item me-2"><a href="{url}" class="nav-link px-0 notification-bell" '
        f'aria-label="{label}">{icon_svg("bell")}{badge}</a></div>\n'
    )


_USER_MENU_ITEMS = (
    ("accounts:profile", "user", "个人信息"),
    ("accounts:password_change", "key", "修改密码"),
    ("accounts:two_factor", "device-mobile", "两步验证"),
    ("accounts:sessions", "devices", "登录设备"),
)


def user_menu_html(user: Any, csrf_token: str, menu_id: str) -> SafeString:
    """The user menu of the top bar: the person, their settings pages, signing out."""
    name = escape(user.name)
    demo = " · 演示账号" if user.is_demo else ""
    items = "".join(
        f'    <a href="{escape(url_for(url_name))}" class="dropdown-item">'
        f"{icon_svg(icon)}{label}</a>\n"
        for url_name, icon, label in _USER_MENU_ITEMS
    )
    token = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token and csrf_token != "NOTPROVIDED"  # noqa: S105  (CsrfTokenNode's rule)
        else ""
    )
    return mark_safe(  # noqa: S308  (every value escaped above)
        f'<div class="nav-item dropdown">\n'
        f'  <a href="#" class="nav-link d-flex lh-1 text-reset p-0 user-menu-toggle" '
        f'data-bs-toggle="dropdown" aria-label="用户菜单" aria-expanded="false" id="{menu_id}">\n'
        f'    <span class="avatar avatar-sm" aria-hidden="true">{escape(user.name[:1])}</span>\n'
        f'    <div class="d-none d-xl-block ps-2">\n'
        f"      <div>{name}</div>\n"
        f'      <div class="mt-1 small text-secondary">{escape(user.username)}</div>\n'
        f"    </div>\n"
        f"  </a>\n"
        f'  <div class="dropdown-menu dropdown-menu-end dropdown-menu-arrow" '
        f'aria-labelledby="{menu_id}">\n'
        f'    <span class="dropdown-header">{name}{demo}</span>\n'
        f"{items}"
        f'    <div class="dropdown-divider"></div>\n'
        f'    <form method="post" action="{escape(url_for("accounts:logout"))}">{token}\n'
        f'      <button type="submit" class="dropdown-item">{icon_svg("logout")}退出登录</button>\n'
        f"    </form>\n"
        f"  </div>\n"
        f"</div>\n"
    )

"""The heavy parts of a standard's page built as strings, as the lists build their rows: the
lifecycle steps, the overview and the versions table. Every text is escaped here; the steps
depend on nothing but the state, so each state's are built once per process."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from houqin.common.icons import icon_svg
from houqin.common.lists import url_for_pk
from houqin.standards.models import Standard, StandardVersion

S = Standard.Status

# 立项 → 起草 → 征求意见 → 审查 → 批准发布 → 实施 → 复审 → 修订 / 废止
STEPS = ("立项", "起草", "征求意见", "审查", "批准发布", "实施", "复审", "修订 / 废止")
STEP_OF: dict[str, int] = {
    S.PROPOSED: 0,
    S.DRAFTING: 1,
    S.CONSULTATION: 2,
    S.REVIEW: 3,
    S.PUBLISHED: 4,
    S.IN_FORCE: 5,
    S.UNDER_REVIEW: 6,
    S.REVISING: 7,
    S.WITHDRAWN: 7,
}
ADOPTED_NOTE = (
    '<p class="text-secondary small mt-3 mb-0">'
    "采用的外部标准：登记后即为现行标准，不经过本中心的起草、征求意见和审查。</p>"
)
DASH = "—"


@lru_cache(maxsize=len(STEP_OF) * 2)
def steps_html(status: str, adopted: bool) -> SafeString:
    """The lifecycle steps with the current one marked (on a phone, named in words); an
    adopted external standard did not go through the center's own steps before 实施."""
    current = STEP_OF[status]
    labels = list(STEPS)
    if status == S.REVISING:
        labels[-1] = "修订"
    elif status == S.WITHDRAWN:
        labels[-1] = "废止"
    skipped = STEP_OF[S.IN_FORCE] if adopted else 0
    items = []
    for index, label in enumerate(labels):
        if index == current:
            items.append(
                f'<li class="step-item std-step-current active" aria-current="step">{label}</li>'
            )
            continue
        state = "skipped" if index < skipped else "done" if index < current else "todo"
        items.append(f'<li class="step-item std-step-{state}">{label}</li>')
    return mark_safe(  # noqa: S308 (fixed labels)
        f'<p class="d-md-none mb-2">当前阶段：<strong>{labels[current]}</strong>'
        f"（第 {current + 1} 步，共 {len(labels)} 步）</p>\n"
        '    <ol class="steps steps-counter std-steps" data-testid="lifecycle-steps">\n'
        f"      {''.join(items)}\n"
        "    </ol>\n"
        f"    {ADOPTED_NOTE if adopted else ''}"
    )


@lru_cache(maxsize=1)
def _diff_parts() -> tuple[str, str, str]:
    """The address of the difference between two versions around their two ids, resolved
    once per process."""
    url = reverse("standards:version_diff", args=[987654321, 987654322])
    head, rest = url.split("987654321")
    middle, tail = rest.split("987654322")
    return head, middle, tail


def _text(value: Any) -> str:
    """A value as the templates' ``|default:"—"`` shows it, escaped."""
    return escape(str(value)) if value else DASH


def _day(value: date | None) -> str:
    return value.isoformat() if value else DASH


def _minute(value: datetime | None) -> str:
    return localtime(value).strftime("%Y-%m-%d %H:%M") if value else DASH


def _field(label: str, value: str, css: str = "") -> str:
    return f'<dt class="col-5 col-md-3">{label}</dt><dd class="col-7 col-md-9{css}">{value}</dd>'


def _links(rows: Sequence[Any]) -> str:
    """Other standards, each a link to its page, one a line."""
    links = [
        f'<a href="{url_for_pk("standards:standard_detail", row.pk)}">{escape(str(row))}</a>'
        for row in rows
    ]
    return "<br>".join(links) or DASH


def overview_html(
    standard: Standard,
    *,
    level_label: str,
    status_html: str,
    overdue: bool,
    lines: Sequence[str],
    posts: Sequence[Any],
    replaces: Sequence[Any],
    replaced_by: Sequence[Any],
) -> SafeString:
    """The overview tab: the standard's metadata, and its proposal when it has one."""
    s = standard
    title = escape(s.title)
    if s.english_title:
        title += f'<div class="text-secondary small">{escape(s.english_title)}</div>'
    node = f"{escape(s.node.code)} {escape(s.node.name)}"
    if s.node.retired:
        node += ' <span class="badge bg-secondary-lt">已停用</span>'
    department = s.owner_department.name if s.owner_department is not None else ""
    if s.review_due_on:
        css = ' class="text-danger fw-bold"' if overdue else ""
        review = f"<span{css}>{s.review_due_on.isoformat()}</span>"
        if overdue:
            review += ' <span class="badge bg-red-lt">已逾期</span>'
    else:
        review = DASH
    fields = [
        _field("标准编号", escape(s.number) or "未编号"),
        _field("标准名称", title),
        _field("层级", escape(level_label)),
        _field("状态", status_html),
        _field("体系节点", node),
        _field("归口科室", _text(department)),
        _field("发布机构", _text(s.issuing_body)),
    ]
    if not s.is_adopted:
        fields.append(_field("起草单位", _text(s.drafting_units)))
        fields.append(_field("主要起草人", _text(s.drafters)))
    fields += [
        _field("适用服务条线", "、".join(escape(str(line)) for line in lines) or DASH),
        _field("适用岗位", "、".join(escape(post.name) for post in posts) or DASH),
        _field("代替标准", _links(replaces)),
        _field("被代替", _links(replaced_by)),
        _field("发布日期", _day(s.published_on)),
        _field("实施日期", _day(s.effective_on)),
        _field("下次复审", review),
        _field("复审周期", f"每 {s.review_years} 年"),
    ]
    if s.withdrawn_on:
        fields.append(_field("废止日期", s.withdrawn_on.isoformat()))
    out = '<dl class="row mb-0 detail-fields std-fields">\n  ' + "\n  ".join(fields) + "\n</dl>"
    if s.reason or s.scope or s.proposer_id or s.due_on:
        proposer = s.proposer.name if s.proposer is not None else ""
        proposal = [
            _field("负责人", _text(proposer)),
            _field("计划完成日期", _day(s.due_on)),
            _field("立项理由", _text(s.reason), " std-multiline"),
            _field("拟规定的范围", _text(s.scope), " std-multiline"),
        ]
        out += (
            '\n<h3 class="mt-4 mb-2">立项信息</h3>\n'
            '<dl class="row mb-0 detail-fields std-fields">\n  ' + "\n  ".join(proposal) + "\n</dl>"
        )
    return mark_safe(out)  # noqa: S308 (escaped above)


def _version_row(version: StandardVersion, older: StandardVersion | None, may_edit: bool) -> str:
    """One version with the links it offers: the editor for a draft this person may edit,
    the difference from the version before, Word, PDF and print."""
    v = version
    if v.is_published:
        badge = '<span class="badge bg-green-lt">已发布</span>'
    else:
        badge = '<span class="badge bg-blue-lt">草案</span>'
    if v.edited_at:
        editor = v.edited_by.name if v.edited_by is not None else ""
        edited = (
            f"{_text(editor)} "
            f'<span class="text-secondary text-nowrap">{_minute(v.edited_at)}</span>'
        )
    else:
        edited = DASH
    links = []
    if may_edit and not v.is_published:
        url = url_for_pk("standards:editor", v.pk)
        links.append(f'<a class="btn btn-sm" href="{url}">{icon_svg("pencil")}编辑草案</a>')
    if older is not None:
        head, middle, tail = _diff_parts()
        url = f"{head}{older.pk}{middle}{v.pk}{tail}"
        links.append(f'<a class="btn btn-sm" href="{url}">对比上一版</a>')
    docx, pdf = (
        url_for_pk("standards:version_docx", v.pk),
        url_for_pk("standards:version_pdf", v.pk),
    )
    printed = url_for_pk("standards:version_print", v.pk)
    links += [
        f'<a class="btn btn-sm" href="{docx}">{icon_svg("download")}Word</a>',
        f'<a class="btn btn-sm" href="{pdf}">{icon_svg("download")}PDF</a>',
        f'<a class="btn btn-sm" href="{printed}" target="_blank" rel="noopener">'
        f"{icon_svg('printer')}打印</a>",
    ]
    cells = [
        f'<td class="text-nowrap fw-bold">第 {v.seq} 版</td>',
        f'<td data-label="状态">{badge}</td>',
        f'<td class="text-nowrap" data-label="标准编号">{_text(v.number)}</td>',
        f'<td class="text-nowrap" data-label="发布时间">{_minute(v.published_at)}</td>',
        f'<td data-label="最后修改">{edited}</td>',
        '<td class="text-nowrap std-version-links">\n          '
        + "\n          ".join(links)
        + "\n        </td>",
    ]
    return "\n      <tr>\n        " + "\n        ".join(cells) + "\n      </tr>\n    "


def versions_html(
    standard: Standard, versions: list[StandardVersion], *, may_edit: bool, read_url: str
) -> SafeString:
    """The versions tab: the versions, newest first, or what comes when there is none."""
    if not versions:
        if standard.is_adopted:
            hint = "采用的外部标准可以只登记信息和 PDF，不必录入条款。"
        else:
            hint = "起草开始后，草案就是第 1 版；每次修订发布一个新版本。"
        return mark_safe(  # noqa: S308 (fixed text)
            '\n<div class="card-body">\n  <div class="empty py-4">\n'
            '    <p class="empty-title">还没有版本</p>\n'
            f'    <p class="empty-subtitle text-secondary">{hint}</p>\n  </div>\n</div>\n'
        )
    rows = "".join(
        _version_row(version, versions[index + 1] if index + 1 < len(versions) else None, may_edit)
        for index, version in enumerate(versions)
    )
    out = (
        '\n<div class="table-responsive">\n'
        '  <table class="table table-vcenter card-table table-stack std-versions-table"'
        ' data-testid="standard-versions">\n'
        "    <thead><tr><th>版本</th><th>状态</th><th>标准编号</th><th>发布时间</th>"
        '<th>最后修改</th><th><span class="visually-hidden">操作</span></th></tr></thead>\n'
        f"    <tbody>\n    {rows}\n    </tbody>\n  </table>\n</div>\n"
    )
    if read_url:
        out += (
            f'<div class="card-footer"><a href="{escape(read_url)}">'
            f"{icon_svg('eye')}阅读现行文本</a></div>\n"
        )
    return mark_safe(out)  # noqa: S308 (escaped above)

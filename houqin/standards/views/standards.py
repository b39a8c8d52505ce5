"""The standards' own pages: the list (filters, sort, Excel export), a standard's page
(metadata, text, versions, attachments, change log, lifecycle), 立项, registering an adopted
external standard, editing metadata, and deleting a proposal made by mistake."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.common.attachments import attachments_for_compiled
from houqin.common.changelog import changelog_entries_compiled
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectDetailView, ObjectListView, add_errors
from houqin.common.lists import Column, ListPage, url_for_pk
from houqin.standards.filters import StandardFilter
from houqin.standards.forms import AdoptForm, EditForm, ProposeForm, StandardForm
from houqin.standards.models import Standard, StandardVersion
from houqin.standards.rendering import version_html
from houqin.standards.selectors import (
    review_overdue,
    sees_all_standards,
    standard_get,
    standard_list,
    standard_related,
    standard_versions,
    version_in_force,
)
from houqin.standards.services import (
    can_edit_text,
    settings_for,
    standard_adopt,
    standard_delete,
    standard_propose,
    standard_update,
)
from houqin.standards.views.lifecycle import panel_context
from houqin.standards.views.standard_page import overview_html, steps_html, versions_html

VIEW = "standards.view_standard"
ADD = "standards.add_standard"
CHANGE = "standards.change_standard"
MANAGE = "standards.manage_standard"

S = Standard.Status
LEVELS = dict(Standard.Level.choices)
LEVEL_SHORT = {value: label.removesuffix("标准") for value, label in Standard.Level.choices}
STATUS_COLOURS: dict[str, str] = {
    S.PROPOSED: "secondary",
    S.DRAFTING: "blue",
    S.CONSULTATION: "azure",
    S.REVIEW: "purple",
    S.PUBLISHED: "green",
    S.IN_FORCE: "green",
    S.UNDER_REVIEW: "yellow",
    S.REVISING: "yellow",
    S.WITHDRAWN: "red",
}
STATUS_HTML = {
    value: format_html('<span class="badge bg-{}-lt">{}</span>', STATUS_COLOURS[value], label)
    for value, label in S.choices
}

NOT_EDITABLE: dict[str, str] = {
    S.REVIEW: "标准正在审查，审查期间不能修改；需要修改时请先退回起草。",
    S.PUBLISHED: "标准已批准发布，等待实施；实施后可以修改归类和适用范围。",
    S.WITHDRAWN: "标准已废止，不能再修改。",
}

# The sections of the standard forms; each form shows the fields it has.
FORM_SECTIONS = (
    (
        "基本信息",
        (
            "number",
            "title",
            "english_title",
            "level",
            "issuing_body",
            "published_on",
            "effective_on",
            "node",
            "owner_department",
            "drafting_units",
            "drafters",
            "review_years",
        ),
    ),
    ("立项信息", ("proposer", "reason", "scope", "due_on")),
    ("适用范围", ("lines", "posts", "replaces")),
    ("标准文本", ("pdf",)),
)


def perms_all(*perms: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in first, then every permission named, else 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not all(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


ROW_FIELDS = (
    "number",
    "title",
    "level",
    "status",
    "effective_on",
    "review_due_on",
    "node__code",
    "node__name",
    "owner_department__name",
)


def _review_cell(row: Any) -> SafeString:
    """The next review date, red and marked "已逾期" when it has passed."""
    due = row.review_due_on
    if due is None:
        return mark_safe("—")
    if review_overdue(row, timezone.localdate()):
        return mark_safe(  # noqa: S308  (a date)
            f'<span class="text-danger fw-bold">{due.isoformat()}</span> '
            '<span class="badge bg-red-lt">已逾期</span>'
        )
    return mark_safe(due.isoformat())  # noqa: S308  (a date)


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else "—"


COLUMNS = [
    Col("标准编号", lambda r: r.number, "number"),
    Col("标准名称", lambda r: r.title, "title"),
    Col("层级", lambda r: LEVEL_SHORT[r.level], "level"),
    Col("状态", lambda r: STATUS_HTML[r.status], "status", export=lambda r: r.get_status_display()),
    Col("体系节点", lambda r: f"{r.node.code} {r.node.name}", "node__path"),
    Col(
        "归口科室",
        lambda r: r.owner_department.name if r.owner_department_id else "",
        "owner_department__name",
    ),
    Col("实施日期", lambda r: r.effective_on, "effective_on"),
    Col("下次复审", _review_cell, "review_due_on", export=lambda r: r.review_due_on),
]


class StandardListView(ObjectListView):
    """Every standard of the organization, for those who work on standards."""

    model = Standard
    title = "标准"
    columns = COLUMNS
    default_sort = "node__path"
    filterset_class = StandardFilter
    search_fields = ("number", "title")
    search_hint = "标准编号或名称"
    detail_url_name = "standards:standard_detail"
    create_url_name = "standards:standard_propose"
    empty_text = (
        "先在标准体系中建好节点，再立项编写中心自己的标准，或登记采用的国家、行业、地方标准。"
    )
    template_name = "standards/standard_list.html"
    bulk_actions = {}
    sees_all: ClassVar[bool] = True

    def get_queryset(self) -> Any:
        rows = standard_list(user=self.request.user)
        if self.request.GET.get("export") == "xlsx":
            return rows
        # What row_html shows, as plain tuples: no model instances for a page of rows.
        return rows.values_list("pk", *ROW_FIELDS, named=True)

    def listing(self) -> ListPage:
        return ListPage(
            self.request,
            self.get_queryset(),
            columns=[Column(c.label, c.order_by) for c in self.columns],
            default_sort=self.default_sort,
            filterset_class=self.filterset_class,
            filterset_kwargs={
                "organization_id": self.request.user.organization_id,  # type: ignore[union-attr]
                "sees_all": self.sees_all,
            },
            search_fields=self.search_fields,
            filter_columns={
                name: "col-12 col-md-6" if name == "node" else "col-6 col-md-3"
                for name in StandardFilter.base_filters
            },
        )

    def row_html(self, row: Any, selectable: bool = False) -> SafeString:
        """One row (a named tuple of ROW_FIELDS) as a string; the number and the title both
        open the standard. On a phone the row is a block of labelled lines, without the node
        and the department."""
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        number = (
            f'<a href="{url}">{html.escape(row.number)}</a>'
            if row.number
            else '<span class="text-secondary">未编号</span>'
        )
        department = html.escape(row.owner_department__name or "—")
        title = html.escape(row.title)
        cells = [
            f"<td>{number}</td>",
            f'<td class="text-break std-list-title"><a href="{url}">{title}</a></td>',
            f'<td class="text-nowrap" data-label="层级">{LEVEL_SHORT[row.level]}</td>',
            f'<td data-label="状态">{STATUS_HTML[row.status]}</td>',
            f'<td class="d-none d-md-table-cell"><span class="text-nowrap">'
            f"{html.escape(row.node__code)}</span> {html.escape(row.node__name)}</td>",
            f'<td class="d-none d-md-table-cell">{department}</td>',
            f'<td class="text-nowrap" data-label="实施日期">{_date_text(row.effective_on)}</td>',
            f'<td class="text-nowrap" data-label="下次复审">{_review_cell(row)}</td>',
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308 (escaped above)

    @property
    def filters_active(self) -> int:
        """How many of the drop-down filters are set (the phone shows them when any is)."""
        return sum(1 for name in StandardFilter.base_filters if self.request.GET.get(name))

    @property
    def can_adopt(self) -> bool:
        user = self.request.user
        return user.has_perm(ADD) and user.has_perm(MANAGE)

    @property
    def search_url(self) -> str:
        return reverse("standards:search")


class CurrentStandardListView(StandardListView):
    """The standards in force, for frontline staff (they read, they do not draft)."""

    title = "现行标准"
    empty_text = "中心的标准实施后会列在这里。"
    sees_all = False


_all_standards = StandardListView.as_view()
_current_standards = CurrentStandardListView.as_view()


def standard_list_view(request: HttpRequest) -> HttpResponseBase:
    """The list; frontline staff get the list of standards in force."""
    if request.user.is_authenticated and not sees_all_standards(request.user):
        return _current_standards(request)
    return _all_standards(request)


def lifecycle_panel(
    request: HttpRequest, standard: Standard, versions: list[StandardVersion] | None = None
) -> SafeString:
    """The lifecycle panel: its steps' buttons and records (``versions``: all of them,
    newest first, when the page has read them)."""
    return render_to_string(
        "standards/_lifecycle_panel.html", panel_context(request, standard, versions), request
    )


class StandardDetailView(ObjectDetailView):
    model = Standard
    fields: ClassVar[list[str]] = []
    template_name = "standards/standard_detail.html"
    update_url_name = "standards:standard_update"
    list_url_name = "standards:standard_list"

    def get_object(self, pk: Any) -> Standard:
        return standard_get(user=self.request.user, pk=pk, related=False)

    def changelog(self, obj: Standard) -> list[Any]:
        return changelog_entries_compiled(obj)

    def attachment_context(self, obj: Any, can_change: bool) -> dict[str, Any]:
        self._attachments = attachments_for_compiled(obj)
        return {
            "attachments": self._attachments,
            "can_upload": can_change,
            "with_attachments": True,
        }

    def extra_context(self, obj: Standard) -> dict[str, Any]:
        user = self.request.user
        sees_all = sees_all_standards(user)
        versions = standard_versions(standard=obj, drafts=sees_all)
        shown = version_in_force(versions)
        attachments = getattr(self, "_attachments", None)
        read_url = url_for_pk("standards:read", obj.pk)
        read_url = read_url if any(v.is_published for v in versions) else ""
        status_html = STATUS_HTML[obj.status]
        level_label = LEVELS[obj.level]
        overdue = review_overdue(obj, timezone.localdate())
        return {
            "standard": obj,
            "status_html": status_html,
            "level_label": level_label,
            "steps_html": steps_html(obj.status, obj.is_adopted),
            "overdue": overdue,
            "overview_html": overview_html(
                obj,
                level_label=level_label,
                status_html=status_html,
                overdue=overdue,
                **standard_related(obj),
            ),
            "shown_version": shown,
            "text_html": version_html(shown) if shown is not None else "",
            "versions": versions,
            "versions_html": versions_html(
                obj, versions, may_edit=can_edit_text(user, obj), read_url=read_url
            ),
            "pdfs": [a for a in attachments or () if a.kind == "pdf"],
            "read_url": read_url,
            "can_delete": (user.has_perm(MANAGE) and obj.status == S.PROPOSED and not versions),
            "lifecycle_panel": lifecycle_panel(self.request, obj, versions if sees_all else None),
        }


def _form_sections(form: StandardForm) -> list[tuple[str, list[Any]]]:
    sections = []
    for heading, names in FORM_SECTIONS:
        fields = [form[name] for name in form.fields if name in names]
        if fields:
            sections.append((heading, fields))
    return sections


def _render_form(
    request: HttpRequest,
    form: StandardForm,
    *,
    title: str,
    intro: str,
    cancel_url: str,
    standard: Standard | None = None,
) -> HttpResponse:
    return render(
        request,
        "standards/standard_form.html",
        {
            "form": form,
            "sections": _form_sections(form),
            "title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            "standard": standard,
            "multipart": "pdf" in form.fields,
            "pdf_lost": "pdf" in form.fields and bool(request.FILES.get("pdf")),
        },
    )


def _save(request: HttpRequest, form: StandardForm, save: Callable[[], Standard]) -> Any:
    """Save a valid form through its service; a service error goes next to its field."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_errors(form, error)
        return None


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    organization = request.user.organization  # type: ignore[union-attr]
    return {
        "organization_id": organization.pk,
        "internal_prefix": settings_for(organization).internal_prefix,
    }


@perm_required(ADD)
def standard_propose_view(request: HttpRequest) -> HttpResponse:
    """立项."""
    user: Any = request.user
    form = ProposeForm(request.POST if request.method == "POST" else None, **_form_kwargs(request))
    saved = _save(
        request,
        form,
        lambda: standard_propose(
            organization=user.organization,
            actor=user,
            data=form.service_data(),
            lines=form.cleaned_data["lines"],
            posts=list(form.cleaned_data["posts"]),
        ),
    )
    if saved is not None:
        messages.success(request, f"已立项：{saved.title}。批准立项后进入起草。")
        return redirect("standards:standard_detail", pk=saved.pk)
    return _render_form(
        request,
        form,
        title="标准立项",
        intro="写明为什么要制定这项标准、规定什么、由谁负责、何时完成；标准化办公室批准立项后进入起草。",
        cancel_url=reverse("standards:standard_list"),
    )


@perms_all(ADD, MANAGE)
def standard_adopt_view(request: HttpRequest) -> HttpResponse:
    """Register an adopted external standard (and its PDF)."""
    user: Any = request.user
    posted = request.method == "POST"
    form = AdoptForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        **_form_kwargs(request),
    )
    saved = _save(
        request,
        form,
        lambda: standard_adopt(
            organization=user.organization,
            actor=user,
            data=form.service_data(),
            lines=form.cleaned_data["lines"],
            posts=list(form.cleaned_data["posts"]),
            pdf=form.cleaned_data.get("pdf"),
        ),
    )
    if saved is not None:
        messages.success(request, f"已登记：{saved}。")
        return redirect("standards:standard_detail", pk=saved.pk)
    return _render_form(
        request,
        form,
        title="登记外部标准",
        intro=(
            "登记中心采用的国家、行业、地方或团体标准：登记后即为现行标准，"
            "可以同时上传标准文本 PDF。"
        ),
        cancel_url=reverse("standards:standard_list"),
    )


@perm_required(CHANGE)
def standard_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the metadata the standard's state allows; in other states say why not."""
    user: Any = request.user
    standard = standard_get(user=user, pk=pk, action="change")
    detail_url = url_for_pk("standards:standard_detail", standard.pk)
    title = f"修改：{standard}"
    if standard.status not in Standard.editable_states:
        return render(
            request,
            "standards/standard_locked.html",
            {
                "standard": standard,
                "title": title,
                "reason": NOT_EDITABLE.get(standard.status, "当前阶段不能修改。"),
                "status_html": STATUS_HTML[standard.status],
                "detail_url": detail_url,
            },
        )
    has_published = standard.versions.published().exists()
    form = EditForm(
        request.POST if request.method == "POST" else None,
        instance=standard,
        has_published=has_published,
        **_form_kwargs(request),
    )

    def save() -> Standard:
        relations = form.relations()
        return standard_update(
            standard=standard,
            actor=user,
            data=form.service_data(),
            lines=relations.get("lines"),
            posts=relations.get("posts"),
        )

    saved = _save(request, form, save)
    if saved is not None:
        messages.success(request, "已保存。")
        return redirect("standards:standard_detail", pk=saved.pk)
    intro = ""
    if standard.is_adopted:
        intro = "修改采用的外部标准的登记信息。"
    elif standard.status == S.IN_FORCE:
        intro = "标准已实施：名称和编号随发布确定，这里只能修改归类和适用范围。"
    return _render_form(
        request, form, title=title, intro=intro, cancel_url=detail_url, standard=standard
    )


@require_POST
@perm_required(MANAGE)
def standard_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a proposal made by mistake (only in 立项, without versions)."""
    standard = standard_get(user=request.user, pk=pk, action="change")
    try:
        standard_delete(standard=standard, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return HttpResponseRedirect(url_for_pk("standards:standard_detail", standard.pk))
    messages.success(request, f"已删除立项“{standard.title}”。")
    return redirect("standards:standard_list")


urlpatterns: list[URLPattern] = [
    path("", standard_list_view, name="standard_list"),
    path("new/", standard_propose_view, name="standard_propose"),
    path("adopt/", standard_adopt_view, name="standard_adopt"),
    path("<int:pk>/", StandardDetailView.as_view(), name="standard_detail"),
    path("<int:pk>/edit/", standard_update_view, name="standard_update"),
    path("<int:pk>/delete/", standard_delete_view, name="standard_delete"),
]

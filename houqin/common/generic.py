"""Generic object pages, so that a new object type costs a model, a form, a filter set, a
column list and a few lines of URL wiring.

- ObjectListView: filter (the app's FilterSet), search, sort, pagination, Excel export of
  the filtered rows (``?export=xlsx``), an empty state; rows are built as strings.
- ObjectDetailView: fields, workflow buttons, attachments, change log.
- ObjectCreateView / ObjectUpdateView: a form whose valid data goes through a service
  (common.services by default), errors shown next to the fields.
- object_delete / object_transition: POST actions with confirmation in the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.views import View

from houqin.common.changelog import changelog_entries
from houqin.common.exports import xlsx_response
from houqin.common.filters import OrgFilterSet
from houqin.common.forms import OrgModelForm
from houqin.common.lists import Column, ListPage, as_html, url_for, url_for_pk
from houqin.common.masking import mask_phone
from houqin.common.services import record_create, record_delete, record_update
from houqin.common.signals import list_exported
from houqin.common.workflow import transition_apply

Row = Any


@dataclass(frozen=True)
class BulkAction:
    """An action on the rows ticked in a list: the model permission it needs ("delete",
    "change"), what the confirmation says, and the service that acts on one row."""

    label: str
    permission: str
    confirm: str
    run: Callable[[Any, Any], Any]


def _delete_one(obj: Any, actor: Any) -> None:
    record_delete(obj=obj, actor=actor)


DELETE_SELECTED = BulkAction(
    "删除所选", "delete", "删除后不能恢复；被其他数据引用的记录会跳过。", _delete_one
)


@dataclass(frozen=True)
class Col:
    """A list column: its label, the cell (text or safe HTML) and, when sortable, the field."""

    label: str
    cell: Callable[[Row], Any]
    order_by: str = ""
    export: Callable[[Row], Any] | None = None

    def export_value(self, row: Row) -> Any:
        value = (self.export or self.cell)(row)
        return str(value) if isinstance(value, SafeString) else value


def perm_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def scoped_get(model: type[models.Model], user: Any, pk: Any, action: str = "view") -> Any:
    """One row the user may reach (outsider → 404), through the model's for_user."""
    obj = model.objects.for_user(user, action).filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404
    return obj


class PermissionMixin(LoginRequiredMixin):
    """Sign-in first, then the model permission of the view's action, else 403."""

    model: ClassVar[type[models.Model]]
    action: ClassVar[str] = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(perm_name(self.model, self.action)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(PermissionMixin, View):
    title: ClassVar[str]
    columns: ClassVar[list[Col]]
    default_sort: ClassVar[str]
    filterset_class: ClassVar[Any] = None
    search_fields: ClassVar[tuple[str, ...]] = ()
    search_hint: ClassVar[str] = ""
    detail_url_name: ClassVar[str] = ""
    create_url_name: ClassVar[str] = ""
    empty_text: ClassVar[str] = ""
    template_name: ClassVar[str] = "common/object_list.html"
    bulk_actions: ClassVar[dict[str, BulkAction]] = {}
    bulk_limit: ClassVar[int] = 500
    # the grid class of each filter's column in the filter bar, or one class for them all
    filter_columns: ClassVar[dict[str, str] | str] = {}

    def allowed_bulk_actions(self) -> dict[str, BulkAction]:
        user = self.request.user
        return {
            name: action
            for name, action in self.bulk_actions.items()
            if user.has_perm(perm_name(self.model, action.permission))
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        """Run a bulk action on the ticked rows (after the page's confirmation), each row
        through its service; rows that fail are reported, the others done."""
        action = self.allowed_bulk_actions().get(request.POST.get("bulk_action", ""))
        if action is None:
            raise PermissionDenied
        ids = [i for i in request.POST.getlist("ids") if i.isdigit()][: self.bulk_limit]
        rows = self.model.objects.for_user(request.user, action.permission).filter(pk__in=ids)  # type: ignore[attr-defined]
        done, failed = 0, []
        for obj in rows:
            try:
                action.run(obj, request.user)
            except ValidationError as error:
                failed.append(f"{obj}：{error.messages[0]}")
            else:
                done += 1
        if not ids:
            messages.info(request, "请先勾选要操作的记录。")
        elif done:
            messages.success(request, f"{action.label}：已完成 {done} 条。")
        if failed:
            messages.error(request, f"{len(failed)} 条未能完成：" + "；".join(failed[:5]))
        return HttpResponseRedirect(request.get_full_path())

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.model.objects.for_user(self.request.user, "view")  # type: ignore[attr-defined]

    def listing(self) -> ListPage:
        return ListPage(
            self.request,
            self.get_queryset(),
            columns=[Column(c.label, c.order_by) for c in self.columns],
            default_sort=self.default_sort,
            filterset_class=self.filterset_class,
            filterset_kwargs=(
                {"organization_id": self.request.user.organization_id}  # type: ignore[union-attr]
                if self.filterset_class and issubclass(self.filterset_class, OrgFilterSet)
                else None
            ),
            search_fields=self.search_fields,
            filter_columns=self._filter_columns(),
        )

    def _filter_columns(self) -> dict[str, str] | None:
        columns = self.filter_columns
        if isinstance(columns, str):
            names = self.filterset_class.base_filters if self.filterset_class else ()
            return {name: columns for name in names}
        return columns or None

    def row_html(self, row: Row, selectable: bool = False) -> SafeString:
        """One row as a string: each cell escaped unless the column gave safe HTML."""
        raw = [column.cell(row) for column in self.columns]
        cells = [_cell_html(value) for value in raw]
        if self.detail_url_name:
            url = url_for_pk(self.detail_url_name, row.pk)
            cells[0] = f'<a href="{html.escape(url)}">{cells[0]}</a>'
        tds = "".join(
            f'<td class="text-nowrap">{cell}</td>'
            if isinstance(value, _NOWRAP)
            else f"<td>{cell}</td>"
            for cell, value in zip(cells, raw, strict=True)
        )
        if selectable:
            tds = (
                f'<td class="w-1"><input type="checkbox" class="form-check-input" name="ids" '
                f'value="{row.pk}" form="bulk-form" aria-label="选择 {html.escape(str(row))}" '
                f"data-bulk-item></td>{tds}"
            )
        return mark_safe(f"<tr>{tds}</tr>")  # noqa: S308  (each cell escaped or safe)

    def get(self, request: HttpRequest) -> HttpResponse:
        listing = self.listing()
        if request.GET.get("export") == "xlsx":
            return self.export(listing)
        page = listing.page()
        bulk = self.allowed_bulk_actions()
        context = {
            "view": self,
            "listing": listing,
            "page": page,
            "rows": [self.row_html(row, bool(bulk)) for row in page.object_list],
            "bulk_actions": bulk,
            "table_head": listing.head(selectable=bool(bulk)),
            "can_create": bool(self.create_url_name)
            and request.user.has_perm(perm_name(self.model, "add")),
            "create_url": url_for(self.create_url_name) if self.create_url_name else "",
            "export_query": _export_query(request),
        }
        fragment = getattr(request, "htmx", False) and not request.htmx.boosted  # type: ignore[attr-defined]
        template = "common/_object_table.html" if fragment else self.template_name
        return render(request, template, context)

    def export(self, listing: ListPage) -> HttpResponse:
        rows = list(listing.rows[:50000])
        list_exported.send(
            type(self),
            request=self.request,
            what=self.title,
            filter_note=listing.filter_note(),
            rows=len(rows),
        )
        return xlsx_response(
            title=self.title,
            headers=[c.label for c in self.columns],
            rows=([c.export_value(row) for c in self.columns] for row in rows),
            filter_note=listing.filter_note(),
            filename=f"{self.title}.xlsx",
            exported_by=getattr(self.request.user, "name", ""),
        )


_NOWRAP = (date, Decimal)  # cells not broken over two lines


def _cell_html(value: Any) -> str:
    """A cell as HTML: "—" when blank, else as_html (every cell of every row goes here)."""
    return "—" if value is None or value == "" else as_html(value)


def _export_query(request: HttpRequest) -> str:
    if not request.GET:
        return "export=xlsx"
    params = request.GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return params.urlencode()


@dataclass(frozen=True)
class Field:
    label: str
    value: Any


class ObjectDetailView(PermissionMixin, View):
    fields: ClassVar[list[str]]
    template_name: ClassVar[str] = "common/object_detail.html"
    update_url_name: ClassVar[str] = ""
    delete_url_name: ClassVar[str] = ""
    transition_url_name: ClassVar[str] = ""
    list_url_name: ClassVar[str] = ""
    with_attachments: ClassVar[bool] = True

    def get_object(self, pk: Any) -> Any:
        return scoped_get(self.model, self.request.user, pk)

    def field_rows(self, obj: Any) -> list[Field]:
        rows = []
        for name in self.fields:
            field = self.model._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if callable(display) else getattr(obj, name)
            if name == "phone":
                value = mask_phone(value or "")  # the full number is not needed here (PIPL)
            elif isinstance(value, bool):
                value = "是" if value else "否"
            elif isinstance(value, Decimal):
                value = f"{value:,.2f}"
            elif isinstance(value, date):
                value = (
                    value.isoformat()
                    if not isinstance(value, datetime)
                    else localtime(value).strftime("%Y-%m-%d %H:%M")
                )
            rows.append(Field(str(getattr(field, "verbose_name", name)), value))
        return rows

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def changelog(self, obj: Any) -> list[Any]:
        """The change log shown on the page (a page may read it another way)."""
        return changelog_entries(obj)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk)
        user = request.user
        workflow = getattr(self.model, "workflow", None)
        can_change = user.has_perm(perm_name(self.model, "change"))
        context = {
            "view": self,
            "object": obj,
            "title": str(obj),
            "fields": self.field_rows(obj),
            "changelog": self.changelog(obj),
            "can_edit": bool(self.update_url_name) and can_change and _editable(obj),
            "can_delete": bool(self.delete_url_name)
            and user.has_perm(perm_name(self.model, "delete")),
            "transitions": workflow.available(obj, user) if workflow else [],
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            **self.attachment_context(obj, can_change),
            **self.extra_context(obj),
        }
        return render(request, self.template_name, context)

    def attachment_context(self, obj: Any, can_change: bool) -> dict[str, Any]:
        if not self.with_attachments:
            return {}
        from houqin.common.attachments import attachments_for

        return {
            "attachments": attachments_for(obj),
            "can_upload": can_change,
            "with_attachments": True,
        }


def _editable(obj: Any) -> bool:
    workflow = getattr(type(obj), "workflow", None)
    editable_states = getattr(type(obj), "editable_states", None)
    if workflow is None or editable_states is None:
        return True
    return getattr(obj, workflow.field) in editable_states


class ObjectFormView(PermissionMixin, View):
    form_class: ClassVar[type[forms.BaseForm]]
    template_name: ClassVar[str] = "common/object_form.html"
    detail_url_name: ClassVar[str]
    list_url_name: ClassVar[str]
    title: ClassVar[str] = ""

    def form_kwargs(self) -> dict[str, Any]:
        if issubclass(self.form_class, OrgModelForm):
            return {"organization_id": self.request.user.organization_id}  # type: ignore[union-attr]
        return {}

    def save(self, form: Any, obj: Any) -> Any:
        """Create or update through the generic audited writes; override to call the
        domain's own service."""
        user = self.request.user
        if obj is None:
            return record_create(
                model=self.model,
                actor=user,
                organization=user.organization,  # type: ignore[union-attr]
                data=form_data(form),
            )
        return record_update(obj=obj, actor=user, data=form_data(form))

    def get_target(self, pk: Any) -> Any:
        return None

    def handle(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_target(pk)
        data = request.POST if request.method == "POST" else None
        form = self.form_class(data, instance=obj, **self.form_kwargs())  # type: ignore[call-arg]
        if request.method == "POST" and form.is_valid():
            try:
                saved = self.save(form, obj)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已保存。")
                return HttpResponseRedirect(url_for_pk(self.detail_url_name, saved.pk))
        title = self.title or (f"修改：{obj}" if obj else f"新建{self.model._meta.verbose_name}")
        cancel = url_for_pk(self.detail_url_name, obj.pk) if obj else reverse(self.list_url_name)
        context = {"view": self, "form": form, "object": obj, "title": title, "cancel_url": cancel}
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        return self.handle(request, pk)

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        return self.handle(request, pk)


def add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError shown next to the fields it names (else at the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_data(form: Any) -> dict[str, Any]:
    """The cleaned values of the form's model fields (not extra form-only fields)."""
    model_fields = {f.name for f in form._meta.model._meta.get_fields()}
    return {k: v for k, v in form.cleaned_data.items() if k in model_fields}


class ObjectCreateView(ObjectFormView):
    action = "add"


class ObjectUpdateView(ObjectFormView):
    action = "change"

    def get_target(self, pk: Any) -> Any:
        obj = scoped_get(self.model, self.request.user, pk, "change")
        if not _editable(obj):
            raise PermissionDenied
        return obj


@login_required
def object_delete(
    request: HttpRequest, model: type[models.Model], pk: Any, next_url: str
) -> HttpResponse:
    """POST: delete one row after the page's confirmation."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if not request.user.has_perm(perm_name(model, "delete")):
        raise PermissionDenied
    obj = scoped_get(model, request.user, pk, "delete")
    try:
        record_delete(obj=obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") or next_url)
    messages.success(request, f"已删除“{obj}”。")
    return HttpResponseRedirect(next_url)


@login_required
def object_transition(
    request: HttpRequest, model: type[models.Model], pk: Any, detail_url_name: str
) -> HttpResponse:
    """POST: apply one workflow transition (``name``, optional ``note``)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if not request.user.has_perm(perm_name(model, "change")):
        raise PermissionDenied
    obj = scoped_get(model, request.user, pk, "change")
    try:
        transition_apply(
            obj=obj,
            name=request.POST.get("name", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "状态已更新。")
    return HttpResponseRedirect(url_for_pk(detail_url_name, obj.pk))


class ObjectSet:
    """Declares the pages of one object type and builds their views and URLs:
    ``<app>:<model>_list``, ``_detail``, ``_create``, ``_update``, ``_delete`` and, for a
    model with a workflow, ``_transition``."""

    model: ClassVar[type[models.Model]]
    slug: ClassVar[str]
    columns: ClassVar[list[Col]]
    default_sort: ClassVar[str]
    detail_fields: ClassVar[list[str]]
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    filterset_class: ClassVar[Any] = None
    search_fields: ClassVar[tuple[str, ...]] = ()
    search_hint: ClassVar[str] = ""
    empty_text: ClassVar[str] = ""
    list_view_base: ClassVar[type[ObjectListView]] = ObjectListView
    detail_view_base: ClassVar[type[ObjectDetailView]] = ObjectDetailView
    create_view_base: ClassVar[type[ObjectCreateView]] = ObjectCreateView
    update_view_base: ClassVar[type[ObjectUpdateView]] = ObjectUpdateView
    queryset: ClassVar[Callable[[Any], models.QuerySet[Any]] | None] = None
    deletable: ClassVar[bool] = True
    bulk_actions: ClassVar[dict[str, BulkAction] | None] = None  # default: delete if deletable

    @classmethod
    def name(cls, suffix: str) -> str:
        return f"{cls.model._meta.app_label}:{cls.model._meta.model_name}_{suffix}"

    @classmethod
    def urls(cls) -> list[Any]:
        from django.urls import path

        model, base = cls.model, cls.model._meta.model_name
        names = {s: cls.name(s) for s in ("list", "detail", "create", "update", "delete")}
        has_form = cls.form_class is not None
        workflow = getattr(model, "workflow", None)
        queryset = cls.queryset
        list_attrs: dict[str, Any] = {
            "model": model,
            "title": str(model._meta.verbose_name_plural),
            "columns": cls.columns,
            "default_sort": cls.default_sort,
            "filterset_class": cls.filterset_class,
            "search_fields": cls.search_fields,
            "search_hint": cls.search_hint,
            "detail_url_name": names["detail"],
            "create_url_name": names["create"] if has_form else "",
            "empty_text": cls.empty_text,
            "bulk_actions": cls.bulk_actions
            if cls.bulk_actions is not None
            else ({"delete": DELETE_SELECTED} if cls.deletable else {}),
        }
        if queryset is not None:
            list_attrs["get_queryset"] = lambda self: queryset(self.request.user)
        list_view: type[ObjectListView] = type(
            f"{model.__name__}List", (cls.list_view_base,), list_attrs
        )
        detail_view: type[ObjectDetailView] = type(
            f"{model.__name__}Detail",
            (cls.detail_view_base,),
            {
                "model": model,
                "fields": cls.detail_fields,
                "update_url_name": names["update"] if has_form else "",
                "delete_url_name": names["delete"] if cls.deletable else "",
                "transition_url_name": cls.name("transition") if workflow else "",
                "list_url_name": names["list"],
            },
        )
        patterns = [
            path(f"{cls.slug}/", list_view.as_view(), name=f"{base}_list"),
            path(f"{cls.slug}/<int:pk>/", detail_view.as_view(), name=f"{base}_detail"),
        ]
        if cls.deletable:
            patterns.append(
                path(
                    f"{cls.slug}/<int:pk>/delete/",
                    lambda request, pk: object_delete(request, model, pk, reverse(names["list"])),
                    name=f"{base}_delete",
                )
            )
        if has_form:
            form_attrs = {
                "model": model,
                "form_class": cls.form_class,
                "detail_url_name": names["detail"],
                "list_url_name": names["list"],
            }
            create: type[ObjectFormView] = type(
                f"{model.__name__}Create", (cls.create_view_base,), form_attrs
            )
            update: type[ObjectFormView] = type(
                f"{model.__name__}Update", (cls.update_view_base,), form_attrs
            )
            patterns += [
                path(f"{cls.slug}/new/", create.as_view(), name=f"{base}_create"),
                path(f"{cls.slug}/<int:pk>/edit/", update.as_view(), name=f"{base}_update"),
            ]
        if workflow:
            patterns.append(
                path(
                    f"{cls.slug}/<int:pk>/transition/",
                    lambda request, pk: object_transition(request, model, pk, names["detail"]),
                    name=f"{base}_transition",
                )
            )
        return patterns

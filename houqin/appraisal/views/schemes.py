"""Scheme pages (考核方案): the list, a new scheme, a scheme's page with its versions and the
draft editor (rows added, changed and removed in place with htmx; each URL also serves a
plain page when htmx is not there), publishing a draft, revising (a new draft copied from
the published version), one version's page and two versions side by side."""

from __future__ import annotations

import copy
import html
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.appraisal import scheme_services as services
from houqin.appraisal.forms import ROW_FORMS, SchemeFilter, SchemeForm, VersionSettingsForm
from houqin.appraisal.models import AppraisalScheme, SchemeVersion, SubjectKind
from houqin.appraisal.models.schemes import MANAGE
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectListView, add_errors, scoped_get
from houqin.common.lists import url_for_pk

VIEW = "appraisal.view_appraisalscheme"
ADD = "appraisal.add_appraisalscheme"
DETAIL = "appraisal:scheme_detail"


def _seq(value: int | None) -> str:
    return f"第{value}版" if value else ""


COLUMNS = [
    Col("方案名称", lambda r: r.name, "name"),
    Col("考核对象", lambda r: r.get_subject_kind_display(), "subject_kind"),
    Col("在用版本", lambda r: _seq(r.current_seq) or "未发布", "current_seq"),
    Col("草稿", lambda r: _seq(r.draft_seq)),
    Col("考核周期数", lambda r: r.period_count, "period_count"),
    Col("更新时间", lambda r: timezone.localtime(r.updated_at), "updated_at"),
]


class SchemeListView(ObjectListView):
    """The organization's appraisal schemes with the version in use and the open draft."""

    model = AppraisalScheme
    title = "考核方案"
    columns = COLUMNS
    default_sort = "name"
    filterset_class = SchemeFilter
    search_fields = ("name", "description")
    search_hint = "方案名称或说明"
    detail_url_name = DETAIL
    create_url_name = "appraisal:scheme_create"
    template_name = "appraisal/object_list.html"
    create_label = "新建考核方案"
    noun = "考核方案"
    testid = "scheme-table"
    empty_icon = "list-details"
    reader_empty_text = "标准化办公室新建并发布考核方案后，会显示在这里。"
    bulk_actions = {}
    empty_text = "先新建一个考核方案，在方案中添加考核指标、设定等次，然后发布。"

    def get_queryset(self) -> Any:
        return services.scheme_rows(user=self.request.user)

    def row_html(self, row: Any, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(DETAIL, row.pk))
        current = (
            f'<span class="badge bg-green-lt">{_seq(row.current_seq)}</span>'
            if row.current_seq
            else '<span class="badge bg-secondary-lt">未发布</span>'
        )
        draft = (
            f'<span class="badge bg-yellow-lt">{_seq(row.draft_seq)}草稿</span>'
            if row.draft_seq
            else "—"
        )
        cells = [
            f'<td class="text-break"><a href="{url}">{html.escape(row.name)}</a></td>',
            f'<td data-label="考核对象">{html.escape(row.get_subject_kind_display())}</td>',
            f'<td data-label="在用版本">{current}</td>',
            f'<td data-label="草稿">{draft}</td>',
            f'<td data-label="考核周期数">{row.period_count}</td>',
            f'<td class="text-nowrap" data-label="更新时间">'
            f"{timezone.localtime(row.updated_at):%Y-%m-%d}</td>",
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)


scheme_list = SchemeListView.as_view()


@perm_required(ADD)
def scheme_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = SchemeForm(posted, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        try:
            scheme = services.scheme_create(
                organization=user.organization, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"已新建考核方案“{scheme.name}”：请添加考核指标、设定等次，然后发布第1版。"
            )
            return redirect(DETAIL, scheme.pk)
    return render(request, "appraisal/scheme_form.html", {"form": form})


def _editor(version: SchemeVersion, saved: str = "") -> dict[str, Any]:
    """The draft editor's context (the version read with its rows)."""
    indicators = list(version.indicators.all())
    return {
        "version": version,
        "scheme": version.scheme,
        "problems": services.version_problems(version),
        "total": services.weight_total(indicators),
        "subjects": services.subjects_of(version),
        "subject_noun": services.SUBJECT_NOUN[SubjectKind(version.scheme.subject_kind)],
        "saved": saved,
        "share": version.grading == SchemeVersion.Grading.SHARE,
    }


@perm_required(VIEW)
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = scoped_get(AppraisalScheme, request.user, pk)
    page = services.scheme_page(scheme=scheme)
    can_change = request.user.has_perm(MANAGE)
    context: dict[str, Any] = {
        "scheme": scheme,
        "page": page,
        "can_change": can_change,
        "can_revise": can_change and page.current is not None and page.draft is None,
        "changelog": page.changelog,
        "published": [v for v in page.versions if v.status == services.PUBLISHED],
    }
    if page.draft is not None and can_change:
        context.update(_editor(page.draft))
    return render(request, "appraisal/scheme_detail.html", context)


def _draft_for(request: HttpRequest, pk: int) -> SchemeVersion:
    """The version with its rows, reachable by the user for a change; 404 otherwise."""
    version = scoped_get(SchemeVersion, request.user, pk, "change")
    return services.version_loaded(version)


def _back(request: HttpRequest, version: SchemeVersion, anchor: str = "draft") -> HttpResponse:
    url = f"{url_for_pk(DETAIL, version.scheme_id)}#{anchor}"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _editor_response(request: HttpRequest, version: SchemeVersion, saved: str) -> HttpResponse:
    """After a change: the whole editor again (htmx) or the scheme's page."""
    if not getattr(request, "htmx", False):
        messages.success(request, saved)
        return _back(request, version)
    fresh = services.version_loaded(version)
    response = render(request, "appraisal/_scheme_editor.html", _editor(fresh, saved))
    response["HX-Retarget"] = "#draft-editor"
    response["HX-Reswap"] = "outerHTML"
    return response


def _fragment(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A fragment for htmx, or the same fragment on a page of its own."""
    if getattr(request, "htmx", False):
        return render(request, template, context)
    page = {**context, "fragment": template, "plain": True}
    return render(request, "appraisal/scheme_step.html", page)


def _row_of(version: SchemeVersion, kind: str, value: str | None) -> Any:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    row = services.ROW_MODELS[kind]._default_manager.filter(pk=value, version=version).first()
    if row is None:
        raise Http404
    return row


def _not_draft(request: HttpRequest, version: SchemeVersion) -> HttpResponse:
    messages.error(request, f"第{version.seq}版已经发布，不能再修改；请先点“修订方案”生成新草稿。")
    return _back(request, version, "versions")


@perm_required(MANAGE)
def version_row(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form of a new row (``row_kind``) or of a row (``row``); POST: save it."""
    version = _draft_for(request, pk)
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("row_kind", "")
    if kind not in ROW_FORMS:
        return HttpResponseBadRequest("没有这一类内容。")
    row = _row_of(version, kind, params.get("row"))
    if version.status != services.DRAFT:
        return _not_draft(request, version)
    form_class = ROW_FORMS[kind]
    extra = {"grading": version.grading} if kind == "band" else {}
    posted = request.POST if request.method == "POST" else None
    form = form_class(posted, instance=copy.copy(row), **extra)
    if posted is not None and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ROW_FIELDS[kind]}
        if kind == "band" and version.grading != SchemeVersion.Grading.SHARE:
            data["max_share"] = row.max_share if row is not None else None
        try:
            saved = services.version_row_save(
                version=version, kind=kind, actor=request.user, data=data, row=row
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            verb = "修改" if row is not None else "添加"
            return _editor_response(
                request, version, f"已{verb}{services.ROW_LABELS[kind]}“{saved}”。"
            )
    others = sum(
        (i.weight for i in version.indicators.all() if row is None or i.pk != row.pk),
        Decimal(0),
    )
    context = {
        "form": form,
        "version": version,
        "kind": kind,
        "row": row,
        "title": f"{'修改' if row else '添加'}{services.ROW_LABELS[kind]}",
        "others": services.num(others),
    }
    return _fragment(request, "appraisal/_scheme_row_form.html", context)


@perm_required(MANAGE)
def version_row_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask first (what will be removed); POST: remove the row."""
    version = _draft_for(request, pk)
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("row_kind", "")
    if kind not in ROW_FORMS:
        return HttpResponseBadRequest("没有这一类内容。")
    row = _row_of(version, kind, params.get("row"))
    if row is None:
        raise Http404
    if version.status != services.DRAFT:
        return _not_draft(request, version)
    error = ""
    if request.method == "POST":
        try:
            services.version_row_remove(version=version, kind=kind, row=row, actor=request.user)
        except ValidationError as problem:
            error = "；".join(problem.messages)
        else:
            return _editor_response(request, version, f"已删除{services.ROW_LABELS[kind]}“{row}”。")
    context = {
        "version": version,
        "kind": kind,
        "row": row,
        "label": services.ROW_LABELS[kind],
        "error": error,
        "title": f"删除{services.ROW_LABELS[kind]}",
    }
    return _fragment(request, "appraisal/_scheme_row_remove.html", context)


@perm_required(MANAGE)
def version_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form of the draft's subjects and grading; POST: save them."""
    version = _draft_for(request, pk)
    if version.status != services.DRAFT:
        return _not_draft(request, version)
    posted = request.POST if request.method == "POST" else None
    form = VersionSettingsForm(posted, version=version)
    if posted is not None and form.is_valid():
        try:
            services.version_settings_save(
                version=version,
                actor=request.user,
                grading=form.cleaned_data["grading"],
                note=form.cleaned_data["note"],
                subjects=list(form.cleaned_data["subjects"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _editor_response(request, version, "已保存考核对象和评定方式。")
    context = {"form": form, "version": version, "title": "考核对象和评定方式"}
    return _fragment(request, "appraisal/_scheme_settings_form.html", context)


@require_POST
@perm_required(MANAGE)
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = scoped_get(SchemeVersion, request.user, pk, "change")
    try:
        services.version_publish(version=version, actor=request.user)
    except ValidationError as error:
        messages.error(request, "不能发布：" + " ".join(error.messages))
        return redirect(f"{url_for_pk(DETAIL, version.scheme_id)}#draft")
    messages.success(request, f"已发布第{version.seq}版。之后新建的考核周期按此版本计分。")
    return redirect(f"{url_for_pk(DETAIL, version.scheme_id)}#versions")


@require_POST
@perm_required(MANAGE)
def scheme_revise(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = scoped_get(AppraisalScheme, request.user, pk, "change")
    try:
        draft = services.version_revise(
            scheme=scheme, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(DETAIL, scheme.pk)
    messages.success(
        request,
        f"已复制为第{draft.seq}版草稿：修改后点“发布此版本”；正在进行的考核周期仍按原版本计分。",
    )
    return redirect(f"{url_for_pk(DETAIL, scheme.pk)}#draft")


@perm_required(VIEW)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = services.version_loaded(scoped_get(SchemeVersion, request.user, pk))
    context = {"version": version, "scheme": version.scheme}
    return render(request, "appraisal/scheme_version.html", context)


def _pick(versions: list[SchemeVersion], value: str | None) -> SchemeVersion | None:
    return next((v for v in versions if str(v.pk) == value), None)


@perm_required(VIEW)
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions' indicators side by side (by default the newest against the one before)."""
    scheme = scoped_get(AppraisalScheme, request.user, pk)
    versions = services.scheme_page(scheme=scheme, log_limit=0).versions
    right = _pick(versions, request.GET.get("right")) or (versions[0] if versions else None)
    older = [v for v in versions if right is not None and v.seq < right.seq]
    left = _pick(versions, request.GET.get("left")) or (older[0] if older else right)
    rows = services.indicators_compare(left, right) if left and right else []
    context = {
        "scheme": scheme,
        "versions": versions,
        "left": left,
        "right": right,
        "rows": rows,
        "changed": sum(1 for r in rows if r.change != "same"),
    }
    return render(request, "appraisal/scheme_compare.html", context)


urlpatterns: list[URLPattern] = [
    path("schemes/", scheme_list, name="scheme_list"),
    path("schemes/new/", scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/revise/", scheme_revise, name="scheme_revise"),
    path("schemes/<int:pk>/compare/", version_compare, name="version_compare"),
    path("scheme-versions/<int:pk>/", version_detail, name="version_detail"),
    path("scheme-versions/<int:pk>/rows/", version_row, name="version_row"),
    path("scheme-versions/<int:pk>/rows/remove/", version_row_remove, name="version_row_remove"),
    path("scheme-versions/<int:pk>/settings/", version_settings, name="version_settings"),
    path("scheme-versions/<int:pk>/publish/", version_publish, name="version_publish"),
]

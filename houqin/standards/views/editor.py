"""The structured clause editor: a draft's text as a tree of clause rows, each saved as the
author types (autosave), with structure operations (add, indent/outdent, move, split,
merge, delete) that renumber the text. Every write names the draft revision the page was
loaded on; a write on an older revision is refused with who changed the draft and when
(``clauses.ConflictError``), and the page keeps the author's unsaved text.

Every write is a POST checked on each request: the drafting permission, the version reached
through the organization's standards, and ``services.can_edit_text`` for the standard."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from houqin.common.decorators import perm_required
from houqin.standards import clauses as ops
from houqin.standards.clauses import ConflictError, Item
from houqin.standards.models import DRAFT, MANAGE, Clause, Standard, StandardVersion
from houqin.standards.rendering import text_html
from houqin.standards.services import can_edit_text, draft_version
from houqin.standards.views.editor_rows import (
    ANNEX_TYPES,
    KIND_LABELS,
    LIST_STYLES,
    SINGLE_TOP,
    SPECIAL_TITLES,
    TOP_ORDER,
    allowed_under,
    default_extra,
    editor_rows,
    one_line,
    posted_changes,
    reference_extra,
)

K = Clause.Kind


def _standards(user: Any) -> Any:
    return Standard.objects.for_user(user, "view")


def version_for(user: Any, pk: int) -> StandardVersion:
    """A version of one of the user's organization's standards, else 404."""
    return get_object_or_404(
        StandardVersion.objects.select_related("standard", "edited_by").filter(
            standard__in=_standards(user)
        ),
        pk=pk,
    )


def clause_for(user: Any, pk: int) -> Clause:
    clause = get_object_or_404(
        Clause.objects.select_related("version__standard", "version__edited_by").filter(
            version__standard__in=_standards(user)
        ),
        pk=pk,
    )
    return clause


def is_drafter(user: Any, standard: Standard) -> bool:
    """May this person write this standard's texts at some stage (runs standards or heads
    the owning department)? ``can_edit_text`` adds whether the stage allows it now."""
    if not user.has_perm(DRAFT):
        return False
    return user.has_perm(MANAGE) or (
        standard.owner_department_id is not None
        and standard.owner_department_id == getattr(user, "department_id", None)
    )


def _check_editable(user: Any, version: StandardVersion) -> None:
    if not can_edit_text(user, version.standard):
        raise PermissionDenied


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@require_GET
@perm_required(DRAFT)
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request.user, pk)
    standard = version.standard
    if not is_drafter(request.user, standard):
        raise PermissionDenied
    editable = not version.is_published and can_edit_text(request.user, standard)
    items = ops.version_items(version)
    context: dict[str, Any] = {
        "version": version,
        "standard": standard,
        "editable": editable,
        "adopted": standard.is_adopted,
        "standard_url": _url("standards:standard_detail", standard.pk),
        "diff_url": reverse("standards:version_diff", args=[version.pk]),
    }
    if editable:
        context.update(_tree_context(version, items))
    else:
        context["text"] = text_html(items)
        context["reason"] = _read_only_reason(version, standard)
        draft = draft_version(standard) if version.is_published else None
        if draft is not None and draft.pk != version.pk and can_edit_text(request.user, standard):
            context["draft_url"] = reverse("standards:editor", args=[draft.pk])
        elif version.is_published and request.user.has_perm(MANAGE):
            context["revise_url"] = context["standard_url"]
    return render(request, "standards/editor.html", context)


def _read_only_reason(version: StandardVersion, standard: Standard) -> str:
    if standard.is_adopted:
        return (
            "录入的条款已发布，不能修改；要更正时在标准页面的“流程”中选择“修改录入的条款”。"
            if version.is_published
            else "已废止的标准不再录入条款。"
        )
    if version.is_published:
        return "本版本已发布，文本不能修改。修改请新建修订草案，修订发布前本版本继续有效。"
    return (
        f"标准处于“{standard.get_status_display()}”阶段，文本不能修改；"
        "退回起草或进入修订后才能修改。"
    )


def _tree_context(version: StandardVersion, items: list[Item]) -> dict[str, Any]:
    rows = editor_rows(items)
    present = {item.clause.kind for item in items}
    return {
        "version": version,
        "rows": rows,
        "top_kinds": [
            (kind, KIND_LABELS[kind])
            for kind in TOP_ORDER
            if kind not in SINGLE_TOP or kind not in present
        ],
        "annex_types": ANNEX_TYPES,
        "list_styles": LIST_STYLES,
    }


def _revision(request: HttpRequest) -> int:
    value = request.POST.get("revision", "")
    if not value.isdigit():
        raise ValidationError("页面缺少草案版本号，请刷新页面后再改。")
    return int(value)


@dataclass
class _Outcome:
    """What a write request did: the revision the page is now on (when it wrote)."""

    version: StandardVersion
    wrote: bool = False
    restyled: bool = False


def _save_pending(request: HttpRequest, clause: Clause, outcome: _Outcome) -> int:
    """Save what the row holds that is not stored yet; returns the revision to go on from."""
    base = _revision(request)
    changes = posted_changes(request, clause)
    if changes:
        number = clause.number
        ops.clause_edit(clause=clause, actor=request.user, base_revision=base, **changes)
        outcome.wrote = True
        outcome.restyled = clause.number != number
        return outcome.version.revision
    return base


def _status_html(
    request: HttpRequest, outcome: _Outcome, message: str = "", conflict: bool = False
) -> str:
    """The out-of-band bits every write answers with: the revision (when it wrote), the
    "已保存 HH:MM:SS" status and the alert line."""
    edited_at = outcome.version.edited_at
    return render_to_string(
        "standards/_editor_status.html",
        {
            "version": outcome.version,
            "wrote": outcome.wrote,
            "saved_at": timezone.localtime(edited_at) if edited_at else None,
            "message": message,
            "conflict": conflict,
        },
        request=request,
    )


FIELD_LABELS = {
    "title": "标题",
    "text": "内容",
    "term": "术语",
    "english": "英文",
    "definition": "定义",
    "source": "来源",
    "ref_code": "编号",
    "ref_year": "年号",
    "ref_title": "名称",
    "th": "表头",
    "td": "表格内容",
}


def _error(
    request: HttpRequest,
    outcome: _Outcome,
    error: ValidationError,
    clause: Clause | None = None,
) -> HttpResponse:
    """400 (or 409 for a conflict) that swaps nothing but the status, the alert and, for a
    conflict, the banner with the text the row held, so that nothing typed is lost."""
    message = " ".join(error.messages)
    conflict = isinstance(error, ConflictError)
    body = _status_html(request, outcome, message, conflict=conflict)
    if conflict:
        unsaved = [
            (FIELD_LABELS[name], " | ".join(values))
            for name, values in request.POST.lists()
            if name in FIELD_LABELS and "".join(values).strip()
        ]
        where = ""
        if clause is not None:
            where = " ".join(p for p in (clause.number, KIND_LABELS[clause.kind]) if p)
        body += render_to_string(
            "standards/_editor_conflict.html",
            {"message": message, "unsaved": unsaved, "where": where, "version": outcome.version},
            request=request,
        )
    response = HttpResponse(body, status=409 if conflict else 400)
    response["HX-Reswap"] = "none"
    return response


def _tree_response(
    request: HttpRequest, outcome: _Outcome, focus: Clause | None = None
) -> HttpResponse:
    """The re-rendered tree (numbers change after a structure edit) and the new revision."""
    version = outcome.version
    items = ops.version_items(version)
    html = render_to_string(
        "standards/_editor_tree.html", _tree_context(version, items), request=request
    )
    response = HttpResponse(html + _status_html(request, outcome))
    if focus is not None:
        response["HX-Trigger-After-Settle"] = json.dumps({"editor-focus": str(focus.pk)})
    return response


def _row_response(request: HttpRequest, outcome: _Outcome, clause: Clause) -> HttpResponse:
    items = ops.version_items(outcome.version)
    row = next(r for r in editor_rows(items) if r.clause.pk == clause.pk)
    html = render_to_string(
        "standards/_editor_row.html",
        {"row": row, "version": outcome.version, **_choices()},
        request=request,
    )
    return HttpResponse(html + _status_html(request, outcome))


def _choices() -> dict[str, Any]:
    return {"annex_types": ANNEX_TYPES, "list_styles": LIST_STYLES}


def _write_clause(request: HttpRequest, pk: int) -> tuple[Clause, _Outcome]:
    clause = clause_for(request.user, pk)
    _check_editable(request.user, clause.version)
    return clause, _Outcome(clause.version)


@require_POST
@perm_required(DRAFT)
def clause_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one row (title, text, a term's or reference's fields, a table's grid,
    an annex's type). Nothing changed: 204."""
    clause, outcome = _write_clause(request, pk)
    try:
        _save_pending(request, clause, outcome)
    except ValidationError as error:
        return _error(request, outcome, error, clause)
    if request.POST.get("grid"):
        return _row_response(request, outcome, clause)
    if outcome.restyled:  # the labels of the list changed: show the renumbered tree
        response = _tree_response(request, outcome, focus=clause)
        response["HX-Retarget"] = "#clause-tree"
        response["HX-Reswap"] = "innerHTML"
        return response
    if not outcome.wrote:
        return HttpResponse(status=204)
    return HttpResponse(_status_html(request, outcome))


def _top_place(version: StandardVersion, kind: str) -> tuple[Clause | None, bool]:
    """Where a new top-level element goes: after the last one that comes before it in the
    GB/T 1.1 order, or first."""
    rank = TOP_ORDER.index(kind) if kind in TOP_ORDER else len(TOP_ORDER)
    top = list(version.clauses.filter(parent=None).order_by("position", "pk"))
    if kind in SINGLE_TOP and any(c.kind == kind for c in top):
        raise ValidationError(f"已经有“{KIND_LABELS[kind]}”了，一个标准只能有一个。")
    earlier = [c for c in top if TOP_ORDER.index(c.kind) <= rank] if top else []
    if earlier:
        return earlier[-1], False
    return None, bool(top)


def _lookup(version: StandardVersion, value: str | None) -> Clause | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    clause = get_object_or_404(Clause, version=version, pk=int(value))
    clause.version = version  # one instance: the revision a write bumps is the one we answer
    return clause


@require_POST
@perm_required(DRAFT)
def clause_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a clause after a row (``after``), under a row (``parent``) or at the top level
    (neither): a reference may come from the library (``standard``)."""
    version = version_for(request.user, pk)
    _check_editable(request.user, version)
    outcome = _Outcome(version)
    after = _lookup(version, request.POST.get("after"))
    parent = _lookup(version, request.POST.get("parent"))
    kind = request.POST.get("kind", "")
    try:
        row = after or parent
        base = _save_pending(request, row, outcome) if row else _revision(request)
        if kind not in allowed_under(None) + allowed_under(K.CHAPTER) + (K.TERM, K.REFERENCE):
            raise ValidationError("没有这种条款类型。")
        first = False
        if after is not None:
            parent = after.parent
        elif parent is None:
            after, first = _top_place(version, kind)
        extra = default_extra(kind, parent, after)
        if kind == K.REFERENCE and request.POST.get("standard"):
            cited = get_object_or_404(
                _standards(request.user).exclude(number=""), pk=_digits(request.POST["standard"])
            )
            extra = reference_extra(cited)
        clause = ops.clause_add(
            version=version,
            actor=request.user,
            base_revision=base,
            kind=kind,
            parent=parent,
            after=after,
            title=SPECIAL_TITLES.get(kind, ""),
            extra=extra,
            first=first,
        )
    except ValidationError as error:
        return _error(request, outcome, error, after or parent)
    outcome.wrote = True
    return _tree_response(request, outcome, focus=clause)


def _digits(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


@require_POST
@perm_required(DRAFT)
def clause_move(request: HttpRequest, pk: int) -> HttpResponse:
    """上移 / 下移 / 降级 (indent) / 升级 (outdent)."""
    clause, outcome = _write_clause(request, pk)
    direction = request.POST.get("direction", "")
    try:
        base = _save_pending(request, clause, outcome)
        ops.clause_move(clause=clause, actor=request.user, base_revision=base, direction=direction)
    except ValidationError as error:
        return _error(request, outcome, error, clause)
    outcome.wrote = True
    return _tree_response(request, outcome, focus=clause)


@require_POST
@perm_required(DRAFT)
def clause_split(request: HttpRequest, pk: int) -> HttpResponse:
    """Split a row's text at the caret (``at``, in characters of the text as typed)."""
    clause, outcome = _write_clause(request, pk)
    try:
        typed = one_line(request.POST.get("text", clause.text))
        at_text = request.POST.get("at", "")
        if not at_text.isdigit():
            raise ValidationError("请先把光标放在要拆分的位置。")
        at = int(at_text) - (len(typed) - len(typed.lstrip()))
        base = _save_pending(request, clause, outcome)
        new = ops.clause_split(clause=clause, actor=request.user, base_revision=base, at=at)
    except ValidationError as error:
        return _error(request, outcome, error, clause)
    outcome.wrote = True
    return _tree_response(request, outcome, focus=new)


@require_POST
@perm_required(DRAFT)
def clause_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the next sibling into this row."""
    clause, outcome = _write_clause(request, pk)
    try:
        base = _save_pending(request, clause, outcome)
        ops.clause_merge(clause=clause, actor=request.user, base_revision=base)
    except ValidationError as error:
        return _error(request, outcome, error, clause)
    outcome.wrote = True
    return _tree_response(request, outcome, focus=clause)


@require_POST
@perm_required(DRAFT)
def clause_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a row and everything under it (the page asks first)."""
    clause, outcome = _write_clause(request, pk)
    version = clause.version
    neighbour = (
        Clause.objects.filter(version=version, parent_id=clause.parent_id)
        .exclude(pk=clause.pk)
        .filter(Q(position__lt=clause.position))
        .order_by("-position")
        .first()
    ) or clause.parent
    try:
        ops.clause_delete(clause=clause, actor=request.user, base_revision=_revision(request))
    except ValidationError as error:
        return _error(request, outcome, error)
    outcome.wrote = True
    return _tree_response(request, outcome, focus=neighbour)


@require_GET
@perm_required(DRAFT)
def library(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's standards matching a number or title, to cite as references."""
    version = version_for(request.user, pk)
    _check_editable(request.user, version)
    query = request.GET.get("q", "").strip()[:60]
    results: list[Standard] = []
    if query:
        results = list(
            _standards(request.user)
            .exclude(pk=version.standard_id)
            .exclude(number="")
            .filter(Q(number__icontains=query) | Q(title__icontains=query))
            .only("pk", "number", "title", "level", "status")
            .order_by("number")[:10]
        )
    cited = {
        (c.extra or {}).get("code", "")
        for c in version.clauses.filter(kind=K.REFERENCE).only("extra")
    }
    choices = [(s, reference_extra(s)["code"] in cited) for s in results]
    return render(
        request,
        "standards/_editor_library.html",
        {"query": query, "choices": choices, "parent": request.GET.get("parent", "")},
    )


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/editor/", editor, name="editor"),
    path("versions/<int:pk>/editor/add/", clause_add, name="editor_add"),
    path("versions/<int:pk>/editor/library/", library, name="editor_library"),
    path("clauses/<int:pk>/save/", clause_save, name="editor_save"),
    path("clauses/<int:pk>/move/", clause_move, name="editor_move"),
    path("clauses/<int:pk>/split/", clause_split, name="editor_split"),
    path("clauses/<int:pk>/merge/", clause_merge, name="editor_merge"),
    path("clauses/<int:pk>/delete/", clause_delete, name="editor_delete"),
]

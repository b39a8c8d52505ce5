"""The checker's safe fixes in the pages: each fixable hit previewed as before/after, applied
with one click; "fix all safe" as one change; and undoing the last fixes while the draft has
not moved since (the undo steps are kept in the person's session, per draft)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.standards import textformat as tf
from houqin.standards.checker import Issue
from houqin.standards.clauses import ConflictError
from houqin.standards.diff import extra_fields, words_html
from houqin.standards.models import DRAFT, Clause, StandardVersion
from houqin.standards.services import can_edit_text
from houqin.standards.services.fixes import FixOutcome, fixes_apply, fixes_undo
from houqin.standards.views.editor import version_for
from houqin.standards.views.editor_rows import KIND_LABELS

K = Clause.Kind


def undo_key(version: StandardVersion) -> str:
    return f"standards.fix_undo.{version.pk}"


def _extra_kind(extra: dict[str, Any]) -> str:
    """Which kind's fields ``extra`` holds (a fix's extra does not name its clause's kind)."""
    if "code" in extra or "year" in extra:
        return K.REFERENCE
    if "term" in extra or "definition" in extra:
        return K.TERM
    return K.LIST_ITEM if "style" in extra else ""


def _node_text(node: tf.Node) -> str:
    name = KIND_LABELS.get(node.kind, "")
    body = node.title or node.text or "；".join(v for _, v in extra_fields(node.kind, node.extra))
    return f"{name}“{body}”" if name else body


def fix_preview(issue: Issue, labels: dict[str, str]) -> dict[str, Any]:
    """What the fix of ``issue`` does, for the person to see before applying it: ``diff``
    (the text with what goes in ``<del>`` and what comes in ``<ins>``), or ``change``, one
    sentence for a move or an insert."""
    fix = issue.fix
    assert fix is not None
    where = labels.get(fix.uid) or issue.clause or "本条"
    if fix.field in ("text", "title"):
        # one marked text: the "before" box hides the <ins>, the "after" box the <del>
        return {"diff": words_html(str(fix.before), str(fix.after))}
    if fix.field == "extra":
        kind = _extra_kind(fix.after)
        old = dict(extra_fields(kind, fix.before))
        new = extra_fields(kind, fix.after)
        changed = [
            (label, old.get(label, ""), value) for label, value in new if old.get(label) != value
        ]
        return {
            "change": format_html_join(
                "；", "{}：{} → {}", ((label, a or "（空）", b) for label, a, b in changed)
            )
        }
    if fix.field == "position":
        return {
            "change": format_html(
                "把{}移到同级的第 {} 位（现在是第 {} 位）", where, fix.after + 1, fix.before + 1
            )
        }
    node: tf.Node = fix.after
    parent = labels.get(fix.uid) if fix.uid else "正文"
    return {
        "change": format_html(
            "在{}的第 {} 个位置插入{}", parent or "所在章", fix.before + 1, _node_text(node)
        )
    }


def _editor(version: StandardVersion) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("standards:editor", args=[version.pk]) + "#check")


def editable_version(request: HttpRequest, pk: int) -> StandardVersion:
    """A draft of the user's organization whose text this person may change now, else 403."""
    version = version_for(request.user, pk)
    if version.is_published or not can_edit_text(request.user, version.standard):
        raise PermissionDenied
    return version


def _revision(request: HttpRequest) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


@require_POST
@perm_required(DRAFT)
def fix_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one previewed fix (``key``) or every safe fix (no key)."""
    version = editable_version(request, pk)
    key = request.POST.get("key") or None
    try:
        outcome = fixes_apply(
            version=version, actor=request.user, base_revision=_revision(request), key=key
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _editor(version)
    if not outcome.applied:
        messages.info(request, "没有可以安全修正的问题。")
        return _editor(version)
    request.session[undo_key(version)] = {
        "applied": outcome.applied,
        "undo": outcome.undo,
        "revision": outcome.revision,
    }
    messages.success(request, f"已修正 {outcome.applied} 处；检查结果上方可以撤销这次修正。")
    return _editor(version)


@require_POST
@perm_required(DRAFT)
def fix_undo(request: HttpRequest, pk: int) -> HttpResponse:
    version = editable_version(request, pk)
    saved = request.session.pop(undo_key(version), None)
    if not saved:
        messages.error(request, "没有可以撤销的修正。")
        return _editor(version)
    outcome = FixOutcome(applied=saved["applied"], undo=saved["undo"], revision=saved["revision"])
    try:
        fixes_undo(version=version, actor=request.user, outcome=outcome)
    except ConflictError:
        messages.error(request, "修正之后草案又有修改，不能整体撤销了；请在编辑器里手工改回。")
    else:
        messages.success(request, f"已撤销刚才的 {outcome.applied} 处修正。")
    return _editor(version)


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/check/fix/", fix_apply, name="check_fix"),
    path("versions/<int:pk>/check/fix/undo/", fix_undo, name="check_fix_undo"),
]

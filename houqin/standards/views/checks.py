"""The drafting check in the pages: the check panel of a draft (in the editor, refreshed
after each save, and on the review step), switching a rule off for one clause with a
reason and back on, and the rule pages (what each rule checks, why, its GB/T 1.1 clause, a
wrong and a right example) that teach people who draft standards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from houqin.common.decorators import perm_required
from houqin.standards import textformat as tf
from houqin.standards.checker import RULES, Issue, check
from houqin.standards.checker.base import SEVERITY_LABELS
from houqin.standards.checker.document import draft_from_document
from houqin.standards.clauses import Item
from houqin.standards.models import DRAFT, CheckWaiver, StandardVersion
from houqin.standards.rendering import text_html
from houqin.standards.services import can_edit_text
from houqin.standards.services.checks import (
    VersionCheck,
    version_check,
    waiver_add,
    waiver_remove,
)
from houqin.standards.services.fixes import applicable, fix_key
from houqin.standards.views.editor import version_for
from houqin.standards.views.fixes import editable_version, fix_preview, undo_key

VIEW = "standards.view_standard"
SEVERITY_COLOURS = {"error": "red", "warning": "orange", "hint": "azure"}
FAMILIES = (
    ("S-ELEM", "要素和结构"),
    ("S-FORE", "前言"),
    ("S-NUM", "章条编号和层次"),
    ("S-LIST", "列项"),
    ("S-VERB", "能愿动词"),
    ("S-INFO", "注和示例"),
    ("S-REF", "规范性引用"),
    ("S-TERM", "术语和定义"),
    ("S-QTY", "数值和单位"),
    ("S-CHAR", "字符"),
    ("S-ID", "标准编号"),
    ("P-MEAS", "要求可验证"),
)


def marked_excerpt(issue: Issue) -> SafeString:
    """The excerpt with the offending words in <mark>."""
    if issue.span is None:
        return format_html("{}", issue.excerpt)
    start, end = issue.span
    return format_html(
        "{}<mark>{}</mark>{}",
        issue.excerpt[:start],
        issue.excerpt[start:end],
        issue.excerpt[end:],
    )


def _row(
    issue: Issue, rows: dict[str, int], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    row = {
        "issue": issue,
        "label": SEVERITY_LABELS[issue.severity],
        "colour": SEVERITY_COLOURS[issue.severity],
        "excerpt": marked_excerpt(issue),
        "row_id": rows.get(issue.uid),
        "title": RULES[issue.rule].title,
    }
    if labels is not None and applicable(issue):
        row["fix_key"] = fix_key(issue)
        row["preview"] = fix_preview(issue, labels)
    return row


def _groups(result: VersionCheck, only: int | None) -> dict[str, Any]:
    """The hits beside each editor row: per row, the clause rules' hits and the document
    rules' hits apart, so a live check of one clause can replace just what it reran."""
    groups: dict[tuple[int | None, str], list[dict[str, Any]]] = {}
    orphans = dict.fromkeys(SEVERITY_LABELS, 0)
    for issue in result.issues:
        rule = RULES[issue.rule]
        # a document rule's per-element part reruns with the clause rules (``Rule.each``)
        per_element = rule.scope == "clause" or (rule.each is not None and issue.uid in result.rows)
        part = "clause" if per_element else "doc"
        row_id = only if part == "clause" and only is not None else result.rows.get(issue.uid)
        if row_id is None:
            orphans[issue.severity] += 1
            continue
        groups.setdefault((row_id, part), []).append(_row(issue, result.rows))
    if only is not None:
        groups.setdefault((only, "clause"), [])
    return {
        "groups": [(row, part, hits) for (row, part), hits in groups.items()],
        "orphans": orphans,
        "scope": "all" if only is None else "clause",
        "only": only,
    }


def _undo_offer(request: HttpRequest | None, version: StandardVersion) -> int:
    """How many fixes the person may still take back (0: none, or the draft moved since)."""
    if request is None:
        return 0
    saved = request.session.get(undo_key(version), {})
    return saved.get("applied", 0) if saved.get("revision") == version.revision else 0


def check_context(
    version: StandardVersion, user: Any, request: HttpRequest | None = None
) -> dict[str, Any]:
    """The check panel's context for one version."""
    result = version_check(version)
    rows = result.rows
    may_edit = not version.is_published and can_edit_text(user, version.standard)
    labels = {issue.uid: issue.clause for issue in result.issues} if may_edit else None
    hits = [_row(issue, rows, labels) for issue in result.issues]
    return {
        "version": version,
        "standard": version.standard,
        "adopted": version.standard.is_adopted,
        "counts": [(SEVERITY_LABELS[s], SEVERITY_COLOURS[s], n) for s, n in result.counts.items()],
        "hits": hits,
        "fixable": sum(1 for h in hits if "fix_key" in h),
        "undo": _undo_offer(request, version) if may_edit else 0,
        "waived": [(_row(issue, rows), waiver) for issue, waiver in result.waived],
        "may_waive": may_edit,
        "payload": _groups(result, None),
    }


@require_GET
@perm_required(DRAFT)
def version_check_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The check panel of a version (an htmx fragment; a page of its own without htmx)."""
    version = version_for(request.user, pk)
    context = check_context(version, request.user, request)
    if getattr(request, "htmx", False):
        return render(request, "standards/_check_panel.html", context)
    return render(request, "standards/check_page.html", context)


@require_GET
@perm_required(DRAFT)
def version_check_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's live check after one clause was saved: that clause's hits and every
    document rule's hits, for the rows beside the text and the counts in the toolbar."""
    version = version_for(request.user, pk)
    raw = request.GET.get("clause")
    try:
        only = int(raw) if raw is not None else None  # no clause: the whole text
    except ValueError as error:
        raise Http404 from error
    result = version_check(version, only=only)
    return render(request, "standards/_check_hits.html", {"payload": _groups(result, only)})


def _back(request: HttpRequest, version: StandardVersion) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("standards:editor", args=[version.pk]) + "#check")


@require_POST
@perm_required(DRAFT)
def check_waive(request: HttpRequest, pk: int) -> HttpResponse:
    version = editable_version(request, pk)
    try:
        waiver_add(
            standard=version.standard,
            actor=request.user,
            clause_uid=request.POST.get("clause_uid", ""),
            rule=request.POST.get("rule", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已对这个条款关闭这条规则，理由会显示在检查结果和审查中。")
    return _back(request, version)


@require_POST
@perm_required(DRAFT)
def check_unwaive(request: HttpRequest, pk: int, waiver: int) -> HttpResponse:
    version = editable_version(request, pk)
    found = get_object_or_404(CheckWaiver, pk=waiver, standard=version.standard)
    waiver_remove(waiver=found, actor=request.user)
    messages.success(request, "已重新启用这条规则。")
    return _back(request, version)


def _example_html(markup: str) -> tuple[SafeString, list[Issue], str]:
    """A rule's example as a standard prints it, with the hits of every rule on it."""
    document = tf.parse(markup)
    draft = draft_from_document(document)

    def items(elements: list[Any], depth: int = 0) -> list[Item]:
        # text_html reads kind, title, text, extra, number and uid, which elements have
        return [Item(e, depth, items(e.children, depth + 1)) for e in elements]

    return text_html(items(draft.elements)), check(draft), document.header.number


@require_GET
@perm_required(VIEW)
def rule_list(request: HttpRequest) -> HttpResponse:
    families = [
        (label, [r for r in RULES.values() if r.id.rsplit("-", 1)[0] == prefix])
        for prefix, label in FAMILIES
    ]
    return render(
        request,
        "standards/rule_list.html",
        {
            "families": [(label, rules) for label, rules in families if rules],
            "total": len(RULES),
            "severity_labels": SEVERITY_LABELS,
            "colours": SEVERITY_COLOURS,
        },
    )


@require_GET
@perm_required(VIEW)
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = RULES.get(rule_id)
    if rule is None:
        raise Http404
    examples = []
    for label, markup in (("错误示例", rule.wrong), ("正确示例", rule.right)):
        html, issues, number = _example_html(markup)
        mine = [i for i in issues if i.rule == rule.id]
        examples.append({"label": label, "html": html, "number": number, "hits": mine})
    return render(
        request,
        "standards/rule_detail.html",
        {
            "rule": rule,
            "severity": SEVERITY_LABELS[rule.severity],
            "colour": SEVERITY_COLOURS[rule.severity],
            "fix": {"auto": "可一键修正", "suggestion": "给出修改建议", "none": "需人工修改"}[
                rule.fix
            ],
            "examples": examples,
        },
    )


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/check/", version_check_panel, name="version_check"),
    path("versions/<int:pk>/check/live/", version_check_live, name="version_check_live"),
    path("versions/<int:pk>/check/waive/", check_waive, name="check_waive"),
    path(
        "versions/<int:pk>/check/waivers/<int:waiver>/delete/",
        check_unwaive,
        name="check_unwaive",
    ),
    path("rules/", rule_list, name="rule_list"),
    path("rules/<str:rule_id>/", rule_detail, name="rule_detail"),
]

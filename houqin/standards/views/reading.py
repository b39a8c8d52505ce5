"""Reading standards: the reading list and the phone reading view for frontline staff (the
version in force, with the clauses about the reader's post first and a 我已阅读 button when
an acknowledgement is pending), and the clause-by-clause difference between two versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from houqin.accounts.models import User
from houqin.common.decorators import perm_required
from houqin.org.models import Post, ServiceLine
from houqin.standards.clauses import Item, clause_tree, walk
from houqin.standards.diff import diff_groups, diff_summary, extra_fields, version_diff
from houqin.standards.models import (
    APPROVE,
    DRAFT,
    MANAGE,
    Acknowledgement,
    Clause,
    Standard,
    StandardVersion,
)
from houqin.standards.rendering import heading_text, text_html
from houqin.standards.services import IN_FORCE_STATES
from houqin.standards.views.editor import version_for

VIEW = "standards.view_standard"
K = Clause.Kind
HEAD_KINDS = frozenset(
    {K.SCOPE, K.REFERENCES, K.TERMS, K.CHAPTER, K.CLAUSE, K.ANNEX, K.FOREWORD, K.INTRODUCTION}
)
TOC_KINDS = HEAD_KINDS | {K.BIBLIOGRAPHY}
SKIPPED_KINDS = frozenset({K.FOREWORD, K.INTRODUCTION, K.SCOPE, K.REFERENCES, K.BIBLIOGRAPHY})
MAX_RELEVANT = 12
LINE_LABELS = dict(ServiceLine.choices)


def reader_post(user: Any) -> Post | None:
    """The post of the signed-in person's staff record (None when there is none)."""
    from houqin.org.models import Staff

    staff = Staff.objects.filter(user=user).select_related("post").only("post").first()
    return staff.post if staff is not None else None


def post_keywords(name: str) -> list[str]:
    """Words that name a post in a text: "保洁员" → 保洁员, 保洁 ("…由保洁人员…")."""
    name = name.strip()
    if not name:
        return []
    words = [name]
    for suffix in ("人员", "员", "工", "师"):
        stem = name.removesuffix(suffix)
        if stem != name and len(stem) >= 2:
            words.append(stem)
            break
    return words


def _searchable(clause: Clause) -> str:
    parts = [clause.title, clause.text]
    parts += [value for _, value in extra_fields(clause.kind, clause.extra)]
    return "\n".join(part for part in parts if part)


@dataclass
class Relevant:
    """Clauses that mention the reader's post, under the numbered clause they belong to."""

    head: Clause | None
    matches: list[Clause] = field(default_factory=list)

    @property
    def head_text(self) -> str:
        return heading_text(self.head) if self.head is not None else ""


def relevant_clauses(items: list[Item], keywords: list[str]) -> tuple[list[Relevant], list[str]]:
    """The clauses whose text names the post, grouped under their nearest heading, in
    document order. The post's full name is tried first, its stem ("保洁") only when the
    full name is nowhere; the front matter, scope and reference lists are not searched.
    A heading that names the post brings the text right under it. Returns the groups and
    the words that found them."""
    for words in (keywords[:1], keywords[1:]):
        if words:
            groups = _matches(items, re.compile("|".join(re.escape(w) for w in words)))
            if groups:
                return groups, words
    return [], []


def _matches(items: list[Item], pattern: re.Pattern[str]) -> list[Relevant]:
    groups: dict[int | None, Relevant] = {}

    def visit(children: list[Item], head: Clause | None) -> None:
        for item in children:
            c = item.clause
            if c.kind in SKIPPED_KINDS:
                continue
            own_head = c if c.kind in HEAD_KINDS else head
            if pattern.search(_searchable(c)):
                key = own_head.pk if own_head is not None else None
                group = groups.setdefault(key, Relevant(own_head))
                if c not in group.matches:
                    group.matches.append(c)
                if c is own_head:
                    group.matches += [
                        child.clause
                        for child in item.children
                        if child.clause.kind not in HEAD_KINDS
                    ]
            visit(item.children, own_head)

    visit(items, None)
    return list(groups.values())


def marked(text: str, keywords: list[str]) -> SafeString:
    """Escaped text with the keywords in ``<mark>``."""
    if not keywords:
        return SafeString(escape(text))
    pattern = re.compile("|".join(re.escape(escape(word)) for word in keywords))
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group()}</mark>", escape(text)))  # noqa: S308


def _clause_line(clause: Clause, keywords: list[str]) -> SafeString:
    """One relevant clause as a line of text with the post marked."""
    if clause.kind in HEAD_KINDS:
        return marked(heading_text(clause), keywords)
    if clause.kind in (K.TERM, K.REFERENCE, K.TABLE):
        text = "；".join(value for _, value in extra_fields(clause.kind, clause.extra) if value)
        return marked(" ".join(p for p in (clause.number, clause.title, text) if p), keywords)
    label = f"{clause.number}：" if clause.kind in (K.NOTE, K.EXAMPLE) else ""
    prefix = f"{clause.number} " if clause.kind == K.LIST_ITEM else ""
    return marked(f"{label}{prefix}{clause.text}", keywords)


def _toc(items: list[Item]) -> list[tuple[Clause, bool]]:
    """Chapters, annexes and their first-level clauses: (clause, is a sub-entry)."""
    entries: list[tuple[Clause, bool]] = []
    for item in items:
        if item.clause.kind not in TOC_KINDS:
            continue
        entries.append((item.clause, False))
        entries += [
            (child.clause, True) for child in item.children if child.clause.kind == K.CLAUSE
        ]
    return entries


def _reader(request: HttpRequest) -> User:
    """The signed-in reader (every view here requires one)."""
    return request.user  # type: ignore[return-value]


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _readable_version(standard: Standard) -> StandardVersion | None:
    return standard.versions.published().order_by("-seq").first()


@require_GET
@perm_required(VIEW)
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """A standard's text in force, for reading on a phone."""
    standard = get_object_or_404(Standard.objects.for_user(request.user, "view"), pk=pk)
    version = _readable_version(standard)
    post = reader_post(request.user)
    governs = post is not None and standard.posts.filter(pk=post.pk).exists()
    context: dict[str, Any] = {
        "standard": standard,
        "version": version,
        "post": post,
        "governs": governs,
        "in_force": standard.status in IN_FORCE_STATES,
    }
    if version is not None:
        items = clause_tree(version.clauses.all())
        relevant, keywords = relevant_clauses(
            items, post_keywords(post.name) if post is not None else []
        )
        context.update(
            text=text_html(items),
            toc=_toc(items),
            clause_count=sum(1 for _ in walk(items)),
            relevant=[
                (group, [(c, _clause_line(c, keywords)) for c in group.matches])
                for group in relevant[:MAX_RELEVANT]
            ],
            relevant_more=max(0, len(relevant) - MAX_RELEVANT),
        )
        ack = (
            Acknowledgement.objects.filter(
                version=version, user=_reader(request), acknowledged_at__isnull=True
            )
            .only("pk", "due_on")
            .first()
        )
        context["ack"] = ack
        context["ack_url"] = _url("standards:acknowledge", ack.pk) if ack else None
    return render(request, "standards/read.html", context)


@dataclass
class Section:
    """A group of the reading list: the reader's post, then each service line."""

    title: str
    standards: list[Standard]
    mine: bool = False


@require_GET
@perm_required(VIEW)
def read_list(request: HttpRequest) -> HttpResponse:
    """The standards in force: those governing the reader's post first, then by line."""
    post = reader_post(request.user)
    query = request.GET.get("q", "").strip()[:60]
    standards = (
        Standard.objects.for_user(request.user, "view")
        .filter(status__in=IN_FORCE_STATES)
        .only("pk", "number", "title", "level", "status", "effective_on")
        .prefetch_related("lines")
        .order_by("number", "pk")
    )
    if query:
        standards = standards.filter(Q(number__icontains=query) | Q(title__icontains=query))
    if post is not None:
        governs = Standard.posts.through.objects.filter(standard=OuterRef("pk"), post=post)
        standards = standards.annotate(for_post=Exists(governs))
    pending = set(
        Acknowledgement.objects.filter(
            user=_reader(request),
            acknowledged_at__isnull=True,
            version__standard__status__in=IN_FORCE_STATES,
        ).values_list("version__standard_id", flat=True)
    )
    mine: list[Standard] = []
    by_line: dict[str, list[Standard]] = {line: [] for line in LINE_LABELS}
    other: list[Standard] = []
    for standard in standards:
        standard.pending = standard.pk in pending
        if getattr(standard, "for_post", False):
            mine.append(standard)
            continue
        lines = sorted((line.line for line in standard.lines.all()), key=list(LINE_LABELS).index)
        (by_line[lines[0]] if lines else other).append(standard)
    sections = []
    if mine:
        sections.append(Section(f"适用于您的岗位（{post}）", mine, mine=True))
    sections += [Section(LINE_LABELS[line], rows) for line, rows in by_line.items() if rows]
    if other:
        sections.append(Section("其他", other))
    return render(
        request,
        "standards/read_list.html",
        {"sections": sections, "post": post, "query": query, "pending": len(pending)},
    )


def may_see(user: Any, version: StandardVersion) -> bool:
    """Published versions are for every reader; drafts for those who write, run or approve
    standards."""
    return version.is_published or any(user.has_perm(p) for p in (DRAFT, MANAGE, APPROVE))


def _choice(value: str | None, versions: list[StandardVersion]) -> StandardVersion | None:
    if not value or not value.isdigit():
        return None
    return next((v for v in versions if v.pk == int(value)), None)


@require_GET
@perm_required(VIEW)
def version_diff_view(request: HttpRequest, pk: int, other: int | None = None) -> HttpResponse:
    """Two versions of one standard compared clause by clause; without ``other``, a version
    against the one it was revised from (or the version before it)."""
    version = version_for(request.user, pk)
    standard = version.standard
    versions = [v for v in standard.versions.order_by("seq") if may_see(request.user, v)]
    if not may_see(request.user, version):
        raise PermissionDenied
    if "a" in request.GET or "b" in request.GET:
        a, b = _choice(request.GET.get("a"), versions), _choice(request.GET.get("b"), versions)
        if a is None or b is None:
            raise Http404
        if a.pk == b.pk:
            return redirect("standards:version_diff", a.pk)
        return redirect("standards:version_diff", a.pk, b.pk)
    if other is None:
        earlier = [v for v in versions if v.seq < version.seq]
        base = next((v for v in versions if v.pk == version.based_on_id), None)
        counterpart = base or (earlier[-1] if earlier else None)
    else:
        counterpart = next((v for v in versions if v.pk == other), None)
        if counterpart is None:
            if standard.versions.filter(pk=other).exists():
                raise PermissionDenied
            raise Http404
    context: dict[str, Any] = {
        "standard": standard,
        "version": version,
        "versions": versions,
        "standard_url": _url("standards:standard_detail", standard.pk),
    }
    if counterpart is None or counterpart.pk == version.pk:
        context.update(old=None, new=version)
        return render(request, "standards/diff.html", context)
    old, new = sorted((version, counterpart), key=lambda v: v.seq)
    clauses = list(Clause.objects.filter(version__in=(old, new)))
    rows = version_diff(
        clause_tree(c for c in clauses if c.version_id == old.pk),
        clause_tree(c for c in clauses if c.version_id == new.pk),
    )
    context.update(
        old=old,
        new=new,
        groups=diff_groups(rows),
        summary=diff_summary(rows),
        unchanged=sum(1 for row in rows if row.status == "unchanged"),
    )
    return render(request, "standards/diff.html", context)


urlpatterns: list[URLPattern] = [
    path("read/", read_list, name="read_list"),
    path("<int:pk>/read/", read, name="read"),
    path("versions/<int:pk>/diff/", version_diff_view, name="version_diff"),
    path("versions/<int:pk>/diff/<int:other>/", version_diff_view, name="version_diff"),
]

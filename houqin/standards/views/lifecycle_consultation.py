"""The 征求意见 pages: sending a draft out for comments; the consultation page (the draft
text with each clause's comments and a "提意见" beside it, the comment form, the 意见处理表);
answering a comment; the 意见处理表 as Word. Wired in by ``views/lifecycle.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.common.exports import DOCX_TYPE
from houqin.common.generic import add_errors
from houqin.common.signals import list_exported
from houqin.standards import lifecycle as steps
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.clauses import HEADED_KINDS, version_items, walk
from houqin.standards.lifecycle_people import is_drafter, may_comment, may_view_consultation
from houqin.standards.models import DRAFT, Comment, Consultation
from houqin.standards.rendering import clause_html
from houqin.standards.selectors import sees_all_standards, standard_get
from houqin.standards.services import draft_version
from houqin.standards.views.documents import file_response
from houqin.standards.views.lifecycle_forms import AnswerForm, CommentForm, ConsultationForm

BADGES: dict[str, str] = {
    Comment.Disposition.PENDING: "bg-yellow-lt",
    Comment.Disposition.ACCEPTED: "bg-green-lt",
    Comment.Disposition.PARTLY: "bg-azure-lt",
    Comment.Disposition.REJECTED: "bg-red-lt",
}


def _user(request: HttpRequest) -> Any:
    return request.user


@perm_required(DRAFT)
def consultation_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The form that sends the draft out for comments."""
    standard = standard_get(user=request.user, pk=pk, action="change")
    user = _user(request)
    if not is_drafter(user, standard):
        raise PermissionDenied
    today = timezone.localdate()
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        organization_id=standard.organization_id,
        initial=ConsultationForm.initial_for(standard.title, today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = steps.consultation_open(
                standard=standard,
                actor=user,
                deadline=data["deadline"],
                departments=data["departments"],
                served_units=data["served_units"],
                people=data["people"],
                message=data["message"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "征求意见稿已发出，被征求意见的人已收到通知。")
            return HttpResponseRedirect(
                reverse("standards:consultation_detail", args=[consultation.pk])
            )
    version = draft_version(standard)
    return render(
        request,
        "standards/consultation_form.html",
        {
            "standard": standard,
            "form": form,
            "version": version,
            "detail_url": steps.standard_link(standard),
            "blockers": steps.circulation_blockers(standard),
        },
    )


def _consultation(request: HttpRequest, pk: int) -> Consultation:
    consultation = (
        Consultation.objects.for_user(request.user, "view")
        .select_related("standard", "version", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if consultation is None:
        raise Http404
    if not may_view_consultation(request.user, consultation):
        raise PermissionDenied
    return consultation


def _clause_choices(items: list[Any], labels: dict[Any, str]) -> list[tuple[str, str]]:
    choices = []
    for item in walk(items):
        clause = item.clause
        label = labels.get(clause.uid, "")
        words = clause.title or clause.text or (clause.extra or {}).get("term", "")
        text = f"{label}　{words[:24]}{'…' if len(words) > 24 else ''}".strip()
        if text:
            choices.append((str(clause.uid), text))
    return choices


def _consultation_page(
    request: HttpRequest,
    consultation: Consultation,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The draft text, each clause with its comments and a "提意见" link; the comment form;
    the 意见处理表 (comments in the order of the text)."""
    user = _user(request)
    standard = consultation.standard
    today = timezone.localdate()
    items = version_items(consultation.version)
    labels = commenting.clause_labels(consultation.version)
    order = {item.clause.uid: index for index, item in enumerate(walk(items))}
    comments = sorted(
        consultation.comments.select_related("author", "answered_by"),
        key=lambda c: (order.get(c.clause_uid, -1) if c.clause_uid else -1, c.created_at, c.pk),
    )
    for index, comment in enumerate(comments, start=1):
        comment.seq = index  # type: ignore[attr-defined]
        comment.badge = BADGES[comment.disposition]  # type: ignore[attr-defined]
    by_clause: dict[Any, list[Comment]] = {}
    for comment in comments:
        by_clause.setdefault(comment.clause_uid, []).append(comment)
    refusal = commenting.comment_refusal(consultation, today)
    invited = may_comment(user, consultation)
    can_comment = invited and not refusal
    if comment_form is None and can_comment:
        comment_form = CommentForm(
            initial={"clause": request.GET.get("clause", "")},
            clause_choices=_clause_choices(items, labels),
        )
    blocks = [
        {
            "uid": item.clause.uid,
            "label": labels.get(item.clause.uid, ""),
            "heading": item.clause.kind in HEADED_KINDS,
            "html": mark_safe(clause_html(item)),  # noqa: S308 (rendering escapes the text)
            "comments": by_clause.get(item.clause.uid, []),
        }
        for item in walk(items)
    ]
    can_answer = is_drafter(user, standard) and consultation.closed_at is None
    pending = sum(1 for c in comments if c.disposition == Comment.Disposition.PENDING)
    return render(
        request,
        "standards/consultation_detail.html",
        {
            "consultation": consultation,
            "standard": standard,
            "blocks": blocks,
            "general_comments": by_clause.get(None, []),
            "comments": comments,
            "pending": pending,
            "comment_form": comment_form if can_comment else None,
            "refusal": refusal if invited else "",
            "may_comment": invited,
            "can_answer": can_answer,
            "closed": consultation.closed_at is not None or consultation.deadline < today,
            "detail_url": steps.standard_link(standard) if sees_all_standards(user) else "",
            "export_url": reverse("standards:disposition_export", args=[consultation.pk])
            if user.has_perm(DRAFT)
            else "",
        },
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _consultation_page(request, _consultation(request, pk))


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(request, pk)
    user = _user(request)
    if not may_comment(user, consultation):
        raise PermissionDenied
    items = version_items(consultation.version)
    form = CommentForm(
        request.POST,
        clause_choices=_clause_choices(items, commenting.clause_labels(consultation.version)),
    )
    if form.is_valid():
        try:
            comment = commenting.comment_add(
                consultation=consultation,
                actor=user,
                text=form.cleaned_data["text"],
                clause_uid=form.cleaned_data["clause"] or None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "意见已提交，起草人员会逐条答复。")
            url = reverse("standards:consultation_detail", args=[consultation.pk])
            anchor = f"#c-{comment.clause_uid}" if comment.clause_uid else "#general-comments"
            return HttpResponseRedirect(url + anchor)
    return _consultation_page(request, consultation, comment_form=form)


def _comment(request: HttpRequest, pk: int) -> Comment:
    comment = (
        Comment.objects.for_user(request.user, "change")
        .select_related("consultation__standard", "consultation__version", "author")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@perm_required(DRAFT)
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer one comment: 采纳 / 部分采纳 / 不采纳 with the reason."""
    comment = _comment(request, pk)
    consultation = comment.consultation
    user = _user(request)
    if not is_drafter(user, consultation.standard):
        raise PermissionDenied
    initial = {"disposition": comment.disposition, "reply": comment.reply}
    if comment.disposition == Comment.Disposition.PENDING:
        initial["disposition"] = ""
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    back = reverse("standards:consultation_detail", args=[consultation.pk])
    if request.method == "POST" and form.is_valid():
        try:
            commenting.comment_answer(
                comment=comment,
                actor=user,
                disposition=form.cleaned_data["disposition"],
                reply=form.cleaned_data["reply"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已保存处理结果。")
            return HttpResponseRedirect(f"{back}#disposition")
    return render(
        request,
        "standards/comment_answer.html",
        {
            "comment": comment,
            "consultation": consultation,
            "standard": consultation.standard,
            "form": form,
            "back_url": back,
            "closed": consultation.closed_at is not None,
        },
    )


@perm_required(DRAFT)
def disposition_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The 意见处理表 as a Word document (audited like every download)."""
    consultation = _consultation(request, pk)
    from houqin.standards.documents.disposition import disposition_docx  # loads python-docx

    data = disposition_docx(consultation)
    list_exported.send(
        __name__,
        request=request,
        what="意见处理表",
        filter_note=str(consultation),
        rows=consultation.comments.count(),
    )
    return file_response(
        data,
        f"《{consultation.standard.title}》征求意见处理表.docx",
        DOCX_TYPE,
        f"disposition-{consultation.pk}.docx",
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/consultation/new/", consultation_open, name="consultation_open"),
    path("consultations/<int:pk>/", consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/comments/", comment_add, name="comment_add"),
    path("comments/<int:pk>/answer/", comment_answer, name="comment_answer"),
    path(
        "consultations/<int:pk>/disposition.docx",
        disposition_export,
        name="disposition_export",
    ),
]

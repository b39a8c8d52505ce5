"""Circulars (通报) of a frozen period's results: Houqin drafts the text in the official-
document form from the scores (counts per grade, the figures, the praised and criticized
lists), the office edits it, and publishing numbers it (通报〔2026〕1号), freezes the text
and notifies the people concerned."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Max, Min, QuerySet
from django.http import Http404
from django.utils import timezone

from houqin.appraisal.models import Appeal, Circular, Grade, Period, Score, SubjectKind
from houqin.appraisal.models.circulars import PUBLISH_CIRCULAR
from houqin.common.changelog import changelog_record, diff, snapshot
from houqin.common.lists import url_for_pk
from houqin.common.models import ChangeLogEntry
from houqin.common.notifications import NOTIFICATION_KINDS, notify
from houqin.common.workflow import transition_apply
from houqin.findings.people import heads_of, leaders_of, vendor_managers_of
from houqin.standards.documents.wordkit import cn_date

DRAFT_CIRCULAR = "appraisal.add_circular"
VIEW_CIRCULAR = "appraisal.view_circular"
CIRCULAR_KIND = "circular"
NOTIFICATION_KINDS.setdefault(CIRCULAR_KIND, "通报")
CIRCULAR_WORD = "通报"
NUMBER_ATTEMPTS = 5
LABELS = {
    "title": "标题",
    "recipients": "主送",
    "body": "正文",
    "requirements": "工作要求",
    "signer": "落款",
}
EDITABLE = ("title", "recipients", "body", "praised", "criticized", "requirements", "signer")
ADDRESSEES = {
    SubjectKind.DEPARTMENT: "各科室",
    SubjectKind.TEAM: "各科室、各班组",
    SubjectKind.VENDOR: "各外包服务商",
    SubjectKind.PERSON: "各科室、各服务商",
}
SUBJECT_WORDS = {  # (measure word, noun)
    SubjectKind.DEPARTMENT: ("个", "科室"),
    SubjectKind.TEAM: ("个", "班组"),
    SubjectKind.VENDOR: ("家", "服务商"),
    SubjectKind.PERSON: ("名", "人员"),
}
REQUIREMENTS = (
    "（一）获得表扬的单位要总结经验，保持标准执行的好做法，发挥示范带动作用。\n"
    "（二）受到批评的单位要对照考核明细逐项分析失分原因，于通报印发之日起 15 日内"
    "报送整改计划，整改情况纳入下一考核周期。\n"
    "（三）各单位要以本次考核为契机，对照标准查找差距，持续提升服务质量和标准化水平。"
)


def circular_number(year: int, number: int) -> str:
    """通报〔2026〕1号 (GB/T 9704 发文字号)."""
    return f"{CIRCULAR_WORD}〔{year}〕{number}号"


def _points(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _line(score: Score) -> str:
    rank = f"，第 {score.rank} 名" if score.rank else ""
    return f"{score.subject_name}（{_points(score.total)} 分{rank}）"


def circular_content(period: Period) -> dict[str, Any]:
    """What a period's circular says, read from its frozen scores (three queries): the
    counts per grade, average / highest / lowest total, the appeals, and the praised
    (优秀) and criticized (不合格) subjects in rank order."""
    scores = list(
        Score.objects.filter(period=period)
        .only("subject_name", "total", "rank", "grade")
        .order_by("rank", "subject_name", "pk")
    )
    stats = Score.objects.filter(period=period).aggregate(
        avg=Avg("total"), top=Max("total"), low=Min("total")
    )
    appeals = Counter(Appeal.objects.filter(score__period=period).values_list("status", flat=True))
    grades = Counter(s.grade for s in scores)
    return {
        "count": len(scores),
        "grades": [(str(label), grades.get(value, 0)) for value, label in Grade.choices],
        "average": stats["avg"],
        "highest": stats["top"],
        "lowest": stats["low"],
        "appeals": sum(appeals.values()),
        "appeals_accepted": appeals.get(Appeal.Status.ACCEPTED, 0),
        "appeals_rejected": appeals.get(Appeal.Status.REJECTED, 0),
        "praised": [_line(s) for s in scores if s.grade == Grade.EXCELLENT],
        "criticized": [_line(s) for s in scores if s.grade == Grade.FAIL],
    }


def circular_text(
    period: Period, content: dict[str, Any], organization_name: str
) -> dict[str, str]:
    """The draft text of a period's circular (title, 主送, body, lists, requirements, 落款)."""
    kind = SubjectKind(period.scheme.subject_kind)
    measure, noun = SUBJECT_WORDS[kind]
    frozen = timezone.localtime(period.frozen_at).date() if period.frozen_at else period.ends_on
    grade_words = "、".join(f"{label} {n} {measure}" for label, n in content["grades"])
    appeals = (
        f"公示期间收到申诉 {content['appeals']} 件，经复核采纳 {content['appeals_accepted']} 件、"
        f"驳回 {content['appeals_rejected']} 件。"
        if content["appeals"]
        else "公示期间未收到申诉。"
    )
    body = "\n".join(
        [
            f"根据《{period.scheme.name}》，{organization_name}于{cn_date(period.starts_on)}至"
            f"{cn_date(period.ends_on)}对{content['count']}{measure}{noun}开展了{period.name}考核。"
            f"考核结果经公示和申诉处理，于{cn_date(frozen)}定稿。现将有关情况通报如下。",
            "一、总体情况",
            f"本期参加考核 {content['count']} {measure}，"
            f"平均得分 {_points(content['average'])} 分，"
            f"最高 {_points(content['highest'])} 分，最低 {_points(content['lowest'])} 分。"
            f"按等次：{grade_words}。{appeals}",
        ]
    )
    return {
        "title": f"关于{period.scheme.name}{period.name}考核结果的通报"[:120],
        "recipients": ADDRESSEES[kind],
        "body": body,
        "praised": "\n".join(content["praised"]),
        "criticized": "\n".join(content["criticized"]),
        "requirements": REQUIREMENTS,
        "signer": organization_name,
    }


@transaction.atomic
def circular_draft(*, period: Period, actor: Any, today: date | None = None) -> Circular:
    """起草通报：只有已定稿的考核周期可以起草；正文按定稿的得分生成，成文日期为今天；记变更日志。"""
    if not actor.has_perm(DRAFT_CIRCULAR):
        raise PermissionDenied
    if period.status != Period.Status.FINAL:
        raise ValidationError("考核周期定稿后才能起草通报。")
    if period.organization_id != actor.organization_id:
        raise PermissionDenied
    organization = period.organization
    text = circular_text(period, circular_content(period), organization.name)
    circular = Circular.objects.create(
        organization=organization,
        period=period,
        dated=today or timezone.localdate(),
        drafted_by=actor,
        **text,
    )
    changelog_record(
        obj=circular,
        action=ChangeLogEntry.Action.CREATE,
        actor=actor,
        changes={"title": [None, circular.title], "考核周期": [None, str(period)]},
    )
    return circular


@transaction.atomic
def circular_update(*, circular: Circular, actor: Any, data: dict[str, Any]) -> Circular:
    """修改通报草稿（标题、主送、正文、名单、要求、落款、成文日期）；发布后不能修改。"""
    if not actor.has_perm(PUBLISH_CIRCULAR):
        raise PermissionDenied
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if locked.status != Circular.Status.DRAFT:
        raise ValidationError("通报已发布，内容不能再修改。")
    before = snapshot(locked)
    errors = {}
    for name in (*EDITABLE, "dated"):
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    for name in ("title", "recipients", "body", "requirements", "signer"):
        if not getattr(locked, name):
            label = LABELS[name]
            errors[name] = f"请填写{label}。"
    if errors:
        raise ValidationError(errors)
    locked.save()
    changes = diff(before, snapshot(locked))
    if changes:
        changelog_record(
            obj=locked, action=ChangeLogEntry.Action.UPDATE, actor=actor, changes=changes
        )
    return locked


def _numbered(circular: Circular, year: int) -> None:
    for _ in range(NUMBER_ATTEMPTS):
        top = Circular.objects.filter(
            organization_id=circular.organization_id, year=year
        ).aggregate(top=Max("number"))["top"]
        number = (top or 0) + 1
        try:
            with transaction.atomic():
                Circular.objects.filter(pk=circular.pk, number__isnull=True).update(
                    year=year, number=number, reference=circular_number(year, number)
                )
        except IntegrityError:
            continue
        circular.year, circular.number = year, number
        circular.reference = circular_number(year, number)
        return
    raise ValidationError("通报编号被同时占用，请稍后再试。")


def concerned_people(period: Period) -> list[Any]:
    """Who hears of a published circular: the heads of the departments appraised (or of the
    teams' and persons' departments), the managers of the vendors appraised, the persons
    appraised who have an account, and the leaders."""
    rows = Score.objects.filter(period=period).values_list(
        "department_id",
        "team__department_id",
        "staff__department_id",
        "vendor_id",
        "staff__vendor_id",
        "staff__user_id",
    )
    departments: set[int] = set()
    vendors: set[int] = set()
    persons: set[int] = set()
    for dept, team_dept, staff_dept, vendor, staff_vendor, user_id in rows:
        departments.update(x for x in (dept, team_dept, staff_dept) if x)
        vendors.update(x for x in (vendor, staff_vendor) if x)
        if user_id:
            persons.add(user_id)
    people: list[Any] = []
    for found in heads_of(departments).values():
        people += found
    for found in vendor_managers_of(vendors).values():
        people += found
    people += leaders_of([period.organization_id]).get(period.organization_id, [])
    if persons:
        from houqin.accounts.models import User

        people += list(User.objects.filter(pk__in=persons, is_active=True))
    return people


@transaction.atomic
def circular_publish(*, circular: Circular, actor: Any, now: datetime | None = None) -> Circular:
    """发布通报：草稿才能发布；取发文字号（通报〔年度〕序号号），正文从此不再改变；记变更日志，
    提交后通知被考核科室的负责人、服务商负责人、被考核人员和中心领导。"""
    now = now or timezone.now()
    transition_apply(obj=circular, name="publish", actor=actor)
    _numbered(circular, circular.dated.year)
    Circular.objects.filter(pk=circular.pk).update(published_at=now, published_by=actor)
    circular.published_at, circular.published_by = now, actor
    changelog_record(
        obj=circular,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"reference": [None, circular.reference]},
    )
    recipients = [p for p in concerned_people(circular.period) if p.pk != actor.pk]
    notify(
        recipients=recipients,
        kind=CIRCULAR_KIND,
        title=f"印发通报：{circular.title}",
        body=f"{circular.reference}，请查阅考核结果和工作要求。",
        link=url_for_pk("appraisal:circular_detail", circular.pk),
        target=circular,
    )
    return circular


def circular_rows(*, user: Any) -> QuerySet[Circular]:
    """The circulars a user may see: all of them for whoever edits circulars, only the
    published ones for everyone else."""
    rows = Circular.objects.for_user(user, "view").select_related("period__scheme")
    if not user.has_perm(PUBLISH_CIRCULAR):
        rows = rows.filter(status=Circular.Status.PUBLISHED)
    return rows


def circular_get(*, user: Any, pk: Any, action: str = "view") -> Circular:
    circular = (
        circular_rows(user=user)
        .filter(pk=pk)
        .select_related("organization", "drafted_by", "published_by")
        .first()
    )
    if circular is None:
        raise Http404
    if action != "view" and circular.organization_id != user.organization_id:
        raise Http404
    return circular


def final_periods(*, user: Any) -> QuerySet[Period]:
    """The frozen periods a circular can be drafted from, newest first."""
    return (
        Period.objects.for_user(user, "view")
        .filter(status=Period.Status.FINAL, organization_id=user.organization_id)
        .select_related("scheme")
        .order_by("-ends_on", "-pk")
    )


def circular_sections(circular: Circular) -> list[tuple[str, list[str]]]:
    """The body as the document prints it: (heading, paragraphs), the first without a
    heading; a line such as “一、总体情况” opens a section, and the praised and criticized
    lists and the requirements follow under the next numbers."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in circular.body.splitlines():
        text = line.strip()
        if not text:
            continue
        if len(text) <= 20 and text[:2] in NUMBERED:
            sections.append((text, []))
        else:
            sections[-1][1].append(text)
    extra = [
        ("表扬名单", circular.praised),
        ("批评名单", circular.criticized),
        ("工作要求", circular.requirements),
    ]
    number = len(sections)
    for heading, text in extra:
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        if heading == "批评名单" and not lines:
            lines = ["本期无不合格的考核对象。"]
        if heading == "表扬名单" and not lines:
            lines = ["本期无评为优秀的考核对象。"]
        sections.append((f"{CHINESE_NUMBERS[number - 1]}、{heading}", lines))
        number += 1
    return [s for s in sections if s[0] or s[1]]


CHINESE_NUMBERS = "一二三四五六七八九十"
NUMBERED = tuple(f"{n}、" for n in CHINESE_NUMBERS)

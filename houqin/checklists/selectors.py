"""Reads of the checklist engine, always through ``for_user``; each fetches what its page
shows in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from houqin.checklists.models import (
    CalendarDay,
    ChecklistItem,
    ChecklistTemplate,
    Schedule,
    Task,
)
from houqin.checklists.scheduling import local_zone
from houqin.org.models import Staff
from houqin.standards.clauses import clause_tree, walk
from houqin.standards.models import IN_FORCE_STATES, Clause, Standard, StandardVersion

K = Clause.Kind
# Elements that name themselves in a citation instead of a number.
ELEMENT_NAMES: dict[str, str] = {
    K.FOREWORD: "前言",
    K.INTRODUCTION: "引言",
    K.BIBLIOGRAPHY: "参考文献",
}
# Parts of a text about the text itself (foreword, scope, terms …): nothing in them is checked.
SKIPPED_KINDS = frozenset(
    {K.FOREWORD, K.INTRODUCTION, K.SCOPE, K.REFERENCES, K.TERMS, K.BIBLIOGRAPHY}
)
# Elements whose text states something a person can check.
PROVISION_KINDS = frozenset({K.CLAUSE, K.PARAGRAPH, K.LIST_ITEM})
NUMBER_ONLY = re.compile(r"^[A-Z0-9][A-Z0-9.]*$")


def template_rows(*, user: Any) -> QuerySet[Any]:
    """The templates a user may see, each with its department, the number of its current
    items and of those whose cited clause changed (one query for a page of them)."""
    current = Q(items__current=True)
    return (
        ChecklistTemplate.objects.for_user(user, "view")
        .select_related("department")
        .annotate(
            item_count=Count("items", filter=current),
            changed_count=Count("items", filter=current & ~Q(items__clause_changed="")),
        )
    )


def template_get(*, user: Any, pk: Any, action: str = "view") -> ChecklistTemplate:
    """One template of the user's organization (anything else is a 404)."""
    template = (
        ChecklistTemplate.objects.for_user(user, action)
        .select_related("department", "owner")
        .filter(pk=pk)
        .first()
    )
    if template is None:
        raise Http404
    return template


def item_get(*, user: Any, pk: Any, action: str = "view") -> ChecklistItem:
    """One current item of a template of the user's organization (a retired row or anything
    else is a 404: it is no longer on the template)."""
    item = (
        ChecklistItem.objects.for_user(user, action)
        .select_related("template", "standard", "clause")
        .filter(pk=pk, current=True)
        .first()
    )
    if item is None:
        raise Http404
    return item


def cite_label(label: str) -> str:
    """How a clause is named in a sentence: 第5.2条, or the label as it is (“5.2 a)”)."""
    return f"第{label}条" if NUMBER_ONLY.match(label) else f"“{label}”"


def clause_cites(clauses: Iterable[Clause]) -> dict[int, str]:
    """How each clause of a version is cited: its number ("5.2", "附录A"), an element's
    name ("前言"), its parent's number and its own for a list item, note or example
    ("5.2 a)"), its parent's number for a paragraph."""
    cites: dict[int, str] = {}
    for entry in walk(clause_tree(clauses)):
        clause = entry.clause
        parent = cites.get(clause.parent_id or 0, "")
        if clause.kind in ELEMENT_NAMES:
            cite = ELEMENT_NAMES[clause.kind]
        elif clause.kind in (K.NOTE, K.EXAMPLE, K.LIST_ITEM):
            cite = f"{parent} {clause.number}".strip()
        else:
            cite = clause.number or parent
        cites[clause.pk] = cite[:60]
    return cites


def version_cites(version_ids: Iterable[int]) -> dict[int, str]:
    """clause_cites of every clause of these versions, in one query."""
    ids = set(version_ids)
    if not ids:
        return {}
    clauses = Clause.objects.filter(version_id__in=ids).only(
        "pk", "parent_id", "position", "kind", "number", "version_id"
    )
    return clause_cites(clauses)


@dataclass(frozen=True)
class ItemRow:
    """An item of the template page with how its clause is cited."""

    item: ChecklistItem
    cite: str

    @property
    def limits(self) -> str:
        """The limits of a number item in words: "0 – 8 ℃", "≥ 125 g"."""
        item = self.item
        if item.answer_type != ChecklistItem.AnswerType.NUMBER:
            return ""
        low, high = item.min_value, item.max_value
        unit = f" {item.unit}" if item.unit else ""
        if low is not None and high is not None:
            return f"{_number(low)} – {_number(high)}{unit}"
        if low is not None:
            return f"≥ {_number(low)}{unit}"
        if high is not None:
            return f"≤ {_number(high)}{unit}"
        return ""

    @property
    def cite_words(self) -> str:
        return cite_label(self.cite) if self.cite else ""

    @property
    def answer_words(self) -> str:
        """How the item is answered: "数值 0 – 8 ℃", "选择：干净 / 有垃圾（不合格：有垃圾）"."""
        item = self.item
        kind = ChecklistItem.AnswerType(item.answer_type)
        if kind == ChecklistItem.AnswerType.NUMBER:
            return f"数值 {self.limits}".strip()
        if kind == ChecklistItem.AnswerType.CHOICE:
            words = "选择：" + " / ".join(str(c) for c in item.choices)
            if item.fail_choices:
                words += f"（不合格：{' / '.join(str(c) for c in item.fail_choices)}）"
            return words
        return str(kind.label)

    @property
    def fail_words(self) -> str:
        """What a failure asks for: "不合格时：拍照、写说明、生成问题（较重，3 天内整改）"."""
        item = self.item
        rule = ChecklistItem.PhotoRule
        asks = []
        if item.photo_rule == rule.ON_FAIL:
            asks.append("拍照")
        if item.note_on_fail:
            asks.append("写说明")
        if item.finding_on_fail:
            deadline = f"，{item.fix_days} 天内整改" if item.fix_days else ""
            asks.append(f"生成问题（{item.get_severity_display()}{deadline}）")
        words = f"不合格时：{'、'.join(asks)}" if asks else ""
        if item.photo_rule == rule.ALWAYS:
            words = "每次都要拍照" + (f"；{words}" if words else "")
        return words


def _number(value: Any) -> str:
    return f"{value.normalize():f}"


def template_items(template: ChecklistTemplate) -> list[ItemRow]:
    """The current items of a template in order, with their cited standards and clauses
    (two queries whatever the number of items)."""
    items = list(
        template.items.filter(current=True)
        .select_related("standard", "clause")
        .order_by("position", "pk")
    )
    cites = version_cites(i.clause.version_id for i in items if i.clause_id)  # type: ignore[union-attr]
    return [ItemRow(i, cites.get(i.clause_id or 0, "")) for i in items]


def owner_choices(*, organization_id: int) -> list[tuple[int, str]]:
    """Active people of the organization who may change checklists, sorted by pinyin."""
    from pypinyin import lazy_pinyin

    from houqin.accounts.models import User

    rows = (
        User.objects.filter(
            organization_id=organization_id,
            is_active=True,
            groups__permissions__codename="change_checklisttemplate",
            groups__permissions__content_type__app_label="checklists",
        )
        .values_list("pk", "name", "username")
        .distinct()
    )
    people = sorted(rows, key=lambda r: ("".join(lazy_pinyin(r[1])), r[2]))
    return [(pk, name) for pk, name, _ in people]


def citable_standards(*, user: Any, query: str = "") -> QuerySet[Standard]:
    """The standards in force of the user's organization that have a published text, whose
    clauses a template may cite; ``query`` narrows them by number or title."""
    published = StandardVersion.objects.filter(standard=OuterRef("pk"), published_at__isnull=False)
    rows = (
        Standard.objects.for_user(user, "view")
        .filter(status__in=IN_FORCE_STATES)
        .filter(Exists(published))
        .only("pk", "number", "title")
        .order_by("number", "pk")
    )
    query = query.strip()[:100]
    if query:
        rows = rows.filter(Q(number__icontains=query) | Q(title__icontains=query))
    return rows


@dataclass(frozen=True)
class PickRow:
    """A clause of the picker: its depth in the tree, how it is cited, its words, whether
    it can be ticked (a provision with text) and whether the template already cites it."""

    clause: Clause
    depth: int
    cite: str
    tickable: bool
    cited: bool

    @property
    def words(self) -> str:
        return self.clause.text or self.clause.title

    @property
    def heading(self) -> bool:
        return not self.tickable and bool(self.clause.title)

    @property
    def indent(self) -> int:
        """Bootstrap's ps-N step for the depth (0, .5, 1, 1.5, 3 rem)."""
        return min(self.depth + 1, 5) if self.depth else 0


@dataclass(frozen=True)
class Picker:
    """The newest published text of a standard, as rows to tick."""

    standard: Standard
    version: StandardVersion
    rows: list[PickRow]

    @property
    def tickable(self) -> int:
        return sum(1 for r in self.rows if r.tickable and not r.cited)


def clause_picker(*, user: Any, standard_pk: Any, template: ChecklistTemplate) -> Picker:
    """The clauses of a citable standard's newest published version (foreword, scope,
    references and terms left out), marking those the template already cites (three queries)."""
    standard = citable_standards(user=user).filter(pk=standard_pk).first()
    if standard is None:
        raise Http404
    version = (
        StandardVersion.objects.filter(standard=standard, published_at__isnull=False)
        .order_by("-seq")
        .first()
    )
    if version is None:  # citable_standards has just checked there is one
        raise Http404
    clauses = list(version.clauses.all())
    cites = clause_cites(clauses)
    cited = set(
        template.items.filter(current=True, clause_uid__isnull=False).values_list(
            "clause_uid", flat=True
        )
    )
    rows = []
    for top in clause_tree(clauses):
        if top.clause.kind in SKIPPED_KINDS:
            continue
        for entry in walk([top]):
            clause = entry.clause
            tickable = clause.kind in PROVISION_KINDS and bool(clause.text.strip())
            rows.append(
                PickRow(clause, entry.depth, cites[clause.pk], tickable, clause.uid in cited)
            )
    return Picker(standard, version, rows)


# ---- schedules, the workday calendar and tasks ---------------------------------------------

T = Task.Status
TASK_RELATED = ("template", "place", "equipment", "person", "post", "team", "vendor", "taken_by")
SCHEDULE_RELATED = ("template", "person", "post", "team", "vendor", "place", "equipment")


def schedule_rows(*, user: Any) -> QuerySet[Schedule]:
    """The schedules a user may see, with what their list shows (one query)."""
    return Schedule.objects.for_user(user, "view").select_related(*SCHEDULE_RELATED)


def schedule_get(*, user: Any, pk: Any, action: str = "view") -> Schedule:
    """One schedule of the user's organization (anything else is a 404)."""
    schedule = (
        Schedule.objects.for_user(user, action)
        .select_related(*SCHEDULE_RELATED)
        .filter(pk=pk)
        .first()
    )
    if schedule is None:
        raise Http404
    return schedule


def calendar_overrides(
    organization_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[date, bool]]:
    """Each organization's calendar exceptions in [start, end]: day → workday (one query)."""
    result: dict[int, dict[date, bool]] = {}
    rows = CalendarDay.objects.filter(
        organization_id__in=set(organization_ids), day__gte=start, day__lte=end
    ).values_list("organization_id", "day", "workday")
    for organization_id, day, workday in rows:
        result.setdefault(organization_id, {})[day] = workday
    return result


def calendar_days(*, user: Any, year: int) -> QuerySet[CalendarDay]:
    """The calendar exceptions of the user's organization in a year, by date."""
    return (
        CalendarDay.objects.for_user(user, "view")
        .filter(organization_id=user.organization_id, day__year=year)
        .order_by("day")
    )


@dataclass(frozen=True)
class Membership:
    """Where a person belongs in the staff directory: the post, team and vendor whose
    tasks are theirs too."""

    post_id: int | None = None
    team_id: int | None = None
    vendor_id: int | None = None


def membership(user: Any) -> Membership:
    """The person's post, team and vendor from their staff record (one query)."""
    row = (
        Staff.objects.filter(user_id=user.pk, status=Staff.Status.ACTIVE)
        .values_list("post_id", "team_id", "vendor_id")
        .first()
    )
    return Membership(*row) if row else Membership()


def assigned_to(user: Any, member: Membership) -> Q:
    """Tasks of the person, or of their post, team or vendor that no one else has taken."""
    group = Q()
    if member.post_id:
        group |= Q(post_id=member.post_id)
    if member.team_id:
        group |= Q(team_id=member.team_id)
    if member.vendor_id:
        group |= Q(vendor_id=member.vendor_id)
    mine = Q(person_id=user.pk) | Q(taken_by_id=user.pk)
    if group:
        mine |= group & (Q(taken_by__isnull=True) | Q(taken_by_id=user.pk))
    return mine


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a local day and of the next."""
    start = datetime.combine(day, time.min, tzinfo=local_zone())
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_zone())


def task_rows(*, user: Any) -> QuerySet[Task]:
    """The tasks a user may see, with everything a list row shows (one query)."""
    return Task.objects.for_user(user, "view").select_related(*TASK_RELATED)


def tasks_mine(*, user: Any) -> QuerySet[Task]:
    """The tasks that are the user's to do (one query for the staff record, then the rows)."""
    return task_rows(user=user).filter(assigned_to(user, membership(user)))


def tasks_for(user: Any, day: date) -> list[Task]:
    """“我的任务”: the user's tasks whose window touches the day, and those overdue and still
    doable, ordered by due time; cancelled ones left out (three queries: the staff record,
    then the day's window and the overdue ones apart, so each reads an index range instead
    of every task of the organization)."""
    start, end = day_bounds(day)
    mine = task_rows(user=user).filter(assigned_to(user, membership(user)))
    in_window = Q(opens_at__lt=end, due_at__gte=start)
    rows = list(mine.filter(in_window).exclude(status=T.CANCELLED))
    rows += mine.filter(status=T.OVERDUE).exclude(in_window)
    return sorted(rows, key=lambda task: (task.due_at, task.pk))


def task_get(*, user: Any, pk: Any, action: str = "view") -> Task:
    """One task of the user's organization (anything else is a 404)."""
    task = (
        Task.objects.for_user(user, action)
        .select_related(*TASK_RELATED, "schedule")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def assignee_label(task: Task | Schedule) -> str:
    """Who does it, in words: a person's name, or the post, team or vendor."""
    if task.person_id:
        return str(task.person.name)
    if task.post_id:
        return f"岗位：{task.post}"
    if task.team_id:
        return f"班组：{task.team}"
    if task.vendor_id:
        return f"服务商：{task.vendor}"
    return "未指定"


def subject_label(task: Task | Schedule) -> str:
    """Where or on what, in words."""
    if task.equipment_id:
        return str(task.equipment)
    if task.place_id:
        return str(task.place)
    return "—"


def task_people(tasks: Iterable[Task]) -> dict[int, list[Any]]:
    """Who should hear about each task: the person who took it, else its person, else the
    active members of its post, team or vendor (one query for all the groups)."""
    tasks = list(tasks)
    posts = {t.post_id for t in tasks if t.post_id and not t.taken_by_id}
    teams = {t.team_id for t in tasks if t.team_id and not t.taken_by_id}
    vendors = {t.vendor_id for t in tasks if t.vendor_id and not t.taken_by_id}
    by_post: dict[int, list[Any]] = {}
    by_team: dict[int, list[Any]] = {}
    by_vendor: dict[int, list[Any]] = {}
    if posts or teams or vendors:
        staff = Staff.objects.filter(
            Q(post_id__in=posts) | Q(team_id__in=teams) | Q(vendor_id__in=vendors),
            status=Staff.Status.ACTIVE,
            user__is_active=True,
        ).select_related("user")
        for row in staff:
            for key, found in ((row.post_id, by_post), (row.team_id, by_team)):
                if key:
                    found.setdefault(key, []).append(row.user)
            if row.vendor_id:
                by_vendor.setdefault(row.vendor_id, []).append(row.user)
    people: dict[int, list[Any]] = {}
    for task in tasks:
        if task.taken_by_id:
            people[task.pk] = [task.taken_by]
        elif task.person_id:
            people[task.pk] = [task.person]
        else:
            people[task.pk] = (
                by_post.get(task.post_id or 0, [])
                + by_team.get(task.team_id or 0, [])
                + by_vendor.get(task.vendor_id or 0, [])
            )
    return people


# ---- doing a check: the scan page, the record page, the ledger, handovers (record_selectors)

from houqin.checklists.record_selectors import (  # noqa: E402, F401
    answer_own,
    attachments_of,
    handover_get,
    handover_rows,
    local_minute,
    photo_counts,
    record_failures,
    record_get,
    record_own,
    record_result,
    record_rows,
    record_sheet,
    record_where,
    requirements_here,
    tasks_here,
)

"""Reads of doing a check (re-exported by ``selectors``): the tasks due at a scanned place,
the requirements its checklists cite, a record as the phone fills it, the ledger of records
and the shift handovers. Each reads what its page shows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from houqin.checklists.models import (
    DO_TASKS,
    Answer,
    ChecklistItem,
    Handover,
    Record,
    Schedule,
    Task,
)
from houqin.checklists.selectors import (
    ItemRow,
    assigned_to,
    membership,
    task_rows,
    version_cites,
)
from houqin.common.lists import url_for_pk
from houqin.common.models import Attachment
from houqin.places.models import Equipment, Place

T = Task.Status
OPEN_STATES = (T.PENDING, T.IN_PROGRESS, T.OVERDUE)
# Who sees every record of the organization; anyone else who may see records sees their own.
VIEW_ALL_RECORDS = "checklists.view_checklisttemplate"
MAX_REQUIREMENTS = 40
RECORD_RELATED = ("template", "task", "place", "equipment", "inspector")


# ---- the scan page -------------------------------------------------------------------------


def tasks_here(
    *, user: Any, place: Place | None = None, equipment: Equipment | None = None, now: Any = None
) -> list[Task]:
    """The tasks at a scanned place (or on scanned equipment) that the user may do now: the
    window has opened and the task is not done, missed or cancelled; the user's own, their
    post's, team's or vendor's that no one else has taken, or for no one in particular. By
    due time (two queries)."""
    if not user.has_perm(DO_TASKS) or (place is None and equipment is None):
        return []
    moment = now or timezone.now()
    where = Q(equipment_id=equipment.pk) if equipment is not None else Q(place_id=place.pk)  # type: ignore[union-attr]
    anyone = Q(person__isnull=True, post__isnull=True, team__isnull=True, vendor__isnull=True) & (
        Q(taken_by__isnull=True) | Q(taken_by_id=user.pk)
    )
    rows = task_rows(user=user).filter(where, status__in=OPEN_STATES, opens_at__lte=moment)
    rows = rows.filter(assigned_to(user, membership(user)) | anyone)
    return list(rows.order_by("due_at", "pk"))


@dataclass(frozen=True)
class Requirement:
    """A clause that a checklist used here cites, in its own words, with where it stands and
    the pictures of what good looks like."""

    text: str
    source: str
    item: str
    pictures: list[Attachment]


def _covering(place: Place) -> Q:
    """Schedules that check this place: made for it, or for a place above it (or itself)
    checking each place of its kind."""
    prefixes = [
        place.path[:end] for end in range(Place.steplen, len(place.path) + 1, Place.steplen)
    ]
    return Q(place_id=place.pk, place_kind="") | Q(place__path__in=prefixes, place_kind=place.kind)


def requirements_here(
    *,
    user: Any,
    place: Place | None = None,
    equipment: Equipment | None = None,
    tasks: Iterable[Task] = (),
) -> list[Requirement]:
    """What the standards ask here: the clauses cited by the current items of the checklists
    that active schedules (or the tasks due) apply to this place or equipment, each clause
    once, with the pictures of its items (four queries)."""
    if equipment is not None:
        covering = Q(equipment_id=equipment.pk)
    elif place is not None:
        covering = _covering(place)
    else:
        return []
    template_ids = set(
        Schedule.objects.for_user(user, "view")
        .filter(covering, active=True)
        .values_list("template_id", flat=True)
    )
    template_ids |= {task.template_id for task in tasks}
    if not template_ids:
        return []
    items = list(
        ChecklistItem.objects.for_user(user, "view")
        .filter(
            template_id__in=template_ids,
            template__active=True,
            current=True,
            clause__isnull=False,
        )
        .select_related("standard", "clause")
        .order_by("template__name", "position", "pk")
    )
    seen: set[Any] = set()
    unique = []
    for item in items:
        if item.clause_uid not in seen:
            seen.add(item.clause_uid)
            unique.append(item)
    unique = unique[:MAX_REQUIREMENTS]
    cites = version_cites(i.clause.version_id for i in unique if i.clause is not None)
    pictures = attachments_of(ChecklistItem, [i.pk for i in unique], images_only=True)
    result = []
    for item in unique:
        clause = item.clause
        assert clause is not None  # filtered above
        standard = item.standard
        named = (standard.number or standard.title) if standard is not None else ""
        cite = ItemRow(item, cites.get(clause.pk, "")).cite_words
        result.append(
            Requirement(
                text=" ".join((clause.text or clause.title).split()),
                source=f"{named} {cite}".strip(),
                item=item.text,
                pictures=pictures.get(item.pk, []),
            )
        )
    return result


def attachments_of(
    model: type[Any], pks: Iterable[int], images_only: bool = False
) -> dict[int, list[Attachment]]:
    """The attachments of several rows of one model, oldest first, by row (one query), with
    their addresses prepared."""
    keys = [str(pk) for pk in pks]
    if not keys:
        return {}
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=keys
    ).only("id", "object_id", "original_name", "kind", "thumbnail", "caption", "created_at")
    if images_only:
        rows = rows.filter(kind=Attachment.Kind.IMAGE)
    found: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in rows.order_by("created_at", "pk"):
        attachment.thumb_url = url_for_pk("common:attachment_thumb", attachment.pk)  # type: ignore[attr-defined]
        attachment.download_url = url_for_pk("common:attachment_download", attachment.pk)  # type: ignore[attr-defined]
        found[int(attachment.object_id)].append(attachment)
    return found


# ---- a record ------------------------------------------------------------------------------


def record_get(*, user: Any, pk: Any) -> Record:
    """A record the user may see: any of the organization's for those who see all records,
    else their own (anything else is a 404)."""
    record = record_rows(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def record_own(*, user: Any, pk: Any) -> Record:
    """A record the user is filling or filled (anyone else's is a 404)."""
    record = (
        Record.objects.for_user(user, "change")
        .select_related(*RECORD_RELATED)
        .filter(pk=pk, inspector_id=user.pk)
        .first()
    )
    if record is None:
        raise Http404
    return record


def answer_own(*, user: Any, pk: Any) -> Answer:
    """One answer of a record the user is filling (anyone else's is a 404)."""
    answer = (
        Answer.objects.for_user(user, "change")
        .select_related("item", "record")
        .filter(pk=pk, record__inspector_id=user.pk)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@dataclass(frozen=True)
class AnswerRow:
    """One card of the record page: the answer, its item with how its clause is cited, the
    photos taken for it and the pictures of what good looks like."""

    answer: Answer
    line: ItemRow
    photos: list[Attachment]
    pictures: list[Attachment]

    @property
    def item(self) -> ChecklistItem:
        return self.answer.item

    @property
    def clause_text(self) -> str:
        clause = self.item.clause
        return " ".join((clause.text or clause.title).split()) if clause else ""

    @property
    def source(self) -> str:
        standard = self.item.standard
        if standard is None:
            return ""
        return f"{standard.number or standard.title} {self.line.cite_words}".strip()

    @property
    def guidance(self) -> str:
        """The item's guidance, unless it only repeats the citation shown under the clause."""
        words = self.item.guidance.strip()
        if self.item.clause_id and "\n" not in words and words.startswith("依据"):
            return ""
        return words

    @property
    def photo_needed(self) -> bool:
        """Whether a photo is asked for whatever the answer (the item is a photo, or always)."""
        item = self.item
        return (
            item.answer_type == ChecklistItem.AnswerType.PHOTO
            or item.photo_rule == ChecklistItem.PhotoRule.ALWAYS
        )

    @property
    def failed(self) -> bool:
        return self.answer.outcome == Answer.Outcome.FAIL

    @property
    def photo_shown(self) -> bool:
        """The camera shows when a photo is asked for, after a failure, or once taken."""
        return self.photo_needed or self.failed or bool(self.photos)

    @property
    def photo_missing(self) -> bool:
        """A photo is asked for now and none is taken yet."""
        on_fail = self.failed and self.item.photo_rule == ChecklistItem.PhotoRule.ON_FAIL
        return (self.photo_needed or on_fail) and not self.photos

    @property
    def note_missing(self) -> bool:
        return self.failed and self.item.note_on_fail and not self.answer.note


def record_sheet(record: Record) -> list[AnswerRow]:
    """The answers of a record in order, each with its item (as it was when the record
    started), the clause it cites, its photos and the item's pictures (five queries)."""
    answers = list(
        record.answers.select_related("item__standard", "item__clause").order_by("position")
    )
    cites = version_cites(a.item.clause.version_id for a in answers if a.item.clause_id)  # type: ignore[union-attr]
    photos = attachments_of(Answer, [a.pk for a in answers])
    pictures = attachments_of(ChecklistItem, [a.item_id for a in answers], images_only=True)
    return [
        AnswerRow(
            answer,
            ItemRow(answer.item, cites.get(answer.item.clause_id or 0, "")),
            photos.get(answer.pk, []),
            pictures.get(answer.item_id, []),
        )
        for answer in answers
    ]


def photo_counts(record: Record) -> dict[int, int]:
    """How many photos each answer of a record has, by answer (one query)."""
    keys = [str(pk) for pk in record.answers.values_list("pk", flat=True)]
    rows = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Answer),
            object_id__in=keys,
            kind=Attachment.Kind.IMAGE,
        )
        .values("object_id")
        .annotate(n=Count("pk"))
    )
    return {int(row["object_id"]): row["n"] for row in rows}


def record_failures(record: Record) -> list[Answer]:
    """The failed answers of a record with their items and the findings they raised."""
    return list(
        record.answers.filter(outcome=Answer.Outcome.FAIL)
        .select_related("item", "finding__rectification")
        .order_by("position")
    )


# ---- the ledger ----------------------------------------------------------------------------


def record_rows(*, user: Any) -> QuerySet[Record]:
    """The records a user may see with what a ledger row shows (one query): all of the
    organization's for those who see checklists, else the user's own."""
    rows = Record.objects.for_user(user, "view").select_related(*RECORD_RELATED)
    if not user.has_perm(VIEW_ALL_RECORDS):
        rows = rows.filter(inspector_id=user.pk)
    return rows


def record_where(record: Record) -> str:
    """Where or on what a record was filled, in words."""
    if record.equipment_id:
        return str(record.equipment)
    if record.place_id:
        return str(record.place)
    return ""


def record_result(record: Record) -> str:
    """The result in words: 合格 / 不合格 / 全部不适用 / 填写中."""
    if record.status == Record.Status.DRAFT:
        return "填写中"
    if record.passed is None:
        return "全部不适用"
    return "合格" if record.passed else "不合格"


# ---- handovers -----------------------------------------------------------------------------


def handover_rows(*, user: Any) -> QuerySet[Handover]:
    """The handovers a user may see (one query): all of the organization's for those who see
    checklists, else those the user handed or took over."""
    rows = Handover.objects.for_user(user, "view").select_related("place", "outgoing", "incoming")
    if not user.has_perm(VIEW_ALL_RECORDS):
        rows = rows.filter(Q(outgoing_id=user.pk) | Q(incoming_id=user.pk))
    return rows


def handover_get(*, user: Any, pk: Any) -> Handover:
    handover = handover_rows(user=user).filter(pk=pk).first()
    if handover is None:
        raise Http404
    return handover


def local_minute(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""

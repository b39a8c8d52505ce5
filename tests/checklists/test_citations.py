"""Clause citations surviving revisions of a standard: an unchanged clause is followed to
the new version quietly, a changed one is followed and marked, a deleted one is marked; the
template owner is told once; a record keeps the clause it was filled against."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from houqin.checklists.models import Answer, ChecklistItem
from houqin.checklists.services import (
    citation_reviewed,
    citations_review,
    items_from_clauses,
    record_start,
    template_create,
)
from houqin.checklists.tasks import citations_review_recent
from houqin.common.models import ChangeLogEntry, Notification
from houqin.standards.clauses import clause_delete, clause_edit
from houqin.standards.models import Clause, Standard, StandardVersion
from houqin.standards.services import version_new_draft, version_publish
from tests.standards.builders import in_force_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(org_a, standards_officer):
    return in_force_make(org_a, standards_officer)


@pytest.fixture
def template(org_a, department_head):
    return template_create(
        organization=org_a,
        actor=department_head,
        data={"name": "公共卫生间保洁检查", "owner": department_head},
    )


def provisions(standard) -> list[Clause]:
    version = standard.versions.get(seq=1)
    return list(version.clauses.filter(kind="paragraph", parent__kind="clause").order_by("pk"))


def revise(
    standard: Standard, actor, edit: dict | None = None, delete: tuple = ()
) -> StandardVersion:
    """Publish a new version of ``standard`` with some clauses (by uid) edited or deleted."""
    version = version_new_draft(standard=standard, actor=actor)
    for uid, text in (edit or {}).items():
        clause_edit(clause=version.clauses.get(uid=uid), actor=actor, base_revision=None, text=text)
    for uid in delete:
        clause_delete(clause=version.clauses.get(uid=uid), actor=actor, base_revision=None)
    version_publish(
        version=version,
        actor=actor,
        number=standard.number,
        published_on=date(2026, 6, 1),
        effective_on=date(2026, 7, 1),
    )
    return version


def notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="checklist"))


def test_a_changed_clause_is_followed_and_marked_an_unchanged_one_quietly(
    standard, template, standards_officer, department_head
) -> None:
    first, second = provisions(standard)
    items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk, second.pk])
    new = revise(standard, standards_officer, edit={second.uid: "地面应无积水、无污渍。"})

    review = citations_review(standard=standard)

    assert (review.seq, review.kept, review.changed, review.removed) == (2, 1, 1, 0)
    kept, changed = template.items.order_by("position")
    assert kept.clause.version == new and kept.clause_changed == ""
    assert changed.clause.version == new and changed.clause.uid == second.uid
    assert changed.clause_changed == "第2.2条在第2版中有修改"
    [notice] = notices(department_head)
    assert "公共卫生间保洁检查" in notice.title and "第2.2条在第2版中有修改" in notice.body
    assert notice.link == f"/checklists/templates/{template.pk}/"
    entry = ChangeLogEntry.objects.filter(object_id=str(template.pk)).first()
    assert "第2版核对" in entry.changes["依据条款"][1]
    assert "1 项依据条款未变" in entry.changes["依据条款"][1]


def test_running_again_changes_nothing_and_tells_nobody_twice(
    standard, template, standards_officer, department_head
) -> None:
    first, _ = provisions(standard)
    items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk])
    revise(standard, standards_officer, edit={first.uid: "保洁员应每1 h保洁1次。"})
    citations_review(standard=standard)
    entries = ChangeLogEntry.objects.count()

    again = citations_review(standard=standard)

    assert (again.kept, again.changed, again.removed) == (0, 0, 0)
    assert len(notices(department_head)) == 1 and ChangeLogEntry.objects.count() == entries


def test_a_deleted_clause_is_marked_until_reviewed_then_no_longer_cited(
    standard, template, standards_officer, department_head
) -> None:
    first, _ = provisions(standard)
    [item] = items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk])
    revise(standard, standards_officer, delete=(first.uid,))

    review = citations_review(standard=standard)
    citations_review(standard=standard)

    assert review.removed == 1
    item.refresh_from_db()
    assert item.clause == first and item.clause_changed == "第2.1条在第2版中已删除"
    assert len(notices(department_head)) == 1

    reviewed = citation_reviewed(item=item, actor=department_head)
    assert reviewed.clause_changed == "" and reviewed.clause is None and reviewed.standard is None
    assert citations_review(standard=standard).removed == 0
    reviewed.refresh_from_db()
    assert reviewed.clause_changed == ""


def test_a_record_keeps_the_clause_it_was_filled_against(
    standard, template, standards_officer, department_head
) -> None:
    first, _ = provisions(standard)
    [item] = items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk])
    record = record_start(template=template, actor=department_head)
    revision = template.revision
    revise(standard, standards_officer, edit={first.uid: "保洁员应每1 h保洁1次。"})

    citations_review(standard=standard)

    successor = template.items.get(current=True)
    assert successor.pk != item.pk and successor.key == item.key
    assert successor.clause.version.seq == 2 and successor.clause_changed
    answered = Answer.objects.get(record=record).item
    assert answered.pk == item.pk and answered.clause == first and not answered.current
    template.refresh_from_db()
    assert template.revision == revision + 1


def test_a_template_without_an_owner_is_still_marked(
    org_a, standard, standards_officer, department_head
) -> None:
    template = template_create(organization=org_a, actor=department_head, data={"name": "无人"})
    first, _ = provisions(standard)
    items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk])
    revise(standard, standards_officer, edit={first.uid: "保洁员应每1 h保洁1次。"})
    assert citations_review(standard=standard).changed == 1
    assert ChecklistItem.objects.get(template=template).clause_changed
    assert not Notification.objects.filter(kind="checklist").exists()


def test_the_daily_job_reviews_the_standards_published_in_the_last_day(
    standard, template, standards_officer, department_head
) -> None:
    first, _ = provisions(standard)
    items_from_clauses(template=template, actor=department_head, clause_ids=[first.pk])
    revise(standard, standards_officer, edit={first.uid: "保洁员应每1 h保洁1次。"})
    later = (timezone.now() + timedelta(days=2)).isoformat()
    assert citations_review_recent.call(later)["standards"] == 0
    assert not ChecklistItem.objects.get(template=template).clause_changed

    totals = citations_review_recent.call(timezone.now().isoformat())

    assert totals == {"standards": 1, "kept": 0, "changed": 1, "removed": 0}
    assert ChecklistItem.objects.get(template=template, current=True).clause_changed


def test_the_daily_command_reviews_and_says_what_it_did(db) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("checklists_daily", stdout=out)
    assert out.getvalue().startswith("核对标准 0 项")

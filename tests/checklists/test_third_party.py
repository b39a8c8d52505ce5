"""Third-party evaluations (第三方评价): a record of kind “第三方评价” entered on behalf of an
outside party raises findings for failures; the Excel import checks every row before
writing anything and adds nothing when the same file is imported twice."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from houqin.checklists.imports import third_party_spec
from houqin.checklists.models import Record, ThirdPartyEvaluation
from houqin.checklists.third_party_services import Party, third_party_record
from houqin.common.imports import import_run
from houqin.findings.models import Finding
from tests.checklists.task_builders import NOW, campus, place, template
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
__all__ = ["campus", "template"]  # fixtures used here

PARTY = Party("某某评价公司", "李评价", date(2026, 9, 28), "PJ-1")


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def room(org_a, campus, department):
    return place(org_a, campus["floor"], "room", "A-01-R9", "值班室", department=department)


def test_a_failure_raises_a_finding(org_a, department_head, template, room) -> None:
    item = template.items.get()
    record = third_party_record(
        template=template,
        actor=department_head,
        party=PARTY,
        cells={item.pk: "不合格：地面有积水"},
        place=room,
    )
    assert record.kind == "third_party" and record.status == Record.Status.SUBMITTED
    assert record.inspector == department_head and record.passed is False
    assert record.third_party.party == "某某评价公司"
    assert Finding.objects.filter(record=record).count() == 1


def test_a_failure_without_note_and_a_repeated_report_are_refused(
    org_a, department_head, template, room
) -> None:
    item = template.items.get()
    with pytest.raises(ValidationError, match="写明情况"):
        third_party_record(
            template=template,
            actor=department_head,
            party=PARTY,
            cells={item.pk: "不合格"},
            place=room,
        )
    third_party_record(
        template=template, actor=department_head, party=PARTY, cells={item.pk: "合格"}, place=room
    )
    with pytest.raises(ValidationError):
        third_party_record(
            template=template,
            actor=department_head,
            party=PARTY,
            cells={item.pk: "合格"},
            place=room,
        )
    assert Record.objects.count() == 1


def workbook(template, rows) -> BytesIO:
    spec = third_party_spec(template)
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in spec.columns])
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_import_lists_every_bad_row_then_imports_once(
    org_a, department_head, template, room
) -> None:
    spec = third_party_spec(template)
    bad = [
        ["PJ-1", "A-01-R9", "2026-09-28", "评价公司", "李评价", "合格"],
        ["PJ-2", "NOPE", "2026-09-28", "评价公司", "李评价", "合格"],
        ["PJ-3", "A-01-R9", "2026-09-28", "评价公司", "李评价", "不合格"],
        ["PJ-4", "A-01-R9", "昨天", "评价公司", "李评价", "也许"],
    ]
    result = import_run(
        spec=spec,
        organization=org_a,
        file=workbook(template, bad),
        actor=department_head,
        dry_run=True,
    )
    assert sorted({e.row for e in result.errors}) == [3, 4, 5]
    assert not Record.objects.exists()
    good = [bad[0], ["PJ-3", "A-01-R9", "2026-09-28", "评价公司", "李评价", "不合格：有积水"]]
    for _ in range(2):
        result = import_run(
            spec=spec,
            organization=org_a,
            file=workbook(template, good),
            actor=department_head,
            dry_run=False,
        )
        assert result.ok, result.errors
    assert ThirdPartyEvaluation.objects.count() == 2
    assert Finding.objects.count() == 1
    assert set(Record.objects.values_list("kind", flat=True)) == {"third_party"}


def test_pages_and_permissions(org_a, department_head, worker, template, room) -> None:
    item = template.items.get()
    page = f"/checklists/templates/{template.pk}/third-party/"
    assert signed_in(worker).get(page).status_code == 403
    client = signed_in(department_head)
    assert client.get(page).status_code == 200
    assert client.get(f"{page}import/").status_code == 200
    assert client.get(f"{page}template/").status_code == 200
    response = client.post(
        page,
        {
            "place": room.pk,
            "party": "评价公司",
            "evaluator": "李评价",
            "evaluated_on": "2026-09-28",
            "reference": "",
            f"item_{item.pk}": "合格",
        },
    )
    assert response.status_code == 302
    assert Record.objects.get().kind == "third_party"

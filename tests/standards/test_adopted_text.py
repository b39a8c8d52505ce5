"""The clauses of an adopted external standard: the office enters them in a draft and
publishes them as they stand, so checklists can cite them; the standard stays in force with
its own number and dates; internal standards keep their lifecycle."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from houqin.common.models import ChangeLogEntry
from houqin.standards import clauses as ops
from houqin.standards.models import Standard
from houqin.standards.search import search
from houqin.standards.services import (
    adopted_text_open,
    adopted_text_publish,
    can_edit_text,
    standard_adopt,
)
from tests.conftest import signed_in
from tests.standards.builders import n

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(org_a, standards_officer, node):
    return standard_adopt(
        organization=org_a,
        actor=standards_officer,
        data={
            "number": "GB/T 18883—2022",
            "title": "室内空气质量标准",
            "level": "national",
            "node": node,
            "published_on": date(2022, 7, 11),
            "effective_on": date(2023, 2, 1),
        },
    )


def _enter(version, text: str = "室内二氧化碳浓度不应超过 0.10 %。") -> None:
    ops.tree_load(
        version=version,
        nodes=[n("chapter", title="要求", children=(n("paragraph", text),))],
    )


def test_the_office_enters_and_publishes_clauses_from_the_page(adopted, standards_officer) -> None:
    client = signed_in(standards_officer)
    page = client.get(reverse("standards:standard_detail", args=[adopted.pk])).content.decode()
    assert "录入条款" in page
    response = client.post(reverse("standards:adopted_text_open", args=[adopted.pk]))
    version = adopted.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:editor", args=[version.pk])
    editor = client.get(response["Location"]).content.decode()
    assert "条款录入稿" in editor and 'id="clause-editor"' in editor
    _enter(version)
    page = client.get(reverse("standards:standard_detail", args=[adopted.pk])).content.decode()
    assert "继续录入条款" in page and "发布录入的条款" in page
    client.post(reverse("standards:adopted_text_publish", args=[adopted.pk]))
    version.refresh_from_db()
    adopted.refresh_from_db()
    assert version.is_published
    assert adopted.status == Standard.Status.IN_FORCE
    assert adopted.number == "GB/T 18883—2022"
    assert (adopted.published_on, adopted.effective_on) == (date(2022, 7, 11), date(2023, 2, 1))
    entry = ChangeLogEntry.objects.filter(object_id=adopted.pk).latest("pk")
    assert "发布录入的条款（第1版）" in str(entry.changes)
    result = search([adopted.organization_id], "二氧化碳")
    assert [hit.number for hit in result.hits] == ["GB/T 18883—2022"]
    assert result.hits[0].clauses


def test_a_correction_starts_from_the_entered_clauses_and_keeps_their_identity(
    adopted, standards_officer
) -> None:
    first = adopted_text_open(standard=adopted, actor=standards_officer)
    _enter(first)
    adopted_text_publish(standard=adopted, actor=standards_officer)
    second = adopted_text_open(standard=adopted, actor=standards_officer)
    assert second.pk != first.pk and second.seq == 2
    assert set(second.clauses.values_list("uid", flat=True)) == set(
        first.clauses.values_list("uid", flat=True)
    )
    assert adopted_text_open(standard=adopted, actor=standards_officer).pk == second.pk


def test_what_is_refused_and_why(adopted, in_force, standards_officer) -> None:
    with pytest.raises(ValidationError, match="还没有录入任何条款"):
        adopted_text_open(standard=adopted, actor=standards_officer)
        adopted_text_publish(standard=adopted, actor=standards_officer)
    with pytest.raises(ValidationError, match="按流程起草"):
        adopted_text_open(standard=in_force, actor=standards_officer)
    Standard.objects.filter(pk=adopted.pk).update(status=Standard.Status.WITHDRAWN)
    adopted.refresh_from_db()
    with pytest.raises(ValidationError, match="已废止"):
        adopted_text_open(standard=adopted, actor=standards_officer)


def test_only_the_office_enters_clauses(adopted, standards_officer, department_head) -> None:
    assert can_edit_text(standards_officer, adopted)
    assert not can_edit_text(department_head, adopted)
    response = signed_in(department_head).post(
        reverse("standards:adopted_text_open", args=[adopted.pk])
    )
    assert response.status_code == 403
    assert not adopted.versions.exists()


def test_publishing_with_nothing_open_says_so(adopted, standards_officer) -> None:
    client = signed_in(standards_officer)
    url = reverse("standards:standard_detail", args=[adopted.pk])
    response = client.post(
        reverse("standards:adopted_text_publish", args=[adopted.pk]), {"next": url}, follow=True
    )
    assert "没有正在录入的条款" in response.content.decode()

"""Random spot checks (随机抽查): the draw is reproducible from its recorded seed, pools are
scoped to the organization, “回避本科室” keeps inspectors off their own department's places,
tasks are made once, who may draw and see, and the pages' query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from houqin.checklists.draw_services import ALGORITHM, DrawRequest, draw_pick, draw_tasks_make
from houqin.checklists.models import RandomDraw, Task
from houqin.checklists.services import draw_create, draw_verify
from houqin.org.models import Department
from tests.checklists.task_builders import NOW, campus, place, template
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db
__all__ = ["campus", "template"]  # fixtures used here

SUBJECTS = [[pk, 1 if pk % 2 else 2] for pk in range(1, 41)]
INSPECTORS = [[pk, 1 if pk % 2 else 2] for pk in range(101, 121)]


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def pick(seed: str, avoid: bool = False, each: int = 2) -> list[Any]:
    return draw_pick(
        seed=seed,
        algorithm=ALGORITHM,
        subjects=SUBJECTS,
        inspectors=INSPECTORS,
        wanted=5,
        each=each,
        avoid=avoid,
    )


def test_same_seed_same_result_other_seed_other_result() -> None:
    assert pick("ab" * 16) == pick("ab" * 16)
    assert pick("ab" * 16) != pick("cd" * 16)


def test_avoiding_own_department_never_pairs_a_department_with_itself() -> None:
    departments = dict(map(tuple, SUBJECTS)) | dict(map(tuple, INSPECTORS))
    for seed in ("01" * 16, "02" * 16, "03" * 16):
        for subject, inspectors in pick(seed, avoid=True):
            assert all(departments[i] != departments[subject] for i in inspectors)


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValidationError):
        draw_pick(
            seed="ab",
            algorithm="v0",
            subjects=SUBJECTS,
            inspectors=INSPECTORS,
            wanted=1,
            each=1,
            avoid=False,
        )


@pytest.fixture
def people(org_a, department) -> dict[str, Any]:
    other = Department.objects.create(organization=org_a, code="BW", name="保卫科")
    mine = [
        person(org_a, f"w{n}", "worker", name=f"本科室{n}", department=department) for n in range(3)
    ]
    theirs = [
        person(org_a, f"x{n}", "worker", name=f"保卫科{n}", department=other) for n in range(3)
    ]
    return {"mine": mine, "theirs": theirs, "other": other}


@pytest.fixture
def rooms(org_a, campus, department) -> list[Any]:
    floor = campus["floor"]
    return [
        place(org_a, floor, "room", f"R{n}", f"办公室{n}", department=department) for n in range(6)
    ]


def ask(template, campus, staff, **data: Any) -> DrawRequest:
    values: dict[str, Any] = {
        "title": "双随机抽查",
        "template": template,
        "opens_at": NOW + timedelta(hours=1),
        "due_at": NOW + timedelta(days=2),
        "subjects_wanted": 3,
        "place": campus["floor"],
        "place_kind": "room",
        "people": staff["mine"] + staff["theirs"],
        **data,
    }
    return DrawRequest(**values)


def test_draw_records_seed_pools_and_verifies(
    org_a, department_head, template, campus, rooms, people
) -> None:
    draw = draw_create(
        organization=org_a, actor=department_head, request=ask(template, campus, people)
    )
    assert len(draw.seed) == 32 and draw.algorithm == ALGORITHM
    pool_ids = [row[0] for row in draw.subject_pool]
    assert pool_ids == sorted(pool_ids) and set(r.pk for r in rooms) <= set(pool_ids)
    assert [row[0] for row in draw.inspector_pool] == sorted(
        p.pk for p in people["mine"] + people["theirs"]
    )
    assert draw_verify(draw)
    draw.result = list(reversed(draw.result))
    assert not draw_verify(draw)


def test_avoiding_own_department_on_real_rows(
    org_a, department_head, template, campus, rooms, people
) -> None:
    draw = draw_create(
        organization=org_a,
        actor=department_head,
        request=ask(template, campus, people, subjects_wanted=6, avoid_own_department=True),
    )
    ours = {r.pk for r in rooms}
    chosen = {pk for subject, ids in draw.result if subject in ours for pk in ids}
    assert chosen and chosen <= {p.pk for p in people["theirs"]}
    with pytest.raises(ValidationError):
        draw_create(
            organization=org_a,
            actor=department_head,
            request=ask(template, campus, people, people=people["mine"], avoid_own_department=True),
        )


def test_pools_stay_inside_the_organization(
    org_a, org_b, department_head, template, campus, rooms, people
) -> None:
    stranger = person(org_b, "zz", "worker", name="外单位")
    draw = draw_create(
        organization=org_a,
        actor=department_head,
        request=ask(template, campus, people, people=[*people["mine"], stranger]),
    )
    assert stranger.pk not in [row[0] for row in draw.inspector_pool]
    elsewhere = place(org_b, None, "campus", "B", "乙大院")
    with pytest.raises(ValidationError):
        draw_create(
            organization=org_a,
            actor=department_head,
            request=ask(template, campus, people, place=elsewhere),
        )


def test_one_task_per_subject_and_inspector_made_once(
    org_a, department_head, template, campus, rooms, people
) -> None:
    draw = draw_create(
        organization=org_a,
        actor=department_head,
        request=ask(template, campus, people, inspectors_each=2),
    )
    tasks = Task.objects.filter(occurrence__startswith=f"draw{draw.pk}:")
    assert tasks.count() == 6
    assert set(tasks.values_list("kind", flat=True)) == {"random"}
    assert draw_tasks_make(draw) == 0
    assert tasks.count() == 6
    pairs = {(t.place_id, t.person_id) for t in tasks}
    assert pairs == {(s, i) for s, ids in draw.result for i in ids}


def test_who_may_draw_and_see(
    client, org_a, department_head, worker, leader, outsider, template, campus, rooms, people
) -> None:
    draw = draw_create(
        organization=org_a, actor=department_head, request=ask(template, campus, people)
    )
    page = f"/checklists/draws/{draw.pk}/"
    assert signed_in(leader).get(page).status_code == 200
    assert signed_in(leader).get("/checklists/draws/new/").status_code == 403
    assert signed_in(worker).get(page).status_code == 403
    assert signed_in(outsider).get(page).status_code in (403, 404)
    response = signed_in(leader).post(f"{page}verify/")
    assert "核验一致" in response.content.decode()
    assert draw.seed in response.content.decode()


def test_draw_form_makes_a_draw(org_a, department_head, template, campus, rooms, people) -> None:
    response = signed_in(department_head).post(
        "/checklists/draws/new/",
        {
            "title": "九月抽查",
            "template": template.pk,
            "place": campus["floor"].pk,
            "place_kind": "room",
            "subjects_wanted": 2,
            "inspectors_each": 1,
            "department": people["other"].pk,
            "avoid_own_department": "on",
            "opens_at": "2026-09-30T08:00",
            "due_at": "2026-10-02T17:00",
        },
    )
    draw = RandomDraw.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{draw.pk}/")
    assert {row[0] for row in draw.inspector_pool} == {p.pk for p in people["theirs"]}


def test_pages_query_counts_do_not_grow(
    django_assert_max_num_queries, org_a, department_head, leader, template, campus, rooms, people
) -> None:
    client = signed_in(leader)
    draw = draw_create(
        organization=org_a,
        actor=department_head,
        request=ask(template, campus, people, subjects_wanted=1),
    )
    with django_assert_max_num_queries(30) as small:
        client.get(f"/checklists/draws/{draw.pk}/")
        client.get("/checklists/draws/")
    for _ in range(3):
        big = draw_create(
            organization=org_a,
            actor=department_head,
            request=ask(template, campus, people, subjects_wanted=6, inspectors_each=2),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/checklists/draws/{big.pk}/")
        client.get("/checklists/draws/")

"""Random spot checks (随机抽查, “双随机”) and special campaigns (专项检查) (re-exported by
``services``).

A draw takes the pools of subjects (places of a subtree, optionally of one kind, or a set
of equipment) and of inspectors (people who may do checks), each as an ordered list of ids
with the department each belongs to, generates a seed with ``secrets``, and picks with
``random.Random(seed)``. Everything the pick depends on is stored on the ``RandomDraw``, so
``draw_verify`` can re-run it later and confirm the result: the pools are not read again
from the database, whose people and places may have changed since.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from houqin.accounts.models import User
from houqin.accounts.roles import ROLES
from houqin.checklists.models import (
    DO_TASKS,
    Campaign,
    CampaignTask,
    ChecklistTemplate,
    InspectionKind,
    RandomDraw,
    Task,
)
from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.common.services import record_create
from houqin.org.models import Staff
from houqin.places.models import Equipment, Place

ALGORITHM = "v1"
SEED_BYTES = 16
MAX_SUBJECTS = 200
CREATE = ChangeLogEntry.Action.CREATE

Pool = list[list[int | None]]  # [[id, department id or None], …] in id order


@dataclass(frozen=True)
class DrawRequest:
    """What a manager asks for: the template, the subject pool, the inspector pool, how many,
    the conflict rule and the window."""

    title: str
    template: ChecklistTemplate
    opens_at: datetime
    due_at: datetime
    subjects_wanted: int
    inspectors_each: int = 1
    place: Place | None = None
    place_kind: str = ""
    equipment: Sequence[Equipment] = ()
    department_id: int | None = None
    post_id: int | None = None
    team_id: int | None = None
    people: Sequence[Any] = ()
    avoid_own_department: bool = False
    campaign: Campaign | None = None


# ---- the pure draw -------------------------------------------------------------------------


def draw_pick(
    *,
    seed: str,
    algorithm: str,
    subjects: Pool,
    inspectors: Pool,
    wanted: int,
    each: int,
    avoid: bool,
) -> list[list[Any]]:
    """Draw ``wanted`` subjects, then ``each`` inspectors for every drawn subject, from one
    ``random.Random`` seeded with the seed's integer value. With ``avoid`` an inspector is
    never drawn for a subject of their own department. Same inputs, same result.
    Returns [[subject id, [inspector ids]], …] in drawn order."""
    if algorithm != ALGORITHM:
        raise ValidationError(f"不认识的抽取算法版本“{algorithm}”。")
    rng = random.Random(int(seed, 16))
    drawn = rng.sample(subjects, min(wanted, len(subjects)))
    result: list[list[Any]] = []
    for subject_id, subject_department in drawn:
        eligible = [
            pk
            for pk, department in inspectors
            if not (avoid and subject_department is not None and department == subject_department)
        ]
        if len(eligible) < each:
            raise ValidationError(
                f"回避本科室后，可抽的检查人员不足 {each} 人，"
                "请扩大检查人员范围或减少每个对象的检查人数。"
            )
        result.append([subject_id, rng.sample(eligible, each)])
    return result


def draw_verify(draw: RandomDraw) -> bool:
    """Re-run the draw from its recorded seed, algorithm and pools: True when the same
    subjects and inspectors come out in the same order."""
    try:
        again = draw_pick(
            seed=draw.seed,
            algorithm=draw.algorithm,
            subjects=draw.subject_pool,
            inspectors=draw.inspector_pool,
            wanted=draw.subjects_wanted,
            each=draw.inspectors_each,
            avoid=draw.avoid_own_department,
        )
    except (ValidationError, ValueError):
        return False
    return again == draw.result


# ---- the pools -----------------------------------------------------------------------------


def inspectors_with_perm(organization_id: int) -> Any:
    """Active people of the organization whose roles let them do checks."""
    codes = [role.code for role in ROLES if DO_TASKS in role.permissions]
    return User.objects.filter(
        organization_id=organization_id, is_active=True, groups__name__in=codes
    ).distinct()


def inspector_pool(organization: Any, request: DrawRequest) -> Pool:
    """The people who may be drawn, in id order, each with their department."""
    rows = inspectors_with_perm(organization.pk)
    if request.people:
        rows = rows.filter(pk__in=[p.pk for p in request.people])
    if request.department_id:
        rows = rows.filter(department_id=request.department_id)
    if request.post_id or request.team_id:
        staff = Staff.objects.filter(organization=organization, status=Staff.Status.ACTIVE)
        if request.post_id:
            staff = staff.filter(post_id=request.post_id)
        if request.team_id:
            staff = staff.filter(team_id=request.team_id)
        rows = rows.filter(pk__in=staff.values("user_id"))
    if not (request.people or request.department_id or request.post_id or request.team_id):
        raise ValidationError({"people": "请选择检查人员范围：科室、岗位、班组或指定人员。"})
    return [[pk, dept] for pk, dept in rows.order_by("pk").values_list("pk", "department_id")]


def subject_pool(organization: Any, request: DrawRequest) -> tuple[str, Pool]:
    """The subjects that may be drawn (active places of the subtree and kind, or equipment
    in service), in id order, each with the department responsible for it."""
    if request.equipment:
        ids = [e.pk for e in request.equipment]
        rows = (
            Equipment.objects.filter(organization=organization, pk__in=ids)
            .exclude(status=Equipment.Status.OUT_OF_SERVICE)
            .order_by("pk")
            .values_list("pk", "place__department_id")
        )
        return RandomDraw.Subjects.EQUIPMENT, [[pk, dept] for pk, dept in rows]
    place = request.place
    if place is None:
        raise ValidationError({"place": "请选择抽查的场所范围或设备。"})
    if place.organization_id != organization.pk:
        raise ValidationError({"place": "只能抽查本单位的场所。"})
    tree = Place.objects.get_tree(place).filter(active=True)
    if request.place_kind:
        tree = tree.filter(kind=request.place_kind)
    rows = tree.order_by("pk").values_list("pk", "department_id")
    return RandomDraw.Subjects.PLACES, [[pk, dept] for pk, dept in rows]


def _words(request: DrawRequest) -> tuple[str, str]:
    if request.equipment:
        where = "设备：" + "、".join(e.name for e in request.equipment)
    else:
        kind = Place.Kind(request.place_kind).label if request.place_kind else ""
        where = f"{request.place.name if request.place else ''}{'下的每个' + kind if kind else ''}"
    who = []
    if request.department_id:
        who.append("指定科室")
    if request.post_id:
        who.append("指定岗位")
    if request.team_id:
        who.append("指定班组")
    if request.people:
        who.append("指定人员：" + "、".join(p.name for p in request.people))
    return where[:300], "；".join(who)[:300]


# ---- the draw and its tasks ----------------------------------------------------------------


def _check(organization: Any, request: DrawRequest) -> None:
    if request.template.organization_id != organization.pk:
        raise ValidationError({"template": "只能使用本单位的检查表。"})
    if not request.template.active:
        raise ValidationError({"template": "这张检查表已停用。"})
    if not 1 <= request.subjects_wanted <= MAX_SUBJECTS:
        raise ValidationError({"subjects_wanted": f"抽取对象数应在 1 到 {MAX_SUBJECTS} 之间。"})
    if request.inspectors_each < 1:
        raise ValidationError({"inspectors_each": "每个对象至少要 1 名检查人员。"})
    if request.due_at <= request.opens_at:
        raise ValidationError({"due_at": "截止时间要晚于开始时间。"})
    if request.campaign is not None and request.campaign.organization_id != organization.pk:
        raise ValidationError({"campaign": "只能选择本单位的专项检查。"})


@transaction.atomic
def draw_create(
    *, organization: Any, actor: Any, request: DrawRequest, now: datetime | None = None
) -> RandomDraw:
    """随机抽查：按候选对象和候选检查人员抽取，记录随机种子、候选名单和算法版本，再为每个抽中
    的对象和检查人员各生成一个“随机抽查”任务。"""
    _check(organization, request)
    subject_type, subjects = subject_pool(organization, request)
    inspectors = inspector_pool(organization, request)
    if not subjects:
        raise ValidationError({"place": "范围内没有可抽查的对象。"})
    if len(inspectors) < request.inspectors_each:
        raise ValidationError(
            {"people": f"范围内能做检查的人员只有 {len(inspectors)} 人，不够每个对象的检查人数。"}
        )
    seed = secrets.token_hex(SEED_BYTES)
    result = draw_pick(
        seed=seed,
        algorithm=ALGORITHM,
        subjects=subjects,
        inspectors=inspectors,
        wanted=request.subjects_wanted,
        each=request.inspectors_each,
        avoid=request.avoid_own_department,
    )
    pool_words, inspector_words = _words(request)
    draw = RandomDraw.objects.create(
        organization=organization,
        title=request.title.strip()[:100] or request.template.name,
        template=request.template,
        campaign=request.campaign,
        subject_type=subject_type,
        pool_words=pool_words,
        inspector_words=inspector_words,
        subjects_wanted=request.subjects_wanted,
        inspectors_each=request.inspectors_each,
        avoid_own_department=request.avoid_own_department,
        subject_pool=subjects,
        inspector_pool=inspectors,
        seed=seed,
        algorithm=ALGORITHM,
        result=result,
        opens_at=request.opens_at,
        due_at=request.due_at,
        drawn_by=actor,
        drawn_at=now or timezone.now(),
    )
    changelog_record(
        obj=draw,
        action=CREATE,
        actor=actor,
        changes={"抽取结果": [None, f"抽中 {len(result)} 个对象，随机种子 {seed}"]},
    )
    draw_tasks_make(draw)
    return draw


def _pairs(draw: RandomDraw) -> Iterable[tuple[int, int]]:
    for subject_id, inspector_ids in draw.result:
        for inspector_id in inspector_ids:
            yield subject_id, inspector_id


def draw_tasks_make(draw: RandomDraw) -> int:
    """One task per drawn subject and inspector, idempotently (the occurrence key names the
    draw, the subject and the person); linked to the draw's campaign if it has one. Returns
    how many tasks were new."""
    letter = "e" if draw.subject_type == RandomDraw.Subjects.EQUIPMENT else "p"
    kind = InspectionKind.RANDOM
    built = {
        f"draw{draw.pk}:{letter}{subject}:u{inspector}": Task(
            organization_id=draw.organization_id,
            template_id=draw.template_id,
            occurrence=f"draw{draw.pk}:{letter}{subject}:u{inspector}",
            kind=kind,
            person_id=inspector,
            place_id=subject if letter == "p" else None,
            equipment_id=subject if letter == "e" else None,
            opens_at=draw.opens_at,
            due_at=draw.due_at,
        )
        for subject, inspector in _pairs(draw)
    }
    return _tasks_put(draw.organization_id, built, draw.campaign_id)


def _tasks_put(organization_id: int, built: dict[str, Task], campaign_id: int | None) -> int:
    made = set(
        Task.objects.filter(
            organization_id=organization_id, occurrence__in=list(built)
        ).values_list("occurrence", flat=True)
    )
    fresh = [task for key, task in built.items() if key not in made]
    Task.objects.bulk_create(fresh, ignore_conflicts=True)
    if campaign_id is not None:
        pks = Task.objects.filter(
            organization_id=organization_id, occurrence__in=list(built)
        ).values_list("pk", flat=True)
        CampaignTask.objects.bulk_create(
            [
                CampaignTask(organization_id=organization_id, campaign_id=campaign_id, task_id=pk)
                for pk in pks
            ],
            ignore_conflicts=True,
        )
    return len(fresh)


# ---- special campaigns ---------------------------------------------------------------------


def campaign_create(*, organization: Any, actor: Any, data: dict[str, Any]) -> Campaign:
    """发起专项检查：名称、主题和起止日期。"""
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    return record_create(
        model=Campaign,
        actor=actor,
        organization=organization,
        data={**data, "created_by": actor},
    )


@transaction.atomic
def campaign_tasks_assign(
    *,
    campaign: Campaign,
    actor: Any,
    template: ChecklistTemplate,
    place: Place,
    place_kind: str,
    person: Any,
    opens_at: datetime,
    due_at: datetime,
) -> int:
    """专项检查派任务：场所（或其下每个某类场所）各一个“专项检查”任务，派给指定人员；
    重复派同样的任务不会重复生成。返回新生成的任务数。"""
    organization_id = campaign.organization_id
    if template.organization_id != organization_id or place.organization_id != organization_id:
        raise ValidationError("只能使用本单位的检查表和场所。")
    if person.organization_id != organization_id or not person.has_perm(DO_TASKS):
        raise ValidationError({"person": "请选择本单位能做检查的人员。"})
    if due_at <= opens_at:
        raise ValidationError({"due_at": "截止时间要晚于开始时间。"})
    tree = Place.objects.get_tree(place).filter(active=True)
    ids = list(
        (tree.filter(kind=place_kind) if place_kind else tree.filter(pk=place.pk)).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise ValidationError({"place": "范围内没有可检查的场所。"})
    stamp = opens_at.isoformat()
    built = {
        f"camp{campaign.pk}:t{template.pk}:p{pk}:u{person.pk}:{stamp}": Task(
            organization_id=organization_id,
            template=template,
            occurrence=f"camp{campaign.pk}:t{template.pk}:p{pk}:u{person.pk}:{stamp}",
            kind=InspectionKind.SPECIAL,
            person=person,
            place_id=pk,
            opens_at=opens_at,
            due_at=due_at,
        )
        for pk in ids
    }
    count = _tasks_put(organization_id, built, campaign.pk)
    if count:
        changelog_record(
            obj=campaign,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"任务": [None, f"{template.name}：新派 {count} 个任务给{person.name}"]},
        )
    return count

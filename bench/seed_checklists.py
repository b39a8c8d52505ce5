"""Bench data for ``bench/checklists.py``: the demo center's checklist schedules (the demo's
own when ``seed_demo`` made some, else a realistic set made here) and a year of records
with their tasks, findings and rectifications, written with bulk SQL inserts.

Run inside Django (``bench/checklists.py`` configures it)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

ORG_CODE = "jc-center"
BATCH = 20_000
FAIL_SHARE = 0.08  # share of records that fail (each raises a finding)
MISSED_SHARE = 0.04  # tasks missed (no record) per task done
TEAM_SHARE = 0.3  # tasks that go to a team (taken by the member who did them)

# name, service line, kind
TEMPLATES = (
    ("公共卫生间保洁检查", "property", "self"),
    ("厨房开餐前检查", "canteen", "self"),
    ("食品留样检查", "canteen", "self"),
    ("电梯半月维护保养", "maintenance", "self"),
    ("消防设施月度检查", "security", "patrol"),
    ("会议室会前准备检查", "meetings", "self"),
    ("车辆出车前检查", "vehicles", "self"),
    ("办公区巡查", "property", "patrol"),
    ("安全巡逻", "security", "patrol"),
)


def organization() -> Any:
    from houqin.org.models import Organization

    return Organization.objects.get(code=ORG_CODE)


def _templates(org: Any) -> dict[str, Any]:
    from houqin.checklists.models import ChecklistTemplate

    found = {}
    for name, line, kind in TEMPLATES:
        found[name], _ = ChecklistTemplate.objects.get_or_create(
            organization=org, name=name, defaults={"service_line": line, "kind": kind}
        )
    return found


def _sched(org: Any, template: Any, name: str, starts_on: date, **fields: Any) -> Any:
    from houqin.checklists.models import Schedule

    fields.setdefault("kind", template.kind)
    fields.setdefault("times", ["08:00"])
    return Schedule(organization=org, template=template, name=name, starts_on=starts_on, **fields)


def schedules_make(org: Any, starts_on: date) -> int:
    """About 30 schedules over the demo center's places, posts and teams: daily at two or
    three times, weekly, monthly, every 15 days, each room (or point) of a kind under a
    place, workdays only. Returns how many were made."""
    from houqin.checklists.models import Schedule
    from houqin.org.models import Post, Team
    from houqin.places.models import Equipment, Place

    t = _templates(org)
    places = {p.code: p for p in Place.objects.filter(organization=org)}
    posts = {p.code: p for p in Post.objects.filter(organization=org)}
    teams = {x.name: x for x in Team.objects.filter(organization=org)}
    head = _user("department_head")
    made = []
    for code in ("A", "B", "D"):  # each restroom door point of the building, 3 times a day
        made.append(  # noqa: PERF401
            _sched(
                org,
                t["公共卫生间保洁检查"],
                f"{code} 楼卫生间保洁",
                starts_on,
                team=teams["早班保洁组"],
                place=places[code],
                place_kind="point",
                times=["08:00", "11:30", "15:30"],
                window_minutes=90,
            )
        )
    kitchen = places["A01-K01"]
    made += [
        _sched(
            org,
            t["厨房开餐前检查"],
            "早餐开餐前检查",
            starts_on,
            post=posts["P04"],
            place=kitchen,
            times=["06:30"],
            window_minutes=60,
        ),
        _sched(
            org,
            t["厨房开餐前检查"],
            "午餐开餐前检查",
            starts_on,
            team=teams["午餐组"],
            place=kitchen,
            times=["10:30"],
            days="workdays",
            window_minutes=60,
        ),
        _sched(
            org,
            t["食品留样检查"],
            "每餐食品留样",
            starts_on,
            post=posts["P04"],
            place=kitchen,
            times=["07:30", "12:00", "18:00"],
            window_minutes=60,
        ),
        _sched(
            org,
            t["公共卫生间保洁检查"],
            "职工餐厅保洁",
            starts_on,
            post=posts["P05"],
            place=places["A01-K02"],
            times=["09:00", "13:30"],
        ),
    ]
    for n, elevator in enumerate(Equipment.objects.filter(organization=org, type="elevator")):
        made.append(  # staggered over the 15 days
            _sched(
                org,
                t["电梯半月维护保养"],
                f"{elevator.name}半月维保",
                starts_on + timedelta(days=n % 15),
                post=posts["P08"],
                equipment=elevator,
                frequency="every_n_days",
                interval=15,
                times=["09:00"],
                window_minutes=480,
            )
        )
    for day, code in enumerate(("A01-M01", "B01-M02", "B01-M03", "B01-M04"), start=3):
        made.append(
            _sched(
                org,
                t["消防设施月度检查"],
                f"{places[code].name}消防月检",
                starts_on,
                person=head,
                place=places[code],
                frequency="monthly",
                month_day=day,
                times=["10:00"],
                window_minutes=480,
            )
        )
    for code in ("A02-H01", "A02-H02", "A10-H10", "B03-H03"):
        made.append(
            _sched(
                org,
                t["会议室会前准备检查"],
                f"{places[code].name}会前准备",
                starts_on,
                team=teams["会务一组"],
                place=places[code],
                frequency="weekly",
                weekdays=[1, 2, 3, 4, 5],
                times=["08:30", "14:00"],
                days="workdays",
                window_minutes=60,
            )
        )
    made += [
        _sched(
            org,
            t["车辆出车前检查"],
            "一组出车前检查",
            starts_on,
            team=teams["驾驶员一组"],
            times=["07:30"],
            days="workdays",
            window_minutes=60,
        ),
        _sched(
            org,
            t["车辆出车前检查"],
            "二组出车前检查",
            starts_on,
            team=teams["驾驶员二组"],
            times=["07:30"],
            days="workdays",
            window_minutes=60,
        ),
    ]
    for code in ("A", "B"):  # each room of the building once a week
        made.append(
            _sched(
                org,
                t["办公区巡查"],
                f"{places[code].name}每周巡查",
                starts_on,
                kind="patrol",
                person=head,
                place=places[code],
                place_kind="room",
                frequency="weekly",
                weekdays=[3],
                times=["09:00"],
                window_minutes=480,
            )
        )
    for code in ("A", "B", "D"):
        made.append(
            _sched(
                org,
                t["安全巡逻"],
                f"{places[code].name}夜间巡逻",
                starts_on,
                team=teams["巡逻组"],
                place=places[code],
                times=["20:00", "23:00"],
                window_minutes=60,
            )
        )
    Schedule.objects.bulk_create(made)
    return len(made)


def _user(username: str) -> Any:
    from houqin.accounts.models import User

    return User.objects.get(username=username)


# ---- a year of records ---------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    records: int
    tasks: int
    findings: int
    first_day: date
    last_day: date


def _stamp(moment: datetime) -> str:
    """A datetime as Django's SQLite backend stores it (UTC, no offset)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


class Inserter:
    """Bulk ``INSERT``s of one model's table: every column, the ones not given set to the
    field's default (prepared once), rows given as dicts of attnames."""

    def __init__(self, model: Any) -> None:
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.primary_key:
                continue
            value = field.get_default()  # "" for a text field without one
            self.defaults[field.attname] = (
                field.get_db_prep_save(value, connection) if value is not None else None
            )
        holes = ", ".join(["%s"] * len(self.columns))
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES ({holes})"  # noqa: S608  (model metadata)
        )

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        names = [f.attname for f in self.fields]
        values = [[row.get(name, self.defaults.get(name)) for name in names] for row in rows]
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, values)


def records_load(org: Any, count: int, last_day: date, now: datetime, seed: int = 7) -> Loaded:
    """``count`` submitted records over the 365 days ending ``last_day`` (the day of ``now``),
    each with its done task; about 4% more tasks missed; failed records with a finding and
    its rectification in every state. Tasks on ``last_day`` that open after ``now`` are left
    pending (they have no record)."""
    from django.db import connection, transaction

    from houqin.checklists.models import ChecklistTemplate, Record, Task
    from houqin.checklists.scheduling import local_zone
    from houqin.findings.models import Finding, Rectification
    from houqin.org.models import Staff
    from houqin.places.models import Place

    rng = random.Random(seed)
    zone = local_zone()
    templates = list(ChecklistTemplate.objects.filter(organization=org).values_list("pk", "kind"))
    places = list(
        Place.objects.filter(organization=org, kind__in=("room", "point")).values_list(
            "pk", "department_id"
        )
    )
    staff = list(
        Staff.objects.filter(organization=org, user__isnull=False).values_list("user_id", "team_id")
    )
    people = [user for user, _ in staff]
    members: dict[int, list[int]] = {}
    for user, team in staff:
        if team:
            members.setdefault(team, []).append(user)
    teams = sorted(members)
    raiser = _user("department_head").pk
    first_day = last_day - timedelta(days=364)
    per_day = count / 365
    tasks_w, records_w = Inserter(Task), Inserter(Record)
    findings_w, fixes_w = Inserter(Finding), Inserter(Rectification)
    ids = {
        m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        for m in (Task, Record, Finding, Rectification)
    }
    made = {"records": 0, "tasks": 0, "findings": 0}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    buffers: dict[str, list[dict[str, Any]]] = {"t": [], "r": [], "f": [], "x": []}

    def flush() -> None:
        with transaction.atomic():
            tasks_w.write(buffers["t"])
            records_w.write(buffers["r"])
            findings_w.write(buffers["f"])
            fixes_w.write(buffers["x"])
        for rows in buffers.values():
            rows.clear()

    last_finding_at: dict[int, int] = {}

    def task_add(opens: datetime, status: str) -> dict[str, Any]:
        place_id, department_id = rng.choice(places)
        template_id, kind = rng.choice(templates)
        team = rng.choice(teams) if rng.random() < TEAM_SHARE else None
        doer = rng.choice(members[team]) if team else rng.choice(people)
        ids[Task] += 1
        created = _stamp(opens - timedelta(days=7))
        task = {
            "id": ids[Task],
            "organization_id": org.pk,
            "created_at": created,
            "updated_at": created,
            "template_id": template_id,
            "occurrence": f"bench:{ids[Task]}",
            "kind": kind,
            "person_id": None if team else doer,
            "team_id": team,
            "place_id": place_id,
            "opens_at": _stamp(opens),
            "due_at": _stamp(opens + timedelta(hours=2)),
            "status": status,
            "taken_by_id": doer if team and status == "done" else None,
            # carried to the record, not columns of the task:
            "_doer": doer,
            "_department": department_id,
        }
        buffers["t"].append(task)
        made["tasks"] += 1
        return task

    for day_index in range(365):
        day = first_day + timedelta(days=day_index)
        target = round(per_day * (day_index + 1)) - made["records"]
        for opens in _moments(rng, day, zone, target, now if day == last_day else None):
            if opens > now:  # still to come today
                task_add(opens, "pending")
                continue
            if rng.random() < MISSED_SHARE:  # a check nobody did, besides this one
                late = opens - timedelta(minutes=rng.randrange(30, 300))
                task_add(late, "missed" if late + timedelta(hours=3) <= now else "overdue")
            task = task_add(opens, "done")
            done_at = min(opens + timedelta(minutes=rng.randrange(5, 115)), now)
            ids[Record] += 1
            score = rng.randrange(60, 101) if rng.random() < FAIL_SHARE else rng.randrange(85, 101)
            passed = score >= 80 and rng.random() > FAIL_SHARE / 4
            buffers["r"].append(
                {
                    "id": ids[Record],
                    "organization_id": org.pk,
                    "created_at": _stamp(done_at),
                    "updated_at": _stamp(done_at),
                    "template_id": task["template_id"],
                    "template_revision": 1,
                    "task_id": task["id"],
                    "kind": task["kind"],
                    "client_key": f"{rng.getrandbits(128):032x}",
                    "inspector_id": task["_doer"],
                    "place_id": task["place_id"],
                    "status": "submitted",
                    "started_at": _stamp(done_at - timedelta(minutes=4)),
                    "submitted_at": _stamp(done_at),
                    "scoring": "pass_rate",
                    "score": str(score),
                    "passed": passed,
                    "vetoed": False,
                    "wrong_place": False,
                }
            )
            made["records"] += 1
            if not passed:
                ids[Finding] += 1
                _finding(
                    buffers,
                    ids,
                    org.pk,
                    rng,
                    ids[Record],
                    task["place_id"],
                    task["_department"],
                    raiser,
                    done_at,
                    now,
                    last_finding_at,
                )
                made["findings"] += 1
            if len(buffers["t"]) >= BATCH:
                flush()
    flush()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("ANALYZE")
    return Loaded(made["records"], made["tasks"], made["findings"], first_day, last_day)


def _moments(
    rng: random.Random, day: date, zone: Any, count: int, now: datetime | None
) -> Iterator[datetime]:
    """``count`` opening times of a day's checks (06:00–22:00) that were done, in time order;
    on the last day (``now`` given) they fall before ``now``, and the day's checks still to
    come follow, after ``now``."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    first, last = start + timedelta(hours=6), start + timedelta(hours=22)
    if now is None:
        span = int((last - first).total_seconds() // 60)
        minutes = sorted(rng.randrange(span) for _ in range(count))
        yield from (first + timedelta(minutes=m) for m in minutes)
        return
    done_until = max(now - timedelta(hours=2), first + timedelta(minutes=1))
    span = max(int((done_until - first).total_seconds() // 60), 1)
    yield from (
        first + timedelta(minutes=m) for m in sorted(rng.randrange(span) for _ in range(count))
    )
    later = int((last - now).total_seconds() // 60)
    if later > 0:
        rate = count / max(span, 1)
        yield from (
            now + timedelta(minutes=m + 1)
            for m in sorted(rng.randrange(later) for _ in range(round(rate * later)))
        )


def _finding(
    buffers: dict[str, list[dict[str, Any]]],
    ids: dict[Any, int],
    org_id: int,
    rng: random.Random,
    record_id: int,
    place_id: int,
    department_id: int | None,
    raiser: int,
    raised: datetime,
    now: datetime,
    last_at_place: dict[int, int],
) -> None:
    from houqin.findings.models import Finding, Rectification

    finding_id = ids[Finding]
    severity = rng.choices(("minor", "major", "critical"), (80, 17, 3))[0]
    repeat_of = last_at_place.get(place_id) if rng.random() < 0.15 else None
    last_at_place[place_id] = finding_id
    buffers["f"].append(
        {
            "id": finding_id,
            "organization_id": org_id,
            "created_at": _stamp(raised),
            "updated_at": _stamp(raised),
            "source": "check",
            "title": "检查不合格",
            "severity": severity,
            "record_id": record_id,
            "place_id": place_id,
            "raised_by_id": raiser,
            "raised_at": _stamp(raised),
            "repeat_of_id": repeat_of,
        }
    )
    deadline = raised + timedelta(days={"minor": 7, "major": 3, "critical": 1}[severity])
    age = now - raised
    if age < timedelta(days=2):
        status, fixed = rng.choice(("assigned", "fixed")), None
    else:
        status = rng.choices(("closed", "effect_check", "returned", "assigned"), (85, 5, 4, 6))[0]
        fixed = None
    if status in ("closed", "effect_check", "fixed"):
        fixed = raised + timedelta(hours=rng.randrange(2, 24 * 9))
        fixed = min(fixed, now)
    ids[Rectification] += 1
    buffers["x"].append(
        {
            "id": ids[Rectification],
            "organization_id": org_id,
            "created_at": _stamp(raised),
            "updated_at": _stamp(raised),
            "finding_id": finding_id,
            "department_id": department_id,
            "deadline": _stamp(deadline),
            "status": status,
            "fixed_at": _stamp(fixed) if fixed else None,
            "closed_at": _stamp(fixed) if status == "closed" and fixed else None,
        }
    )

"""Checklists benchmark: generating a year of tasks for the demo center's schedules, and
“我的任务” and the compliance view over 1,000,000 records, each against a floor measured in
the same run.

Run from the repo root: ``.venv/bin/python bench/checklists.py``. It builds a throwaway
state dir (SQLite, migrated), runs ``seed_demo`` (when the demo has no checklist schedules
yet, ``bench/seed_checklists.py`` makes about 30 over the demo's places, posts and teams,
and a ``# `` line says so), then, in-process, with CPU time (``time.process_time``: SQLite
runs in this process) and medians:

- **generate a year of tasks**: ``tasks_generate`` over the demo center's schedules for 365
  days from today, against a bare ``Task.objects.bulk_create`` of as many Task rows with the
  same fields (the generated rows copied under other occurrence keys, objects built before
  the clock starts, same batch size). Rounds alternate the two, each removing what it wrote.
  The last generation is kept and run again: it must create 0 tasks (idempotence).
  Target ≤ 3×.
- then it writes 1,000,000 submitted records over the 365 days up to the data's “now”
  (today 15:00, or yesterday's when run earlier), each with its done task (30% of them a
  team's, taken by the member who did it), 4% more tasks missed, the day's later tasks
  pending, and a finding with its rectification for each failed record (bulk ``INSERT``s).
- **my tasks**: the “我的任务” page (``/checklists/my/?day=…``) requested in-process with
  Django's test client, signed in as a demo cleaner (a staff member of a post and a team),
  the data's last day.
- **compliance**: ``houqin.findings.compliance.compliance(org, start=…, end=…)`` over the
  365 days holding the rows.

Both against one bare aggregate SQL query over the same rows,
``SELECT COUNT(*), AVG(score) FROM checklists_record WHERE organization_id = %s``, through
``connection.cursor()``. Target ≤ 3×. Lines not starting with ``# `` are machine-read; when a
figure misses, ``# `` lines give each of its queries with SQLite's ``EXPLAIN QUERY PLAN``.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECORDS = 1_000_000
DAYS = 365
GENERATE_ROUNDS = 3
WARMUP, RUNS = 1, 7
TARGET = 3.0
CLEANERS_TEAM, CLEANERS_POST = "早班保洁组", "P07"


def setup_django(var_dir: str) -> None:
    for name in [k for k in os.environ if k.startswith("HOUQIN_")] + ["DATABASE_URL"]:
        os.environ.pop(name, None)
    os.environ["HOUQIN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    call_command("collectstatic", "--noinput", verbosity=0)  # the page needs the manifest


@dataclass(frozen=True)
class Figure:
    name: str
    ratio: float
    run: Callable[[], Any]


def cpu_ms(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = run()
    return (time.process_time() - started) * 1000, result


def raw(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


# ---- generating a year of tasks ------------------------------------------------------------


def generation(org: Any) -> Figure:
    from django.utils import timezone

    from bench.seed_checklists import schedules_make
    from houqin.checklists.models import Schedule, Task
    from houqin.checklists.scheduling import local_zone
    from houqin.checklists.services import tasks_generate
    from houqin.checklists.task_services import BATCH

    start = timezone.localdate()
    # every occurrence of the year is due after this moment, so none is skipped
    now = datetime.combine(start, datetime.min.time(), tzinfo=local_zone())
    schedules = Schedule.objects.filter(organization=org, active=True)
    if not schedules.exists():
        made = schedules_make(org, start)
        print(
            f"# the demo has no checklist schedules yet: {made} made here over its places, "
            "posts and teams (daily ×2–3, weekly, every 15 days, monthly, "
            "each room/point of a kind)"
        )
    else:
        print(f"# the demo's own {schedules.count()} checklist schedules")

    def last_pk() -> int:
        return Task.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def generate() -> int:
        return tasks_generate(organization=org, start=start, days=DAYS, now=now)

    fields = [
        f.attname
        for f in Task._meta.concrete_fields
        if not f.primary_key and f.attname not in ("created_at", "updated_at")
    ]
    generated_ms: list[float] = []
    bare_ms: list[float] = []
    count = 0
    for round_no in range(GENERATE_ROUNDS):
        before = last_pk()
        ms, count = cpu_ms(generate)
        generated_ms.append(ms)
        rows = list(Task.objects.filter(pk__gt=before).values(*fields))
        copies = [Task(**{**row, "occurrence": f"b:{row['occurrence']}"}) for row in rows]
        mark = last_pk()
        ms, _ = cpu_ms(lambda: Task.objects.bulk_create(copies, batch_size=BATCH))  # noqa: B023
        bare_ms.append(ms)
        raw("DELETE FROM checklists_task WHERE id > %s", [mark])
        if round_no < GENERATE_ROUNDS - 1:
            raw("DELETE FROM checklists_task WHERE id > %s", [before])
    again = generate()
    if again != 0:
        raise RuntimeError(f"a second generation created {again} tasks: not idempotent")
    if count == 0:
        raise RuntimeError("the generation created no tasks: the benchmark is void")
    g, b = statistics.median(generated_ms), statistics.median(bare_ms)
    print(
        f"# tasks_generate, {schedules.count()} schedules × {DAYS} days: {count} tasks in "
        f"{g / 1000:.2f} s (CPU, median of {GENERATE_ROUNDS})"
    )
    print(f"# bare bulk_create of {count} Task rows (same fields): {b / 1000:.2f} s")
    print(f"# the same generation run again: created {again} tasks (idempotent)")
    return Figure("generate a year of tasks (demo center's schedules)", g / b, generate)


# ---- my tasks and compliance over 1,000,000 records ---------------------------------------


def data_now() -> datetime:
    """Today 15:00 local, or yesterday's when it is not 15:00 yet."""
    from django.utils import timezone

    from houqin.checklists.scheduling import local_zone

    day = timezone.localdate(timezone.now() - timedelta(hours=15))
    return datetime.combine(day, datetime.min.time(), tzinfo=local_zone()) + timedelta(hours=15)


def cleaner(org: Any) -> Any:
    """A demo cleaner: a staff member with a user, of the morning cleaning team and post."""
    from houqin.org.models import Staff

    staff = (
        Staff.objects.filter(
            organization=org,
            user__isnull=False,
            team__name=CLEANERS_TEAM,
            post__code=CLEANERS_POST,
            status=Staff.Status.ACTIVE,
        )
        .select_related("user")
        .order_by("number")
        .first()
    )
    if staff is None:
        raise RuntimeError("the demo has no cleaner with an account: the benchmark is void")
    return staff.user


def load(org: Any, now: datetime) -> Any:
    from bench.seed_checklists import records_load

    started = time.perf_counter()
    loaded = records_load(org, RECORDS, now.date(), now)
    print(
        f"# loaded {loaded.records} records, {loaded.tasks} tasks, {loaded.findings} findings "
        f"({loaded.first_day} – {loaded.last_day}) in {time.perf_counter() - started:.0f} s"
    )
    if loaded.records != RECORDS:
        raise RuntimeError(f"{loaded.records} records loaded instead of {RECORDS}")
    return loaded


def over_records(org: Any, loaded: Any, now: datetime) -> list[Figure]:
    from django.test import Client
    from django.urls import reverse

    from houqin.checklists.selectors import tasks_for
    from houqin.findings.compliance import compliance

    user = cleaner(org)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"{reverse('checklists:my_tasks')}?day={loaded.last_day.isoformat()}"
    bare_sql = "SELECT COUNT(*), AVG(score) FROM checklists_record WHERE organization_id = %s"

    def bare() -> Any:
        return raw(bare_sql, [org.pk])

    def page() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    def selector() -> int:
        return len(tasks_for(user, loaded.last_day))

    def figures() -> dict[str, Any]:
        return compliance(org, start=loaded.first_day, end=loaded.last_day, now=now)

    counted, average = bare()[0]
    print(f"# bare aggregate: {counted} records, average score {average:.1f}")
    result = figures()
    print(
        f"# compliance: {result['tasks']['due']} tasks due, {result['records']['submitted']} "
        f"records, {result['findings']['total']} findings, "
        f"{len(result['heat']['places'])} places on the heat map"
    )
    print(f"# my tasks of {user.username} ({user.name}) on {loaded.last_day}: {selector()} tasks")
    cases = {"bare": bare, "page": page, "selector": selector, "compliance": figures}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(WARMUP + RUNS):
        if i == WARMUP:
            gc.collect()
            gc.freeze()
        for name, run in cases.items():
            elapsed, _ = cpu_ms(run)
            if i >= WARMUP:
                samples[name].append(elapsed)
    gc.unfreeze()
    ms = {name: statistics.median(times) for name, times in samples.items()}
    print(f"# bare aggregate query over {RECORDS} records: {ms['bare']:.1f} ms (CPU, median)")
    print(
        f"# my tasks page, in-process: {ms['page']:.1f} ms; tasks_for alone {ms['selector']:.1f} ms"
    )
    print(f"# compliance over {DAYS} days: {ms['compliance']:.1f} ms")
    return [
        Figure(f"my tasks over {RECORDS:,} records", ms["page"] / ms["bare"], page),
        Figure(f"compliance view over {RECORDS:,} records", ms["compliance"] / ms["bare"], figures),
    ]


# ---- when a figure misses ------------------------------------------------------------------


def explain(run: Callable[[], Any]) -> None:
    """Each query the run makes, its CPU-free wall time and SQLite's plan for it."""
    from django.db import connection

    seen: list[tuple[str, Any, float]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((sql, params, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(wrapper):
        run()
    for sql, params, ms in sorted(seen, key=lambda q: q[2], reverse=True):
        print(f"#   {ms:8.1f} ms  {sql[:300]}")
        if sql.lstrip().upper().startswith("SELECT") and connection.vendor == "sqlite":
            for row in raw(f"EXPLAIN QUERY PLAN {sql}", list(params or [])):
                print(f"#               plan: {row[-1]}")


def main() -> int:
    started = time.monotonic()
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-checklists-")
    try:
        Path(var_dir, "static").mkdir()  # the static files middleware looks for it
        setup_django(var_dir)
        from bench.seed_checklists import organization

        org = organization()
        figures = [generation(org)]
        now = data_now()
        loaded = load(org, now)
        figures += over_records(org, loaded, now)
        misses = []
        for figure in figures:
            print(f"{figure.name}: {figure.ratio:.2f}x (target ≤ {TARGET:g}x)")
            if figure.ratio > TARGET:
                misses.append(figure)
        for figure in misses:
            print(f"# MISSED: {figure.name}")
            if figure.name.startswith("generate"):
                continue  # its queries are few and indexed: the cost is Python
            print("#   its queries, slowest first (wall ms), with EXPLAIN QUERY PLAN:")
            explain(figure.run)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

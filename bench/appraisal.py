"""Appraisal benchmark: computing a period's scores over 1,000,000 records and 100 subjects,
against one bare aggregate SQL query over the same rows in the same run.

Run from the repo root, on SQLite: ``.venv/bin/python bench/appraisal.py``; on a throwaway
PostgreSQL cluster: ``scripts/with-postgres .venv/bin/python bench/appraisal.py`` (the
database of ``DATABASE_URL`` is used when it is set). ``--records N`` (or the environment
variable ``HOUQIN_BENCH_RECORDS``) sets the number of records, e.g. 20000 for a quick check.

It builds a throwaway state dir, migrates, runs ``seed_demo``, adds 100 departments with a
room each (so the records fall on 100 subjects besides the demo's own), writes the records
with ``bench.seed_checklists.records_load`` (each with its done task, some tasks missed, a
finding per failed record) over the 365 days up to the data's “now”, and makes a department
scheme naming the 100 departments (检查合格率, 任务完成率, 整改及时率, and −2 per veto
failure) with a period over those days. Then, wall time, medians:

- **scores from records**: ``sources.read`` of the pass rate and veto failures of the 100
  subjects (one grouped query over the records);
- **period compute**: ``period_compute`` of the period (every figure of every subject —
  records, tasks and findings — written as scores with their lines, ranks and grades).

Tasks and records are read from daily roll-ups (``houqin/appraisal/rollups.py``): the first
compute counts every closed day once (printed as a ``# `` line, not a figure); the figures
are the medians after it, when a day is counted again only after a write touched it.

Both against ``SELECT COUNT(*), AVG(score) FROM checklists_record WHERE organization_id =
%s``. Target ≤ 3×. Lines not starting with ``# `` are machine-read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECORDS = 1_000_000
SUBJECTS = 100
WARMUP, RUNS = 1, 5
TARGET = 3.0


def setup_django(var_dir: str) -> None:
    """bench.settings over a fresh state dir; the database of DATABASE_URL if set."""
    for name in [k for k in os.environ if k.startswith("HOUQIN_")]:
        os.environ.pop(name, None)
    os.environ["HOUQIN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=StringIO())


def subjects_make(org: Any) -> list[Any]:
    """100 departments, each with a room under a campus of their own."""
    from houqin.org.models import Department
    from houqin.places.models import Place

    departments = Department.objects.bulk_create(
        Department(organization=org, code=f"KH{n:03d}", name=f"考核科{n:03d}")
        for n in range(1, SUBJECTS + 1)
    )
    top = Place.objects.add_root(
        instance=Place(organization=org, kind="campus", code="KH", name="考核园区")
    )
    for department in departments:
        Place.objects.add_child(
            top,
            instance=Place(
                organization=org,
                kind="room",
                code=f"KH-{department.code}",
                name=f"{department.name}办公室",
                department=department,
            ),
        )
        top.refresh_from_db()
    return departments


def load(org: Any, count: int, now: Any) -> Any:
    """``records_load`` of bench/seed_checklists.py; on PostgreSQL its SQLite PRAGMAs are
    skipped (everything else it writes is plain SQL)."""
    from django.db import connection

    from bench.seed_checklists import records_load

    def skip_pragmas(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if connection.vendor != "sqlite" and sql.lstrip().upper().startswith("PRAGMA"):
            return None
        return execute(sql, params, many, context)

    with connection.execute_wrapper(skip_pragmas):
        loaded = records_load(org, count, now.date(), now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return loaded


def period_make(org: Any, departments: list[Any], loaded: Any) -> Any:
    from houqin.appraisal.models import (
        Adjustment,
        AppraisalScheme,
        GradeBand,
        Indicator,
        Period,
        SchemeVersion,
    )

    scheme = AppraisalScheme.objects.create(
        organization=org, name="基准测试科室考核", subject_kind="department"
    )
    version = SchemeVersion.objects.create(
        organization=org, scheme=scheme, seq=1, status="published", grading="share"
    )
    version.departments.set(departments)
    for seq, (name, weight, source) in enumerate(
        (
            ("检查合格率", 40, "pass_rate"),
            ("任务完成率", 30, "task_done_rate"),
            ("整改及时率", 30, "fix_on_time_rate"),
        ),
        1,
    ):
        Indicator.objects.create(
            organization=org,
            version=version,
            seq=seq,
            name=name,
            weight=Decimal(weight),
            source=source,
            method="rate",
        )
    Adjustment.objects.create(
        organization=org,
        version=version,
        seq=1,
        name="否决项不合格",
        direction="deduction",
        source="veto_failures",
        points=Decimal(2),
        cap=Decimal(20),
    )
    for grade, low, share in (("excellent", 90, 20), ("good", 80, None), ("pass", 60, None)):
        GradeBand.objects.create(
            organization=org, version=version, grade=grade, min_score=low, max_share=share
        )
    GradeBand.objects.create(organization=org, version=version, grade="fail", min_score=0)
    return Period.objects.create(
        organization=org,
        scheme=scheme,
        version=version,
        name="基准测试周期",
        cadence="custom",
        starts_on=loaded.first_day,
        ends_on=loaded.last_day,
        status="computed",
    )


def wall_ms(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def measure(org: Any, period: Any, now: Any, count: int) -> list[tuple[str, float]]:
    from django.db import connection

    from houqin.appraisal import sources
    from houqin.appraisal.models import Score
    from houqin.appraisal.period_services import period_compute
    from houqin.findings.compliance import Scope

    bare_sql = "SELECT COUNT(*), AVG(score) FROM checklists_record WHERE organization_id = %s"
    scope = Scope(org.pk, period.starts_on, period.ends_on, now)

    def bare() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, [org.pk])
            return cursor.fetchall()

    def from_records() -> Any:
        return sources.read(scope, "department", [("pass_rate", ""), ("veto_failures", "")])

    def compute() -> None:
        period_compute(period, now=now)
        if period.compute_error:
            raise RuntimeError(period.compute_error)

    rows, average = bare()[0]
    print(f"# {connection.vendor}: {rows} records, average score {float(average or 0):.1f}")
    first = wall_ms(compute)
    print(f"# first period compute (counts every closed day into the roll-ups): {first:.0f} ms")
    cases = {"bare": bare, "records": from_records, "compute": compute}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(WARMUP + RUNS):
        for name, run in cases.items():
            elapsed = wall_ms(run)
            if i >= WARMUP:
                samples[name].append(elapsed)
    ms = {name: statistics.median(times) for name, times in samples.items()}
    scored = Score.objects.filter(period=period).exclude(total=0).count()
    print(f"# bare aggregate query: {ms['bare']:.1f} ms (wall, median of {RUNS})")
    print(f"# scores from records: {ms['records']:.1f} ms; period compute: {ms['compute']:.1f} ms")
    print(f"# {Score.objects.filter(period=period).count()} scores, {scored} above 0")
    return [
        (f"scores from {count:,} records, {SUBJECTS} subjects", ms["records"] / ms["bare"]),
        (f"period compute over {count:,} records, {SUBJECTS} subjects", ms["compute"] / ms["bare"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", type=int, default=int(os.environ.get("HOUQIN_BENCH_RECORDS", RECORDS))
    )
    count = parser.parse_args().records
    started = time.monotonic()
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-appraisal-")
    try:
        Path(var_dir, "static").mkdir()
        setup_django(var_dir)
        from bench.checklists import data_now
        from bench.seed_checklists import organization

        org = organization()
        departments = subjects_make(org)
        now = data_now()
        loaded = load(org, count, now)
        print(
            f"# loaded {loaded.records} records, {loaded.tasks} tasks, {loaded.findings} "
            f"findings in {time.monotonic() - started:.0f} s"
        )
        period = period_make(org, departments, loaded)
        for name, ratio in measure(org, period, now + timedelta(minutes=1), count):
            print(f"{name}: {ratio:.2f}x (target ≤ {TARGET:g}x)")
            if ratio > TARGET:
                print(f"# MISSED: {name}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Import benchmark: importing 5,000 staff rows as a multiple of merely reading the same
workbook with openpyxl (read-only, every cell).

Run from the repo root: ``.venv/bin/python bench/import_staff.py``. It builds a throwaway
state dir (migrated, the demo center seeded, a few teams, posts and vendors), writes a
workbook of 5,000 staff rows, then times, in the same run, three reads and three real
imports (not dry runs; the imported staff and their change-log entries are removed between
runs, outside the timing). Lines not starting with ``# `` are machine-read.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROWS = 5000
RUNS = 3
TARGET = 3.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明"
EMPLOYMENT = ("公务员", "事业编制", "编外临聘", "外包")


def setup_django(var_dir: str) -> None:
    for name in [k for k in os.environ if k.startswith("HOUQIN_")] + ["DATABASE_URL"]:
        os.environ.pop(name, None)
    os.environ["HOUQIN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


POSTS = ("保洁员", "驾驶员", "厨师", "电工")
VENDORS = (("BV01", "基准物业服务有限公司"), ("BV02", "基准保安服务有限公司"))


def seed_references() -> Any:
    """Teams, posts and vendors of the demo center for the staff rows to point at (the demo
    seed may already have some of them)."""
    from houqin.org.models import Department, Organization, Post, Team, Vendor

    org = Organization.objects.get(code="jc-center")
    for department in Department.objects.filter(organization=org):
        for shift in ("早班组", "晚班组"):
            Team.objects.get_or_create(organization=org, department=department, name=shift)
    for index, name in enumerate(POSTS):
        if not Post.objects.filter(organization=org, name=name).exists():
            Post.objects.create(organization=org, code=f"BP{index}", name=name)
    for code, name in VENDORS:
        Vendor.objects.get_or_create(organization=org, code=code, defaults={"name": name})
    return org


def write_workbook(path: Path) -> None:
    from openpyxl import Workbook

    from houqin.org.models import Department

    departments = list(Department.objects.values_list("name", flat=True).order_by("code"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["工号", "姓名", "编制类型", "科室", "班组", "岗位", "外包服务商", "手机号", "状态"]
    )
    posts = (*POSTS, "")
    for i in range(ROWS):
        employment = EMPLOYMENT[i % len(EMPLOYMENT)]
        sheet.append(
            [
                f"B{i:05d}",
                SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[i // 15 % len(GIVEN)],
                employment,
                departments[i % len(departments)],
                ("早班组", "晚班组", "")[i % 3],
                posts[i % len(posts)],
                (VENDORS[0][1], VENDORS[1][0])[i % 2] if employment == "外包" else "",
                f"139{i:08d}",
                "在岗" if i % 10 else "离职",
            ]
        )
    book.save(path)


def time_read(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):  # type: ignore[union-attr]
            for _ in row:
                cells += 1
    book.close()
    elapsed = time.perf_counter() - start
    assert cells >= ROWS
    return elapsed


def time_import(path: Path, org: Any) -> float:
    from django.contrib.contenttypes.models import ContentType

    from houqin.common.imports import import_run, import_specs
    from houqin.common.models import ChangeLogEntry
    from houqin.org.models import Staff

    spec = import_specs()["staff"]
    start = time.perf_counter()
    result = import_run(spec=spec, organization=org, file=path, actor=None, dry_run=False)
    elapsed = time.perf_counter() - start
    if not result.applied or result.created != ROWS:
        raise RuntimeError(f"import failed: {result.summary()} {result.errors[:5]}")
    imported = Staff.objects.filter(organization=org, number__startswith="B")
    ids = [str(pk) for pk in imported.values_list("pk", flat=True)]
    staff = ContentType.objects.get_for_model(Staff)
    ChangeLogEntry.objects.filter(content_type=staff, object_id__in=ids).delete()
    imported.delete()
    return elapsed


def main() -> int:
    started = time.monotonic()
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-import-")
    try:
        setup_django(var_dir)
        org = seed_references()
        path = Path(var_dir) / "staff.xlsx"
        write_workbook(path)
        time_read(path)  # warm the imports and the file cache
        reads, imports = [], []
        for _ in range(RUNS):
            reads.append(time_read(path))
            imports.append(time_import(path, org))
        read_s, import_s = statistics.median(reads), statistics.median(imports)
        print(f"# read {ROWS} rows with openpyxl (read-only, every cell): {read_s * 1000:.0f} ms")
        print(f"# import {ROWS} staff rows (not a dry run): {import_s * 1000:.0f} ms")
        print(f"# medians of {RUNS}; workbook {path.stat().st_size / 1024:.0f} KB")
        ratio = import_s / read_s
        print(f"import {ROWS} staff rows: {ratio:.2f}x (target ≤ {TARGET:g}x)")
        if ratio > TARGET:
            print(f"# MISSED: import {ROWS} staff rows")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

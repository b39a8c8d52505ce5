"""Search benchmark: the standards search service over 500 standards / 20,000 clauses as a
multiple of a bare ranked FTS5 query on the same index, with the same tokens, in the same
run.

Run from the repo root: ``.venv/bin/python bench/search.py``. It builds a throwaway state
dir (SQLite, migrated), writes 500 internal standards in force of 40 clauses each (Chinese
text generated from a vocabulary, 25–120 characters a clause), indexes them with
``search_reindex`` (timed, for information), then times, for each query, the service
(``search``: parse the words with jieba, bring stale standards up to date, rank, count,
pick each standard's best clauses, read them and mark the snippets) against the bare
``SELECT rowid, rank … MATCH … ORDER BY rank LIMIT 20`` of the same expression, in
interleaved rounds. The figure is the sum of the per-query medians of the service over
that of the bare query. Lines not starting with ``# `` are machine-read.
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
STANDARDS = 500
CLAUSES = 40
WARMUP, RUNS = 5, 40
TARGET = 3.0
LIMIT = 20
QUERIES = (
    "留样",  # a word of the text
    "记录",  # common: matches thousands of clauses
    "保洁员 公共卫生间",  # two words, both frequent
    "清洗消毒 餐用具",
    "电梯维护保养",  # one typed run, jieba cuts it
    "门禁系统 校验",  # rarer combination
    "JGSW/TG 123",  # a standard's number
    "125 g",  # numbers inside the text
)


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


def build() -> Any:
    """The standards, indexed; returns the organization."""
    from django.db import connection

    from bench.seed_standards import bench_org_and_node, standards_create
    from houqin.standards.search import search_reindex

    org, node = bench_org_and_node("bench-search")
    started = time.perf_counter()
    standards_create(org, node, count=STANDARDS, clauses_per_standard=CLAUSES, first_number=1)
    made = time.perf_counter() - started
    started = time.perf_counter()
    count, rows = search_reindex(organization_ids=[org.pk])
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM standards_clause")
        clauses = cursor.fetchone()[0]
    print(f"# {count} standards, {clauses} clauses written in {made:.1f} s")
    print(f"# search_reindex: {rows} index rows in {indexed:.1f} s")
    return org


def measure(org: Any) -> float:
    from django.db import connection

    from houqin.standards.search import parse, search
    from houqin.standards.search.backends import backend

    engine = backend()
    bare_sql = engine.bare_sql() + f" LIMIT {LIMIT}"
    plans = [(text, engine.match_param(parse(text))) for text in QUERIES]

    def service(text: str) -> int:
        return search([org.pk], text, limit=LIMIT).total

    def bare(expression: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, [expression])
            return len(cursor.fetchall())

    samples: dict[str, dict[str, list[float]]] = {t: {"service": [], "bare": []} for t in QUERIES}
    totals: dict[str, int] = {}
    for i in range(WARMUP + RUNS):
        for text, expression in plans:
            for name, run, arg in (("service", service, text), ("bare", bare, expression)):
                started = time.perf_counter()
                found = run(arg)
                elapsed = (time.perf_counter() - started) * 1000
                if i >= WARMUP:
                    samples[text][name].append(elapsed)
                if name == "service":
                    totals[text] = found
    service_ms = bare_ms = 0.0
    for text in QUERIES:
        s = statistics.median(samples[text]["service"])
        b = statistics.median(samples[text]["bare"])
        service_ms += s
        bare_ms += b
        print(f"# {text!r}: {totals[text]} standards; service {s:.2f} ms, bare {b:.2f} ms")
    if totals["留样"] == 0 or totals["JGSW/TG 123"] != 1:
        raise RuntimeError("the search found nothing where it must: the benchmark is void")
    return service_ms / bare_ms


def main() -> int:
    started = time.monotonic()
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-search-")
    try:
        setup_django(var_dir)
        org = build()
        ratio = measure(org)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    figure = f"search ({STANDARDS} standards / {STANDARDS * CLAUSES} clauses)"
    print(f"{figure}: {ratio:.2f}x (target ≤ {TARGET:g}x)")
    if ratio > TARGET:
        print(f"# MISSED: {figure}")
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

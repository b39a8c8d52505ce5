"""Drafting-checker benchmark: the GB/T 1.1—2020 checker (``houqin.standards.checker.check``)
on a 200-clause standard, against two floors measured in the same run.

Run from the repo root: ``.venv/bin/python bench/checker.py``. It builds a throwaway state
dir (SQLite, migrated) and the 200-clause standard of ``bench/standards_docx.py`` (前言,
范围, 规范性引用文件, 术语和定义 with terms, chapters of 条 with paragraphs, lists and notes,
a normative annex with a table), exports it to .docx with the Word exporter, and parses the
stored text once into the checker's ``Draft`` (``draft_from_version``: the 200 clauses as
the editor and the review check them; reading the .docx back with the importer is lossy for
this generated text, whose chapter titles include 范围 and 术语). Then, in interleaved
rounds, with the garbage collector frozen after warm-up and CPU time
(``time.process_time``) as the clock, it times:

- **checking a parsed 200-clause standard**: ``check(draft)``, every rule on the whole draft
  already parsed (reading the text is not included). The rules keep small caches of the
  texts they have read (``functools.lru_cache``); they are cleared before each timed run, so
  this is the first check of a text never seen. Floor: python-docx opening the exported
  file of the same standard, ``docx.Document(BytesIO(data))``. Target ≤ 1×.
- **one clause's live check**: what the editor's live check runs for the clause being
  typed, ``check(draft, elements=[that paragraph])`` — the clause rules on that one element
  and the document rules (order, numbering, references, terms …) on the whole draft. Before
  each run the paragraph's text changes (as typing changes it), so its words miss the caches
  while the rest of the text, unchanged since the last check, hits them: the editor's steady
  state. Floor: a bare Django view (``/bench/floor/`` of ``bench/urls.py``, returning
  ``hello``) requested in-process with Django's test client behind the full middleware,
  anonymous, as ``bench/pages.py``'s floor. Reading the draft from the database and the
  HTTP request of the live-check endpoint are not included; ``# `` lines give, for
  information, ``version_check(version, only=pk)`` (the service the check panel calls: it
  also reads the stored draft and the waivers) and ``draft_from_version`` alone.
  Target ≤ 2×.

Lines not starting with ``# `` are machine-read. When a figure misses its target, ``# ``
lines rank the rules by their own cost (each run alone on the same draft) and the functions
by own time under cProfile, to show where the time goes.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.standards_docx import CLAUSES, build, exporter, setup_django  # noqa: E402

WARMUP, RUNS = 5, 41
FULL_TARGET, LIVE_TARGET = 1.0, 2.0
TOP = 8


def clear_caches() -> None:
    """Empty the text caches of every rule module (a text the checker has never read)."""
    import importlib
    import pkgutil

    from houqin.standards.checker import rules

    for info in pkgutil.iter_modules(rules.__path__):
        module = importlib.import_module(f"{rules.__name__}.{info.name}")
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def typed_paragraph(draft: Any) -> Any:
    """The paragraph the live check is timed on: one in the middle of the core chapters."""
    paragraphs = [e for e in draft.walk() if e.kind == "paragraph" and e.parent is not None]
    core = [p for p in paragraphs if p.parent.kind == "clause"]
    return core[len(core) // 2]


def sample(cases: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Median CPU ms of each case, timed in interleaved rounds after a warm-up."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(WARMUP + RUNS):
        if i == WARMUP:
            gc.collect()
            gc.freeze()
        for name, run in cases.items():
            started = time.process_time()
            run()
            elapsed = (time.process_time() - started) * 1000
            if i >= WARMUP:
                samples[name].append(elapsed)
    gc.unfreeze()
    return {name: statistics.median(times) for name, times in samples.items()}


def median_ms(run: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        run()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def alone(rule: Any, draft: Any, targets: list[Any]) -> Callable[[], Any]:
    """One rule on the draft: a document rule once, a clause rule on each target."""
    if rule.scope == "document":
        return lambda: list(rule.check(draft))
    return lambda: [list(rule.check(e, draft)) for e in targets]


def rule_costs(draft: Any, elements: list[Any] | None) -> list[tuple[str, str, float]]:
    """(rule id, scope, median CPU ms) of each rule run alone on the draft (clause rules on
    ``elements``, all by default), caches warm, the costliest first."""
    from houqin.standards.checker import RULES

    targets = list(draft.walk()) if elements is None else elements
    costs: list[tuple[str, str, float]] = []
    for rule in RULES.values():
        run = alone(rule, draft, targets)
        run()
        costs.append((rule.id, rule.scope, median_ms(run, 15)))
    return sorted(costs, key=lambda c: c[2], reverse=True)[:TOP]


def hot_functions(run: Callable[[], Any]) -> list[tuple[str, float]]:
    """(function, share of the run's own time) of the functions that cost most, by cProfile."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        run()
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values())
    own = [
        (name if filename == "~" else f"{Path(filename).name}:{line} {name}", row[2] / total)
        for (filename, line, name), row in stats.items()
    ]
    return sorted(own, key=lambda f: f[1], reverse=True)[:TOP]


@dataclass(frozen=True)
class Figure:
    """A printed figure, the run it times and how to rank its rules when it misses."""

    name: str
    ratio: float
    target: float
    run: Callable[[], Any]
    rules: Callable[[], list[tuple[str, str, float]]]


def measure(version: Any) -> list[Figure]:
    from django.test import Client
    from docx import Document

    from houqin.standards.checker import check
    from houqin.standards.checker.document import draft_from_version
    from houqin.standards.models import StandardVersion
    from houqin.standards.services.checks import version_check

    stored = StandardVersion.objects.select_related("standard").get(pk=version.pk)
    data = exporter()(stored)
    draft = draft_from_version(stored)
    elements = list(draft.walk())
    typed = typed_paragraph(draft)
    original = typed.text
    client = Client(HTTP_HOST="localhost")
    edits = iter(range(10**9))

    def open_docx() -> None:
        Document(BytesIO(data))

    def check_full() -> None:
        clear_caches()
        check(draft)

    def floor() -> None:
        response = client.get("/bench/floor/")
        if response.status_code != 200:
            raise RuntimeError(f"/bench/floor/ answered {response.status_code}")

    def check_live() -> None:
        typed.text = f"{original}每{next(edits) % 97 + 2} h复核1次。"
        check(draft, elements=[typed])

    def check_stored() -> None:
        version_check(stored, only=typed.pk)

    def read_stored() -> None:
        draft_from_version(stored)

    print(f"# {len(data)} bytes of .docx; the parsed draft has {len(elements)} elements")
    hits = check(draft)
    print(
        f"# check(draft) finds {len(hits)} hits ({sum(h.severity == 'error' for h in hits)} errors)"
    )
    ms = sample(
        {
            "open": open_docx,
            "full": check_full,
            "full_warm": lambda: check(draft),
            "floor": floor,
            "live": check_live,
            "stored": check_stored,
            "read": read_stored,
        }
    )
    print(f"# docx.Document(BytesIO(data)): {ms['open']:.2f} ms (CPU, median of {RUNS})")
    print(f"# check(draft), caches cleared: {ms['full']:.2f} ms")
    print(f"# check(draft), caches warm: {ms['full_warm']:.2f} ms")
    print(f"# bare view in-process (test client): {ms['floor']:.3f} ms")
    print(f"# check(draft, elements=[one paragraph]): {ms['live']:.3f} ms")
    print(
        f"# version_check(version, only=pk), reading the stored draft too: {ms['stored']:.2f} ms"
        f" = {ms['stored'] / ms['floor']:.2f}x the bare view"
    )
    print(f"# of which draft_from_version(version), one query and the tree: {ms['read']:.2f} ms")
    return [
        Figure(
            f"checker, parsed {CLAUSES}-clause standard",
            ms["full"] / ms["open"],
            FULL_TARGET,
            check_full,
            lambda: rule_costs(draft, None),
        ),
        Figure(
            "checker, one clause's live check",
            ms["live"] / ms["floor"],
            LIVE_TARGET,
            check_live,
            lambda: rule_costs(draft, [typed]),
        ),
    ]


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="houqin-bench-checker-") as var_dir:
        Path(var_dir, "static").mkdir()  # the static files middleware looks for it
        setup_django(var_dir)
        figures = measure(build())
        misses = []
        for figure in figures:
            print(f"{figure.name}: {figure.ratio:.2f}x (target ≤ {figure.target:g}x)")
            if figure.ratio > figure.target:
                misses.append(figure)
        for figure in misses:
            print(f"# MISSED: {figure.name}")
            print("#   costliest rules, each run alone (CPU ms, median, caches warm):")
            for rule_id, scope, cost in figure.rules():
                print(f"#     {rule_id} ({scope}): {cost:.3f} ms")
            print("#   costliest functions by own time (cProfile, share of the run):")
            for function, share in hot_functions(figure.run):
                print(f"#     {share:5.1%} {function}")
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Word export benchmark: ``houqin.standards.documents.version_docx`` for a standard of 200
clauses, as a multiple of building an empty python-docx ``Document()`` and saving it, in
the same run.

Run from the repo root: ``.venv/bin/python bench/standards_docx.py``. It builds a throwaway
state dir (SQLite, migrated) and one internal standard whose published version has 200
clauses laid out as GB/T 1.1 lays them out (前言, 范围, 规范性引用文件, 术语和定义 with
terms, chapters of 条 with paragraphs, lists, notes and a table, a normative annex), then
times, in interleaved rounds, the export (reading the clauses included) and the empty
document. Lines not starting with ``# `` are machine-read.

The target, 8×: the floor is python-docx opening its default template and writing the zip.
Writing and saving 230 styled paragraphs with python-docx alone costs about 3 floors (the
``# python-docx, 230 styled paragraphs`` line measures it in the same run), and that is
the bulk of what a 200-clause export must do; the export also opens its own template,
writes a cover, a contents field, three sections with running heads and page-number
fields and a table, and reads the 200 clauses in one query. Twice the paragraph cost plus
that frame is about 8 floors; an export that queried per clause or rebuilt styles per
paragraph would pass it by a multiple.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = 200
WARMUP, RUNS = 3, 15
TARGET = 8.0


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


def n(kind: str, text: str = "", title: str = "", children: tuple = (), **extra: Any) -> Any:
    return SimpleNamespace(kind=kind, title=title, text=text, extra=extra, children=children)


def text_nodes(count: int) -> tuple[Any, ...]:
    """A GB/T 1.1 text of exactly ``count`` clauses."""
    import random

    from bench.seed_standards import CHAPTERS, paragraph

    rng = random.Random(1088)
    front = [
        n(
            "foreword",
            children=(
                n(
                    "paragraph",
                    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分："
                    "标准化文件的结构和起草规则》的规定起草。",
                ),
                n("paragraph", "本文件由机关事务服务中心标准化办公室提出并归口。"),
            ),
        ),
        n("scope", title="范围", children=(n("paragraph", "本文件规定了机关食堂服务的要求。"),)),
        n(
            "references",
            title="规范性引用文件",
            children=(
                n("paragraph", "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。"),
                n(
                    "reference",
                    code="GB 31654",
                    year="2021",
                    title="食品安全国家标准 餐饮服务通用卫生规范",
                ),
                n(
                    "reference",
                    code="GB/T 24421.1",
                    year="2023",
                    title="服务业组织标准化工作指南 第1部分：基本要求",
                ),
            ),
        ),
        n(
            "terms",
            title="术语和定义",
            children=(
                n("paragraph", "下列术语和定义适用于本文件。"),
                n(
                    "term",
                    term="留样",
                    english="food sample",
                    definition="按规定保存的每餐次食品成品样品。",
                ),
                n(
                    "term",
                    term="餐用具",
                    english="tableware",
                    definition="就餐时使用的碗、盘、筷、勺等器具。",
                ),
            ),
        ),
    ]
    used = sum(1 + len(f.children) for f in front) + 3  # and the annex, its table and note
    chapters: list[Any] = []
    chapter_no = 0
    while count - used >= 3:  # a chapter with at least one 条 and its paragraph
        chapter_no += 1
        used += 1
        clauses: list[Any] = []
        while len(clauses) < 4 and count - used >= 2:
            children = [n("paragraph", paragraph(rng))]
            used += 2
            if count - used >= 2 and rng.random() < 0.4:
                children += [n("list_item", paragraph(rng)), n("list_item", paragraph(rng))]
                used += 2
            if count - used >= 1 and rng.random() < 0.3:
                children.append(n("note", paragraph(rng)))
                used += 1
            clauses.append(n("clause", title=rng.choice(CHAPTERS), children=tuple(children)))
        title = CHAPTERS[chapter_no % len(CHAPTERS)]
        chapters.append(n("chapter", title=title, children=tuple(clauses)))
    last = chapters[-1].children[-1]
    last.children = (*last.children, *(n("paragraph", paragraph(rng)) for _ in range(count - used)))
    record = [["2026-03-01", "午餐", "红烧肉", "张三"]] * 4
    annex = n(
        "annex",
        title="留样记录表",
        annex_type="normative",
        children=(
            n("table", title="留样记录", header=["日期", "餐次", "品种", "留样人"], rows=record),
            n("note", "记录保存不少于2年。"),
        ),
    )
    return (*front, *chapters, annex)


def build() -> Any:
    """The standard, published; returns its version."""
    from datetime import date

    from bench.seed_standards import bench_org_and_node
    from houqin.standards.clauses import tree_load
    from houqin.standards.models import Standard, StandardVersion

    org, node = bench_org_and_node("bench-docx")
    standard = Standard.objects.create(
        organization=org,
        node=node,
        title="机关食堂服务规范",
        level="internal",
        status="in_force",
        issuing_body="基准测试机关事务服务中心",
    )
    version = StandardVersion.objects.create(standard=standard, seq=1)
    tree_load(version=version, nodes=text_nodes(CLAUSES))
    count = version.clauses.count()
    from django.utils import timezone

    Standard.objects.filter(pk=standard.pk).update(
        number="JGSW/TG 001—2026", published_on=date(2026, 3, 1), effective_on=date(2026, 4, 1)
    )
    StandardVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now(), number="JGSW/TG 001—2026"
    )
    print(f"# one standard of {count} clauses")
    if count != CLAUSES:
        raise RuntimeError(f"expected {CLAUSES} clauses, made {count}")
    return StandardVersion.objects.get(pk=version.pk)


def exporter() -> Any:
    """``version_docx`` wherever the documents package keeps it."""
    try:
        from houqin.standards.documents import version_docx  # type: ignore[attr-defined]
    except ImportError:
        from houqin.standards.documents.standard_docx import version_docx
    return version_docx


def measure(version: Any) -> float:
    from docx import Document

    from houqin.standards.models import StandardVersion

    version_docx = exporter()

    def export() -> int:
        fresh = StandardVersion.objects.select_related("standard").get(pk=version.pk)
        return len(version_docx(fresh))

    def empty() -> int:
        buffer = BytesIO()
        Document().save(buffer)
        return len(buffer.getvalue())

    def styled() -> int:  # for the docstring's reasoning: python-docx's own cost per paragraph
        document = Document()
        for i in range(230):
            paragraph = document.add_paragraph(f"5.{i} 保洁员应每2 h保洁1次，地面无积水。")
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.runs[0].font.name = "宋体"
        buffer = BytesIO()
        document.save(buffer)
        return len(buffer.getvalue())

    samples: dict[str, list[float]] = {"export": [], "empty": [], "styled": []}
    sizes: dict[str, int] = {}
    for i in range(WARMUP + RUNS):
        for name, run in (("export", export), ("empty", empty), ("styled", styled)):
            started = time.perf_counter()
            sizes[name] = run()
            elapsed = (time.perf_counter() - started) * 1000
            if i >= WARMUP:
                samples[name].append(elapsed)
    ms = {name: statistics.median(times) for name, times in samples.items()}
    print(f"# version_docx, {CLAUSES} clauses: {ms['export']:.1f} ms ({sizes['export']} bytes)")
    print(f"# empty Document() saved: {ms['empty']:.1f} ms ({sizes['empty']} bytes)")
    print(f"# python-docx, 230 styled paragraphs saved: {ms['styled']:.1f} ms")
    return ms["export"] / ms["empty"]


def main() -> int:
    started = time.monotonic()
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-docx-")
    try:
        setup_django(var_dir)
        ratio = measure(build())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    figure = f"docx export ({CLAUSES} clauses)"
    print(f"{figure}: {ratio:.2f}x (target ≤ {TARGET:g}x)")
    if ratio > TARGET:
        print(f"# MISSED: {figure}")
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

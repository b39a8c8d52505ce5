"""Bench data sets of standards: many internal standards with generated Chinese text, and
one standard of 200 clauses at a fixed id, written with bulk inserts (no services: the
services are what the benchmarks time).

For the page benchmark (bench/pages.py), add to ``DATASETS`` in bench/seed.py::

    from bench.seed_standards import seed_standards
    DATASETS = {"users": seed_users, "standards": seed_standards}

and ``"standards"`` to ``DATASETS`` in bench/pages.py; the pages are then
``/standards/`` (500 standards) and ``/standards/<BIG_STANDARD_PK>/`` (200 clauses).
"""

from __future__ import annotations

import random
from typing import Any

ORG_CODE = "jc-center"
STANDARD_COUNT = 500
CLAUSES_PER_STANDARD = 40
BIG_STANDARD_PK = 990200  # the 200-clause standard, at a known address
BIG_CLAUSES = 200

SUBJECTS = (
    "保洁员",
    "驾驶员",
    "厨师",
    "会务人员",
    "安保人员",
    "维修人员",
    "服务人员",
    "食堂管理员",
    "车辆管理员",
    "接待人员",
    "值班人员",
    "物业服务企业",
    "外包服务商",
    "归口科室",
)
OBJECTS = (
    "公共卫生间",
    "地面",
    "餐用具",
    "食品成品",
    "会场",
    "电梯",
    "车辆",
    "消防设施",
    "空调机组",
    "办公区域",
    "垃圾桶",
    "留样柜",
    "配电室",
    "会议桌椅",
    "绿化带",
    "供水设备",
    "门禁系统",
)
ACTIONS = (
    "清洁",
    "清洗消毒",
    "检查",
    "巡查",
    "维护保养",
    "登记",
    "记录",
    "更换",
    "校验",
    "留样",
    "整理",
    "复核",
    "签字确认",
    "上报",
    "封存",
    "通风",
    "除尘",
)
TIMES = (
    "每日",
    "每周",
    "每月",
    "每2 h",
    "每班次",
    "每餐次",
    "使用后30 min内",
    "会前1 h",
    "每季度",
    "每年",
    "下班前",
    "交接班时",
    "接到报修后15 min内",
    "每5000 km",
)
MODALS = ("应", "应", "应", "宜", "可", "不应")
AFTER = (
    "并做好记录",
    "记录保存不少于2年",
    "发现问题应立即上报",
    "不得影响正常办公",
    "结果纳入月度考核",
    "留存影像资料",
    "由班组长复核",
    "保持无积水、无异味",
    "每个品种留样量不少于125 g",
    "温度控制在0 ℃～8 ℃",
    "确保安全出口畅通",
)
CHAPTERS = (
    "范围",
    "术语和定义",
    "基本要求",
    "人员要求",
    "服务流程",
    "作业要求",
    "质量要求",
    "安全要求",
    "检查与考核",
    "记录管理",
    "应急处置",
    "服务评价",
)
TITLES = (
    "服务规范",
    "作业规程",
    "管理规范",
    "服务质量要求",
    "操作规程",
    "检查规范",
    "工作标准",
)


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)}{rng.choice(MODALS)}{rng.choice(TIMES)}"
        f"{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}，{rng.choice(AFTER)}。"
    )


def paragraph(rng: random.Random) -> str:
    """One to four sentences (about 25 to 120 characters), as clauses are."""
    return "".join(sentence(rng) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))


def standards_create(
    org: Any,
    node: Any,
    *,
    count: int,
    clauses_per_standard: int,
    seed: int = 2026,
    first_number: int = 1,
    pk: int | None = None,
    line: str = "property",
) -> list[Any]:
    """``count`` internal standards in force, each with one published version of
    ``clauses_per_standard`` clauses (chapters of numbered clauses with their paragraphs)."""
    from django.db import transaction
    from django.utils import timezone

    from houqin.standards.models import Clause, Standard, StandardLine, StandardVersion

    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        standards = Standard.objects.bulk_create(
            Standard(
                **({"pk": pk + i} if pk is not None else {}),
                organization=org,
                node=node,
                number=f"JGSW/TG {first_number + i:03d}—2026",
                title=f"{rng.choice(OBJECTS)}{rng.choice(TITLES)}",
                level=Standard.Level.INTERNAL,
                status=Standard.Status.IN_FORCE,
                published_on=today,
                effective_on=today,
            )
            for i in range(count)
        )
        StandardLine.objects.bulk_create(StandardLine(standard=s, line=line) for s in standards)
        versions = StandardVersion.objects.bulk_create(
            StandardVersion(standard=s, seq=1, number=s.number) for s in standards
        )
        chapters_per = max(1, clauses_per_standard // 8)
        pairs, odd = divmod(clauses_per_standard - chapters_per, 2)  # a 条 and its paragraph
        chapters = Clause.objects.bulk_create(
            Clause(
                version=version,
                position=c,
                kind=Clause.Kind.CHAPTER,
                number=str(c + 1),
                title=CHAPTERS[c % len(CHAPTERS)],
            )
            for version in versions
            for c in range(chapters_per)
        )
        by_version: dict[int, list[Clause]] = {}
        for chapter in chapters:
            by_version.setdefault(chapter.version_id, []).append(chapter)
        numbered = Clause.objects.bulk_create(
            Clause(
                version=version,
                parent=by_version[version.pk][i % chapters_per],
                position=i // chapters_per,
                kind=Clause.Kind.CLAUSE,
                number=f"{i % chapters_per + 1}.{i // chapters_per + 1}",
                text=paragraph(rng),
            )
            for version in versions
            for i in range(pairs)
        )
        paragraphs = [
            Clause(
                version_id=clause.version_id,
                parent=clause,
                position=0,
                kind=Clause.Kind.PARAGRAPH,
                text=paragraph(rng),
            )
            for clause in numbered
        ]
        paragraphs += [
            Clause(
                version=version,
                parent=by_version[version.pk][0],
                position=999,
                kind=Clause.Kind.PARAGRAPH,
                text=paragraph(rng),
            )
            for version in versions
            if odd
        ]
        Clause.objects.bulk_create(paragraphs)
        StandardVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
            published_at=timezone.now()
        )
    return standards


def bench_org_and_node(org_code: str = ORG_CODE) -> tuple[Any, Any]:
    """The demo center (made bare when it is missing) and a node of its system tree."""
    from houqin.org.models import Organization
    from houqin.standards.models import StandardNode

    org, _ = Organization.objects.get_or_create(
        code=org_code, defaults={"name": "基准测试机关事务服务中心"}
    )
    node = StandardNode.objects.filter(organization=org, code="BENCH").first()
    if node is None:
        node = StandardNode.objects.add_root(
            instance=StandardNode(organization=org, code="BENCH", name="基准测试标准")
        )
    return org, node


def seed_standards(count: int = STANDARD_COUNT) -> int:
    """``count`` standards of 40 clauses in the demo center, one of 200 clauses at
    ``BIG_STANDARD_PK``, all indexed for search. Returns the standards made."""
    from houqin.standards.search import search_reindex

    org, node = bench_org_and_node()
    made = standards_create(
        org, node, count=count, clauses_per_standard=CLAUSES_PER_STANDARD, first_number=501
    )
    made += standards_create(
        org,
        node,
        count=1,
        clauses_per_standard=BIG_CLAUSES,
        seed=200,
        first_number=500,
        pk=BIG_STANDARD_PK,
    )
    search_reindex(organization_ids=[org.pk])
    return len(made)

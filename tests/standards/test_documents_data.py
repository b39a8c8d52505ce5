"""Standards with every kind of clause, for the document tests: a published rich standard,
a draft in consultation, an adopted external one, and a 200-clause draft."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from houqin.standards.clauses import tree_load
from houqin.standards.models import Standard
from houqin.standards.services import (
    standard_adopt,
    standard_propose,
    version_new_draft,
    version_publish,
)
from tests.standards.builders import n, node_make


def ref(code: str, year: str, title: str) -> Any:
    """A reference entry (its title is a field of ``extra``, not the clause title)."""
    return SimpleNamespace(
        kind="reference",
        title="",
        text="",
        extra={"code": code, "year": year, "title": title},
        children=(),
    )


RICH_TEXT = (
    n(
        "foreword",
        children=(
            n(
                "paragraph",
                "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。",
            ),
            n("paragraph", "本文件由甲市机关事务服务中心提出并归口。"),
        ),
    ),
    n("introduction", children=(n("paragraph", "机关食堂是服务保障的重要环节。"),)),
    n("scope", title="范围", children=(n("paragraph", "本文件规定了机关食堂餐饮服务的要求。"),)),
    n(
        "references",
        title="规范性引用文件",
        children=(
            n("paragraph", "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。"),
            ref("GB 31654", "2021", "食品安全国家标准 餐饮服务通用卫生规范"),
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
                english="food sample retention",
                definition="按餐次、品种留存成品食品样品的做法。",
                source="GB 31654—2021，2.10",
                children=(n("note", "留样不少于125 g。"),),
            ),
            n("term", term="中心温度", english="core temperature", definition="食品中心的温度。"),
        ),
    ),
    n(
        "chapter",
        title="进货查验",
        children=(
            n(
                "clause",
                title="验收",
                children=(
                    n("paragraph", "验收内容应包括下列项目："),
                    n(
                        "list_item",
                        "供货凭证与实物一致；",
                        style="alpha",
                        children=(
                            n("list_item", "名称一致；", style="numeric"),
                            n("list_item", "数量一致；", style="numeric"),
                        ),
                    ),
                    n("list_item", "感官性状无腐败。", style="alpha"),
                    n("note", "验收由仓管员和当班厨师共同进行。"),
                    n("note", "验收记录保存2年。"),
                ),
            ),
            n(
                "clause",
                title="温度",
                children=(
                    n("clause", "冷藏食材的到货温度应不高于8 ℃。"),
                    n(
                        "clause",
                        children=(
                            n("paragraph", "冷冻食材的到货温度应不高于-12 ℃。"),
                            n("example", "到货时测得-15 ℃，判为合格。"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    n(
        "chapter",
        title="留样",
        children=(
            n("paragraph", "留样应符合下列要求："),
            n("list_item", "每个品种不少于125 g；", style="dash"),
            n("list_item", "冷藏存放不少于48 h。", style="dash"),
            n(
                "table",
                title="留样记录",
                header=["日期", "菜品", "留样量/g"],
                rows=[["3月1日", "红烧鱼", "150"], ["3月1日", "炒青菜", "130"]],
                children=(n("note", "留样量以电子秤称量为准。"),),
            ),
            n("figure", title="留样柜布置示意", src="cabinet.png"),
        ),
    ),
    n(
        "annex",
        title="进货查验记录表",
        annex_type="normative",
        children=(
            n("clause", title="记录内容", children=(n("paragraph", "记录应包括日期和供应商。"),)),
            n("table", title="进货查验记录", header=["日期", "供应商"], rows=[["", ""]]),
        ),
    ),
    n(
        "annex",
        title="常见问题",
        annex_type="informative",
        children=(n("paragraph", "本附录给出常见问题。"),),
    ),
    n(
        "bibliography",
        children=(ref("GB/T 24421.1", "2023", "服务业组织标准化工作指南 第1部分：基本要求"),),
    ),
)

RICH_NUMBER = "JGSW/TG 001—2026"
RICH_TITLE = "机关食堂餐饮服务规范"


def rich_draft(org: Any, actor: Any, title: str = RICH_TITLE, number: str = "") -> Standard:
    """A standard in drafting whose draft holds RICH_TEXT."""
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={
            "title": title,
            "english_title": "Specification for catering service of government office canteens",
            "node": node_make(org),
            "reason": "规范食堂服务",
            "number": number,
        },
        lines=["canteen"],
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    standard.refresh_from_db()
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=RICH_TEXT)
    return standard


def rich_in_force(org: Any, actor: Any, number: str = RICH_NUMBER) -> Standard:
    """RICH_TEXT published as ``number`` and in force."""
    standard = rich_draft(org, actor)
    version_publish(
        version=standard.versions.get(),
        actor=actor,
        number=number,
        published_on=date(2026, 3, 1),
        effective_on=date(2026, 4, 1),
    )
    Standard.objects.filter(pk=standard.pk).update(status="in_force")
    standard.refresh_from_db()
    return standard


def adopted(org: Any, actor: Any) -> Standard:
    """A national standard the center applies, kept as metadata only."""
    return standard_adopt(
        organization=org,
        actor=actor,
        data={
            "number": "GB 31654—2021",
            "title": "食品安全国家标准 餐饮服务通用卫生规范",
            "level": "national",
            "node": node_make(org),
            "issuing_body": "国家卫生健康委员会 国家市场监督管理总局",
            "published_on": date(2021, 3, 11),
            "effective_on": date(2022, 2, 22),
        },
        lines=["canteen"],
    )


def long_text(clauses: int = 200) -> tuple:
    """A text of about ``clauses`` clauses: chapters of titled 条 with paragraphs, lists and
    notes (each node loaded counts as one clause)."""
    chapters = []
    count = 2
    number = 0
    while count < clauses:
        number += 1
        subs = []
        for index in range(1, 5):
            subs.append(
                n(
                    "clause",
                    title=f"要求{index}",
                    children=(
                        n("paragraph", f"服务人员应在{index * 5} min内完成第{number}项准备。"),
                        n("list_item", "检查设备；", style="alpha"),
                        n("list_item", "填写记录。", style="alpha"),
                        n("note", "记录保存12个月。"),
                    ),
                )
            )
            count += 5
            if count >= clauses:
                break
        chapters.append(n("chapter", title=f"服务环节{number}", children=tuple(subs)))
        count += 1
    return (
        n("scope", title="范围", children=(n("paragraph", "本文件规定了服务要求。"),)),
        *chapters,
    )


def long_draft(org: Any, actor: Any, clauses: int = 200) -> Standard:
    standard = standard_propose(
        organization=org,
        actor=actor,
        data={"title": "会议服务规范", "node": node_make(org), "reason": "基准测试"},
        lines=["meetings"],
    )
    Standard.objects.filter(pk=standard.pk).update(status="drafting")
    version = version_new_draft(standard=standard, actor=actor)
    tree_load(version=version, nodes=long_text(clauses))
    return standard

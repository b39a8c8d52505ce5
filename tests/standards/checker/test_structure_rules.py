"""The structural rules of the drafting checker (S-ELEM, S-FORE, S-NUM, S-LIST, S-REF, S-TERM)
as a whole: the eight starter standards give no hit, every rule's wrong example hits and its
right example does not, a clean document gives no hit, and the check is fast. The rule
families have their own test files; ``BASE``, ``draft_of`` and ``hits`` serve them all."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.standards import textformat as tf
from houqin.standards.checker import RULES, check
from houqin.standards.checker.base import Issue
from houqin.standards.checker.document import Cover, Draft, draft_from_document
from houqin.standards.starter import starter_documents

FAMILIES = ("ELEM", "FORE", "NUM", "LIST", "REF", "TERM")
STRUCTURE = sorted(r for r in RULES if r.split("-")[1] in FAMILIES)

BASE = """编号: JGSW/WY 010—2026
名称: 会议室保洁服务规范
层级: internal

@前言
本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。
请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。
本文件由江城市机关事务服务中心提出。
本文件由江城市机关事务服务中心物业管理科归口。
本文件起草单位：江城市机关事务服务中心。
本文件主要起草人：郑晓东、黄秀英。
本文件首次发布。

# 范围
本文件规定了会议室保洁服务的总体要求、作业要求和检查。
本文件适用于江城市机关事务服务中心管理的会议室的保洁服务。

# 规范性引用文件
下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。
> GB/T 18883 室内空气质量标准
> GB/T 41568—2022 机关事务管理 术语

# 术语和定义
GB/T 41568—2022界定的以及下列术语和定义适用于本文件。
= 会后保洁 | post-meeting cleaning | 会议结束后对会议室进行的清洁作业。
= 保洁记录表 | cleaning record form | 记录保洁作业时间、内容和作业人的表格。

# 总体要求
## 人员
保洁员上岗时应穿着统一工装。
## 用品
清洁用品应存放在专用工具间。
会议室的室内空气质量应符合GB/T 18883的规定。

# 作业要求
## 会前保洁
会前保洁应在会议开始前30 min完成，内容包括：
a) 擦拭桌面和椅面；
  1) 桌面无水渍；
  2) 椅面无灰尘；
b) 清洁地面。
## 会后保洁
会后保洁应在会议结束后30 min内完成，作业内容应符合附录A的规定。
注：会期超过1 d的会议，每日会后均进行会后保洁。
示例：GB/T 99999 中的方法不适用于本文件。

# 检查
## 自查
保洁员每次作业后应填写保洁记录表，记录格式见附录B。
## 抽查
物业管理科每周应抽查不少于30%的会议室。

@附录 规范性 会后保洁作业内容
会后保洁的作业内容见表A.1。
表：会后保洁作业内容
| 部位 | 内容 |
| 桌面 | 擦拭 |

@附录 资料性 保洁记录表
表：保洁记录表
| 日期 | 会议室 | 作业人 |
|  |  |  |

@参考文献
> 中华人民共和国消防法
"""


def draft_of(markup: str, **changes: Any) -> Draft:
    """The draft of a markup document; ``changes`` set Draft attributes (cover, stored …)."""
    draft = draft_from_document(tf.parse(markup))
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def hits(source: str | Draft, rule_id: str) -> list[Issue]:
    draft = draft_of(source) if isinstance(source, str) else source
    return check(draft, rule_ids=[rule_id])


def edited(old: str, new: str, markup: str = BASE) -> str:
    assert old in markup, old
    return markup.replace(old, new, 1)


def test_the_families_have_their_26_rules():
    assert len(STRUCTURE) == 26
    for rule_id in STRUCTURE:
        rule = RULES[rule_id]
        assert rule.basis.startswith("GB/T 1.1—2020"), rule_id
        assert rule.title and rule.why, rule_id


def test_the_base_document_gives_no_hit():
    assert check(draft_of(BASE), rule_ids=STRUCTURE) == []


@pytest.mark.parametrize("path_document", starter_documents(), ids=lambda p: p[0].name)
def test_the_starter_standards_give_no_hit(path_document):
    _, document = path_document
    found = check(draft_from_document(document), rule_ids=STRUCTURE)
    assert [(h.rule, h.clause, h.message) for h in found] == []


@pytest.mark.parametrize("path_document", starter_documents(), ids=lambda p: p[0].name)
def test_the_starter_standards_stored_give_no_hit(path_document):
    _, document = path_document
    draft = draft_from_document(document)
    draft.stored = True
    assert check(draft, rule_ids=STRUCTURE) == []


@pytest.mark.parametrize("rule_id", STRUCTURE)
def test_the_wrong_example_hits_and_the_right_one_does_not(rule_id):
    rule = RULES[rule_id]
    wrong = hits(rule.wrong, rule_id)
    assert wrong, rule_id
    assert all(h.rule == rule_id and h.message for h in wrong)
    assert hits(rule.right, rule_id) == []


@pytest.mark.parametrize("rule_id", STRUCTURE)
def test_fixes_only_on_auto_rules(rule_id):
    rule = RULES[rule_id]
    found = hits(rule.wrong, rule_id)
    if rule.fix != "auto":
        assert all(h.fix is None for h in found)
    elif rule_id != "S-ELEM-05":  # its fix is regenerating the 目次, which no Fix can express
        assert any(h.fix is not None for h in found)


def test_a_hit_carries_where_what_and_how():
    (hit,) = hits(edited("## 抽查\n", "##\n"), "S-NUM-03")
    assert hit.clause == "6.1"
    assert hit.severity == "warning"
    assert hit.suggestion
    assert hit.as_json()["rule"] == "S-NUM-03"


def test_a_large_standard_gives_no_structure_hit():
    """(Its speed is measured by bench/checker.py, not here: tests are not timed.)"""
    chapter = "\n".join(
        f"## 条{i}\n第{i}条的空气质量应符合GB/T 18883的规定，检查内容包括：\na) 第一项；\nb) 第二项。"
        for i in range(20)
    )
    body = "\n\n".join(f"# 核心章{n}\n{chapter}" for n in range(10))
    markup = edited("# 检查\n", body + "\n\n# 检查\n")
    draft = draft_of(markup)
    assert sum(1 for e in draft.walk() if e.kind == tf.CLAUSE) > 200
    assert [h.rule for h in check(draft, rule_ids=STRUCTURE)] == []


def test_an_empty_draft_gives_only_the_missing_elements():
    draft = Draft(cover=Cover(number="JGSW/WY 010—2026", title="会议室保洁服务规范"), elements=[])
    assert sorted(h.rule for h in check(draft, rule_ids=STRUCTURE)) == ["S-ELEM-03"] * 3


def test_odd_imported_values_do_not_break_the_rules():
    draft = draft_of(BASE)
    for element in draft.walk():
        if element.kind == tf.REFERENCE:
            element.extra.update(code=None, year=None)
        elif element.kind == tf.TERM:
            element.extra.update(english=None, source=None)
        elif element.kind == tf.TABLE:
            element.extra.update(rows=None)
        elif element.kind == tf.LIST_ITEM:
            element.extra.pop("style")
        elif element.kind == tf.CLAUSE:
            element.extra["typed"] = None
    found = {h.rule for h in check(draft, rule_ids=STRUCTURE)}
    assert {"S-TERM-02", "S-LIST-01"} <= found

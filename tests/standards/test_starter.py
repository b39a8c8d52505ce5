"""The starter library holds to the drafting rules it will be checked against (GB/T 1.1—2020
as DOMAIN.md §1 encodes it), its metadata fits the system template and the adopted list,
and the domain figures the seed asks for are there. No database."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from houqin.standards import system_template
from houqin.standards.provisions import masked
from houqin.standards.starter import starter_documents, starter_files
from houqin.standards.starter.adopted import ADOPTED
from houqin.standards.textformat import (
    LEVELS,
    SERVICE_LINES,
    Document,
    Node,
    walk,
)

DOCUMENTS = starter_documents()
IDS = [path.name for path, _ in DOCUMENTS]

FORE_FIRST = (
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。"
)
PATENT = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
REF_LEAD = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
)
REF_NONE = "本文件没有规范性引用文件。"
TERM_LEAD = "下列术语和定义适用于本文件。"
TERM_LEAD_CITED = re.compile(r"(?P<codes>.+)界定的以及下列术语和定义适用于本文件。")
TERM_NONE = "本文件没有需要界定的术语和定义。"
VAGUE = [
    "适当",
    "适量",
    "及时",
    "尽量",
    "尽可能",
    "基本",
    "一般",
    "较好",
    "良好",
    "左右",
    "必要时",
    "定期",
    "经常",
    "随时",
    "相关",
    "有关",
    "等",
    "合理",
    "到位",
    "干净",
    "整洁",
    "明显",
    "充分",
    "严格",
]
FORBIDDEN = ("必须", "不得", "严禁", "禁止", "不可")
CODE = re.compile(
    r"(?:GB(?:/T|/Z)?|TSG|DB\d{2,6}(?:/T)?|T/[A-Z]+|[A-Z]{2,4}(?:/T)?) [A-Z]?\d+(?:\.\d+)*"
)
UNIT = r"(?:℃|g|kg|mg|h|min|s|d|mm|cm|m|km|lx|L|mL|km/h|m/s)"
TOP_ORDER = ("foreword", "introduction", "scope", "references", "terms", "chapter", "annex")
TOP_ORDER += ("bibliography",)

parametrized = pytest.mark.parametrize(("path", "document"), DOCUMENTS, ids=IDS)


def top(document: Document, kind: str) -> list[Node]:
    return [n for n in document.nodes if n.kind == kind]


def texts(node: Node) -> list[str]:
    """The words of one node (not its children)."""
    if node.kind == "table":
        return [node.title, *node.extra["header"], *(c for r in node.extra["rows"] for c in r)]
    if node.kind == "term":
        return [node.extra["term"], node.extra["definition"]]
    if node.kind == "reference":
        return [node.extra["code"], node.extra["title"]]
    return [t for t in (node.title, node.text) if t]


def body_nodes(document: Document, *, informative: bool = True) -> list[Node]:
    """Nodes of the body: chapter 3's lead-in and everything from chapter 4 on, annexes
    included; front matter, chapter 2, term entries and the bibliography are not body.
    ``informative=False`` also leaves out notes and examples (and what they hold)."""
    result = []
    for node, parents in walk(document.nodes):
        chain = [*parents, node]
        if chain[0].kind in ("foreword", "introduction", "scope", "references", "bibliography"):
            continue
        if chain[0].kind == "terms" and any(n.kind == "term" for n in chain):
            continue
        if not informative and any(n.kind in ("note", "example") for n in chain):
            continue
        result.append(node)
    return result


def body_text(document: Document, *, informative: bool = True) -> str:
    return "\n".join(t for n in body_nodes(document, informative=informative) for t in texts(n))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；\n]", text) if s.strip()]


def clause_nodes(document: Document) -> list[tuple[Node, tuple[Node, ...]]]:
    return [(n, p) for n, p in walk(document.nodes) if n.kind == "clause"]


def test_the_library_has_the_eight_standards_of_the_seed():
    titles = {d.header.title for _, d in DOCUMENTS}
    assert len(starter_files()) >= 8
    for words in ("食堂", "会议", "维修保养", "调度", "驾驶员", "卫生间", "电梯", "消防演练"):
        assert any(words in title for title in titles), words


def test_numbers_are_unique_and_fit_the_internal_scheme():
    numbers = [d.header.number for _, d in DOCUMENTS]
    assert len(set(numbers)) == len(numbers)
    for _, document in DOCUMENTS:
        header = document.header
        match = re.fullmatch(r"JGSW/(?P<sub>TY|BZ|TG|GW) \d{3}—(?P<year>\d{4})", header.number)
        assert match, header.number
        assert header.node.split("-")[0] == match["sub"], header.number
        if header.published_on:
            assert int(match["year"]) == header.published_on.year


def test_the_set_has_every_kind_of_element():
    kinds = Counter(n.kind for _, d in DOCUMENTS for n, _ in walk(d.nodes))
    for kind in ("note", "example", "list_item", "table", "annex", "term", "reference"):
        assert kinds[kind], kind
    annex_types = {
        n.extra["annex_type"] for _, d in DOCUMENTS for n in d.nodes if n.kind == "annex"
    }
    assert annex_types == {"normative", "informative"}


def test_the_statuses_and_dates_are_as_planned():
    by_title = {d.header.title: d.header for _, d in DOCUMENTS}
    meeting = by_title["会议服务规范"]
    assert (meeting.status, meeting.published_on, meeting.effective_on) == (
        "consultation",
        None,
        None,
    )
    fire = by_title["消防演练规范"]
    assert (fire.status, fire.published_on, fire.number[-5:]) == (
        "in_force",
        date(2020, 6, 1),
        "—2020",
    )
    others = [h for h in by_title.values() if h not in (meeting, fire)]
    for header in others:
        assert header.status == "in_force", header.title
        assert header.published_on and header.effective_on, header.title
        assert date(2026, 1, 1) <= header.published_on <= header.effective_on, header.title
        assert header.effective_on < date(2026, 11, 1), header.title


@parametrized
def test_the_header_is_complete(path: Path, document: Document):
    header = document.header
    for field in ("number", "title", "english_title", "node", "owner_department", "status"):
        assert getattr(header, field), field
    assert header.level == "internal"
    assert header.service_lines and header.posts and header.drafting_units and header.drafters
    assert set(header.service_lines) <= set(SERVICE_LINES)
    if header.published_on:
        assert header.effective_on and header.published_on <= header.effective_on


@parametrized
def test_node_codes_exist_in_the_system_template(path: Path, document: Document):
    assert document.header.node in system_template.CODES


@parametrized
def test_elements_come_in_the_canonical_order(path: Path, document: Document):
    ranks = [TOP_ORDER.index(n.kind) for n in document.nodes]
    assert ranks == sorted(ranks)
    kinds = [n.kind for n in document.nodes]
    assert kinds[:4] == ["foreword", "scope", "references", "terms"]
    assert "chapter" in kinds


@parametrized
def test_the_foreword_says_what_gb_t_1_1_asks(path: Path, document: Document):
    (foreword,) = top(document, "foreword")
    lines = [c.text for c in foreword.children]
    assert {c.kind for c in foreword.children} == {"paragraph"}
    assert lines[0] == FORE_FIRST
    assert PATENT in lines
    order = ["提出。", "归口。", "本文件起草单位：", "本文件主要起草人："]
    positions = [next(i for i, t in enumerate(lines) if key in t) for key in order]
    assert positions == sorted(positions)
    assert lines[-1] == "本文件首次发布。"
    for text in lines:
        if text not in (FORE_FIRST, PATENT):
            assert not re.search("应|宜|可", masked(text)), text
    drafters = "、".join(document.header.drafters)
    assert f"本文件主要起草人：{drafters}。" in lines


@parametrized
def test_the_scope_states_what_and_where(path: Path, document: Document):
    (scope,) = top(document, "scope")
    lines = [c.text for c in scope.children]
    assert {c.kind for c in scope.children} == {"paragraph"}
    assert lines[0].startswith("本文件规定了")
    assert any(t.startswith("本文件适用于") for t in lines)


def _references(document: Document) -> list[Node]:
    (chapter,) = top(document, "references")
    return [c for c in chapter.children if c.kind == "reference"]


@parametrized
def test_chapter_2_has_the_lead_in_or_says_there_is_none(path: Path, document: Document):
    (chapter,) = top(document, "references")
    first = chapter.children[0]
    references = _references(document)
    if references:
        assert first.text == REF_LEAD
        assert len(chapter.children) == len(references) + 1
    else:
        assert [c.text for c in chapter.children] == [REF_NONE]


@parametrized
def test_every_reference_is_cited_in_the_body_and_every_citation_is_listed(
    path: Path, document: Document
):
    cited = body_text(document, informative=False)
    listed = set()
    for reference in _references(document):
        code, year = reference.extra["code"], reference.extra["year"]
        assert code, reference.extra
        listed.add(code)
        pattern = re.escape(code) + (f"—{year}" if year else "") + r"(?![\d.])"
        assert re.search(pattern, cited), f"{code} is listed but never cited"
        if not year:
            assert not re.search(re.escape(code) + r"—\d{4}", cited), f"{code} cited dated"
    for citation in CODE.findall(cited):
        assert citation in listed, f"{citation} is cited but not listed in chapter 2"


@parametrized
def test_every_reference_is_an_adopted_standard(path: Path, document: Document):
    adopted = {(a["code"], a["year"]) for a in ADOPTED}
    for reference in _references(document):
        code, year = reference.extra["code"], reference.extra["year"]
        assert any(c == code and (not year or y == year) for c, y in adopted), code
        title = next(a["title"] for a in ADOPTED if a["code"] == code)
        assert reference.extra["title"] == title


@parametrized
def test_chapter_3_has_the_lead_in_and_every_term_is_used(path: Path, document: Document):
    (chapter,) = top(document, "terms")
    terms = [c for c in chapter.children if c.kind == "term"]
    lead = chapter.children[0].text
    if not terms:
        assert [c.text for c in chapter.children] == [TERM_NONE]
        return
    cited = TERM_LEAD_CITED.fullmatch(lead)
    assert lead == TERM_LEAD or (
        cited and cited["codes"] in {r.extra["code"] for r in _references(document)}
    )
    used = "\n".join(
        t
        for n, parents in walk(document.nodes)
        if (parents[0] if parents else n).kind in ("chapter", "annex")
        for t in texts(n)
    )
    for term in terms:
        extra = term.extra
        assert extra["english"] and extra["definition"].endswith("。"), extra
        assert extra["english"] == extra["english"].lower(), extra
        assert extra["term"] in used, f"term {extra['term']} is never used"
        assert not re.search("应|宜", masked(extra["definition"])), extra


@parametrized
def test_the_clause_tree_follows_the_numbering_rules(path: Path, document: Document):
    count = len(clause_nodes(document))
    assert 6 <= count <= 20, count
    for node, parents in walk(document.nodes):
        subs = [c for c in node.children if c.kind == "clause"]
        if not subs:
            continue
        where = f"{node.kind} {node.title}"
        assert len(subs) >= 2, f"lone subdivision under {where}"
        assert node.children[0].kind == "clause", f"text hangs under {where}"
        assert len({bool(c.title) for c in subs}) == 1, f"mixed titles under {where}"
        assert node.kind != "clause" or node.title, f"untitled clause subdivided: {where}"
        assert sum(p.kind == "clause" for p in parents) + 1 <= 5


@parametrized
def test_lists_have_a_lead_in_one_style_a_level_and_gb_punctuation(path: Path, document: Document):
    for node, parents in walk(document.nodes):
        children = list(node.children)
        for index, child in enumerate(children):
            if child.kind != "list_item" or (index and children[index - 1].kind == "list_item"):
                continue
            run = [child]
            for later in children[index + 1 :]:
                if later.kind != "list_item":
                    break
                run.append(later)
            level = sum(p.kind == "list_item" for p in (*parents, node))
            styles = {item.extra["style"] for item in run}
            assert len(styles) == 1
            allowed = {"alpha", "dash"} if level == 0 else {"numeric", "dash"}
            assert styles <= allowed
            if level == 0:
                assert index and children[index - 1].text.endswith("："), "list without lead-in"
            assert all(item.text.endswith("；") for item in run[:-1])
            assert run[-1].text.endswith(("。", "；"))


@parametrized
def test_tables_and_annexes_are_referred_to(path: Path, document: Document):
    text = body_text(document, informative=False)
    letters = "ABCDEFGH"
    body_tables = 0
    annexes = 0
    for node in document.nodes:
        if node.kind == "annex":
            letter = letters[annexes]
            annexes += 1
            assert f"附录{letter}" in text
            tables = [n for n, _ in walk(node.children) if n.kind == "table"]
            for number in range(1, len(tables) + 1):
                assert f"表{letter}.{number}" in text
        elif node.kind == "chapter":
            body_tables += sum(1 for n, _ in walk(node.children) if n.kind == "table")
    for number in range(1, body_tables + 1):
        assert f"表{number}" in text
    for node, _ in walk(document.nodes):
        if node.kind == "table":
            assert node.title and node.extra["header"], node


@parametrized
def test_no_forbidden_modal_verb_appears_anywhere(path: Path, document: Document):
    text = path.read_text(encoding="utf-8")
    for mandated in (FORE_FIRST, PATENT, REF_LEAD):  # 必不可少 is the rule's own wording
        text = text.replace(mandated, "")
    for word in FORBIDDEN:
        assert word not in text, word


@parametrized
def test_no_requirement_sentence_holds_a_vague_word(path: Path, document: Document):
    for sentence in sentences(body_text(document)):
        if "应" in sentence:
            for word in VAGUE:
                assert word not in sentence, f"{word}: {sentence}"


@parametrized
def test_no_vague_word_appears_in_the_body_at_all(path: Path, document: Document):
    """Stricter than the rule: list items, table cells and notes carry no vague word either
    (so "等" never needs judging as an open list)."""
    text = body_text(document)
    for word in VAGUE:
        assert word not in text, word


@parametrized
def test_notes_and_examples_hold_no_provision(path: Path, document: Document):
    for node, _ in walk(document.nodes):
        if node.kind in ("note", "example"):
            assert not re.search("应|宜", masked(node.text)), node.text


@parametrized
def test_quantities_are_written_the_gb_way(path: Path, document: Document):
    text = body_text(document)
    assert not re.search(rf"\d{UNIT}(?![A-Za-z])", text), "number glued to its unit"
    assert not re.search(r"\d\s*[～~]", text), "range without a unit on its first value"
    stripped = CODE.sub("", re.sub(r"—\d{4}", "", text))
    assert not re.search(r"\d\s*[-—–]\s*\d", stripped), "range written with a dash"
    assert not re.search(r"[０-９Ａ-Ｚａ-ｚ]", path.read_text(encoding="utf-8"))
    assert not re.search(r"\d\s*(?:斤|公分|°F)", text)


@parametrized
def test_each_provision_chapter_sets_requirements(path: Path, document: Document):
    for chapter in top(document, "chapter"):
        words = "\n".join(t for n, _ in walk((chapter,)) for t in texts(n))
        assert "应" in masked(words), chapter.title


def _by_number(prefix: str) -> str:
    (document,) = [d for _, d in DOCUMENTS if d.header.number.startswith(prefix)]
    return body_text(document)


def test_the_canteen_standard_keeps_samples_and_cooks_through():
    text = _by_number("JGSW/TG 001")
    for figure in ("不少于125 g", "不少于48 h", "不低于70 ℃", "10 cm"):
        assert figure in text
    (document,) = [d for _, d in DOCUMENTS if d.header.number.startswith("JGSW/TG 001")]
    titles = [n.title for n in top(document, "chapter")]
    assert titles[-4:] == ["进货查验", "清洗加工", "装盘出售", "消费反馈"]


def test_the_meeting_standard_has_the_four_phases():
    (document,) = [d for _, d in DOCUMENTS if d.header.number.startswith("JGSW/TG 002")]
    titles = [n.title for n in top(document, "chapter")]
    for phase in ("会议承接", "会场准备", "会中服务", "会后备场"):
        assert phase in titles


def test_the_elevator_standard_keeps_the_fifteen_day_rule():
    text = _by_number("JGSW/BZ 003")
    assert "不超过15 d" in text
    assert "TSG T5002—2017" in text


def test_the_fire_drill_standard_drills_key_units_half_yearly():
    text = _by_number("JGSW/BZ 001")
    assert "每半年组织不少于1次" in text
    (document,) = [d for _, d in DOCUMENTS if d.header.number.startswith("JGSW/BZ 001")]
    (bibliography,) = top(document, "bibliography")
    assert any("公安部令第61号" in r.extra["title"] for r in bibliography.children)


def test_adopted_standards_are_well_formed():
    keys = {"code", "year", "title", "level", "node", "service_lines", "in_force_on"}
    codes = [a["code"] for a in ADOPTED]
    assert len(codes) == len(set(codes))
    for adopted in ADOPTED:
        assert set(adopted) == keys
        assert re.fullmatch(r"\d{4}", adopted["year"])
        assert adopted["level"] in LEVELS and adopted["level"] != "internal"
        assert adopted["node"] in system_template.CODES
        assert adopted["service_lines"] and set(adopted["service_lines"]) <= set(SERVICE_LINES)
        in_force = date.fromisoformat(adopted["in_force_on"])
        assert in_force.year >= int(adopted["year"])
        assert adopted["title"] == adopted["title"].strip()


def test_adopted_standards_include_the_editions_domain_md_names():
    editions = {(a["code"], a["year"]) for a in ADOPTED}
    for code, year in (
        ("GB/T 1.1", "2020"),
        ("GB/T 24421.1", "2009"),
        ("GB/T 24421.2", "2023"),
        ("GB/T 24421.3", "2009"),
        ("GB/T 24421.4", "2023"),
        ("GB/T 13016", "2018"),
        ("GB/T 13017", "2018"),
        ("GB/T 41568", "2022"),
        ("GB 31654", "2021"),
        ("TSG T5002", "2017"),
        ("GB/T 15496", "2017"),
        ("DB64/T 1773", "2021"),
        ("GB 25201", "2010"),
        ("GB/T 18883", "2022"),
    ):
        assert (code, year) in editions, code


def test_the_system_template_follows_gb_t_24421():
    entries = list(system_template.entries())
    codes = [code for code, _, _ in entries]
    assert len(codes) == len(set(codes)) == len(system_template.CODES)
    for code, name, parent in entries:
        assert name and re.fullmatch(r"[A-Z]{2}(?:-\d{2})*", code)
        if parent:
            assert code.startswith(parent + "-")
    roots = {code: children for code, _, children in system_template.TREE}
    assert list(roots) == ["TY", "BZ", "TG", "GW"]
    assert len(roots["BZ"]) == 9 and roots["BZ"][-1][1] == "合同管理标准"
    assert [name for _, name, _ in roots["TG"]] == [
        "服务规范",
        "服务提供规范",
        "服务质量控制规范",
        "运行管理规范",
        "服务评价与改进标准",
    ]
    assert roots["TY"][0][1] == "标准化导则"

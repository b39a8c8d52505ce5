"""The wording rules: 能愿动词 (S-VERB-01…05), no provisions in 注/示例 (S-INFO-01), vague
words and time words in requirements (P-MEAS-01, P-MEAS-02). Each rule is checked on text that
breaks it, on text that keeps it, and on the look-alikes that must never be hits: 供应/应急/
可能, the sentences GB/T 1.1 prescribes, quotations, statements and conditions; the eight
starter standards give none of these hits. No database."""

from __future__ import annotations

import pytest

from houqin.standards import textformat as tf
from houqin.standards.checker import RULES, check
from houqin.standards.checker.base import Issue
from houqin.standards.checker.document import Cover, Draft, draft_from_document
from houqin.standards.checker.rules import words
from houqin.standards.starter import starter_documents

WORDING = (
    "S-VERB-01",
    "S-VERB-02",
    "S-VERB-03",
    "S-VERB-04",
    "S-VERB-05",
    "S-INFO-01",
    "S-QTY-01",
    "S-QTY-02",
    "S-QTY-03",
    "S-QTY-04",
    "S-CHAR-01",
    "S-ID-01",
    "P-MEAS-01",
    "P-MEAS-02",
)
FOREWORD = (
    "@前言\n"
    "本文件按照GB/T 1.1—2020《标准化工作导则  第1部分：标准化文件的结构和起草规则》的规定起草。\n"
    "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。\n"
    "本文件由江城市机关事务服务中心提出。\n"
    "本文件首次发布。\n\n"
    "# 范围\n"
    "本文件规定了公共卫生间保洁服务的要求。\n"
    "本文件适用于办公楼公共卫生间的保洁服务。\n\n"
    "# 规范性引用文件\n"
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于"
    "本文件。\n"
    "> GB 31654 食品安全国家标准 餐饮服务通用卫生规范\n\n"
    "# 术语和定义\n"
    "GB 31654界定的以及下列术语和定义适用于本文件。\n"
    "= 巡回保洁 | patrol cleaning | 在两次日常保洁之间按规定间隔进行的保洁作业。\n\n"
)


def draft_of(markup: str, *, cover: Cover | None = None) -> Draft:
    return draft_from_document(tf.parse(markup), cover=cover)


def hits(markup: str, rule_id: str, *, cover: Cover | None = None) -> list[Issue]:
    return check(draft_of(markup, cover=cover), rule_ids=[rule_id])


def clause(*lines: str) -> str:
    """A technical chapter with one clause holding ``lines``."""
    return "# 总体要求\n## 人员\n" + "\n".join(lines) + "\n"


def marked(hit: Issue) -> str:
    """The words a hit marks in its excerpt."""
    assert hit.span is not None
    return hit.excerpt[hit.span[0] : hit.span[1]]


def marks(markup: str, rule_id: str) -> list[str]:
    return [marked(h) for h in hits(markup, rule_id)]


def test_every_wording_rule_is_registered_as_domain_md_says():
    expected = {
        "S-VERB-01": ("error", "suggestion"),
        "S-VERB-02": ("error", "suggestion"),
        "S-VERB-03": ("warning", "none"),
        "S-VERB-04": ("hint", "suggestion"),
        "S-VERB-05": ("hint", "none"),
        "S-INFO-01": ("error", "none"),
        "S-QTY-01": ("warning", "auto"),
        "S-QTY-02": ("warning", "auto"),
        "S-QTY-03": ("warning", "suggestion"),
        "S-QTY-04": ("warning", "auto"),
        "S-CHAR-01": ("warning", "auto"),
        "S-ID-01": ("error", "auto"),
        "P-MEAS-01": ("warning", "none"),
        "P-MEAS-02": ("warning", "none"),
    }
    for rule_id, (severity, fix) in expected.items():
        registered = RULES[rule_id]
        assert (registered.severity, registered.fix) == (severity, fix), rule_id
        assert registered.scope == ("document" if rule_id == "S-ID-01" else "clause")


@pytest.mark.parametrize("rule_id", WORDING)
def test_the_wrong_example_breaks_the_rule_and_the_right_one_keeps_it(rule_id):
    registered = RULES[rule_id]
    assert hits(registered.wrong, rule_id)
    assert hits(registered.right, rule_id) == []


@pytest.mark.parametrize(("path", "document"), starter_documents(), ids=lambda v: str(v)[-30:])
def test_the_starter_standards_give_no_wording_hit(path, document):
    assert check(draft_from_document(document), rule_ids=WORDING) == []


def test_the_prescribed_sentences_are_never_a_hit():
    markup = FOREWORD + clause("保洁员应每日清洁卫生间地面2次。")
    assert check(draft_of(markup), rule_ids=WORDING) == []


def test_a_whole_standard_of_starter_chapters_is_checked():
    """Three times the starter library's chapters at once (its speed is measured by
    bench/checker.py, not here: tests are not timed)."""
    nodes: list[tf.Node] = []
    for _, document in starter_documents():
        nodes += [n for n in document.nodes if n.kind == tf.CHAPTER]
    draft = draft_from_document(tf.Document(tf.Header(), tuple(nodes * 3)))
    assert sum(1 for e in draft.walk() if e.kind == tf.CLAUSE) >= 200
    words.plain.cache_clear()
    words.modal.cache_clear()
    assert check(draft, rule_ids=WORDING) == []


# ---- S-VERB-01 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        clause("从业人员必须持健康证明上岗。"),
        clause("验收内容应包括下列项目：", "a) 供货凭证必须与实物一致。"),
        clause("表：留样要求", "| 项目 | 要求 |", "| 留样量 | 必须不少于125 g |"),
        "# 术语和定义\n= 留样 | food sample retention | 必须留存的成品食品样品。\n",
        "@附录 规范性 留样记录\n留样记录必须由留样人填写。\n",
    ],
)
def test_must_is_a_hit_in_paragraphs_items_cells_definitions_and_annexes(markup):
    (hit,) = hits(markup, "S-VERB-01")
    assert marked(hit) == "必须"
    assert hit.severity == "error" and hit.fix is None
    assert "“应”" in hit.suggestion


@pytest.mark.parametrize(
    "markup",
    [
        clause("仓库应备有必需品。"),
        clause("本条中“必须”改为“应”。"),
        clause("应符合《关于必须执行的若干规定》的要求。"),
        "@前言\n本文件必须与配套文件同时使用。\n",
        clause("留样应不少于125 g。", "注：留样必须冷藏。"),
        clause("依法必须招标的维修项目应公开招标。"),
    ],
    ids=["necessary", "quoted", "title", "foreword", "note", "legal-category"],
)
def test_must_is_no_hit_where_it_is_not_the_document_s_own_requirement(markup):
    assert hits(markup, "S-VERB-01") == []


def test_a_hit_reports_at_the_clause_number():
    (hit,) = hits(clause("保洁员应佩戴手套。", "从业人员必须持证上岗。"), "S-VERB-01")
    assert hit.clause == "1.1"
    assert hit.excerpt == "从业人员必须持证上岗。"


# ---- S-VERB-02 ----------------------------------------------------------------------------


def test_prohibitions_are_errors_and_bu_de_a_warning():
    markup = clause("驾驶员不得饮酒后驾驶，不可超速，禁止吸烟，严禁酒驾，不可以打电话。")
    found = {(marked(h), h.severity) for h in hits(markup, "S-VERB-02")}
    assert found == {
        ("不得", "warning"),
        ("不可", "error"),
        ("禁止", "error"),
        ("严禁", "error"),
        ("不可以", "error"),
    }
    assert all("不应" in h.suggestion and h.fix is None for h in hits(markup, "S-VERB-02"))


@pytest.mark.parametrize(
    "text",
    [
        "遇到故障时不得不停车。",
        "舍不得丢弃的物品应登记。",
        "火灾不可能发生。",
        "应使用不可燃材料。",
        "清洁是必不可少的环节。",
        "不符合的，该项不得分。",
        "应在入口设置禁止吸烟标志。",
        "禁止标志应符合规定。",
        "应张贴“禁止吸烟”提示。",
    ],
)
def test_words_that_only_look_like_a_prohibition_are_no_hit(text):
    assert hits(clause(text), "S-VERB-02") == []


# ---- S-VERB-03 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "主电梯维保期间，乘客能使用备用电梯。",
        "经科室负责人批准，员工能提前离岗。",
        "系统故障的，用车单位可能申请纸质派车单。",
        "使用单位能通过电话或维修管理系统报修，报修内容应包括故障现象。",
        "访客能凭证件进入办公区。",
    ],
)
def test_can_written_for_a_permission_is_a_hit(text):
    (hit,) = hits(clause(text), "S-VERB-03")
    assert marked(hit) in ("能", "可能")
    assert "“可”" in hit.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "设备应能承受1.5 MPa的压力。",
        "电梯停电时能自动平层。",
        "消防演练时，参演人员能够有序疏散。",
        "停电时，可能影响电梯运行。",
        "考核合格后才能上岗。",
        "电动车辆的续航能力应不低于200 km。",
        "系统故障时，用车单位可使用纸质申请单，能使用的车辆由调度员指定。",
        "驾驶员能熟练驾驶各类车型。",
        "保安员能使用灭火器扑救初起火灾。",
        "驾驶员能通过年度考核。",
        "会议室能容纳100人。",
    ],
)
def test_ability_and_possibility_are_no_hit(text):
    assert hits(clause(text), "S-VERB-03") == []


# ---- S-VERB-04 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "base"),
    [
        ("员工应该佩戴工牌。", "应该", "应"),
        ("员工不应该在岗位上吸烟。", "不应该", "不应"),
        ("员工应当按时到岗。", "应当", "应"),
        ("仓库只准许存放食材。", "只准许", "应"),
        ("仓库不准许存放私人物品。", "不准许", "不应"),
        ("会场建议采用环形布置。", "建议", "宜"),
        ("会场不推荐使用塑料桌布。", "不推荐", "不宜"),
        ("员工可以在休息区用餐。", "可以", "可"),
        ("访客允许使用会议室。", "允许", "可"),
        ("访客无须登记。", "无须", "不必"),
        ("短时会议不需要备茶。", "不需要", "不必"),
        ("设备应能够承受1.5 MPa的压力。", "能够", "能"),
        ("停电时有可能困人。", "有可能", "可能"),
        ("该区域没有可能积水。", "没有可能", "不可能"),
    ],
)
def test_an_equivalent_form_is_a_hint_to_use_the_base_word(text, word, base):
    (hit,) = hits(clause(text), "S-VERB-04")
    assert (marked(hit), hit.severity) == (word, "hint")
    assert hit.suggestion == f"把“{word}”改为“{base}”。"
    assert ("等效表述" in hit.message) == (word != "应当")


@pytest.mark.parametrize(
    "text",
    [
        "验收不合格的食材应当场退货，安全保卫科应当日组织讲评。",
        "厨师长应停止供应该菜品。",
        "餐饮服务科应公布推荐名单。",
        "应收集就餐人员的意见和建议。",
        "应开展合理化建议活动。",
        "应在5个工作日内对建议进行答复。",
        "由工会推荐在岗职工参加评选。",
        "桌椅的允许偏差为±2 mm。",
        "员工应清理不需要的物品。",
        "员工不可以在岗位上吸烟。",
    ],
)
def test_look_alikes_of_equivalents_are_no_hit(text):
    assert hits(clause(text), "S-VERB-04") == []


# ---- S-VERB-05 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "保洁员每日清洁卫生间地面2次。",
        "从业人员每年体检1次。",
        "驾驶员在收到派车单后5 min内确认接单。",
        "同一排桌椅前沿的偏差不超过1 cm。",
        "当班厨师长每日晨检不少于1次。",
        "每个品种的留样量不少于125 g。",
    ],
)
def test_a_requirement_without_a_modal_verb_is_a_hint(text):
    (hit,) = hits(clause(text), "S-VERB-05")
    assert hit.severity == "hint"
    assert marked(hit) == text.rstrip("。")


@pytest.mark.parametrize(
    "text",
    [
        "保洁员应每日清洁卫生间地面2次。",
        "保洁员宜每日清洁卫生间地面2次。",
        "存放温度为0 ℃～8 ℃，存放时间不少于48 h。",
        "评估内容包括响应时间和疏散用时。",
        "参会人数不超过50人的会议，指派会议服务员不少于1人；超过50人的，每增加30人增派1人。",
        "演练以发出模拟火情警报开始。",
        "检查结果见附录A。",
        "保洁员每次作业后填写记录，内容如下：",
        "单次维修费用低于2000元的，由科室负责人审批。",
    ],
)
def test_statements_conditions_imperatives_and_provisions_are_no_hit(text):
    assert hits(clause(text), "S-VERB-05") == []


@pytest.mark.parametrize(
    "markup",
    [
        "# 范围\n本文件规定了保洁员每日清洁卫生间不少于2次的要求。\n",
        "# 总体要求\n## 人员\n地面应无积水。\n注：保洁员每日巡查不少于8次。\n",
        "@附录 资料性 示例\n保洁员每日清洁地面2次。\n",
        clause("保洁要求如下：", "a) 保洁员每日清洁地面2次；", "b) 地面无积水。"),
    ],
    ids=["scope", "note", "informative-annex", "list"],
)
def test_scope_notes_informative_annexes_and_list_items_are_not_read(markup):
    assert hits(markup, "S-VERB-05") == []


# ---- S-INFO-01 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "word"),
    [
        (("留样应不少于125 g。", "注：温度计应每月校准1次。"), "应"),
        (("留样应不少于125 g。", "注：留样容器不宜重复使用。"), "不宜"),
        (("留样应不少于125 g。", "示例：留样人必须在容器上签名。"), "必须"),
        (("表：留样", "| 项目 | 要求 |", "| 留样量 | 125 g |", "注：留样量应称重。"), "应"),
    ],
    ids=["note", "not-recommended", "example", "table-note"],
)
def test_a_provision_in_a_note_or_example_is_an_error(lines, word):
    (hit,) = hits(clause(*lines), "S-INFO-01")
    assert (marked(hit), hit.severity, hit.clause) == (word, "error", "1.1")


def test_a_note_of_a_term_is_read_too():
    markup = "# 术语和定义\n= 留样 | sample | 留存的成品食品样品。\n注：留样应冷藏。\n"
    assert marks(markup, "S-INFO-01") == ["应"]


@pytest.mark.parametrize(
    "note",
    [
        "注：中心温度用插入式食品温度计测量。",
        "注：相应的记录由供应商提供，应急时另行安排。",
        "注：本文件中“应”表示要求。",
        "注：禁止标志见GB 2894。",
        "注：该消毒方法应用广泛。",
        "注：应对突发事件的预案另行制定。",
        "注：《机关、团体、企业、事业单位消防安全管理规定》规定，重点单位应每半年演练1次。",
        "注：GB 50016—2014第7.1.8条规定消防车道的净宽度应不小于4 m。",
        "示例：某季度日均就餐人数为650人，回收的有效问卷不少于130份。",
    ],
)
def test_notes_without_a_provision_of_their_own_are_no_hit(note):
    assert hits(clause("留样应不少于125 g。", note), "S-INFO-01") == []


# ---- P-MEAS-01 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words_marked"),
    [
        ("保洁员应保持地面干净整洁。", ["干净", "整洁"]),
        ("会场应适当通风，并按相关规定执行。", ["适当", "相关"]),
        ("应通知驾驶员和有关人员。", ["有关"]),
        ("应清洁桌面、地面等部位。", ["等"]),
        ("等候时间应在10 min左右。", ["左右"]),
        ("必要时应增派人员。", ["必要时"]),
        ("设备应基本完好，一般不超过3天维修完毕。", ["基本", "一般"]),
        ("保洁应清洁到位，严格执行操作规程。", ["到位", "严格"]),
        ("应合理安排人员，尽量减少等待。", ["合理", "尽量"]),
    ],
)
def test_a_vague_word_in_a_requirement_is_a_warning(text, words_marked):
    found = hits(clause(text), "P-MEAS-01")
    assert sorted(marked(h) for h in found) == sorted(words_marked)
    assert all(h.severity == "warning" and h.suggestion for h in found)


@pytest.mark.parametrize(
    "text",
    [
        "卫生间地面应无积水、无污渍、无毛发、无纸屑。",
        "应清洁桌面、地面等3项。",
        "座椅左右两侧应留通道。",
        "必要时（客流超过200人时）应增派人员。",
        "应符合与食品安全有关的规定。",
        "应保存和食品安全相关的记录。",
        "一般故障应在24 h内修复。",
        "基本要求应符合表1的规定。",
        "应开展合理化建议活动。",
        "应在入口张贴“保持整洁”提示牌。",
        "两组读数应相等。",
        "一般要求应符合第4章的规定，一般不合格项应在7 d内整改。",
        "食堂应执行良好操作规范。",
        "会场整洁，座椅摆放整齐。",
    ],
)
def test_precise_uses_and_statements_are_no_vague_word_hit(text):
    assert hits(clause(text), "P-MEAS-01") == []


def test_a_list_item_under_a_requirement_is_a_requirement():
    markup = clause("检查内容应包括下列项目：", "a) 地面干净；", "b) 镜面无水痕。")
    assert marks(markup, "P-MEAS-01") == ["干净"]
    markup = clause("检查内容举例如下：", "a) 地面干净；", "b) 镜面无水痕。")
    assert marks(markup, "P-MEAS-01") == []


def test_a_table_a_requirement_points_to_is_read_cell_by_cell():
    table = ("表：保洁质量", "| 部位 | 要求 |", "| 地面 | 干净 |")
    assert marks(clause("各部位应符合表1的要求。", *table), "P-MEAS-01") == ["干净"]
    assert marks(clause("各部位的检查结果记入表1。", *table), "P-MEAS-01") == []


def test_a_defined_term_is_never_read_as_vague():
    markup = FOREWORD.replace("巡回保洁 | patrol cleaning", "明显标识 | visible sign") + (
        "# 标识\n卫生间入口应设置明显标识。\n"
    )
    assert hits(markup, "P-MEAS-01") == []


# ---- P-MEAS-02 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("电工应定期检查应急照明灯。", "定期"),
        ("发现问题应及时报告。", "及时"),
        ("保洁员应经常巡查卫生间。", "经常"),
        ("值班人员应随时接听电话。", "随时"),
        ("电工应每月检查1次配电箱；发现问题应及时报告。", "及时"),
        ("维修工具应定期检查，绝缘工具应每半年检测1次。", "定期"),
    ],
)
def test_a_time_word_without_a_number_and_unit_is_a_warning(text, word):
    (hit,) = hits(clause(text), "P-MEAS-02")
    assert marked(hit) == word
    assert hits(clause(text), "P-MEAS-01") == []  # one id a word


@pytest.mark.parametrize(
    "text",
    [
        "电工应每月定期检查应急照明灯。",
        "发现问题应及时（不超过 30 min）报告。",
        "发现问题应在30 min内及时报告。",
        "发现问题应当日及时上报。",
        "电梯应按TSG T7001的规定进行定期检验。",
        "设备应按表1规定的周期定期维护。",
        "值班电话应24 h随时有人接听。",
        "检查应不定期进行。",
        "维修及时率应不低于95%。",
        "应定期检查消防设施，每季度不少于1次。",
    ],
)
def test_a_time_word_with_its_period_is_no_hit(text):
    assert hits(clause(text), "P-MEAS-02") == []


def test_time_words_outside_requirements_are_not_read():
    assert hits(clause("保洁员定期接受培训。"), "P-MEAS-02") == []
    assert hits(clause("地面应无积水。", "注：及时清理可防滑倒。"), "P-MEAS-02") == []

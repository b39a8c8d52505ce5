"""Verifiable requirements (product rules): P-MEAS-01 vague words in a 要求, P-MEAS-02 a
time word without a number and unit.

A 要求 says who does what, how often, measured how; "保持地面干净", "定期检查" cannot be
checked. Both rules read the provisions only (``words.provisional``: the technical chapters
and normative annexes, outside notes and examples): a sentence holding 应 (or 必须, 不得 …),
a list item whose lead-in holds one, and the cells of a table a requirement points to.

Which id owns which word (no word is reported twice):

- P-MEAS-02: 定期 (not 定期检验, a term of the 特种设备 rules; not 不定期), 经常, 及时
  (not 及时率, a measured rate), 随时 — only when the word's part of the clause (its comma
  segment and the segments without a provision of their own, up to ；) gives no number with
  a unit of time or count (30 min, 1次, 当日, 每月) and, for 定期, points to no stated
  period (按表1的周期).
- P-MEAS-01: every other word of DOMAIN.md's list: 适当 适量 尽量 尽可能 基本 一般 较好 良好
  左右 必要时 相关 有关 等 合理 到位 干净 整洁 明显 充分 严格, each only where it is vague:
  基本 and 一般 as adverbs (基本符合, 一般不超过; not 基本要求, 一般要求, 一般故障,
  一般不合格项), 良好 not in 良好操作规范 (GMP), 左右 after a number (not 左右两侧), 必要时
  without the condition in brackets, 相关/有关 not in "与……有关的", 等 closing an open list
  (A、B等; not 等3项, 相等, 等级), 到位 after a verb (清洁到位), 合理 not in 合理化. Terms
  defined in chapter 3, quotations and 《…》 titles are never read as vague."""

from __future__ import annotations

import re
from collections.abc import Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker.base import WARNING, Issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules import words

_NUMBER_BEFORE = (
    r"(?:\d|[一二三四五六七八九十百千万两半])"
    r"(?:\s?[A-Za-z℃%‰°′″μ²³/·]+|[个名人次件份天日小时分钟秒点周月年元台辆层米克升度倍]{1,3})?\s?"
)
_DONE_VERBS = (
    "落实|执行|清洁|清扫|打扫|整改|维护|保洁|消毒|服务|管理|检查|培训|措施|责任|宣传|保养|维修"
    "|处置|处理|整理|准备|到岗"
)
_CHECKABLE = "写明可以检查的状态或指标，如“无积水、无污渍、无毛发”“照度不低于300 lx”。"
_BEST_EFFORT = "写明要达到的结果：要求用“应”；确有例外，写明在什么情况下“可”不这样做。"
_WHICH = "写明具体是哪些规定、人员或记录，如“GB 31654的规定”“当班厨师长”。"
_VAGUE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("适当", re.compile("适当"), "写明具体的数量、程度或条件，如“每餐次更换1次”“不少于2人”。"),
    ("适量", re.compile("适量"), "写明数量和单位，如“每升水加入消毒剂5 mL”。"),
    ("尽可能", re.compile("尽可能"), _BEST_EFFORT),
    ("尽量", re.compile("尽量"), _BEST_EFFORT),
    (
        "基本",
        re.compile(
            "基本(?=满足|符合|达到|一致|完好|正常|无|没有|合格|干净|整洁|到位|完成|相同|稳定|齐全"
            "|准确|掌握|了解|熟悉|具备|保持)"
        ),
        "写明合格的界限，如“偏差不超过5%”“不合格项不多于1项”。",
    ),
    (
        "一般",
        re.compile(
            "一般(?=情况|而言|来说|应|不(?!合格)|为|在|以|要(?!求)|均|都|是|每|由|按|采用|使用|可|宜"
            "|须|需)"
        ),
        "写明适用的条件；有例外时，写明例外的情形和做法。",
    ),
    ("较好", re.compile("较好"), _CHECKABLE),
    ("良好", re.compile("良好(?!操作规范|农业规范|生产规范|卫生规范|实验室规范)"), _CHECKABLE),
    (
        "左右",
        re.compile(f"{_NUMBER_BEFORE}(?P<word>左右)"),
        "写明允许的范围，如“10 min～15 min”或“(30±5) min”。",
    ),
    (
        "必要时",
        re.compile(r"必要时(?!\s*[（(]|[，,]?\s*(?:如|即|例如))"),
        "写明在什么情况下这样做、由谁判定，如“温度超过8 ℃时，由当班厨师长决定”。",
    ),
    ("相关", re.compile("相关(?!方|性|系数)"), _WHICH),
    ("有关", re.compile("有关(?!联)"), _WHICH),
    (
        "等",
        re.compile(
            "(?<![相平同对一二三四五六七八九十上中下次高优初特均])等(?:等)?"
            "(?![级于同效待候额距量分价比类]|[\\d一二两三四五六七八九十])"
        ),
        "列全各项：项目较多时用列项逐项列出，或写明“等N项”。",
    ),
    ("合理", re.compile("合理(?!化|性)"), "写明判定是否合理的依据或指标。"),
    ("到位", re.compile(f"(?:{_DONE_VERBS})(?P<word>到位)"), _CHECKABLE),
    ("干净", re.compile("干净"), _CHECKABLE),
    ("整洁", re.compile("整洁"), _CHECKABLE),
    (
        "明显",
        re.compile("明显"),
        "写明位置或程度，如“入口外侧墙面，下沿距地面1.5 m”“1 m外可辨认”。",
    ),
    ("充分", re.compile("充分"), "写明要达到的数量或范围，如“覆盖全部在岗人员”。"),
    (
        "严格",
        re.compile("严格"),
        "删去“严格”：要求本来就要执行；需要强调的，写明检查的方法和频次。",
    ),
)
_VAGUE_HINT = re.compile("|".join(word for word, _, _ in _VAGUE))
_RELATED_TO = re.compile("[与同跟]|和.")
_SEGMENT_END = re.compile(r"[，,；;：:。！？]")

_TIMING: dict[str, tuple[re.Pattern[str], str]] = {
    "定期": (
        re.compile("(?<!不)定期(?!检验)"),
        "写明周期，如“每月1次”“每季度第1周内”。",
    ),
    "经常": (re.compile("经常"), "写明频次，如“每2 h 1次”。"),
    "及时": (re.compile("及时(?!率)"), "写明时限，如“发现后30 min内”“当日”。"),
    "随时": (
        re.compile("随时"),
        "写明时段或频次，如“工作日8时至18时每1 h 1次”；确需全天的，写“24 h”。",
    ),
}
_COMMA_SEGMENT = re.compile(r"[^，,]+")
_TIMING_HINT = re.compile("|".join(_TIMING))
_PERIOD = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半])\s*"
    r"(?:min|h|d|s|分钟|小时|天|日|周|个月|月|季度|年|个工作日|工作日|次|遍|时)(?![A-Za-z])"
    r"|每\s*(?:\d+|[一二两三四五六七八九十半])?\s*"
    r"(?:日|天|周|月|季|年|半年|班|餐|次|批|学期|旬|小时|h|d|min)"
    r"|当[日天班餐次]|\d[:：]\d{2}"
)
_PERIOD_ELSEWHERE = re.compile(
    r"(?:周期|频次|间隔|计划).{0,12}?(?:表|附录|规定|见)|(?:按|依据|根据|按照).{0,15}?(?:周期|频次|计划)"
)


def _own_part(clause: str, position: int) -> str:
    """The part of a clause that speaks of the word at ``position``: its comma-separated
    segment and the segments that hold no provision of their own ("定期检查，每季度1次"
    counts the period; "应定期检查，绝缘工具应每半年检测1次" does not)."""
    kept = []
    modal = words.modal(clause)
    for segment in _COMMA_SEGMENT.finditer(clause):
        start, end = segment.span()
        if start <= position < end or not words.REQUIREMENT.search(modal[start:end]):
            kept.append(segment.group())
    return "，".join(kept)


def _requirement_spans(element: Element, text: str) -> list[tuple[int, int]]:
    """Parts of ``text`` that are (in) a requirement."""
    if element.kind == tf.LIST_ITEM:
        return [(0, len(text))] if words.required(element) else []
    if element.kind == tf.TABLE:
        return [(0, len(text))] if words.table_required(element) else []
    modal = words.modal(text)
    return [
        (start, end)
        for start, end in words.sentence_spans(text)
        if words.REQUIREMENT.search(modal[start:end])
    ]


def _requirement_fields(
    element: Element, draft: Draft, hint: re.Pattern[str]
) -> Iterator[tuple[words.Field, str, list[tuple[int, int]]]]:
    """(field, its text with quotations and defined terms blanked, requirement spans) of the
    fields where ``hint`` finds a word."""
    if not words.provisional(element):
        return
    for field in words.fields(element, where=hint.search):
        spans = _requirement_spans(element, field.text)
        if spans:
            text = words.without_terms(words.plain(field.text), words.defined_terms(draft))
            yield field, text, spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def _vague(word: str, match: re.Match[str], text: str) -> bool:
    """Whether this occurrence of ``word`` is the vague use."""
    start = match.start()
    segment_start = max((m.end() for m in _SEGMENT_END.finditer(text, 0, start)), default=0)
    before = text[segment_start:start]
    if word in ("相关", "有关"):
        return not _RELATED_TO.search(before)  # 与食品安全有关的, 和工作相关
    if word == "等":
        return "、" in before or before.rstrip().endswith(("……", "…"))
    return True


@rule(
    "P-MEAS-01",
    severity=WARNING,
    title="要求中不用含义模糊的词",
    basis="本系统规则（可验证的要求，GB/T 1.1—2020 3.3.2）",
    why=(
        "要求是可以客观验证的准则：写明谁、做什么、多久一次、用什么方法衡量。"
        "“适当”“干净整洁”“相关规定”“……等”无法检查，执行的人各有各的理解，"
        "也无法判定是否合格。"
    ),
    wrong="# 地面\n保洁员应保持卫生间地面干净整洁。\n",
    right="# 地面\n卫生间地面应无积水、无污渍、无毛发、无纸屑。\n",
    scope="clause",
    fix="none",
)
def vague_word(element: Element, draft: Draft) -> Iterator[Issue]:
    for field, text, spans in _requirement_fields(element, draft, _VAGUE_HINT):
        for word, pattern, suggestion in _VAGUE:
            for match in pattern.finditer(text):
                group = "word" if "word" in pattern.groupindex else 0
                span = match.span(group)
                if not _inside(spans, span[0]) or not _vague(word, match, text):
                    continue
                yield field.hit(
                    "P-MEAS-01",
                    span,
                    f"要求中用了含义模糊的“{match.group(group)}”，无法检查是否做到。",
                    suggestion,
                )


@rule(
    "P-MEAS-02",
    severity=WARNING,
    title="“定期”“及时”要写明时间或频次",
    basis="本系统规则（可验证的要求，GB/T 1.1—2020 3.3.2）",
    why=(
        "“定期检查”“及时处理”没有说多久一次、多长时间内完成，执行的人无从遵循，"
        "检查的人也无法判定是否做到。写明数字和单位，如“每月1次”“发现后30 min内”。"
    ),
    wrong="# 设施检查\n电工应定期检查应急照明灯。\n",
    right="# 设施检查\n电工应每月检查1次应急照明灯。\n",
    scope="clause",
    fix="none",
)
def time_word(element: Element, draft: Draft) -> Iterator[Issue]:
    for field, text, spans in _requirement_fields(element, draft, _TIMING_HINT):
        clauses = words.clause_spans(text)
        for word, (pattern, suggestion) in _TIMING.items():
            for match in pattern.finditer(text):
                if not _inside(spans, match.start()):
                    continue
                start, end = words.enclosing(clauses, match.start())
                clause = _own_part(text[start:end], match.start() - start)
                if _PERIOD.search(clause):
                    continue
                if word == "定期" and _PERIOD_ELSEWHERE.search(clause):
                    continue
                yield field.hit(
                    "P-MEAS-02",
                    match.span(),
                    f"“{word}”没有写明具体的时间或频次，无法检查是否做到。",
                    suggestion,
                )

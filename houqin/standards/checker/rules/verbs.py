"""能愿动词 rules (GB/T 1.1—2020 Annex C): S-VERB-01 … S-VERB-05 and S-INFO-01.

S-VERB-01 … 04 read paragraphs, list items, table cells and term definitions outside the
前言, chapter 2 and the 参考文献 (``words.wording``); S-VERB-05 reads paragraphs of the
technical chapters and normative annexes only. Notes and examples belong to S-INFO-01 alone:
a 必须 or 不得 in a 注 is reported there (the provision has to leave the note), not twice.
The prescribed sentences, quotations (“应”) and document titles (《…》) are blanked out, and
words that merely contain 应 / 宜 / 可 (供应, 应急, 可能, 认可 …) are masked first.

Modal verbs are never fixed automatically: 必须 may stand for a legal duty and 能 for an
ability, so every hit is a suggestion the author confirms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker.base import ERROR, HINT, WARNING, Issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules import words

ANNEX_C = "GB/T 1.1—2020 附录C"

_MUST = re.compile("(?<!依法)必须")  # 依法必须招标的项目 names a legal category
# 不得 inside 舍不得, 不得不, 不得已, 不得分 … is no prohibition.
_FORBID = re.compile(
    r"不可以|不可|(?<![舍恨了怪巴顾由记免说要动少怨见使晓值])不得(?![不已分了])"
    r"|(?:禁止|严禁)(?!标志|标识|类|性|区|令)"
)
_FORBID_HINT = re.compile("不可|禁止|严禁|不得")
_SIGN_NAME = re.compile(r"^[^，。；,;]{0,8}?(?:标志|标识|标牌|警示牌|提示牌)")
_FORBID_ADVICE = {
    "不可": ("“不可”不表示禁止；GB/T 1.1用“不应”表示禁止。", "把“不可”改为“不应”。"),
    "不可以": ("“不可以”不表示禁止；GB/T 1.1用“不应”表示禁止。", "把“不可以”改为“不应”。"),
    "禁止": ("“禁止”不是GB/T 1.1的能愿动词；禁止用“不应”表述。", "把“禁止”改为“不应”。"),
    "严禁": ("“严禁”不是GB/T 1.1的能愿动词；禁止用“不应”表述。", "把“严禁”改为“不应”。"),
    "不得": (
        "“不得”是2009版的等效说法，GB/T 1.1—2020用“不应”表示禁止。",
        "把“不得”改为“不应”。",
    ),
}
# 能 / 可能 written for a permission: "……时能使用备用电梯". Only a verb of choosing or
# doing-by-leave after a stated condition counts; 应能, 才能, 功能, 能力 … never do.
_PERMISSION_VERBS = (
    "使用|采用|选用|选择|申请|进入|借用|调用|携带|离开|离岗|延长|延期|推迟|提前|免于|免除"
    "|替代|代替|代为|自行|暂停|改用|改为|先行|补办|补录|委托|不参加|不填写|不再"
)
_CAN = re.compile(
    r"(?<![应宜可不才方即就功性技智本效体动热节耗电产职全只万])(?:能|可能)"
    r"(?!力|源|耗|效|够|量|级|否|熟练|独立|正确|准确)"
)
_PERMISSION = re.compile(_PERMISSION_VERBS)
_COMMA = re.compile("[，,]")
_CAN_HINT = re.compile("能")
_MAYBE_VERBS = re.compile("申请|选择|选用|携带|离开|离岗|借用|免于|自行|补办|补录|延期|推迟")
_CONDITION = re.compile(r"(?:时|的|后|期间)[，,]|经.{1,20}?(?:批准|同意|审批|许可)")
# A person or unit doing something "能" by leave: 使用单位能通过电话报修. Things "能" do what
# they are able to (设备能自动切换), and 驾驶员能熟练驾驶 is an ability.
_PERSON_BEFORE = re.compile(
    r"(?:员|人员|人|单位|部门|科室|科|组|者|方|用户|乘客|访客|职工|员工|师|长)$"
)
_PERSON_VERBS = re.compile(
    "进入|借用|携带|离开|离岗|申请|选择|选用|延期|推迟|提前|免于|自行|补办|补录|凭|持|查询|查阅"
    "|借阅|预约|自带|留宿|就餐|停放|参观|优先|通过(?![^，。；]{0,4}(?:考核|考试|验收|审核|测试|评审|检验|认证))"
)
_OTHER_MODAL = re.compile(r"应|宜|可|不必|必须")
_RULE_IN_NOTE = re.compile(
    r"不应(?:该|当)?|应(?:该|当)?|不宜|宜|必须|(?<![舍恨了怪巴顾由记免说要])不得(?![不已分了])"
    r"|禁止|严禁"
)
_NOTE_HINT = re.compile("应|宜|必须|不得|禁止|严禁")
# A note may report what a cited law or standard says: 《消防法》规定……应……
_CITED = re.compile(
    r"(?:《[^》]{1,80}》|(?:GB|DB|T/|[A-Z]{2,4})[/A-Z]*\s?\d[\d.]*(?:[—-]\d{4})?)"
    r".{0,30}?(?:规定|要求|明确)|^\s*(?:根据|依据|按照)"
)


# S-VERB-04: (pattern, base word). Patterns run on the masked text, 有可能 on the plain text.
# 应当场 / 应当日 are 应 + 当场 / 当日; 应该批次 is 应 + 该批次; 建议 and 推荐 count only
# before a verb (not 提出建议, 合理化建议, 推荐名单); 允许 only before a verb (允许偏差 is a
# technical term).
_ADVISED_VERBS = (
    "采用|使用|选用|选择|设置|配备|配置|安排|进行|在|按|每|由|将|对|定期|优先|保持|至少|控制"
    "|增加|设立|开展|建立|实行|实施|制定|结合|根据|参照|参考|以|用|于"
)
_RECOMMENDED_VERBS = "采用|使用|选用|选择|设置|配备|配置"  # 推荐在岗职工 recommends a person
_NOUN_BEFORE = "出集求取的和及与、见化进馈供些条不对将把提有无该项份其"  # 提出建议, 对建议进行答复
_ALLOWED_VERBS = (
    "使用|采用|在|进入|携带|有|存在|用|以|按|选用|选择|调整|延长|推迟|提前|免|自行|临时|代为"
)
_EQUIVALENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("不应该"), "不应"),
    (
        re.compile(
            r"(?<!不)应该(?![批项类种台辆件份名位次条款]|单位|部门|设备|车辆|菜品|产品|人员|区域|场所)"
        ),
        "应",
    ),
    (re.compile("(?<!不)应当(?![场日天面即时月年班晚次期地事前季餐周值批])"), "应"),
    (re.compile("不准许"), "不应"),
    (re.compile("只准许"), "应"),
    (re.compile(f"不建议(?={_ADVISED_VERBS})|不推荐(?={_RECOMMENDED_VERBS})"), "不宜"),
    (re.compile(f"(?<![{_NOUN_BEFORE}])建议(?={_ADVISED_VERBS})"), "宜"),
    (re.compile(f"(?<![{_NOUN_BEFORE}])推荐(?={_RECOMMENDED_VERBS})"), "宜"),
    (re.compile("(?<!不)可以"), "可"),
    (re.compile("不允许(?!偏差|误差|值|范围)"), "不应"),
    (re.compile(f"(?<![不最])允许(?={_ALLOWED_VERBS})"), "可"),
    (re.compile("无须|无需"), "不必"),
    (re.compile("不需要(?!的)"), "不必"),
    (re.compile("不能够"), "不能"),
    (re.compile("(?<!不)能够"), "能"),
)
# The equivalents Annex C lists; 应当, 不允许, 无需 are not listed but mean the same.
_LISTED = frozenset(
    words.listed(
        "应该 不应该 只准许 不准许 推荐 建议 不推荐 不建议 可以 允许 无须 不需要 能够 不能够 "
        "有可能 没有可能"
    )
)
_EQUIVALENT_HINT = re.compile("应该|应当|准许|推荐|建议|可以|允许|无须|无需|不需要|能够|有可能")
_POSSIBLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("没有可能"), "不可能"),
    (re.compile("(?<!没)有可能"), "可能"),
)


def equivalents(text: str) -> Iterator[tuple[tuple[int, int], str, str]]:
    """(span, word, base word) of each equivalent form of a modal verb in ``text``."""
    found = [
        (match.span(), match.group(), base)
        for source, table in ((words.modal(text), _EQUIVALENTS), (words.plain(text), _POSSIBLE))
        for pattern, base in table
        for match in pattern.finditer(source)
    ]
    yield from sorted(found)


# S-VERB-05: a sentence of a technical chapter that reads like a requirement (a limit, a
# frequency or a deadline said of a subject) and holds no modal verb at all. Statements
# (是, 为, 包括, 见 …), lead-ins, conditions (……的, ……时) and imperatives (a clause that
# opens with a verb or an adverbial: 指派……, 每增加……, 在……内完成) are never hits.
_ANY_MODAL = re.compile(
    "应|宜|可|不必|无须|无需|不需要|能|必须|须|需|不得|禁止|严禁|不准|允许|推荐|建议"
)
_STATEMENT = re.compile(
    r"是|为(?!了|止)|包括|包含|分为|称为|系指|见|按.{0,20}?计|等于|相当于|组成|本文件|规定了"
    r"|适用于|给出|列出|如下|下列|[:：]\s*$"
)
_SHAPES = re.compile(
    r"(?:不超过|不少于|不低于|不高于|不大于|不小于|不多于|不短于|不长于|不迟于|不早于|至少|至多)"
    r"\s*(?:每\S{0,3}?)?[\d一二两三四五六七八九十半]"
    r"|每(?:日|天|周|月|季度|年|半年|班|餐次|餐|\d+\s*(?:min|h|d|个月|天|小时|分钟|周))"
    r"[^，,。；]{0,20}?(?:\d+|[一二两三四五六七八九十])\s*(?:次|遍)"
    r"|\d+(?:\.\d+)?\s*(?:min|h|d|s|个工作日|工作日|天|小时|分钟|个月|周)\s*(?:内|以内)"
)
_SHAPES_HINT = re.compile("[不至每内]")
_SUBJECT = re.compile(
    "员|人|者|科|组|室|部|处|队|班|单位|部门|中心|机构|公司|企业|方|长|温度|时间|时长|用时|距离"
    "|偏差|误差|期限|间隔|周期|频次|次数|数量|比例|率|量|值|水位|高度|宽度|长度|深度|面积|重量"
    "|浓度|照度|湿度|噪声|压力|费用|金额|记录|档案|资料|台账"
)
# A clause opening with a preposition, a conjunction, an adverbial or a verb has no subject:
# a condition or an imperative. 当班、在岗、每个品种、用车单位 open a subject.
_NOT_SUBJECT_START = re.compile(
    "当(?!班|值|日|天|事)|在(?!岗|职|编|用)|每(?![个名台辆间份批位种项处层栋])|用(?!车|餐|户)"
    "|如|若|凡|对|于|经|除|因|遇|按|以|将|把|由|向|与|和|及|并|且|再|先|后|同时"
    "|指派|安排|配备|设置|清洁|清洗|填写|放置|开启|关闭|增派|补充|更换|提交"
    "|保持|确认|核对|测量|完成|进行|组织|开展|实施|执行|提供|派|增|签字"
)
_SEGMENT = re.compile(r"[^，,；;：:]+")


def unmarked(text: str, modal: str) -> Iterator[tuple[int, int]]:
    """Spans of requirement-like clauses without a modal verb (``modal`` is the masked
    text)."""
    for start, end in words.sentence_spans(text):
        sentence = modal[start:end]
        if _ANY_MODAL.search(sentence) or _STATEMENT.search(sentence.rstrip("。！？ ")):
            continue
        for segment in _SEGMENT.finditer(sentence):
            part = segment.group().strip().rstrip("。！？")
            if (
                not part
                or part.endswith(("的", "时", "后", "前"))
                or _NOT_SUBJECT_START.match(part)
            ):
                continue
            shape = _SHAPES.search(part)
            if shape is None or "的" in part[shape.end() :]:
                continue
            if not _SUBJECT.search(part[: shape.start()]):
                continue
            offset = start + segment.start() + segment.group().index(part[0])
            yield offset, offset + len(part)
            break


@rule(
    "S-VERB-01",
    severity=ERROR,
    title="要求用“应”，不用“必须”",
    basis=ANNEX_C,
    why=(
        "GB/T 1.1用“应/不应”表达要求。“必须”容易让人误以为是法律法规的强制义务，"
        "标准的要求与外部约束就分不清了；即使是法规规定的义务，标准中也写“应”，并注明依据。"
    ),
    wrong="# 总体要求\n## 人员\n从业人员必须持健康证明上岗。\n## 场所\n库房内不应存放有毒物品。\n",
    right="# 总体要求\n## 人员\n从业人员应持健康证明上岗。\n## 场所\n库房内不应存放有毒物品。\n",
    scope="clause",
    fix="suggestion",
)
def must(element: Element, draft: Draft) -> Iterator[Issue]:
    if not words.wording(element):
        return
    for field in words.fields(element, where=_MUST.search):
        for match in _MUST.finditer(words.modal(field.text)):
            yield field.hit(
                "S-VERB-01",
                match.span(),
                "用了“必须”表达要求；GB/T 1.1用“应”表达要求。",
                "把“必须”改为“应”。若这是法律法规规定的义务，仍写“应”，并写明依据的法规条款。",
            )


@rule(
    "S-VERB-02",
    severity=ERROR,
    title="禁止用“不应”，不用“不可”“禁止”“不得”",
    basis=ANNEX_C,
    why=(
        "GB/T 1.1—2020只用“不应”表达禁止。“不可”在附录C中不表示禁止，“禁止”“严禁”不是能愿动词；"
        "“不得”是2009版的等效说法，2020版不再使用（提示为警告）。"
    ),
    wrong="# 安全驾驶\n驾驶员禁止饮酒后驾驶车辆。\n",
    right="# 安全驾驶\n驾驶员不应饮酒后驾驶车辆。\n",
    scope="clause",
    fix="suggestion",
)
def forbid(element: Element, draft: Draft) -> Iterator[Issue]:
    if not words.wording(element):
        return
    for field in words.fields(element, where=_FORBID_HINT.search):
        for match in _FORBID.finditer(words.modal(field.text)):
            word = match.group()
            if word in ("禁止", "严禁") and _SIGN_NAME.match(field.text[match.end() :]):
                continue  # the name of a sign: 设置禁止吸烟标志
            message, suggestion = _FORBID_ADVICE[word]
            yield field.hit(
                "S-VERB-02",
                match.span(),
                message,
                suggestion,
                severity=WARNING if word == "不得" else ERROR,
            )


def _by_leave(text: str, match: re.Match[str], clause_start: int, segment_start: int) -> bool:
    """Whether 能 / 可能 at ``match`` grants leave: a permission verb after a stated
    condition, or a person doing something by leave; never an attribute (能使用的车辆)."""
    word, after = match.group(), text[match.end() : match.end() + 6]
    verbs = _MAYBE_VERBS if word == "可能" else _PERMISSION
    verb = verbs.match(after)
    if verb is not None and after[verb.end() : verb.end() + 1] == "的":
        return False
    if verb is not None and _CONDITION.search(text[clause_start : match.start()]):
        return True
    if word == "可能" or not _PERSON_BEFORE.search(text[segment_start : match.start()]):
        return False
    person_verb = _PERSON_VERBS.match(after)
    return person_verb is not None and after[person_verb.end() : person_verb.end() + 1] != "的"


@rule(
    "S-VERB-03",
    severity=WARNING,
    title="允许用“可”，不用“能”“可能”",
    basis=ANNEX_C,
    why=(
        "“能”表示能力，“可能”表示可能性，“可”才表示允许。把允许写成“能”，"
        "读者分不清是“允许这样做”还是“有能力这样做”。"
    ),
    wrong="# 电梯使用\n主电梯维保期间，乘客能使用备用电梯。\n",
    right="# 电梯使用\n主电梯维保期间，乘客可使用备用电梯。\n",
    scope="clause",
    fix="none",
)
def can(element: Element, draft: Draft) -> Iterator[Issue]:
    if not words.wording(element):
        return
    for field in words.fields(element, where=_CAN_HINT.search):
        modal = words.modal(field.text)
        text = words.plain(field.text)
        parts = words.clause_spans(text)
        for match in _CAN.finditer(text):
            start, end = words.enclosing(parts, match.start())
            segment_start = max(
                (m.end() for m in _COMMA.finditer(text, start, match.start())), default=start
            )
            following = _COMMA.search(text, match.end(), end)
            segment_end = following.start() if following else end
            if not _by_leave(text, match, start, segment_start):
                continue
            if _OTHER_MODAL.search(modal[segment_start:segment_end]):
                continue  # 应能使用……: 能 there is an ability the requirement asks for
            word = match.group()
            yield field.hit(
                "S-VERB-03",
                match.span(),
                f"“{word}”在这里表示允许；GB/T 1.1用“可”表示允许，“能”表示能力，“可能”表示可能性。",
                f"表示允许时把“{word}”改为“可”；若确指能力，写成“应能……”。",
            )


@rule(
    "S-VERB-04",
    severity=HINT,
    title="能愿动词用基本形式，少用等效表述",
    basis=ANNEX_C,
    why=(
        "附录C给出的等效表述（应该、只准许、推荐、建议、可以、允许、无须、能够……）只在特殊情况下、"
        "基本形式不能用时才用。全文统一用“应/宜/可/能”，读者一眼就能分清要求、推荐和允许。"
    ),
    wrong="# 供餐\n餐厅服务员应该每30 min巡查1次取餐区。\n",
    right="# 供餐\n餐厅服务员应每30 min巡查1次取餐区。\n",
    scope="clause",
    fix="suggestion",
)
def equivalent(element: Element, draft: Draft) -> Iterator[Issue]:
    if not words.wording(element):
        return
    for field in words.fields(element, where=_EQUIVALENT_HINT.search):
        for span, word, base in equivalents(field.text):
            message = (
                f"“{word}”是“{base}”的等效表述，只在不能用“{base}”时使用。"
                if word in _LISTED
                else f"“{word}”不是附录C列出的能愿动词，这里用“{base}”。"
            )
            yield field.hit("S-VERB-04", span, message, f"把“{word}”改为“{base}”。")


@rule(
    "S-VERB-05",
    severity=HINT,
    title="要求要有能愿动词",
    basis="GB/T 1.1—2020 3.3、附录C",
    why=(
        "要求型条款用“应/不应”，推荐型用“宜/不宜”，允许型用“可/不必”。"
        "“保洁员每日清洁2次”这样的句子既不是陈述也不是祈使，读者分不清它是必须做到的要求、"
        "推荐的做法还是对现状的描述。"
    ),
    wrong="# 日常保洁\n保洁员每日清洁卫生间地面2次。\n",
    right="# 日常保洁\n保洁员应每日清洁卫生间地面2次。\n",
    scope="clause",
    fix="none",
)
def no_modal(element: Element, draft: Draft) -> Iterator[Issue]:
    if element.kind != tf.PARAGRAPH or not words.provisional(element):
        return
    text = element.text
    if not _SHAPES_HINT.search(text) or not _SHAPES.search(text):
        return
    for span in unmarked(text, words.modal(text)):
        yield words.Field(element, "text", text).hit(
            "S-VERB-05",
            span,
            "这句话像一项要求，但没有能愿动词，读者分不清是要求、推荐还是陈述。",
            "要求写“应/不应”，推荐写“宜/不宜”，允许写“可/不必”，如“保洁员应每日清洁2次”。",
        )


@rule(
    "S-INFO-01",
    severity=ERROR,
    title="注和示例中不写要求和推荐",
    basis="GB/T 1.1—2020 9.10、9.11",
    why=(
        "注和示例是资料性的，只帮助理解，不是必须遵守的内容。把“应”“宜”写在注或示例里，"
        "这条要求是否必须执行就说不清了；要求和推荐应写在正文条款中。"
    ),
    wrong="# 烹饪\n烹饪食品的中心温度应不低于70 ℃。\n注：温度计应每月校准1次。\n",
    right=(
        "# 烹饪\n烹饪食品的中心温度应不低于70 ℃，温度计应每月校准1次。\n"
        "注：中心温度用插入式食品温度计测量。\n"
    ),
    scope="clause",
    fix="none",
)
def provision_in_note(element: Element, draft: Draft) -> Iterator[Issue]:
    if element.kind not in words.INFORMATIVE or not element.text:
        return
    text = element.text
    if not _NOTE_HINT.search(text):
        return
    name = "注" if element.kind == tf.NOTE else "示例"
    modal = words.modal(text, split=False)
    parts = words.sentence_spans(text)
    for match in _RULE_IN_NOTE.finditer(modal):
        start, end = words.enclosing(parts, match.start())
        if _CITED.search(text[start:end]):
            continue  # reports what a cited regulation says
        if match.group() in ("禁止", "严禁") and _SIGN_NAME.match(text[match.end() :]):
            continue  # the name of a sign: 禁止标志
        yield words.Field(element, "text", text).hit(
            "S-INFO-01",
            match.span(),
            f"{name}中出现了“{match.group()}”；{name}是资料性的，不应包含要求或推荐。",
            f"把这项要求移到正文条款中；{name}只保留说明性的文字。",
        )

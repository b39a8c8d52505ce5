"""Quantities, characters and standard numbers: S-QTY-01 … 04, S-CHAR-01, S-ID-01.

The quantity rules read every text of the document (titles, paragraphs, list items, table
cells, term definitions, notes, examples), with the prescribed sentences, quotations and
《…》 titles blanked out. Reference entries are S-ID-01's (their codes) and S-CHAR-01's: a
cited title is written as its issuer wrote it ("3～110 kV高压配电装置设计规范").

A range "10~15 ℃" misses the unit on its first value (S-QTY-01); "10-15 ℃" also has the
wrong sign (S-QTY-02): both hits carry the same fix "10 ℃～15 ℃", so applying either
settles both. Units are symbols (℃, %, mm, kg, min …) and, for ranges only, Chinese
counting units (2次～3次, 1人～4人, as the starter standards write them). Numbers that are no
quantities stay out: standard numbers (GB/T 24421.1—2023), clause numbers (5.2.1), dates
(2026-01-01), times (8:00—9:00, a time range GB/T 15834 writes with "—"), codes (KFR-35GW).

Every fix here changes only the writing (a space, a sign, a repeated unit, a half-width
character, the em dash of a number), never the meaning; a non-legal unit is a suggestion
because the value has to be converted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from houqin.standards import numbers
from houqin.standards import textformat as tf
from houqin.standards.checker.base import ERROR, WARNING, Fix, Issue, each_element, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules import words

QUANTITIES = "GB/T 1.1—2009 8.7、GB 3102.11"

_SYMBOLS = words.listed(
    "km/h m/s r/min mg/L g/L mg/kg mg/m³ μg/m³ W/m² kW·h kWh cd/m² mL/min L/min m³/h t/h kg/m³ "
    "°C ℃ μm nm mm² mm³ mm cm² cm³ cm dm km² km m² m³ m μg mg kg g t mL ml L ms min h s d lx lm "
    "cd dB(A) dB hPa kPa MPa Pa kV mV V kA mA A MW kW W GHz MHz kHz Hz kN N MJ kJ J kΩ MΩ Ω mol "
    "Bq mSv Sv Gy"
)
_CHINESE_UNITS = words.listed(
    "个工作日 工作日 个月 人次 万元 小时 分钟 平方米 立方米 千克 公斤 毫升 厘米 毫米 千米 公里 "
    "天 周 年 月 日 次 遍 人 名 元 个 件 台 辆 层 份 倍 岁 户 间 批 米 克 升 吨"
)

_SYMBOL = rf"(?:{words.alternation(_SYMBOLS)})(?![A-Za-z0-9²³/·(μ]|\.\d)"
_UNIT = rf"{_SYMBOL}|%|‰|{words.alternation(_CHINESE_UNITS)}"
_NUMBER = r"\d+(?:\.\d+)?"
_TILDES = "～~〜∼"
_DASHES = "-–—－―−‐"
_RANGE = re.compile(
    rf"(?<![A-Za-z0-9.\-/_:：—–#＃])(?P<neg>[-−])?(?P<a>{_NUMBER})(?:\s?(?P<u1>{_UNIT}))?"
    rf"\s?(?P<sign>[{_TILDES}]|至|[{_DASHES}])\s?(?P<b>[-−]?{_NUMBER})\s?(?P<u2>{_UNIT})"
)
_RANGE_HINT = re.compile(rf"[{_DASHES}{_TILDES}至]\s?[-−]?\d")
_GLUED_HINT = re.compile(r"\d[A-Za-z℃°μΩ]")
_GLUED = re.compile(rf"(?<![A-Za-z0-9._/])(?P<num>{_NUMBER})(?P<unit>{_SYMBOL})")
_CODE_BEFORE = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*[\s\-]*|第|表|图|附录|条|章|节)$")
_FULL_WIDTH = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+(?:[．／－ 　]?[０-９Ａ-Ｚａ-ｚ]+)*")
_FULL_CHARS = "".join(map(chr, range(0xFF10, 0xFF5B)))
_HALF = str.maketrans(
    _FULL_CHARS + "．／－　", "".join(chr(ord(c) - 0xFEE0) for c in _FULL_CHARS) + "./- "
)


@dataclass(frozen=True)
class _Range:
    start: int
    end: int
    first_unit: bool
    dash: bool
    fixed: str


@lru_cache(maxsize=4096)
def _ranges(text: str) -> tuple[_Range, ...]:
    """Ranges between two values with a unit after the second, that are wrong in a way."""
    return tuple(_wrong_ranges(text))


def _wrong_ranges(text: str) -> Iterator[_Range]:
    for match in _RANGE.finditer(words.plain(text)):
        sign, u1, u2 = match["sign"], match["u1"], match["u2"]
        chinese = u2 in _CHINESE_UNITS
        if _CODE_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        if chinese and (sign in "—至" or (u1 is not None and u1 != u2)):
            continue  # 3至5天 is plain Chinese; 3月—5月 a time range (GB/T 15834)
        dash = sign in _DASHES
        if not dash and (u1 is not None or (sign == "至" and chinese)):
            continue
        unit = u1 or u2
        space = "" if unit in ("%", "‰") or chinese else " "
        joined = "至" if sign == "至" else "～"
        neg = match["neg"] or ""
        fixed = f"{neg}{match['a']}{space}{unit}{joined}{match['b']}{space}{u2}"
        yield _Range(match.start(), match.end(), u1 is None, dash, fixed)


@rule(
    "S-QTY-01",
    severity=WARNING,
    title="范围的每个数值都写单位",
    basis=QUANTITIES,
    why=(
        "“10～15 ℃”可能被读成“10”和“15 ℃”两个不同的量；GB/T 1.1—2009规定范围的两个数值都带单位，"
        "写作“10 ℃～15 ℃”“10%～20%”。"
    ),
    wrong="# 冷藏\n冷藏设施的温度应保持在0~8 ℃。\n",
    right="# 冷藏\n冷藏设施的温度应保持在0 ℃～8 ℃。\n",
    scope="clause",
    fix="auto",
)
def range_unit(element: Element, draft: Draft) -> Iterator[Issue]:
    for field in words.fields(element, titles=True, where=_RANGE_HINT.search):
        for found in _ranges(field.text):
            if found.first_unit:
                yield field.hit(
                    "S-QTY-01",
                    (found.start, found.end),
                    "范围的第一个数值没有写单位。",
                    f"写作“{found.fixed}”。",
                    fix=field.replaced(found.start, found.end, found.fixed),
                )


@rule(
    "S-QTY-02",
    severity=WARNING,
    title="数值范围用“～”连接",
    basis="GB 3102.11、GB/T 15834",
    why=(
        "“-”会被读成负号或连字符，“—”用于时间、地点的起止；两个数值之间的范围用浪纹线“～”，"
        "如“10 ℃～15 ℃”。"
    ),
    wrong="# 供餐\n热菜出售时的温度应保持在60 ℃-70 ℃。\n",
    right="# 供餐\n热菜出售时的温度应保持在60 ℃～70 ℃。\n",
    scope="clause",
    fix="auto",
)
def range_sign(element: Element, draft: Draft) -> Iterator[Issue]:
    for field in words.fields(element, titles=True, where=_RANGE_HINT.search):
        for found in _ranges(field.text):
            if found.dash:
                yield field.hit(
                    "S-QTY-02",
                    (found.start, found.end),
                    "数值范围用了短横线或破折号连接。",
                    f"用“～”连接，写作“{found.fixed}”。",
                    fix=field.replaced(found.start, found.end, found.fixed),
                )


# Non-legal unit → (legal unit, factor to it); °F converts by formula. 尺/寸/两/亩 only
# after Arabic digits (三寸不烂, 一两天 are words), 寸 not in 1寸照片 (a photo size).
_OLD_UNITS = {
    **dict.fromkeys(("市斤", "斤"), ("kg", 0.5)),
    "公分": ("cm", 1.0),
    "公尺": ("m", 1.0),
    "公升": ("L", 1.0),
    **dict.fromkeys(("市尺", "尺"), ("m", 1 / 3)),
    "寸": ("cm", 10 / 3),
    "英寸": ("mm", 25.4),
    "英尺": ("m", 0.3048),
    "英里": ("km", 1.609),
    **dict.fromkeys(("华氏度", "°F", "℉"), ("℃", 0.0)),
    "亩": ("m²", 666.7),
    "马力": ("kW", 0.735),
    "加仑": ("L", 3.785),
    "盎司": ("g", 28.35),
    **dict.fromkeys(("大卡", "千卡"), ("kJ", 4.186)),
    "卡路里": ("J", 4.186),
    "两": ("g", 50.0),
    "cc": ("mL", 1.0),
}
_OLD_UNIT = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千半几]+)\s*"
    r"(?P<unit>市斤|斤|公分|公尺|公升|英寸|英尺|英里|华氏度|马力|加仑|盎司|大卡|千卡|卡路里)"
    r"|(?P<arabic>\d+(?:\.\d+)?)\s*(?P<aunit>市尺|尺(?!寸)|寸(?!照|免冠|相片|证件)|°F|℉|亩"
    r"|两(?![个天次人年月种位周])|cc(?![A-Za-z]))"
    r"|华氏\s*(?P<fahrenheit>\d+(?:\.\d+)?)\s*度"
)


_OLD_HINT = re.compile("斤|公分|公尺|公升|英|华氏|马力|加仑|盎司|卡|尺|寸|°F|℉|亩|两|cc")


def _number(value: float) -> str:
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return text if "e" not in text else f"{value:.0f}"


def _legal(num: str, unit: str) -> str:
    legal, factor = _OLD_UNITS[unit]
    if not re.fullmatch(_NUMBER, num):
        return f"改用法定计量单位{legal}。"
    value = float(num)
    converted = (value - 32) * 5 / 9 if legal == "℃" else value * factor
    return f"改用法定计量单位{legal}：{num}{unit}约为{_number(converted)} {legal}。"


@rule(
    "S-QTY-03",
    severity=WARNING,
    title="使用法定计量单位",
    basis="《中华人民共和国法定计量单位》、GB 3100",
    why=(
        "标准中的量只用法定计量单位。“斤”“公分”“°F”等不是法定单位，读者要自己换算，"
        "检查记录也无法与仪器读数直接比对。"
    ),
    wrong="# 留样\n每个品种的留样量应不少于0.5斤。\n",
    right="# 留样\n每个品种的留样量应不少于250 g。\n",
    scope="clause",
    fix="suggestion",
)
def legal_unit(element: Element, draft: Draft) -> Iterator[Issue]:
    for field in words.fields(element, titles=True, where=_OLD_HINT.search):
        for match in _OLD_UNIT.finditer(words.plain(field.text)):
            if match["fahrenheit"]:
                num, unit, shown = match["fahrenheit"], "华氏度", "华氏度"
            else:
                num = match["num"] or match["arabic"]
                unit = match["unit"] or match["aunit"]
                shown = unit
            yield field.hit(
                "S-QTY-03",
                match.span(),
                f"“{shown}”不是法定计量单位。",
                _legal(num, unit),
            )


@rule(
    "S-QTY-04",
    severity=WARNING,
    title="数值与单位符号之间空一格",
    basis="GB/T 1.1—2009 8.7、GB 3101",
    why=(
        "单位符号与数值之间留一个空格（“8 ℃”“30 min”），只有°、′、″紧跟数值；"
        "“%”不检查。统一写法便于阅读，也避免“8℃”“30min”和代号、型号混在一起。"
    ),
    wrong="# 验收\n冷藏食材的到货温度应不高于8℃。\n",
    right="# 验收\n冷藏食材的到货温度应不高于8 ℃。\n",
    scope="clause",
    fix="auto",
)
def unit_space(element: Element, draft: Draft) -> Iterator[Issue]:
    for field in words.fields(element, titles=True, where=_GLUED_HINT.search):
        text = words.plain(field.text)
        for match in _GLUED.finditer(text):
            start, unit = match.start(), match["unit"]
            before = text[max(0, start - 2) : start]
            if (
                len(before) == 2
                and before[1] == "-"
                and before[0].isascii()
                and before[0].isalnum()
            ):
                continue  # KFR-35W, a model code
            following = text[match.end() : match.end() + 2]
            if (unit == "A" and following[:1] == "级") or re.fullmatch(r"-\d", following):
                continue  # 5A级, 机油5W-30: grades, no quantities
            end = match.end("num")
            yield field.hit(
                "S-QTY-04",
                (start, match.end()),
                f"数值与单位符号“{unit}”之间没有空格。",
                f"写作“{match['num']} {unit}”。",
                fix=field.replaced(end, end, " "),
            )


def _char_fields(element: Element) -> list[words.Field]:
    found = words.fields(element, titles=True, references=True, where=_FULL_WIDTH.search)
    if element.kind == tf.TERM:
        found += [
            words.Field(element, key, element.extra[key])
            for key in ("term", "english", "source")
            if _FULL_WIDTH.search(element.extra.get(key) or "")
        ]
    return found


@rule(
    "S-CHAR-01",
    severity=WARNING,
    title="数字、字母和单位符号用半角",
    basis="GB/T 1.1—2020 附录、GB/T 15834",
    why=(
        "全角的“１２５ ｇ”看起来和“125 g”一样，但检索、排序和计算都认不出来；"
        "数字、代号中的字母和单位符号一律用半角字符。"
    ),
    wrong="# 留样\n每个品种的留样量应不少于１２５ ｇ。\n",
    right="# 留样\n每个品种的留样量应不少于125 g。\n",
    scope="clause",
    fix="auto",
)
def half_width(element: Element, draft: Draft) -> Iterator[Issue]:
    for field in _char_fields(element):
        for match in _FULL_WIDTH.finditer(field.text):
            half = match.group().translate(_HALF)
            yield field.hit(
                "S-CHAR-01",
                match.span(),
                f"“{match.group()}”用了全角字符。",
                f"改为半角“{half}”。",
                fix=field.replaced(match.start(), match.end(), half),
            )


LEVEL_NAMES = {code: labels[1] for code, labels in tf.LEVELS.items()}  # 国家标准 …
# Codes S-ID-01 leaves alone: foreign and international standards, enterprise standards (Q/,
# format unverified) and the occupational-health national standards GBZ / GBZ/T.
_FOREIGN = frozenset(
    words.listed(
        "ISO IEC EN ASTM DIN JIS BS ANSI IEEE ITU NFPA UL API ASME SAE CEN CENELEC ETSI OIML CAC "
        "AOAC AS NF GOST KS CSA"
    )
)
_LEFT_ALONE = re.compile(r"Q/|GB[ZJ](?:/T)?\s")
_GLUED_CODE = re.compile(r"(?P<code>(?:DB\d{2}(?:\d{2})?|[A-Z]+)(?:/[A-Z]+)?)(?P<seq>[A-Z]?\d)")
_SHORT_YEAR = re.compile(r"([—–－―-]\s*\d{1,3})(?!\d)")
_DASHED_YEAR = re.compile(r"[—–－―-]\s*\d")
_ALL_PARTS = re.compile(r"\s*(?:（所有部分）|\(所有部分\))$")


def level_of(number: str, prefix: str) -> str:
    """The level a number's code belongs to, or "" for none."""
    if prefix and number.startswith(f"{prefix}/"):
        return "internal"
    if re.match(r"DB\d", number):
        return "local"
    if number.startswith("T/"):
        return "group"
    if re.match(r"GB(?:/[TZ])?(?![A-Z])", number):
        return "national"
    if re.match(r"[A-Z]{2,4}(?:/T)?(?![A-Z])", number):
        return "industry"
    return ""


def _fits(number: str, level: str, prefix: str) -> bool:
    return bool(level) and not numbers.number_error(number, level, prefix)


def repaired(number: str) -> str:
    """The number written right where only its writing is off: half-width characters, one
    space after the code, the em dash before the year."""
    text = numbers.normalized(number.translate(_HALF))
    glued = _GLUED_CODE.match(text)
    if glued:
        text = f"{glued['code']} {text[glued.start('seq') :]}"
    return text


def _left_alone(number: str) -> bool:
    first = re.split(r"[\s/]", number, maxsplit=1)[0]
    return first in _FOREIGN or bool(_LEFT_ALONE.match(number))


def _cover(draft: Draft) -> Iterator[Issue]:
    raw, prefix = draft.cover.number, draft.internal_prefix
    number = raw.strip()
    level = draft.cover.level if draft.cover.level in LEVEL_NAMES else ""
    if not number or (not level and _left_alone(number)):
        return
    fixed = repaired(number)
    level = level or level_of(fixed, prefix)
    if _fits(number, level, prefix):
        return
    fix = Fix("", "number", raw, fixed) if _fits(fixed, level, prefix) else None
    if fix is not None:
        message = f"编号“{number}”的写法不规范。"
        suggestion = f"写作“{fixed}”（代号与顺序号之间空一格，年号前用“—”）。"
    else:
        message = (
            numbers.number_error(number, level, prefix)
            if level
            else (f"编号“{number}”不符合任何一级标准的编号格式。")
        )
        example = numbers.EXAMPLES.get(level, f"{prefix}/FW 003—2026")
        suggestion = f"按{LEVEL_NAMES.get(level, '本级标准')}的格式改写，如“{example}”。"
    yield issue(
        "S-ID-01",
        None,
        message,
        suggestion,
        span=(0, len(number)),
        source=number,
        clause="封面",
        fix=fix,
    )


def _reference(element: Element, prefix: str) -> Iterator[Issue]:
    extra = element.extra
    code, year, title = extra.get("code", ""), extra.get("year", ""), extra.get("title", "")
    if code:
        number = _ALL_PARTS.sub("", code) + (f"—{year}" if year else "")
        level = level_of(number, prefix)
        short_year = _SHORT_YEAR.match(title)
        if short_year:  # GB/T 24421.1—23: the parser took "—23" for the title
            yield issue(
                "S-ID-01",
                element,
                f"引用文件“{code}”的年号“{short_year.group(1)}”不是四位。",
                "年号写四位，如“GB/T 24421.1—2023”。",
                span=(0, len(short_year.group())),
                source=title,
            )
            return
        # An undated reference to one of the organization's own standards is fine.
        dated = number if year or level != "internal" else f"{number}—2000"
        if _left_alone(number) or _fits(dated, level, prefix):
            return
        example = numbers.EXAMPLES.get(level, numbers.EXAMPLES["national"])
        yield issue(
            "S-ID-01",
            element,
            f"引用文件的编号“{number}”不符合{LEVEL_NAMES.get(level, '标准')}的编号格式。",
            f"核对编号，按“{example}”的格式书写；行业标准代号为2～4个大写字母。",
            span=(0, len(code)),
            source=code,
        )
        return
    # No code read: a title that opens with a badly written number (GB/T24421.1—2023 …).
    opening = re.match(
        r"(?P<number>(?:GB|DB\d|T/|[A-Z]{2,4}(?:/T)?)[A-Z0-9/]*\s?[A-Z]?\d[\d.]*"
        r"(?:\s*[—–－―-]\s*\d{2,4})?)(?P<rest>.*)",
        title,
        re.S,
    )
    if opening is None or _left_alone(opening["number"]):
        return
    number = opening["number"].strip()
    if not _DASHED_YEAR.search(number) and not number.startswith(("GB", "DB", "T/", f"{prefix}/")):
        return  # PM2.5 监测, a plain title
    fixed = repaired(number)
    level = level_of(fixed, prefix)
    fix = None
    if _fits(fixed, level, prefix):
        code, _, fixed_year = fixed.partition("—")
        after = {**extra, "code": code, "year": fixed_year, "title": opening["rest"].strip()}
        fix = Fix(element.uid, "extra", dict(extra), after)
    yield issue(
        "S-ID-01",
        element,
        f"引用文件的编号“{number}”写法不规范，系统无法识别。",
        f"写作“{fixed}”。" if fix else "按“GB/T 24421.1—2023”的格式书写编号。",
        span=(0, len(number)),
        source=title,
        fix=fix,
    )


_CITATION_HINT = re.compile("[A-Z]{2}|T/")
_CITATION = re.compile(
    r"(?<![A-Za-z0-9/])(?:GB(?:/[TZ])?|DB\d{2}(?:\d{2})?(?:/T)?|T/[A-Z]{2,10})\s*\d+(?:\.\d+)*"
    r"(?:\s*[—–－―-]\s*\d{4})?(?![\d.])"
    r"|(?<![A-Za-z0-9/])[A-Z]{2,4}(?:/T)?\s+[A-Z]?\d+(?:\.\d+)*\s*[–－―-]\s*\d{4}(?![\d.])"
)


def _citations(element: Element, prefix: str) -> Iterator[Issue]:
    for field in words.fields(element, titles=True, where=_CITATION_HINT.search):
        text = words.plain(field.text)
        for match in _CITATION.finditer(text):
            number = match.group()
            if _left_alone(number):
                continue
            fixed = repaired(number)
            if fixed == number or not _fits(fixed, level_of(fixed, prefix), prefix):
                continue
            yield field.hit(
                "S-ID-01",
                match.span(),
                f"标准编号“{number}”的写法不规范。",
                f"写作“{fixed}”（代号与顺序号之间空一格，年号前用“—”）。",
                fix=field.replaced(match.start(), match.end(), fixed),
            )


@rule(
    "S-ID-01",
    severity=ERROR,
    title="标准编号符合编号规则",
    basis="GB/T 1.1—2020 8.1、《国家标准管理办法》等",
    why=(
        "标准编号由代号、顺序号和四位年号组成，如“GB/T 24421.1—2023”“DB64/T 1773—2021”"
        "“T/CAS 290—2017”，行业标准代号为2～4个大写字母，本单位内部标准按设置的前缀编号。"
        "写错了，检索、引用和替代关系都对不上。"
    ),
    wrong="编号: JGSW/TG 001-2026\n层级: internal\n\n# 范围\n本文件规定了食堂服务的要求。\n",
    right="编号: JGSW/TG 001—2026\n层级: internal\n\n# 范围\n本文件规定了食堂服务的要求。\n",
    scope="document",
    fix="auto",
)
def standard_number(draft: Draft) -> Iterator[Issue]:
    yield from _cover(draft)


@each_element("S-ID-01")
def standard_numbers_in(element: Element, draft: Draft) -> Iterator[Issue]:
    """The numbers an element cites or lists (the cover is the document part)."""
    if element.kind == tf.REFERENCE:
        yield from _reference(element, draft.internal_prefix)
    else:
        yield from _citations(element, draft.internal_prefix)

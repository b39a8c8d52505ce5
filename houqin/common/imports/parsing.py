"""Reading cell values: text normalisation (full-width to ASCII, spaces), dates, numbers,
phone numbers and the per-column readers that turn a cell into a field value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from openpyxl.utils.datetime import from_excel

from houqin.common.imports.specs import (
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    LOOKUP,
    PHONE,
    TEL,
    TEXT,
    Column,
    ImportSpec,
)

_WIDE = {0x3000: 0x20}
_WIDE.update({0xFF10 + i: 0x30 + i for i in range(10)})
_WIDE.update({0xFF21 + i: 0x41 + i for i in range(26)})
_WIDE.update({0xFF41 + i: 0x61 + i for i in range(26)})


def nfkc(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to ASCII; spaces trimmed and runs
    of them collapsed to one."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def plain_text(text: str) -> str:
    """Free text: full-width letters, digits and spaces to ASCII (Chinese punctuation such as
    （）and ，is kept), spaces trimmed and collapsed."""
    if not text.isascii():
        text = text.translate(_WIDE)
    return " ".join(text.split())


def match_key(text: str) -> str:
    """How two texts are compared when one names the other (a choice, a department …)."""
    return "".join(nfkc(text).split()).casefold()


def _cell_text(value: Any) -> str:
    """A cell as text: integers without ".0", dates as 2026-03-05."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Bad(Exception):
    pass


_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:\(?0\d{2,3}\)?-?)?[2-9]\d{6,7}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4}")
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31


def parse_date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial number, or text such as 2026-3-5,
    2026/03/05, 2026年3月5日 or 20260305; None when it is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            serial = from_excel(value)
            return serial.date() if isinstance(serial, datetime) else None
        return None
    text = nfkc(str(value))
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if text.isdigit() and len(text) <= 7:
        return parse_date(int(text))
    try:
        number = float(text)
    except ValueError:
        return None
    return parse_date(number) if number.is_integer() else None


def _parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = nfkc(_cell_text(value)).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _Bad
    return int(number)


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = nfkc(_cell_text(value)).replace(",", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Bad from None
    if not number.is_finite():
        raise _Bad
    return number


def _digits(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _cell_text(value)
    return "".join(nfkc(_cell_text(value)).split())


def parse_mobile(value: Any) -> str:
    text = _digits(value).replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    if not _MOBILE.fullmatch(text):
        raise _Bad
    return text


def parse_tel(value: Any) -> str:
    text = _digits(value).replace("—", "-").replace("－", "-")
    try:
        return parse_mobile(text)
    except _Bad:
        pass
    text = text.replace("（", "(").replace("）", ")")
    if not _LANDLINE.fullmatch(text):
        raise _Bad
    return text


@dataclass
class _Reader:
    """A column bound to the sheet: where it is, how to parse a cell, how to check it."""

    column: Column
    index: int
    parse: Callable[[Any], Any]
    max_length: int | None
    validators: list[Any]


def _choice_map(column: Column) -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in column.choices:
        words[match_key(label)] = value
        words[match_key(value)] = value
    for word, value in column.choice_aliases:
        words[match_key(word)] = value
    return words


def _reader(spec: ImportSpec, column: Column, index: int) -> _Reader:
    kind = column.kind
    squeeze = column.compact
    parse: Callable[[Any], Any]
    if kind in (TEXT, LOOKUP):

        def parse(value: Any) -> Any:
            text = _cell_text(value)
            if squeeze:
                return "".join(nfkc(text).split())
            return plain_text(text)

    elif kind == INT:
        parse = _parse_int
    elif kind == DECIMAL:
        parse = _parse_decimal
    elif kind == DATE:

        def parse(value: Any) -> Any:
            parsed = parse_date(value)
            if parsed is None:
                raise _Bad
            return parsed

    elif kind == PHONE:
        parse = parse_mobile
    elif kind == TEL:
        parse = parse_tel
    elif kind == CHOICE:
        words = _choice_map(column)

        def parse(value: Any) -> Any:
            try:
                return words[match_key(_cell_text(value))]
            except KeyError:
                raise _Bad from None

    else:
        raise ValueError(f"unknown column kind {kind!r}")
    max_length = None
    validators: list[Any] = []
    if column.write and kind != LOOKUP:
        model_field = spec.model._meta.get_field(column.field)
        if not model_field.is_relation:
            max_length = getattr(model_field, "max_length", None)
            validators = [
                v
                for v in getattr(model_field, "validators", ())
                if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
            ]
    return _Reader(column, index, parse, max_length, validators)


def _bad_message(column: Column, text: str) -> str:
    header, kind = column.header, column.kind
    if kind == INT:
        return f"“{header}”应填写整数，“{text}”不是整数。"
    if kind == DECIMAL:
        return f"“{header}”应填写数字，“{text}”不是数字。"
    if kind == DATE:
        return f"“{header}”“{text}”不是有效的日期，请写成 2026-03-05 这样的格式。"
    if kind == PHONE:
        return f"“{header}”“{text}”不是有效的手机号，请填写 11 位手机号码。"
    if kind == TEL:
        return (
            f"“{header}”“{text}”不是有效的电话号码，请填写 11 位手机号或带区号的固定电话"
            "（如 0571-87654321）。"
        )
    if kind == CHOICE:
        options = "、".join(column.choice_labels())
        return f"“{header}”“{text}”不是可选的值，请从下拉列表中选择：{options}。"
    return f"“{header}”“{text}”无法识别。"

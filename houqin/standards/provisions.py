"""The provision kind of a sentence, read from its modal verb (GB/T 1.1—2020 Annex C).

应 / 不应 make a requirement, 宜 / 不宜 a recommendation, 可 / 不必 a permission; anything
else is a statement. Words that merely contain those characters (供应, 应急, 可能, 便宜 …)
are masked first so they do not count."""

from __future__ import annotations

import re

REQUIREMENT = "requirement"
RECOMMENDATION = "recommendation"
PERMISSION = "permission"
STATEMENT = "statement"

# Words holding 应 / 宜 / 可 that are not modal verbs. 应当 and 应该 are the requirement's
# equivalents and stay; 可以 stays as the permission's.
_NOT_MODAL = (
    "供应",
    "应急",
    "响应",
    "适应",
    "相应",
    "对应",
    "反应",
    "应用",
    "应对",
    "回应",
    "效应",
    "感应",
    "答应",
    "理应",
    "应聘",
    "应届",
    "应收",
    "应付",
    "便宜",
    "适宜",
    "事宜",
    "可能",
    "可靠",
    "可行",
    "可视",
    "可燃",
    "可回收",
    "可追溯",
    "认可",
    "许可",
    "不可能",
    "可用",
    "可控",
    "可调",
    "可移动",
    "可拆",
    "可读",
    "可见",
)
_MASK = re.compile("|".join(sorted(map(re.escape, _NOT_MODAL), key=len, reverse=True)))
_REQUIREMENT = re.compile("应|只准许|不准许")
_RECOMMENDATION = re.compile("宜|推荐|建议")
_PERMISSION = re.compile("可|不必|无须|不需要|允许")


def masked(text: str) -> str:
    """The text with non-modal words that contain modal characters blanked out."""
    return _MASK.sub(lambda m: "□" * len(m.group()), text)


def provision_kind(text: str) -> str:
    """requirement / recommendation / permission / statement, by the strongest modal verb."""
    plain = masked(text)
    if _REQUIREMENT.search(plain):
        return REQUIREMENT
    if _RECOMMENDATION.search(plain):
        return RECOMMENDATION
    if _PERMISSION.search(plain):
        return PERMISSION
    return STATEMENT

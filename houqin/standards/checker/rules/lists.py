"""List rules (GB/T 1.1—2020 §7.5): the marks of each level, one style a level, a lead-in."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from houqin.standards import textformat as tf
from houqin.standards.checker.base import Fix, Issue, issue, rule
from houqin.standards.checker.document import Draft, Element
from houqin.standards.checker.rules.elements import field, walked_of

STYLE_NAMES = {"dash": "破折号“——”", "alpha": "字母编号a)、b)", "numeric": "数字编号1)、2)"}
# A first-level list takes "——" (or "·") or a) b); the level below takes 1) 2) or a dash.
ALLOWED = {0: ("alpha", "dash"), 1: ("numeric", "dash")}
DEFAULT = {0: "alpha", 1: "numeric"}
_SENTENCE_END = ("。", "；", "！", "？", ".", ";")
# A full sentence that still announces what follows: "下列符号和缩略语适用于本文件。"
_ANNOUNCES = re.compile(r"下列|如下|以下")


def runs(draft: Draft) -> Iterator[tuple[Element, int, list[Element], int]]:
    """Every list: (container, index of its first item, the items, level: 0 for a list in
    a clause, 1 for a list inside a list item)."""
    for parent in walked_of(draft):
        level = 0 if parent.kind != tf.LIST_ITEM else 1
        children = parent.children
        index = 0
        while index < len(children):
            if children[index].kind != tf.LIST_ITEM:
                index += 1
                continue
            end = index
            while end < len(children) and children[end].kind == tf.LIST_ITEM:
                end += 1
            yield parent, index, children[index:end], level
            index = end


def _style(item: Element) -> str:
    """The item's label style; a stored item without one is numbered a), b) (``clauses``)."""
    return field(item, "style") or "alpha"


@rule(
    "S-LIST-01",
    severity="warning",
    title="列项的符号和编号：第一层用“——”或a)、b)，第二层用1)、2)，同层一致",
    basis="GB/T 1.1—2020 7.5",
    why=(
        "列项的各项前用列项符号“——”（或“·”），或用字母编号a)、b)；字母编号的项再细分时，"
        "分项用数字编号1)、2)。同一个列项中各项的符号必须一致，读者才能一眼看出哪些项并列。"
    ),
    wrong=("# 验收\n验收内容应包括下列项目：\n1) 供货凭证与实物一致；\n2) 感官性状无异常。\n"),
    right=("# 验收\n验收内容应包括下列项目：\na) 供货凭证与实物一致；\nb) 感官性状无异常。\n"),
    scope="document",
    fix="auto",
)
def list_marks(draft: Draft) -> Iterator[Issue]:
    for _, _, items, level in runs(draft):
        allowed = ALLOWED[level]
        styles = [_style(i) for i in items]
        if styles[0] in allowed:
            target = styles[0]
        else:
            counts = Counter(s for s in styles if s in allowed)
            target = counts.most_common(1)[0][0] if counts else DEFAULT[level]
        bad = [i for i, s in zip(items, styles, strict=True) if s != target]
        if not bad:
            continue
        first = bad[0]
        wrong_styles = {_style(i) for i in bad}
        where = "第一层列项" if level == 0 else "第二层列项（分项）"
        if wrong_styles - set(allowed):
            used = "、".join(STYLE_NAMES.get(s, s) for s in sorted(wrong_styles - set(allowed)))
            message = (
                f"{where}用了{used}；{where}应用{'或'.join(STYLE_NAMES[a] for a in allowed)}。"
            )
        else:
            message = f"同一列项中混用了{'和'.join(STYLE_NAMES[s] for s in sorted(set(styles)))}。"
        yield issue(
            "S-LIST-01",
            first,
            message,
            f"这一列项的各项统一用{STYLE_NAMES[target]}（共{len(bad)}项需改）。",
            fix=Fix(first.uid, "extra", dict(first.extra), {**first.extra, "style": target}),
        )


@rule(
    "S-LIST-02",
    severity="hint",
    title="列项前应有引语",
    basis="GB/T 1.1—2020 7.5",
    why=(
        "列项由引语和被引出的并列各项组成：先用一句话（通常以冒号结尾）说明下面列的是什么，"
        "再逐项列出。没有引语的列项，读者不知道这些项之间是什么关系、要做什么。"
    ),
    wrong="# 验收\n## 项目\na) 供货凭证与实物一致；\nb) 感官性状无异常。\n",
    right=(
        "# 验收\n## 项目\n验收内容应包括下列项目：\na) 供货凭证与实物一致；\nb) 感官性状无异常。\n"
    ),
    scope="document",
)
def lead_in(draft: Draft) -> Iterator[Issue]:
    for parent, index, items, level in runs(draft):
        if level:
            continue  # the item above is the lead-in of its sub-items
        before = parent.children[index - 1] if index else None
        if before is not None and before.kind == tf.PARAGRAPH:
            text = before.text.rstrip()
            if not text.endswith(_SENTENCE_END) or _ANNOUNCES.search(text):
                continue
            message = "列项之前的段落是完整的句子，不是引出列项的引语。"
        else:
            message = "列项之前没有引语。"
        yield issue(
            "S-LIST-02",
            items[0],
            message,
            "在列项前加一句引语，如“验收内容应包括下列项目：”。",
        )

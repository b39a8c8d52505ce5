"""The plain-text markup a standard's text is typed in, its parser and its writer.

``parse(text)`` turns the markup into a ``Document``: a ``Header`` (the metadata block) and a
tuple of ``Node`` trees; ``write(header, nodes)`` turns them back into markup that parses to
the same ``Document``. Numbers are never written: chapters, clauses, terms, annexes, list
labels, notes, tables and figures are numbered by position when the tree is stored
(``clauses.numbering``), so the markup gives structure by heading level and line kind only.
A line the parser cannot place raises ``MarkupError(line_no, message)``; no text is dropped.

A short document::

    编号: JGSW/TG 001—2026
    名称: 机关食堂餐饮服务规范
    层级: internal
    服务条线: canteen
    状态: in_force

    @前言
    本文件按照GB/T 1.1—2020《……》的规定起草。

    # 规范性引用文件
    下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。……
    > GB 31654 食品安全国家标准 餐饮服务通用卫生规范

    # 术语和定义
    下列术语和定义适用于本文件。
    = 留样 | food sample retention | 按餐次、品种留存成品食品样品……的做法。

    # 进货查验
    ## 验收
    验收内容应包括下列项目：
    a) 供货凭证与实物一致；
      1) 名称、规格一致；
      2) 数量一致；
    b) 冷藏食材的到货温度不高于8 ℃。
    注：说明文字。
    ## 索证索票
    ###
    第一个无标题条。
    ###
    第二个无标题条。

    @附录 资料性 留样记录表
    表：留样记录表
    | 日期 | 餐次 | 留样量/g |
    | 4月1日 | 午餐 | 150 |

The lines (one line is one element; blank lines only separate, except after a table or a
figure; leading spaces are allowed on list items only):

- Header: ``key: value`` lines (``:`` or ``：``) before the first heading, keys from
  ``HEADER_KEYS`` (编号 名称 英文名称 层级 体系节点 服务条线 适用岗位 归口科室 起草单位 起草人
  发布日期 实施日期 状态), each optional and at most once. 层级, 状态 and 服务条线 take codes or
  their Chinese labels; lists split on , ， 、 ; and dates are YYYY-MM-DD.
- ``@前言``, ``@引言``, ``@参考文献``; ``@附录 规范性 标题`` / ``@附录 资料性 标题`` (also
  ``@附录（资料性）标题``).
- ``# 标题``: a chapter; the titles 范围, 规范性引用文件 and 术语和定义 make the kinds scope,
  references and terms. ``## 标题`` is a titled clause (5.1), ``##`` alone an untitled one;
  ``###`` … ``######`` go down to the fifth 条 level (5.1.1.1.1.1). A level may not be skipped;
  前言, 引言 and 参考文献 have no clauses.
- ``a) 文字`` / ``1) 文字`` / ``—— 文字`` / ``- 文字`` (also ``- a) 文字``, ``a）``): a list
  item of style alpha / numeric / dash; the letter or number is a style mark only. An item
  indented deeper than the one above is its child.
- ``注：`` / ``注1：`` and ``示例：`` / ``示例2：``: a note / an example (label and number are
  dropped). A 注 line right after a table's last row or a figure line (no blank line between)
  belongs to the table or figure; after a term line, 注 and 示例 lines belong to the term.
- ``表：标题`` then at once ``| a | b |`` rows, the first row being the header (``表：`` may
  be left out for an untitled table; a blank line ends the table). ``图：图题`` or
  ``图：图题 | 文件名``: a figure.
- ``> 代号 编号[—年号] 名称``: a reference, only in 规范性引用文件 or 参考文献; a line that
  starts with no standard code is a document title (``> 中华人民共和国消防法``).
- ``= 术语 | English | 定义[ | 来源]``: a term entry, only directly in 术语和定义 (a leading
  "来源：" of the source is dropped); after a term only terms or headings may follow.
- ``|`` and ``｜`` separate fields; ``\\|`` is a literal bar and ``\\\\`` a backslash. A line
  starting with ``\\`` is a plain paragraph of the rest (so is a list text after its label).
- Any other line is a paragraph.

``Node.kind`` is one of ``KINDS``; ``extra`` holds a kind's own fields: list_item
{"style": "dash"|"alpha"|"numeric"}, annex {"annex_type": "normative"|"informative"}, table
{"header": [...], "rows": [[...], ...]}, figure {"src": ...} when a file is named, term
{"term", "english", "definition", "source"}, reference {"code", "year", "title"}.
Foreword, introduction and bibliography have an empty title (the kind names them)."""

from houqin.standards.textformat.nodes import (
    ANNEX,
    ANNEX_TYPES,
    BIBLIOGRAPHY,
    CHAPTER,
    CHAPTER_KINDS,
    CLAUSE,
    CONTENT_KINDS,
    ELEMENT_NAMES,
    EXAMPLE,
    FIGURE,
    FOREWORD,
    HEADER_KEYS,
    INTRODUCTION,
    KINDS,
    LEVELS,
    LIST_ITEM,
    LIST_STYLES,
    MAX_LEVEL,
    NOTE,
    PARAGRAPH,
    REFERENCE,
    REFERENCES,
    SCOPE,
    SERVICE_LINES,
    SPECIAL_CHAPTERS,
    STATUSES,
    TABLE,
    TERM,
    TERMS,
    TOP_KINDS,
    Document,
    Header,
    MarkupError,
    Node,
    walk,
)
from houqin.standards.textformat.parser import parse
from houqin.standards.textformat.writer import write

__all__ = [
    "ANNEX",
    "ANNEX_TYPES",
    "BIBLIOGRAPHY",
    "CHAPTER",
    "CHAPTER_KINDS",
    "CLAUSE",
    "CONTENT_KINDS",
    "ELEMENT_NAMES",
    "EXAMPLE",
    "FIGURE",
    "FOREWORD",
    "HEADER_KEYS",
    "INTRODUCTION",
    "KINDS",
    "LEVELS",
    "LIST_ITEM",
    "LIST_STYLES",
    "MAX_LEVEL",
    "NOTE",
    "PARAGRAPH",
    "REFERENCE",
    "REFERENCES",
    "SCOPE",
    "SERVICE_LINES",
    "SPECIAL_CHAPTERS",
    "STATUSES",
    "TABLE",
    "TERM",
    "TERMS",
    "TOP_KINDS",
    "Document",
    "Header",
    "MarkupError",
    "Node",
    "parse",
    "walk",
    "write",
]

"""The structure diagram of a standard system (标准体系结构图, GB/T 13017) as a PNG drawn
with Pillow: a box per node in use, lines from each parent down to its children, laid out
top-down. Every leaf gets an equal slot across the width; a box narrower than its name
wraps it, down to one character a line (the upright, vertical boxes of printed system
diagrams), so a tree of a few dozen leaves fits an A4 landscape page.

The text is set in a CJK TrueType font from fonts-noto-cjk (Noto Sans CJK SC), found on
the usual font paths; without one, ``DiagramFontMissing`` says what to install."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*-Regular.tt[cf]",
    "/usr/share/fonts/**/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/**/SourceHanSans*.tt[cf]",
    "/usr/share/fonts/**/wqy-microhei.ttc",
    "/usr/share/fonts/**/wqy-zenhei.ttc",
    "/usr/local/share/fonts/**/*CJK*.tt[cf]",
)
WIDTH = 2000  # px: A4 landscape text width (257 mm) at about 200 dpi, the widest drawn
SLOT = 250  # px a leaf takes when the tree is small (so a small tree prints large)
MARGIN = 24
GAP_X = 14  # between neighbouring boxes
GAP_Y = 56  # between rows (the connector lines run here)
PAD = 10
FONT_SIZE = 24
CODE_SIZE = 17
TITLE_SIZE = 30
MAX_BOX = 300
INK = (30, 30, 30)
GREY = (96, 96, 96)
FILL = (244, 247, 252)
TOP_FILL = (225, 234, 248)


class DiagramFontMissing(RuntimeError):
    """No CJK font was found to draw the diagram with."""

    def __init__(self) -> None:
        super().__init__("服务器上没有中文字体，无法绘制标准体系结构图；请安装 fonts-noto-cjk。")


@dataclass
class DiagramNode:
    """A box of the diagram: a node's code and name, and the boxes below it."""

    code: str
    name: str
    children: list[DiagramNode] = field(default_factory=list)
    x: float = 0.0
    width: int = 0
    lines: list[str] = field(default_factory=list)
    code_shown: bool = True


@cache
def cjk_font_face() -> tuple[str, int]:
    """(file, face index) of a Simplified Chinese sans font."""
    for pattern in FONT_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            for index in range(12):
                try:
                    font = ImageFont.truetype(path, 12, index=index)
                except OSError:
                    break
                family = font.getname()[0] or ""
                if any(mark in family for mark in (" SC", "CN", "Hei", "Han Sans")):
                    return path, index
    raise DiagramFontMissing


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_face()
    return ImageFont.truetype(path, size, index=index)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Wrap by measured width, at worst one character a line; lines of even length (no
    lone last character) when that still fits."""
    greedy = _greedy(text, font, width)
    if len(greedy) < 2:
        return greedy
    per = -(-len(text) // len(greedy))
    even = [text[i : i + per] for i in range(0, len(text), per)]
    if len(even) == len(greedy) and all(font.getlength(line) <= width for line in even):
        return even
    return greedy


def _greedy(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in text:
        if current and font.getlength(current + char) > width:
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines or [""]


def _leaves(node: DiagramNode) -> int:
    return sum(_leaves(c) for c in node.children) if node.children else 1


def _levels(node: DiagramNode, depth: int, rows: list[list[DiagramNode]]) -> None:
    if len(rows) <= depth:
        rows.append([])
    rows[depth].append(node)
    for child in node.children:
        _levels(child, depth + 1, rows)


def _place(node: DiagramNode, first_slot: int, slot: float) -> None:
    """Centre each leaf in its slot and each parent over its children."""
    if not node.children:
        node.x = MARGIN + (first_slot + 0.5) * slot
        return
    start = first_slot
    for child in node.children:
        _place(child, start, slot)
        start += _leaves(child)
    node.x = (node.children[0].x + node.children[-1].x) / 2


def _measure(node: DiagramNode, slot: float, font: ImageFont.FreeTypeFont, top: bool) -> None:
    span = _leaves(node) * slot - GAP_X
    code_font = _font(CODE_SIZE)
    wanted = max(font.getlength(node.name), code_font.getlength(node.code)) + 2 * PAD
    node.width = int(max(min(span, wanted, MAX_BOX if not top else span), FONT_SIZE + 2 * PAD))
    node.lines = _wrap(node.name, font, node.width - 2 * PAD)
    node.code_shown = bool(node.code) and code_font.getlength(node.code) <= node.width - 2 * PAD
    for child in node.children:
        _measure(child, slot, _font(FONT_SIZE), top=False)


def _box_height(node: DiagramNode, line_height: int) -> int:
    return len(node.lines) * line_height + (CODE_SIZE + 6 if node.code_shown else 0) + 2 * PAD


def diagram_png(top: DiagramNode, width: int = WIDTH) -> bytes:
    """Draw the tree under ``top`` (the system's name or the branch exported)."""
    leaves = _leaves(top)
    min_slot = FONT_SIZE + 2 * PAD + GAP_X
    title_width = _font(TITLE_SIZE).getlength(top.name) + 2 * PAD + 2 * MARGIN
    width = int(min(width, max(leaves * SLOT + 2 * MARGIN, title_width, 900)))
    slot = max((width - 2 * MARGIN) / leaves, min_slot)
    width = int(slot * leaves + 2 * MARGIN)
    _place(top, 0, slot)
    _measure(top, slot, _font(TITLE_SIZE), top=True)
    rows: list[list[DiagramNode]] = []
    _levels(top, 0, rows)
    line_heights = [TITLE_SIZE + 6] + [FONT_SIZE + 4] * (len(rows) - 1)
    heights = [
        max(_box_height(n, line_heights[depth]) for n in row) for depth, row in enumerate(rows)
    ]
    tops: list[int] = []
    y = MARGIN
    for height in heights:
        tops.append(y)
        y += height + GAP_Y
    image = Image.new("RGB", (width, y - GAP_Y + MARGIN), "white")
    draw = ImageDraw.Draw(image)
    for depth, row in enumerate(rows):
        for node in row:
            bottom = _draw_box(draw, node, tops[depth], line_heights[depth], depth == 0)
            if node.children:
                row_bottom = tops[depth] + heights[depth]
                _draw_links(draw, node, bottom, row_bottom, tops[depth + 1])
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _draw_box(
    draw: ImageDraw.ImageDraw, node: DiagramNode, top: int, line: int, first: bool
) -> int:
    """Draw a box hanging from the top of its row; returns its bottom edge."""
    left = int(node.x - node.width / 2)
    box = _box_height(node, line)
    y0 = top
    draw.rectangle(
        (left, y0, left + node.width, y0 + box),
        fill=TOP_FILL if first else FILL,
        outline=INK,
        width=3 if first else 2,
    )
    y = y0 + PAD
    if node.code_shown:
        code_font = _font(CODE_SIZE)
        draw.text((node.x, y), node.code, font=code_font, fill=GREY, anchor="ma")
        y += CODE_SIZE + 6
    font = _font(TITLE_SIZE if first else FONT_SIZE)
    for text in node.lines:
        draw.text((node.x, y), text, font=font, fill=INK, anchor="ma")
        y += line
    return y0 + box


def _draw_links(
    draw: ImageDraw.ImageDraw, node: DiagramNode, bottom: int, row_bottom: int, child_top: int
) -> None:
    """Down from the box, across over the children, down to each child."""
    middle = row_bottom + (child_top - row_bottom) // 2
    draw.line((node.x, bottom, node.x, middle), fill=INK, width=2)
    first, last = node.children[0].x, node.children[-1].x
    if len(node.children) > 1:
        draw.line((first, middle, last, middle), fill=INK, width=2)
    for child in node.children:
        draw.line((child.x, middle, child.x, child_top), fill=INK, width=2)


def tree_from_rows(
    title: str,
    rows: Sequence[tuple[str, str, str]],
    *,
    base: str = "",
    code: str = "",
    steplen: int = 4,
) -> DiagramNode:
    """A diagram tree from (path, code, name) rows in path order (treebeard paths): the rows
    directly under ``base`` hang below a top box (``code`` ``title``); a row whose parent
    is not among the rows (a retired branch) is left out."""
    top = DiagramNode(code=code, name=title)
    by_path: dict[str, DiagramNode] = {base: top}
    for path, node_code, name in rows:
        parent = by_path.get(path[:-steplen])
        if parent is None:
            continue
        node = DiagramNode(code=node_code, name=name)
        parent.children.append(node)
        by_path[path] = node
    return top

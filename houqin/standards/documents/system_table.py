"""The system table (标准体系表, GB/T 13017—2018) of an organization's whole tree or one
branch: the structure diagram (标准体系结构图), the detail list (标准明细表) and the
statistics (标准统计表), to Excel and Word.

Status in the detail list (GB/T 13017 names): in force (实施, 复审) → 现行; being revised →
拟修订; proposed to approved and not yet in force → 拟制定, or 拟修订 when an earlier
version was published; withdrawn → 废止. Statistics per top-level subsystem of the tree (or
per child of the exported branch) and per level: 应有数 counts every standard listed except
withdrawn ones (planned ones included), 现有数 those in force (实施 / 复审 / 修订, as on the
system page), 现有率 = 现有数 ÷ 应有数."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu
from openpyxl import Workbook
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from PIL import Image

from houqin.common.exports import safe_cell
from houqin.standards.documents import wordkit
from houqin.standards.documents.diagram import DiagramFontMissing, diagram_png, tree_from_rows
from houqin.standards.models import IN_FORCE_STATES, Standard, StandardNode

CURRENT, PLANNED, TO_REVISE, WITHDRAWN = "现行", "拟制定", "拟修订", "废止"
DETAIL_HEADERS = (
    "序号",
    "体系编号",
    "标准编号",
    "标准名称",
    "层级",
    "状态",
    "实施日期",
    "被代替标准",
    "备注",
)
STAT_HEADERS = ("体系", "应有数", "现有数", "现有率")
STEP = StandardNode.steplen


def table_status(status: str, published_versions: int) -> str:
    """The GB/T 13017 status of a standard from its lifecycle status."""
    if status in ("in_force", "under_review"):
        return CURRENT
    if status == "revising":
        return TO_REVISE
    if status == "withdrawn":
        return WITHDRAWN
    earlier = published_versions > (1 if status == "published" else 0)
    return TO_REVISE if earlier else PLANNED


@dataclass
class DetailRow:
    index: int
    node_code: str
    number: str
    title: str
    level: str
    status: str
    effective_on: date | None
    replaces: str
    note: str
    group: str = ""
    level_code: str = ""
    in_force: bool = False
    withdrawn: bool = False

    def values(self) -> list[Any]:
        return [
            self.index,
            self.node_code,
            self.number or "—",
            self.title,
            self.level,
            self.status,
            self.effective_on,
            self.replaces,
            self.note,
        ]


@dataclass
class StatRow:
    """One line of the statistics: a subsystem or a level."""

    name: str
    expected: int = 0
    existing: int = 0

    @property
    def rate(self) -> float | None:
        """现有率 in percent, one decimal; None when nothing is expected."""
        return round(self.existing * 100 / self.expected, 1) if self.expected else None

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.1f}%"

    def values(self) -> list[Any]:
        return [self.name, self.expected, self.existing, self.rate_text]


@dataclass
class SystemTable:
    """Everything the exports print, read in a fixed number of queries."""

    organization: Any
    node: StandardNode | None
    title: str
    scope: str
    rows: list[DetailRow] = field(default_factory=list)
    groups: list[StatRow] = field(default_factory=list)
    levels: list[StatRow] = field(default_factory=list)
    total: StatRow = field(default_factory=lambda: StatRow("合计"))
    tree_rows: list[tuple[str, str, str]] = field(default_factory=list)


def _note(standard: Standard, status: str) -> str:
    notes = []
    if standard.status == "published" and standard.effective_on:
        notes.append(f"已批准发布，{standard.effective_on:%Y-%m-%d}实施")
    elif standard.status == "under_review":
        notes.append("复审中")
    elif standard.status == "revising":
        notes.append("修订中，现行版本继续有效")
    elif status == PLANNED or (status == TO_REVISE and standard.status != "revising"):
        notes.append(f"{standard.get_status_display()}阶段")
    if standard.status == "withdrawn":
        when = f"{standard.withdrawn_on:%Y-%m-%d}" if standard.withdrawn_on else ""
        successors = "、".join(s.number for s in standard.replaced_by.all() if s.number)
        notes.append(f"{when}废止" + (f"，被{successors}代替" if successors else ""))
    if standard.node.retired:
        notes.append("所在体系节点已停用")
    return "；".join(notes)


def system_table(organization: Any, node: StandardNode | None = None) -> SystemTable:
    """The system table of ``organization`` (the whole tree) or of ``node``'s branch."""
    org_name = organization.short_name or organization.name
    nodes = StandardNode.objects.filter(organization=organization).order_by("path")
    standards = Standard.objects.filter(organization=organization)
    if node is not None:
        nodes = nodes.filter(path__startswith=node.path)
        standards = standards.filter(node__path__startswith=node.path)
        title, scope = f"{node.name}标准体系表", f"{node.code} {node.name}"
    else:
        title, scope = f"{org_name}标准体系表", "全部体系"
    base_depth = node.depth if node is not None else 0
    node_rows = list(nodes.values_list("path", "depth", "code", "name", "retired"))
    table = SystemTable(organization=organization, node=node, title=title, scope=scope)
    groups: dict[str, StatRow] = {}
    retired_groups = set()
    for path, depth, code, name, retired in node_rows:
        if depth == base_depth + 1:
            groups[path] = StatRow(f"{code} {name}" + ("（已停用）" if retired else ""))
            if retired:
                retired_groups.add(path)
    own = node.path if node is not None else None
    if own is not None:
        groups[own] = StatRow(f"{node.code} {node.name}（本节点）")  # type: ignore[union-attr]
    table.tree_rows = [
        (path, code, name)
        for path, depth, code, name, retired in node_rows
        if not retired and (node is None or depth > base_depth)
    ]
    levels = {value: StatRow(str(label)) for value, label in Standard.Level.choices}
    listed = (
        standards.select_related("node")
        .prefetch_related("replaces", "replaced_by")
        .annotate(
            published_versions=Count("versions", filter=Q(versions__published_at__isnull=False))
        )
        .order_by("node__path", "number", "pk")
    )
    for index, standard in enumerate(listed, start=1):
        status = table_status(standard.status, standard.published_versions)
        path = standard.node.path
        group = own if own is not None and path == own else path[: (base_depth + 1) * STEP]
        row = DetailRow(
            index=index,
            node_code=standard.node.code,
            number=standard.number,
            title=standard.title,
            level=standard.get_level_display(),
            status=status,
            effective_on=standard.effective_on,
            replaces="、".join(s.number for s in standard.replaces.all() if s.number),
            note=_note(standard, status),
            group=group,
            level_code=standard.level,
            in_force=standard.status in IN_FORCE_STATES,
            withdrawn=standard.status == "withdrawn",
        )
        table.rows.append(row)
        if row.withdrawn:
            continue
        for stat in (groups.setdefault(group, StatRow(group)), levels[standard.level], table.total):
            stat.expected += 1
            stat.existing += row.in_force
    table.groups = [
        g for key, g in groups.items() if g.expected or (key != own and key not in retired_groups)
    ]
    table.levels = list(levels.values())
    return table


def system_diagram(table: SystemTable) -> bytes:
    """The structure diagram of the table's tree or branch (PNG)."""
    if table.node is not None:
        top = tree_from_rows(
            table.node.name, table.tree_rows, base=table.node.path, code=table.node.code
        )
    else:
        org = table.organization
        top = tree_from_rows(f"{org.short_name or org.name}标准体系", table.tree_rows)
    return diagram_png(top)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


# ---- Excel -------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet(
    sheet: Any, title: str, note: str, headers: tuple[str, ...], rows: list[list[Any]]
) -> None:
    """Title row, note row, bold frozen header, bordered cells, fitted widths, dates."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([note])
    sheet.append(list(headers))
    widths = [max(_width(h), 6) for h in headers]
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = BOX
    for values in rows:
        sheet.append([safe_cell(v) for v in values])
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            text = value.isoformat() if isinstance(value, date) else str(value or "")
            widths[column - 1] = min(max(widths[column - 1], _width(text)), 48)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A4"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def system_table_xlsx(
    organization: Any, node: StandardNode | None = None, *, table: SystemTable | None = None
) -> bytes:
    """Three sheets: 标准明细表, 标准统计表 (by subsystem, then by level) and the diagram.
    ``table`` (from ``system_table``) saves reading it again."""
    table = table or system_table(organization, node)
    note = f"范围：{table.scope}　导出时间：{_stamp()}"
    workbook = Workbook()
    detail = workbook.active
    assert detail is not None
    detail.title = "标准明细表"
    _sheet(
        detail, f"{table.title}　标准明细表", note, DETAIL_HEADERS, [r.values() for r in table.rows]
    )
    stats = workbook.create_sheet("标准统计表")
    group_rows = [g.values() for g in (*table.groups, table.total)]
    _sheet(stats, f"{table.title}　标准统计表", note, STAT_HEADERS, group_rows)
    stats.append([])
    stats.append(["按层级"])
    stats.cell(row=stats.max_row, column=1).font = Font(bold=True)
    stats.append(["层级", "应有数", "现有数", "现有率"])
    for cell in stats[stats.max_row]:
        cell.font = Font(bold=True)
        cell.border = BOX
    for level in (*table.levels, table.total):
        stats.append(level.values())
        for cell in stats[stats.max_row]:
            cell.border = BOX
    stats.append([])
    stats.append(["应有数：列入体系的标准（含拟制定、拟修订，不含已废止）；现有数：现行标准。"])
    picture = workbook.create_sheet("标准体系结构图")
    picture.append([f"{table.title}　标准体系结构图"])
    picture["A1"].font = Font(bold=True, size=14)
    try:
        png = system_diagram(table)
    except DiagramFontMissing as error:
        picture.append([str(error)])
    else:
        image = XlImage(BytesIO(png))
        scale = min(1.0, 1400 / image.width)
        image.width, image.height = int(image.width * scale), int(image.height * scale)
        picture.add_image(image, "A3")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- Word --------------------------------------------------------------------------------


DETAIL_WIDTHS_MM = (11, 21, 38, 62, 20, 15, 23, 32, 35)
STAT_WIDTHS_MM = (117, 40, 40, 60)


def _cell_text(value: Any) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _word_table(
    doc: Any, headers: tuple[str, ...], rows: list[list[Any]], widths: tuple[float, ...]
) -> Any:
    cells = [[_cell_text(value) for value in row] for row in rows]
    return wordkit.grid_table(doc, headers, cells, widths)


def _footer_page_numbers(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    wordkit.add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页")


def system_table_docx(
    organization: Any, node: StandardNode | None = None, *, table: SystemTable | None = None
) -> bytes:
    """The system table as a Word file on A4 landscape: 一、结构图 二、明细表 三、统计表."""
    table = table or system_table(organization, node)
    doc = wordkit.open_template()
    section = doc.sections[0]
    wordkit.a4(section, landscape=True, margins_mm=(20, 20, 20, 20))
    _footer_page_numbers(section)
    doc.core_properties.title = table.title
    doc.core_properties.author = organization.name
    doc.add_paragraph(table.title, "文件标题")
    doc.add_paragraph(
        f"编制单位：{organization.name}　范围：{table.scope}　"
        f"编制日期：{wordkit.cn_date(timezone.localdate())}",
        "文件说明",
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("一、标准体系结构图", "文件小标题")
    try:
        png = system_diagram(table)
    except DiagramFontMissing as error:
        doc.add_paragraph(str(error), "标准正文")
    else:
        with Image.open(BytesIO(png)) as image:
            ratio = image.height / image.width
        # the title lines take about 1.3 inch of the first page
        height_room = wordkit.content_height(section) - int(914400 * 1.3)
        width = min(wordkit.content_width(section), int(height_room / ratio))
        doc.add_paragraph(style="图").add_run().add_picture(BytesIO(png), width=Emu(width))
        doc.add_paragraph(f"图1　{table.title.removesuffix('表')}结构图", "图题")
    heading = doc.add_paragraph("二、标准明细表", "文件小标题")
    heading.paragraph_format.page_break_before = True
    if table.rows:
        _word_table(doc, DETAIL_HEADERS, [r.values() for r in table.rows], DETAIL_WIDTHS_MM)
    else:
        doc.add_paragraph("本范围内还没有标准。", "标准正文")
    doc.add_paragraph("三、标准统计表", "文件小标题")
    doc.add_paragraph("表1　按体系统计", "表题")
    groups = [g.values() for g in (*table.groups, table.total)]
    _word_table(doc, STAT_HEADERS, groups, STAT_WIDTHS_MM)
    doc.add_paragraph("表2　按层级统计", "表题")
    levels = [lv.values() for lv in (*table.levels, table.total)]
    _word_table(doc, ("层级", "应有数", "现有数", "现有率"), levels, STAT_WIDTHS_MM)
    doc.add_paragraph(
        "注：应有数为列入体系的标准数（含拟制定、拟修订，不含已废止）；现有数为现行标准数"
        "（实施、复审和修订中的标准）；现有率＝现有数÷应有数。",
        "注",
    )
    return wordkit.to_bytes(doc)

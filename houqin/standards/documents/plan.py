"""The yearly plan of standards to write, revise and withdraw (标准制修订计划) as a Word
document the office can file: one row per item with its type, node, owner, dates, the
linked standard's lifecycle status as its progress, and 滞后 N 天 when it has slipped on
``today`` (the same rule as the plan page: ``selectors_system.item_progress``)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from houqin.standards.documents import wordkit
from houqin.standards.models import PlanItem, StandardPlan
from houqin.standards.selectors_system import DONE, SLIPPED, item_progress

HEADERS = (
    "序号",
    "项目名称",
    "类型",
    "体系节点",
    "负责科室",
    "开始",
    "完成",
    "当前进度",
    "备注",
)
WIDTHS_MM = (11, 62, 13, 38, 27, 23, 23, 24, 36)


def plan_rows(plan: StandardPlan, today: date) -> list[tuple[PlanItem, list[str], str]]:
    """(item, the cells of its row, its progress state) in the plan's order (one query)."""
    items = (
        PlanItem.objects.filter(plan=plan)
        .select_related("node", "owner_department", "standard")
        .order_by("starts_on", "due_on", "pk")
    )
    rows = []
    for index, item in enumerate(items, start=1):
        standard = item.standard
        progress = item_progress(
            action=item.action,
            starts_on=item.starts_on,
            due_on=item.due_on,
            standard_status=standard.status if standard else None,
            published_on=standard.published_on if standard else None,
            today=today,
        )
        notes = []
        if progress.state == SLIPPED:
            notes.append(f"滞后 {progress.late_days} 天")
        if standard is not None and standard.number:
            notes.append(standard.number)
        cells = [
            str(index),
            item.title,
            item.get_action_display(),
            f"{item.node.code} {item.node.name}",
            item.owner_department.name,
            f"{item.starts_on:%Y-%m-%d}",
            f"{item.due_on:%Y-%m-%d}",
            standard.get_status_display() if standard else "未立项",
            "；".join(notes),
        ]
        rows.append((item, cells, progress.state))
    return rows


def plan_summary(rows: list[tuple[PlanItem, list[str], str]], today: date) -> str:
    actions = Counter(item.action for item, _, _ in rows)
    states = Counter(state for _, _, state in rows)
    return (
        f"共 {len(rows)} 项：制定 {actions['new']} 项、修订 {actions['revise']} 项、"
        f"废止 {actions['withdraw']} 项；截至{wordkit.cn_date(today)}，已完成 {states[DONE]} 项，"
        f"滞后 {states[SLIPPED]} 项。"
    )


def plan_docx(plan: StandardPlan, today: date | None = None) -> bytes:
    """The plan as a .docx (A4 landscape); slippage is measured on ``today``."""
    today = today or timezone.localdate()
    rows = plan_rows(plan, today)
    organization = plan.organization
    doc = wordkit.open_template()
    section = doc.sections[0]
    wordkit.a4(section, landscape=True, margins_mm=(20, 20, 20, 20))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    wordkit.add_field(footer, "PAGE", "1")
    footer.add_run(" 页")
    title = f"{plan.year}年度标准制修订计划"
    doc.core_properties.title = title
    doc.core_properties.author = organization.name
    doc.add_paragraph(title, "文件标题")
    if plan.title and plan.title != title:
        doc.add_paragraph(plan.title, "文件说明").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"编制单位：{organization.name}　　{plan_summary(rows, today)}", "文件说明")
    if plan.note:
        doc.add_paragraph(plan.note, "标准正文")
    cells = [cells for _, cells, _ in rows]
    wordkit.grid_table(doc, HEADERS, cells, WIDTHS_MM, empty="本年度计划还没有项目。")
    doc.add_paragraph(
        "说明：当前进度为关联标准所处的制修订阶段；已过完成日期仍未完成的项目，"
        "以及已过开始日期仍未立项的项目，在备注中注明滞后天数。",
        "注",
    )
    return wordkit.to_bytes(doc)

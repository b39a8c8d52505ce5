"""Drafting templates: one ``textformat`` markup file per common kind of service standard
(GB/T 24421: 服务规范, 服务提供规范; 岗位工作标准; 管理标准), giving a new draft the elements
of GB/T 1.1—2020 in their order — 前言 with its prescribed sentences, 1 范围, 2 规范性引用文件,
3 术语和定义 — and then the chapters that kind of standard has.

Every sentence a template holds is a provision the drafting checker accepts (no error, no
warning), so a fresh draft starts clean. What the author replaces stands in 【】: a blank to
fill (【服务名称】) or what to write there (【写明……】). Chapters 2 and 3 start with the
"none" sentences (本文件没有规范性引用文件。/ 本文件没有需要界定的术语和定义。): the checker
requires them while the lists are empty, and its safe fix swaps in the lead-in once the
author adds the first reference or term. The templates carry no header: the number, title
and dates of a draft are the standard's own record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from houqin.standards.textformat import Document, MarkupError, parse

DIRECTORY = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DraftingTemplate:
    """One drafting template: ``key`` (what a form posts), the kind's Chinese ``name``, a
    one-line ``description`` of when to use it, and its markup ``filename``."""

    key: str
    name: str
    description: str
    filename: str

    @property
    def path(self) -> Path:
        return DIRECTORY / self.filename


TEMPLATES: tuple[DraftingTemplate, ...] = (
    DraftingTemplate(
        key="service_spec",
        name="服务规范",
        description="规定一项服务要达到的要求：人员、设施、环境、服务内容和质量指标，"
        "如食堂、保洁、会议服务。",
        filename="service_spec.txt",
    ),
    DraftingTemplate(
        key="service_provision",
        name="服务提供规范",
        description="规定提供服务的过程：从受理、准备、实施到结束，每一步谁做、怎么做、"
        "多长时间内完成，如公务用车派车。",
        filename="service_provision.txt",
    ),
    DraftingTemplate(
        key="post_work",
        name="岗位工作标准",
        description="规定一个岗位的人做什么：职责、任职要求、每日和周期性工作、检查考核，"
        "如驾驶员、保洁员。",
        filename="post_work.txt",
    ),
    DraftingTemplate(
        key="management",
        name="管理标准",
        description="规定一项管理事项怎么管：各部门职责、计划和实施的要求、检查考核和记录，"
        "如合同管理、物资采购管理。",
        filename="management.txt",
    ),
)
TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}


def template_document(key: str) -> Document:
    """The parsed text of the template ``key`` (``KeyError`` for an unknown key); a markup
    error names the file."""
    template = TEMPLATES_BY_KEY[key]
    try:
        return parse(template.path.read_text(encoding="utf-8"))
    except MarkupError as error:
        raise MarkupError(error.line_no, f"{template.filename}：{error.message}") from error

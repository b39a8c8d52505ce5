"""Writing a whole text into a draft at once: a standard read from a Word file or from
pasted text (``importer``) fills an empty draft or, when the author has confirmed it,
replaces the draft's text. Clause-by-clause edits live in ``clauses.py``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.standards.clauses import _lock, tree_load
from houqin.standards.importer import Imported
from houqin.standards.models import Clause, StandardVersion
from houqin.standards.services.versions import can_edit_text


@transaction.atomic
def draft_import(
    *,
    version: StandardVersion,
    imported: Imported,
    actor: Any,
    base_revision: int | None,
    replace: bool,
    source: str = "",
) -> int:
    """导入标准文本到草案：草案为空时直接写入；草案已有内容时，只有确认替换（``replace``）
    才删除原有内容后写入。已发布的版本、在别人修改之后的旧页面（``base_revision``）和无权
    修改文本的人都被拒绝。一次导入是一次修改：草案修订号加一，记一条变更日志（来源
    ``source`` 为文件名或“粘贴的文字”）。返回写入的条款数。"""
    standard = version.standard
    if not can_edit_text(actor, standard):
        raise PermissionDenied("您不能修改这个标准的文本。")
    nodes = imported.document.nodes
    if not nodes:
        raise ValidationError("没有读到任何内容，草案没有改动。")
    _lock(version, base_revision, actor)
    existing = Clause.objects.filter(version=version).count()
    if existing and not replace:
        raise ValidationError(
            f"草案中已有 {existing} 条内容。导入会替换这些内容，请先确认替换；"
            "不想替换请返回编辑器。"
        )
    if existing:
        Clause.objects.filter(version=version).delete()
    written = tree_load(version=version, nodes=nodes)
    before = f"第{version.seq}版草案" + (f" {existing} 条内容" if existing else "（空）")
    after = f"导入{source or '标准文本'}，{written} 条内容"
    note = f"{len(imported.flags)} 处未能确定位置，已作为段落保留并标出" if imported.flags else ""
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"草案文本": [before, after]},
        note=note,
    )
    return written

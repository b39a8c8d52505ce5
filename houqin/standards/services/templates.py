"""Starting a draft from a drafting template (``houqin.standards.drafting``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from houqin.common.changelog import changelog_record
from houqin.common.models import ChangeLogEntry
from houqin.standards.clauses import _lock, tree_load
from houqin.standards.drafting import TEMPLATES_BY_KEY, template_document
from houqin.standards.models import Clause, StandardVersion
from houqin.standards.services.versions import can_edit_text


@transaction.atomic
def draft_from_template(
    *, version: StandardVersion, key: str, actor: Any, base_revision: int | None
) -> int:
    """用起草模板填充一份空白草案：按模板写入前言、范围、规范性引用文件、术语和定义和该类标准
    的各章，返回写入的条款数。

    只有可以修改这份标准文本的人（``can_edit_text``）可以使用；采用的外部标准照原文录入，不用
    模板。锁定草案并核对版本号（他人已修改则拒绝，``ConflictError``），已发布的版本、已有内容的
    草案都拒绝；成功后草案版本号加1，标准的变更日志记一条。"""
    template = TEMPLATES_BY_KEY.get(key)
    if template is None:
        raise ValidationError("没有这个起草模板，请在列出的模板中选择。")
    standard = version.standard
    if not can_edit_text(actor, standard):
        raise PermissionDenied("只有标准化办公室或归口科室的起草人员在起草、修订阶段可以修改文本。")
    if standard.is_adopted:
        raise ValidationError("采用的外部标准照原文录入条款，不使用起草模板。")
    _lock(version, base_revision, actor)  # refuses a published version and a stale revision
    if Clause.objects.filter(version=version).exists():
        raise ValidationError(
            "草案已经有内容，起草模板只能用于空白草案；"
            "请在编辑器中逐章修改，或删除全部条款后再选模板。"
        )
    count = tree_load(version=version, nodes=template_document(key).nodes)
    changelog_record(
        obj=standard,
        action=ChangeLogEntry.Action.UPDATE,
        actor=actor,
        changes={"文本": ["", f"第{version.seq}版草案按“{template.name}”模板生成{count}个条款"]},
    )
    return count

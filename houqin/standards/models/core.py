"""Nodes of the standard system, standards, their versions and clauses."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from houqin.common.models import OrgScoped, OrgScopedQuerySet
from houqin.common.workflow import Transition, Workflow
from houqin.org.models import ServiceLine
from houqin.standards.provisions import provision_kind

MANAGE = "standards.manage_standard"
DRAFT = "standards.draft_standard"
APPROVE = "standards.approve_standard"


def _untracked(field: Any) -> Any:
    field.changelog_exclude = True
    return field


class NodeQuerySet(MP_NodeQuerySet, OrgScopedQuerySet):
    """Tree-aware deletes (treebeard) and organization scoping (``for_user``)."""


class NodeManager(MP_NodeManager):
    def get_queryset(self) -> NodeQuerySet:
        return NodeQuerySet(self.model, using=self._db).order_by("path")

    def for_user(self, user: Any, action: str = "view") -> NodeQuerySet:
        return self.get_queryset().for_user(user, action)  # type: ignore[return-value]


class StandardNode(MP_Node, OrgScoped):
    """A node of the standard system (标准体系结构图): 服务通用基础 / 服务保障 / 服务提供 /
    岗位工作 and their children. Sibling order is the tree's; a retired node keeps its
    history but takes no new standards."""

    code = models.CharField("体系编号", max_length=32)
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    retired = models.BooleanField("已停用", default=False)

    objects: ClassVar[NodeManager] = NodeManager()

    class Meta:
        verbose_name = "标准体系节点"
        verbose_name_plural = "标准体系节点"
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="standard_node_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


for _name in StandardNode._TREE_FIELDS:
    _untracked(StandardNode._meta.get_field(_name))


IN_FORCE_STATES = ("in_force", "under_review", "revising")  # a revision keeps its base in force
# Who works on standards (runs them, drafts them, approves them) sees every standard,
# proposals and drafts included; everyone else with the view permission reads those in force.
SEES_ALL = (MANAGE, DRAFT, APPROVE)


def sees_all_standards(user: Any) -> bool:
    return any(user.has_perm(perm) for perm in SEES_ALL)


class StandardQuerySet(OrgScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> StandardQuerySet:
        """The organization's standards (see ``OrgScopedQuerySet``); frontline staff reach
        only those in force."""
        rows = super().for_user(user, action)
        if not sees_all_standards(user):
            rows = rows.filter(status__in=IN_FORCE_STATES)
        return rows  # type: ignore[return-value]


class StandardWorkflow(Workflow):
    """立项 → 起草 → 征求意见 → 审查 → 批准发布 → 实施 → 复审 → 修订 / 废止. Services in
    ``lifecycle.py`` add each step's own rule (comments answered, review passed …)."""

    field = "status"
    transitions = {
        "start_drafting": Transition(
            ("proposed",), "drafting", MANAGE, "批准立项", confirm="立项通过，标准进入起草阶段。"
        ),
        "reject_proposal": Transition(
            ("proposed",), "withdrawn", MANAGE, "不予立项", needs_note=True
        ),
        "circulate": Transition(
            ("drafting", "revising"),
            "consultation",
            DRAFT,
            "征求意见",
            confirm="把当前草案发给选定的科室、单位和人员征求意见。",
        ),
        "submit_review": Transition(
            ("consultation", "drafting", "revising"),
            "review",
            DRAFT,
            "提交审查",
            confirm="草案送审；审查期间不能修改文本。",
        ),
        "return_drafting": Transition(
            ("consultation", "review"), "drafting", DRAFT, "退回起草", needs_note=True
        ),
        "approve": Transition(
            ("review",),
            "published",
            APPROVE,
            "批准发布",
            confirm="批准后标准编号和日期确定，文本不能再修改。",
        ),
        "take_effect": Transition(
            ("published",), "in_force", MANAGE, "实施", confirm="标准开始实施。"
        ),
        "start_periodic_review": Transition(("in_force",), "under_review", MANAGE, "开始复审"),
        "confirm_valid": Transition(("under_review",), "in_force", MANAGE, "复审：继续有效"),
        "revise": Transition(
            ("under_review", "in_force"),
            "revising",
            MANAGE,
            "修订",
            confirm="以现行版本为底稿新建修订草案；修订发布前现行版本继续有效。",
        ),
        "withdraw": Transition(
            ("under_review", "in_force", "published"),
            "withdrawn",
            MANAGE,
            "废止",
            confirm="标准废止后不再适用，引用它的检查项会被提示。",
            needs_note=True,
        ),
    }

    @classmethod
    def after(cls, obj: Any, name: str, transition: Transition, actor: Any) -> None:
        from houqin.standards.lifecycle import transition_notify

        transition_notify(standard=obj, name=name, actor=actor)


class Standard(OrgScoped):
    """One standard of the organization's system: its own (level internal) or an adopted
    external one (national, industry, local, group) kept as metadata and a PDF."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家标准"
        INDUSTRY = "industry", "行业标准"
        LOCAL = "local", "地方标准"
        GROUP = "group", "团体标准"
        INTERNAL = "internal", "内部标准"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "立项"
        DRAFTING = "drafting", "起草"
        CONSULTATION = "consultation", "征求意见"
        REVIEW = "review", "审查"
        PUBLISHED = "published", "已发布"
        IN_FORCE = "in_force", "实施"
        UNDER_REVIEW = "under_review", "复审"
        REVISING = "revising", "修订"
        WITHDRAWN = "withdrawn", "废止"

    number = models.CharField("标准编号", max_length=60, blank=True)
    title = models.CharField("标准名称", max_length=200)
    english_title = models.CharField("英文名称", max_length=300, blank=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    node = models.ForeignKey(
        StandardNode, on_delete=models.PROTECT, related_name="standards", verbose_name="体系节点"
    )
    owner_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="归口科室",
    )
    issuing_body = models.CharField("发布机构", max_length=100, blank=True)
    drafting_units = models.CharField("起草单位", max_length=300, blank=True)
    drafters = models.CharField("主要起草人", max_length=300, blank=True)
    posts = models.ManyToManyField(
        "org.Post", blank=True, related_name="standards", verbose_name="适用岗位"
    )
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        verbose_name="代替标准",
    )
    reason = models.TextField("立项理由", blank=True)
    scope = models.TextField("拟规定的范围", blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="负责人",
    )
    due_on = models.DateField("计划完成日期", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_on = models.DateField("实施日期", null=True, blank=True)
    review_years = models.PositiveSmallIntegerField("复审周期（年）", default=5)
    review_due_on = models.DateField("下次复审日期", null=True, blank=True)
    withdrawn_on = models.DateField("废止日期", null=True, blank=True)

    objects = StandardQuerySet.as_manager()  # type: ignore[misc]  # same manager, narrower rows

    workflow = StandardWorkflow
    editable_states = ("proposed", "drafting", "revising", "consultation", "in_force")
    attachment_permission = "standards.change_standard"

    class Meta:
        verbose_name = "标准"
        verbose_name_plural = "标准"
        ordering = ["node__path", "number", "id"]
        permissions = [
            ("manage_standard", "维护标准体系，组织立项、征求意见、实施和复审"),
            ("draft_standard", "起草和修改标准文本"),
            ("approve_standard", "批准发布标准"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~models.Q(number=""),
                name="standard_number_unique",
                violation_error_message="标准编号已被使用，请换一个。",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="standard_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_adopted(self) -> bool:
        return self.level != self.Level.INTERNAL


class StandardLine(models.Model):
    """A service line a standard governs (a standard may govern several)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="lines")
    line = models.CharField("服务条线", max_length=16, choices=ServiceLine.choices)

    class Meta:
        verbose_name = "标准适用条线"
        verbose_name_plural = "标准适用条线"
        constraints = [
            models.UniqueConstraint(fields=["standard", "line"], name="standard_line_unique"),
        ]

    def __str__(self) -> str:
        return self.get_line_display()


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(published_at__isnull=False)

    def drafts(self) -> VersionQuerySet:
        return self.filter(published_at__isnull=True)


class StandardVersion(models.Model):
    """A text of a standard. A draft is edited with optimistic locking (``revision`` goes up
    on every save, a save based on an older revision is refused); once ``published_at`` is
    set the version and its clauses never change."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    seq = models.PositiveIntegerField("版本序号")
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修订底稿",
    )
    change_summary = models.TextField("主要技术变化", blank=True)
    revision = models.PositiveIntegerField("修改次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    edited_at = models.DateTimeField("最后修改时间", null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    number = models.CharField("发布时的标准编号", max_length=60, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "标准版本"
        verbose_name_plural = "标准版本"
        ordering = ["standard_id", "seq"]  # ids: no join to sort
        constraints = [
            models.UniqueConstraint(fields=["standard", "seq"], name="standard_version_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.standard} 第{self.seq}版"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_published:
            raise ValidationError("已发布的版本不能删除。")
        return super().delete(*args, **kwargs)


class ClauseQuerySet(models.QuerySet):
    """Bulk writes touch draft versions only."""

    def update(self, **kwargs: Any) -> int:
        return super(ClauseQuerySet, self.filter(version__published_at__isnull=True)).update(
            **kwargs
        )

    def delete(self) -> Any:
        return super(ClauseQuerySet, self.filter(version__published_at__isnull=True)).delete()


class Clause(models.Model):
    """One element of a version's text, in a tree (``parent``) ordered by ``position``
    among siblings. ``number`` is set by the numbering service, ``provision`` from the
    modal verb in the text; ``extra`` holds a kind's own fields (a term's English and
    definition, a table's rows, an annex's type, a reference's code and year)."""

    class Kind(models.TextChoices):
        FOREWORD = "foreword", "前言"
        INTRODUCTION = "introduction", "引言"
        SCOPE = "scope", "范围"
        REFERENCES = "references", "规范性引用文件"
        TERMS = "terms", "术语和定义"
        CHAPTER = "chapter", "章"
        CLAUSE = "clause", "条"
        PARAGRAPH = "paragraph", "段"
        LIST_ITEM = "list_item", "列项"
        NOTE = "note", "注"
        EXAMPLE = "example", "示例"
        TABLE = "table", "表"
        FIGURE = "figure", "图"
        ANNEX = "annex", "附录"
        BIBLIOGRAPHY = "bibliography", "参考文献"
        TERM = "term", "术语条目"
        REFERENCE = "reference", "引用文件条目"

    class Provision(models.TextChoices):
        REQUIREMENT = "requirement", "要求"
        RECOMMENDATION = "recommendation", "推荐"
        PERMISSION = "permission", "允许"
        STATEMENT = "statement", "陈述"

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="clauses")
    uid = models.UUIDField("条款标识", default=uuid.uuid4)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    number = models.CharField("编号", max_length=32, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("内容", blank=True)
    provision = models.CharField(
        "条款类型", max_length=16, choices=Provision.choices, default=Provision.STATEMENT
    )
    extra = models.JSONField("附加内容", default=dict, blank=True)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = "条款"
        verbose_name_plural = "条款"
        ordering = ["version_id", "parent_id", "position"]  # ids: no join to sort
        constraints = [
            models.UniqueConstraint(fields=["version", "uid"], name="clause_uid_per_version"),
        ]
        indexes = [models.Index(fields=["uid"], name="clause_uid_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title or self.text[:30]}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.version.is_published:
            raise ValidationError("已发布的版本不能修改。")
        self.provision = provision_kind(self.text) if self.text else self.Provision.STATEMENT
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.version.is_published:
            raise ValidationError("已发布的版本不能修改。")
        return super().delete(*args, **kwargs)

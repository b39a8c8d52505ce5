"""The checklist engine: templates of items (each may cite a clause of a standard in force),
schedules that generate tasks with due windows, and records — a checklist filled for a task
or on the spot — with one answer per item.

Versioning: a template's items are never changed once a record has used them. Editing a used
item retires that row and adds its successor with the same ``key`` (``services``), so a
record keeps exactly the items it was filled with (its answers point at them) while the
template moves on (``ChecklistTemplate.revision``)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow
from houqin.org.models import Department, Post, ServiceLine, Team, Vendor
from houqin.places.models import Equipment, Place
from houqin.standards.models import Clause, Standard

MANAGE = "checklists.change_checklisttemplate"
DO_TASKS = "checklists.add_record"


def optional_fk(model: Any, label: str) -> Any:
    """An optional link to another row that the other row does not list back (who does a
    task, where it is done)."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, related_name="+", verbose_name=label, null=True, blank=True
    )


class InspectionKind(models.TextChoices):
    SELF = "self", "自查"
    PATROL = "patrol", "巡查"
    SUPERVISION = "supervision", "督查"
    SPECIAL = "special", "专项检查"
    RANDOM = "random", "随机抽查"
    THIRD_PARTY = "third_party", "第三方评价"


class Severity(models.TextChoices):
    """How serious a failure is; a finding's deadline follows it."""

    MINOR = "minor", "一般"
    MAJOR = "major", "较重"
    CRITICAL = "critical", "严重"


class ChecklistTemplate(OrgScoped):
    """A checklist: its items, how a record is scored, and who owns it."""

    attachment_permission = MANAGE  # photos of "what good looks like"

    class Scoring(models.TextChoices):
        POINTS = "points", "按得分"
        PASS_RATE = "pass_rate", "按合格率"

    name = models.CharField("检查表名称", max_length=100)
    description = models.TextField("说明", blank=True)
    kind = models.CharField(
        "检查类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.SELF
    )
    service_line = models.CharField(
        "服务条线", max_length=16, choices=ServiceLine.choices, default=ServiceLine.GENERAL
    )
    scoring = models.CharField(
        "计分方法", max_length=16, choices=Scoring.choices, default=Scoring.PASS_RATE
    )
    pass_mark = models.DecimalField(
        "合格线（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="得分率或合格率达到这个百分比，记录才算合格；否决项不合格时记录一律不合格。",
    )
    owner = optional_fk(settings.AUTH_USER_MODEL, "负责人")
    department = optional_fk(Department, "负责科室")
    active = models.BooleanField("在用", default=True)
    revision = models.PositiveIntegerField("修订次数", default=1, editable=False)

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="template_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(OrgScoped):
    """One thing to check. ``key`` is the item's identity across edits; the row itself is
    frozen once a record used it (``current`` is False for a row an edit replaced)."""

    attachment_permission = MANAGE  # photos of "what good looks like"

    class AnswerType(models.TextChoices):
        PASS_FAIL = "pass_fail", "合格/不合格"
        NUMBER = "number", "数值"
        TEXT = "text", "文字"
        CHOICE = "choice", "选择"
        DATETIME = "datetime", "日期时间"
        PHOTO = "photo", "照片"
        SIGNATURE = "signature", "签名"

    class PhotoRule(models.TextChoices):
        NEVER = "never", "不要求"
        ON_FAIL = "on_fail", "不合格时必须拍照"
        ALWAYS = "always", "每次都要拍照"

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name="检查表"
    )
    key = models.UUIDField("检查项标识", default=uuid.uuid4, editable=False)
    current = models.BooleanField("现行", default=True, editable=False)
    position = models.PositiveIntegerField("顺序", default=0)
    text = models.CharField("检查内容", max_length=300)
    guidance = models.TextField("检查方法和合格标准", blank=True)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        related_name="checklist_items",
        verbose_name="依据标准",
        null=True,
        blank=True,
    )
    clause_uid = models.UUIDField("依据条款标识", null=True, blank=True)
    clause = models.ForeignKey(
        Clause,
        on_delete=models.PROTECT,
        related_name="checklist_items",
        verbose_name="依据条款",
        null=True,
        blank=True,
    )
    clause_changed = models.CharField(
        "依据条款变化",
        max_length=200,
        blank=True,
        help_text="条款在新版本中改了或删了；复核后清空。",
    )
    answer_type = models.CharField(
        "答案类型", max_length=16, choices=AnswerType.choices, default=AnswerType.PASS_FAIL
    )
    unit = models.CharField("单位", max_length=16, blank=True)
    min_value = models.DecimalField("下限", max_digits=12, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField("上限", max_digits=12, decimal_places=3, null=True, blank=True)
    choices = models.JSONField("选项", default=list, blank=True)
    fail_choices = models.JSONField("算作不合格的选项", default=list, blank=True)
    photo_rule = models.CharField(
        "拍照要求", max_length=16, choices=PhotoRule.choices, default=PhotoRule.ON_FAIL
    )
    note_on_fail = models.BooleanField("不合格时必须写说明", default=True)
    finding_on_fail = models.BooleanField("不合格时生成问题", default=True)
    critical = models.BooleanField("关键项", default=False)
    veto = models.BooleanField("否决项", default=False, help_text="否决项不合格，整份记录不合格。")
    score = models.DecimalField("分值", max_digits=6, decimal_places=2, default=Decimal("1"))
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=Decimal("1"))
    severity = models.CharField(
        "问题默认严重程度", max_length=16, choices=Severity.choices, default=Severity.MINOR
    )
    fix_days = models.PositiveSmallIntegerField(
        "整改期限（天）", null=True, blank=True, help_text="不填时按严重程度的默认期限。"
    )

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["template_id", "position", "pk"]
        indexes = [models.Index(fields=["template", "current"], name="item_current_idx")]

    def __str__(self) -> str:
        return self.text


class CalendarDay(OrgScoped):
    """A day that differs from the usual week: a holiday on a weekday, or a make-up workday
    on a weekend (调休). The office enters them each year as the State Council announces."""

    day = models.DateField("日期")
    workday = models.BooleanField("上班")
    note = models.CharField("说明", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="calendar_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.workday else '休息'}"


class Schedule(OrgScoped):
    """Who checks what with which template, and when: a recurrence that generates tasks."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "每天"
        WEEKLY = "weekly", "每周"
        EVERY_N_DAYS = "every_n_days", "每隔几天"
        MONTHLY = "monthly", "每月"

    class Days(models.TextChoices):
        ALL = "all", "每天都做"
        WORKDAYS = "workdays", "只在工作日"
        RESTDAYS = "restdays", "只在休息日"

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="schedules", verbose_name="检查表"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField(
        "检查类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.SELF
    )
    person = optional_fk(settings.AUTH_USER_MODEL, "执行人")
    post = optional_fk(Post, "岗位")
    team = optional_fk(Team, "班组")
    vendor = optional_fk(Vendor, "服务商")
    place = optional_fk(Place, "场所")
    place_kind = models.CharField(
        "逐个检查该场所下的",
        max_length=16,
        choices=Place.Kind.choices,
        blank=True,
        help_text="不选时只检查所选场所本身。",
    )
    equipment = optional_fk(Equipment, "设备")
    frequency = models.CharField(
        "频次", max_length=16, choices=Frequency.choices, default=Frequency.DAILY
    )
    interval = models.PositiveSmallIntegerField("间隔天数", default=1)
    weekdays = models.JSONField("星期几", default=list, blank=True)  # 1 = Monday … 7
    month_day = models.PositiveSmallIntegerField("每月几号", null=True, blank=True)
    times = models.JSONField("开始时间", default=list)  # ["08:00", "14:00"]
    days = models.CharField("日历", max_length=16, choices=Days.choices, default=Days.ALL)
    window_minutes = models.PositiveIntegerField("完成时限（分钟）", default=120)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskWorkflow(Workflow):
    field = "status"
    transitions: ClassVar[dict[str, Transition]] = {
        "start": Transition(("pending", "overdue"), "in_progress", DO_TASKS, "开始检查"),
        "finish": Transition(("pending", "in_progress", "overdue"), "done", DO_TASKS, "完成"),
        "expire": Transition(("pending", "in_progress"), "overdue", DO_TASKS, "逾期"),
        "miss": Transition(("pending", "in_progress", "overdue"), "missed", DO_TASKS, "漏检"),
        "cancel": Transition(("pending", "overdue"), "cancelled", MANAGE, "取消", needs_note=True),
    }


class Task(OrgScoped):
    """One due check: a template, who, where or on what, and its window. ``occurrence`` makes
    generation idempotent (the same schedule, subject and start never make a second task)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待检查"
        IN_PROGRESS = "in_progress", "检查中"
        DONE = "done", "已完成"
        OVERDUE = "overdue", "逾期"
        MISSED = "missed", "漏检"
        CANCELLED = "cancelled", "已取消"

    workflow = TaskWorkflow

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="tasks", verbose_name="检查表"
    )
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="检查计划",
        null=True,
        blank=True,
    )
    occurrence = models.CharField("生成标识", max_length=120, null=True, blank=True, editable=False)
    kind = models.CharField("检查类型", max_length=16, choices=InspectionKind.choices)
    person = optional_fk(settings.AUTH_USER_MODEL, "执行人")
    post = optional_fk(Post, "岗位")
    team = optional_fk(Team, "班组")
    vendor = optional_fk(Vendor, "服务商")
    place = optional_fk(Place, "场所")
    equipment = optional_fk(Equipment, "设备")
    opens_at = models.DateTimeField("开始时间")
    due_at = models.DateTimeField("截止时间")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    taken_by = optional_fk(settings.AUTH_USER_MODEL, "接手人")
    note = models.CharField("调整说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "occurrence"], name="task_occurrence_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_at"], name="task_status_due_idx"),
            models.Index(fields=["person", "due_at"], name="task_person_due_idx"),
            models.Index(fields=["organization", "due_at"], name="task_org_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {timezone.localtime(self.opens_at):%m-%d %H:%M}"


class Record(OrgScoped):
    """A filled checklist: for a task or on the spot; who, when (server time), where (the
    scanned place), the scoring method and the result. ``client_key`` is the phone's key of
    the draft: a repeated submission of the same draft finds this record, never a second."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        SUBMITTED = "submitted", "已提交"

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="records", verbose_name="检查表"
    )
    template_revision = models.PositiveIntegerField("检查表修订次数")
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name="任务",
        null=True,
        blank=True,
    )
    kind = models.CharField("检查类型", max_length=16, choices=InspectionKind.choices)
    client_key = models.UUIDField("草稿标识", default=uuid.uuid4)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="检查人",
    )
    place = optional_fk(Place, "场所")
    equipment = optional_fk(Equipment, "设备")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField("开始时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    scoring = models.CharField("计分方法", max_length=16, choices=ChecklistTemplate.Scoring.choices)
    score = models.DecimalField("得分率（%）", max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField("合格", null=True)
    vetoed = models.BooleanField("否决", default=False)
    wrong_place = models.BooleanField("非任务场所提交", default=False)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "client_key"], name="record_client_key_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "submitted_at"], name="record_submitted_idx"
            ),
            # covers the compliance counts (no table reads)
            models.Index(
                fields=["organization", "status", "submitted_at", "passed", "place", "equipment"],
                name="record_result_idx",
            ),
            # the failures alone, for the heat map
            models.Index(
                fields=["organization", "status", "submitted_at", "place", "equipment"],
                condition=models.Q(passed=False),
                name="record_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class Answer(OrgScoped):
    """One item's answer in a record. ``outcome`` is derived from the value by the item's
    rule (``services.outcome``); photos hang on the answer as attachments."""

    attachment_permission = "checklists.change_record"  # photos go through the record services

    class Outcome(models.TextChoices):
        EMPTY = "", "未填"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"
        NOT_APPLICABLE = "na", "不适用"

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="answers", verbose_name="记录"
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="answers", verbose_name="检查项"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    value = models.CharField("答案", max_length=500, blank=True)
    outcome = models.CharField(
        "结果", max_length=4, choices=Outcome.choices, default=Outcome.EMPTY, blank=True
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "检查项答案"
        verbose_name_plural = "检查项答案"
        ordering = ["record_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "item"], name="answer_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"


class Handover(OrgScoped):
    """A shift handover (交接班): what the outgoing shift did, what is still open, the keys
    and equipment handed over, and the incoming person's signature (a PNG attachment on
    this row). Written once by the outgoing person; never edited after."""

    # Attachments are added by the handover service only (the signature), never by the
    # generic attachment form.
    attachment_permission = "checklists.change_handover"

    shift = models.CharField("班次", max_length=20, blank=True)
    place = optional_fk(Place, "交接地点")
    done = models.TextField("本班完成情况")
    open_items = models.TextField("未完成、需接班处理的事项", blank=True)
    handed = models.TextField("交接的钥匙、设备和物品", blank=True)
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="交班人",
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接班人",
    )
    handed_at = models.DateTimeField("交接时间")

    class Meta:
        verbose_name = "交接班记录"
        verbose_name_plural = "交接班记录"
        ordering = ["-handed_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "handed_at"], name="handover_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.shift or '交接班'} {self.handed_at:%Y-%m-%d %H:%M}"


class Campaign(OrgScoped):
    """A special campaign (专项检查): checks on one topic over a period. Its tasks are linked
    through ``CampaignTask`` (tasks themselves carry no campaign)."""

    title = models.CharField("专项检查名称", max_length=100)
    topic = models.CharField("检查主题", max_length=200)
    description = models.TextField("说明", blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = optional_fk(settings.AUTH_USER_MODEL, "发起人")

    class Meta:
        verbose_name = "专项检查"
        verbose_name_plural = "专项检查"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignTask(OrgScoped):
    """A task that belongs to a special campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="links", verbose_name="专项检查"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="campaign_links", verbose_name="任务"
    )

    class Meta:
        verbose_name = "专项检查任务"
        verbose_name_plural = "专项检查任务"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "task"], name="campaign_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.task}"


class RandomDraw(OrgScoped):
    """A random spot check (随机抽查, “双随机”): the pools of subjects and inspectors as they
    stood (ordered ids, with each one's department for the conflict rule), the seed and the
    algorithm version, and the result. Anyone who may see it can re-run the draw from these
    and confirm the same subjects and inspectors come out (``draw_services.draw_verify``)."""

    class Subjects(models.TextChoices):
        PLACES = "places", "场所"
        EQUIPMENT = "equipment", "设备"

    title = models.CharField("抽查名称", max_length=100)
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="draws", verbose_name="检查表"
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="draws",
        verbose_name="所属专项检查",
        null=True,
        blank=True,
    )
    subject_type = models.CharField("抽查对象", max_length=16, choices=Subjects.choices)
    pool_words = models.CharField("对象范围", max_length=300)
    inspector_words = models.CharField("检查人员范围", max_length=300)
    subjects_wanted = models.PositiveSmallIntegerField("抽取对象数")
    inspectors_each = models.PositiveSmallIntegerField("每个对象的检查人数")
    avoid_own_department = models.BooleanField("回避本科室", default=False)
    subject_pool = models.JSONField("候选对象（编号, 所属科室）", default=list)
    inspector_pool = models.JSONField("候选检查人员（编号, 所属科室）", default=list)
    seed = models.CharField("随机种子", max_length=64)
    algorithm = models.CharField("抽取算法版本", max_length=16)
    result = models.JSONField("抽取结果", default=list)  # [[subject id, [inspector ids]], …]
    opens_at = models.DateTimeField("开始时间")
    due_at = models.DateTimeField("截止时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="抽取人"
    )
    drawn_at = models.DateTimeField("抽取时间")

    class Meta:
        verbose_name = "随机抽查"
        verbose_name_plural = "随机抽查"
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ThirdPartyEvaluation(OrgScoped):
    """Who evaluated from outside (第三方评价): the record was entered by a person of the
    organization (its inspector) on behalf of this party. ``reference`` is the party's
    report number; an import matches rows on it, so the same file imported twice adds
    nothing."""

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, related_name="third_party", verbose_name="检查记录"
    )
    party = models.CharField("评价单位", max_length=100)
    evaluator = models.CharField("评价人", max_length=40)
    evaluated_on = models.DateField("评价日期")
    reference = models.CharField("报告编号", max_length=60, blank=True)

    class Meta:
        verbose_name = "第三方评价"
        verbose_name_plural = "第三方评价"
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"],
                condition=~models.Q(reference=""),
                name="third_party_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.evaluated_on}"

"""The records of a standard's lifecycle: consultations and their comments, review
meetings, periodic reviews and read-and-acknowledge tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from houqin.common.models import OrgScoped
from houqin.standards.models.core import (
    Standard,
    StandardVersion,
)


class Consultation(OrgScoped):
    """A round of 征求意见 on one draft version: who is asked, until when."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="consultations", verbose_name="标准"
    )
    version = models.ForeignKey(
        StandardVersion, on_delete=models.PROTECT, related_name="+", verbose_name="征求意见稿"
    )
    deadline = models.DateField("截止日期")
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name="征求意见科室"
    )
    served_units = models.ManyToManyField(
        "org.ServedUnit", blank=True, related_name="+", verbose_name="征求意见单位"
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="征求意见人员"
    )
    message = models.TextField("征求意见说明", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.standard} 征求意见（截止{self.deadline:%Y-%m-%d}）"


class Comment(OrgScoped):
    """One comment on a clause (or on the whole draft) and the drafters' answer to it."""

    class Disposition(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "采纳"
        PARTLY = "partly", "部分采纳"
        REJECTED = "rejected", "不采纳"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments", verbose_name="征求意见"
    )
    clause_uid = models.UUIDField("条款标识", null=True, blank=True)
    clause_number = models.CharField("条款编号", max_length=32, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    author_unit = models.CharField("提出单位", max_length=100, blank=True)
    text = models.TextField("意见内容")
    disposition = models.CharField(
        "处理结果", max_length=16, choices=Disposition.choices, default=Disposition.PENDING
    )
    reply = models.TextField("处理说明", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    answered_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["consultation", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.clause_number or '总体'}：{self.text[:30]}"


class ReviewMeeting(OrgScoped):
    """The 审查 of a draft: who reviewed it, the conclusion and its conditions."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", "通过"
        CONDITIONAL = "conditional", "修改后通过"
        FAILED = "failed", "不通过"

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="review_meetings", verbose_name="标准"
    )
    version = models.ForeignKey(
        StandardVersion, on_delete=models.PROTECT, related_name="+", verbose_name="送审稿"
    )
    held_on = models.DateField("审查日期")
    reviewers = models.CharField("审查人员", max_length=300)
    conclusion = models.CharField("审查结论", max_length=16, choices=Conclusion.choices)
    conditions = models.TextField("修改意见或条件", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "审查会"
        verbose_name_plural = "审查会"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.standard} 审查（{self.get_conclusion_display()}）"


class PeriodicReview(OrgScoped):
    """A 复审 of a standard in force and its conclusion."""

    class Conclusion(models.TextChoices):
        VALID = "valid", "继续有效"
        REVISE = "revise", "修订"
        WITHDRAW = "withdraw", "废止"

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="periodic_reviews", verbose_name="标准"
    )
    conclusion = models.CharField("复审结论", max_length=16, choices=Conclusion.choices)
    note = models.TextField("复审意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="复审人"
    )
    decided_on = models.DateField("复审日期")

    class Meta:
        verbose_name = "复审记录"
        verbose_name_plural = "复审记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.standard} 复审：{self.get_conclusion_display()}"


class Acknowledgement(OrgScoped):
    """A read-and-acknowledge task (阅读确认): a person governed by a standard confirms they
    have read the version that took effect."""

    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    due_on = models.DateField("确认期限")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "阅读确认"
        verbose_name_plural = "阅读确认"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="acknowledgement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} 阅读 {self.version}"

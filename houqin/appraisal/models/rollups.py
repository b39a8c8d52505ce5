"""Daily roll-ups of the appraisal's figures (考核数据日汇总): for each closed local day, the
counts of each subject's tasks and records, so a period over a year reads a few thousand
summed rows instead of a million raw ones.

A day's counts are kept with a ``DayBuilt`` mark. Database triggers (migration 0002) delete
the marks of the days a write touches — a record or task inserted, changed or deleted, a
task's team or vendor changed (its records' days), a place's or template's department changed
(every day) — so counts whose rows changed are never read: ``houqin.appraisal.rollups``
builds a day again when its mark is missing."""

from __future__ import annotations

from django.db import models

from houqin.common.models import OrgScoped


class DayFigure(OrgScoped):
    """One subject's counts of one kind of rows on one local day, per inspection kind.
    ``n1``…``n4`` are the conditions of ``houqin.appraisal.rollups.COUNTED`` in order."""

    rows_kind = models.CharField("数据类别", max_length=8)
    subject_kind = models.CharField("考核对象类型", max_length=12)
    day = models.DateField("日期")
    subject_id = models.BigIntegerField("考核对象")
    inspection_kind = models.CharField("检查类型", max_length=16)
    n1 = models.PositiveIntegerField(default=0)
    n2 = models.PositiveIntegerField(default=0)
    n3 = models.PositiveIntegerField(default=0)
    n4 = models.PositiveIntegerField(default=0)

    bureau_visible = False

    class Meta:
        verbose_name = "考核数据日汇总"
        verbose_name_plural = "考核数据日汇总"
        indexes = [
            models.Index(
                fields=["organization", "rows_kind", "subject_kind", "day"],
                name="dayfigure_read_idx",
            )
        ]


class DayBuilt(OrgScoped):
    """The mark that a day's ``DayFigure`` rows of a kind of rows and subjects are complete
    and current (a day may have none)."""

    rows_kind = models.CharField("数据类别", max_length=8)
    day = models.DateField("日期")
    subject_kind = models.CharField("考核对象类型", max_length=12)

    bureau_visible = False

    class Meta:
        verbose_name = "考核数据日汇总标记"
        verbose_name_plural = "考核数据日汇总标记"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rows_kind", "day", "subject_kind"],
                name="daybuilt_unique",
            )
        ]

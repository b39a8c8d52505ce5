"""Background work of the checklist engine.

django-tasks has no clock of its own: a daily command (cron or a systemd timer) enqueues or
calls these jobs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from houqin.checklists.services import citations_review
from houqin.checklists.task_services import (
    GENERATE_AHEAD_DAYS,
    tasks_expire,
    tasks_generate,
    tasks_remind,
)
from houqin.common.job_command import job_moment
from houqin.standards.models import Standard, StandardVersion


@task()
def citations_review_recent(now: str = "") -> dict[str, int]:
    """每日：对过去一天内发布了新版本的标准，核对引用其条款的检查项（见 citations_review；
    发布时已核对过的不会重复标记或通知）。``now`` 为 ISO 时间，空则取现在。"""
    moment = job_moment(now)
    published = StandardVersion.objects.filter(
        published_at__gt=moment - timedelta(days=1), published_at__lte=moment
    ).values("standard_id")
    totals = {"standards": 0, "kept": 0, "changed": 0, "removed": 0}
    for standard in Standard.objects.filter(pk__in=published).order_by("pk"):
        review = citations_review(standard=standard)
        totals["standards"] += 1
        totals["kept"] += review.kept
        totals["changed"] += review.changed
        totals["removed"] += review.removed
    return totals


@task()
def checklist_tasks_tick(now: str = "", days: int = GENERATE_AHEAD_DAYS) -> dict[str, int]:
    """每隔几分钟：生成今天起 ``days`` 天的检查任务（已有的不重复生成），把过了截止时间的任务
    标为逾期、逾期一天的标为漏检，并发送开始前和截止前的提醒。``now`` 为 ISO 时间，空则取现在。"""
    moment = job_moment(now)
    created = tasks_generate(start=timezone.localdate(moment), days=days, now=moment)
    expired = tasks_expire(now=moment)
    reminded = tasks_remind(now=moment)
    return {"created": created, **expired, "reminded": reminded}

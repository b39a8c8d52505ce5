"""Background work of findings: the daily run that escalates overdue rectifications.

django-tasks has no clock of its own: ``python manage.py findings_daily`` (run by cron, a
systemd timer or scripts/serve's daily loop) runs or enqueues ``findings_daily``."""

from __future__ import annotations

from django_tasks import task

from houqin.common.job_command import job_moment
from houqin.findings.services import rectifications_escalate


@task()
def findings_daily(now: str = "") -> dict[str, int]:
    """每日：逾期的整改催办科室负责人，再逾期一个整改周期的报中心领导（每一级只通知一次，
    重复执行不会重复通知）。``now`` 为 ISO 时间，空则取现在。"""
    moment = job_moment(now)
    return rectifications_escalate(now=moment)

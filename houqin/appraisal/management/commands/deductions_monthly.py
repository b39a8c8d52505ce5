"""python manage.py deductions_monthly [--date YYYY-MM-DD] [--enqueue]

The monthly run of vendor deductions: for every contract with deduction terms that ran in
the month before ``--date`` (default today), the month's deduction statement is made as a
draft for the office to check and issue. Schedule it early each month (e.g. cron
``30 6 1 * *  cd /srv/houqin && .venv/bin/python manage.py deductions_monthly``); running
it again makes no second statement for a contract and month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from houqin.appraisal.deduction_services import statements_monthly
from houqin.common.job_command import JobCommand


@task()
def deductions_monthly(day: str = "") -> dict[str, Any]:
    """每月：为上个月生成各服务合同的扣款单（草稿）；已有的跳过。``day`` 为 ISO 日期，
    空则取今天。"""
    today = date.fromisoformat(day) if day else timezone.localdate()
    return statements_monthly(today=today)


class Command(JobCommand):
    help = "每月执行：为上个月生成各服务合同的扣款单（草稿），重复执行不会重复生成。"
    job = deductions_monthly
    moment = "date"
    summary = "{month} 扣款单：新生成 {made} 份，已有 {skipped} 份。"

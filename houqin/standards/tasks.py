"""Background work of the standards lifecycle: the daily run that puts standards into force
on their date and sends the standards officers their digest of what is overdue.

django-tasks has no clock of its own: ``python manage.py standards_daily`` (run once a day
by cron or a systemd timer, see the command) runs or enqueues ``standards_daily_digest``."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from houqin.standards.lifecycle import effective_standards_activate
from houqin.standards.reminders import daily_digest_send


@task()
def standards_daily_digest(today: str = "") -> dict[str, int]:
    """每日：实施日期已到的标准开始实施，再给各单位的标准化办公室发一条到期提醒（同一天
    重复执行不会重复发送）。``today`` 为 ISO 日期，空则取今天。"""
    day = date.fromisoformat(today) if today else timezone.localdate()
    activated = effective_standards_activate(today=day)
    notified = daily_digest_send(today=day)
    return {"activated": activated, "notified": notified}

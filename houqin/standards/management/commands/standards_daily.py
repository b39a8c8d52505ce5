"""python manage.py standards_daily [--date YYYY-MM-DD] [--enqueue]

The daily run of the standards lifecycle (standards whose date has come take effect; the
officers' digest of overdue reviews and consultations). Schedule it once a day, e.g. with
cron ``5 1 * * *  cd /srv/houqin && .venv/bin/python manage.py standards_daily`` or a
systemd timer. Running it twice on the same day sends no second digest."""

from __future__ import annotations

from houqin.common.job_command import JobCommand
from houqin.standards.tasks import standards_daily_digest


class Command(JobCommand):
    help = "每日执行：到期标准开始实施，并给标准化办公室发送到期提醒。"
    job = standards_daily_digest
    moment = "date"
    summary = "开始实施 {activated} 项标准；发送提醒 {notified} 条。"

"""python manage.py standards_daily [--date YYYY-MM-DD] [--enqueue]

The daily run of the standards lifecycle (standards whose date has come take effect; the
officers' digest of overdue reviews and consultations). Schedule it once a day, e.g. with
cron ``5 1 * * *  cd /srv/houqin && .venv/bin/python manage.py standards_daily`` or a
systemd timer. Running it twice on the same day sends no second digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.standards.tasks import standards_daily_digest


class Command(BaseCommand):
    help = "每日执行：到期标准开始实施，并给标准化办公室发送到期提醒。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按这一天执行（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or ""
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as error:
                raise CommandError(f"日期“{day}”格式不对，应形如 2026-05-01。") from error
        if options["enqueue"]:
            result = standards_daily_digest.enqueue(day)
            self.stdout.write(f"已交给后台任务进程执行（任务 {result.id}）。")
            return
        outcome = standards_daily_digest.call(day)
        self.stdout.write(
            f"开始实施 {outcome['activated']} 项标准；发送提醒 {outcome['notified']} 条。"
        )

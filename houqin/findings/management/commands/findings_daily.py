"""python manage.py findings_daily [--now "YYYY-MM-DD HH:MM"] [--enqueue]

The daily run of findings: overdue rectifications are escalated to the head of the
responsible department, and after a further full deadline period to the leaders. Schedule
it once a day or more often (e.g. cron ``15 8 * * *  cd /srv/houqin && .venv/bin/python
manage.py findings_daily``); running it again sends no second notification of a level."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.findings.tasks import findings_daily


class Command(BaseCommand):
    help = "每日执行：逾期整改催办科室负责人，严重逾期的报中心领导。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="按这个时间执行（如 2026-05-01 09:00），默认现在")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = options["now"] or ""
        if now:
            try:
                datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"时间“{now}”格式不对，应形如 2026-05-01 09:00。") from error
        if options["enqueue"]:
            result = findings_daily.enqueue(now)
            self.stdout.write(f"已交给后台任务进程执行（任务 {result.id}）。")
            return
        outcome = findings_daily.call(now)
        self.stdout.write(
            f"催办科室负责人 {outcome['head']} 项；报中心领导 {outcome['leader']} 项。"
        )

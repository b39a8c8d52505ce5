"""python manage.py generate_tasks [--days N] [--org CODE] [--date YYYY-MM-DD]

Generate the tasks of every active schedule for the next N days (7 by default), from today
or from ``--date``. Idempotent: running it again, or twice at once, makes no duplicates; it
prints how many tasks it made. ``checklists_tick`` runs it with the expiry and reminders
every few minutes; this command is for generating further ahead or for one center."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from houqin.checklists.task_services import GENERATE_AHEAD_DAYS, tasks_generate
from houqin.org.models import Organization

MAX_DAYS = 366


class Command(BaseCommand):
    help = "按检查计划生成今后几天的检查任务（已有的不重复生成）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=GENERATE_AHEAD_DAYS,
            help=f"生成多少天的任务，默认 {GENERATE_AHEAD_DAYS} 天，最多 {MAX_DAYS} 天",
        )
        parser.add_argument("--org", help="只生成这个单位（单位代码）的任务，默认全部单位")
        parser.add_argument("--date", help="从这一天开始（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days 请填 1 到 {MAX_DAYS} 之间的天数。")
        start = timezone.localdate()
        if options["date"]:
            try:
                start = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"日期“{options['date']}”格式不对，应形如 2026-10-01。"
                ) from error
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(code=options["org"]).first()
            if organization is None:
                raise CommandError(f"没有代码为“{options['org']}”的单位。")
        created = tasks_generate(organization=organization, start=start, days=days)
        self.stdout.write(f"生成检查任务 {created} 个（已有的不重复生成）。")

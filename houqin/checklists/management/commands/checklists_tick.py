"""python manage.py checklists_tick [--enqueue]

The clock of checklist tasks, to run every few minutes (cron ``*/5 * * * *  cd /srv/houqin
&& .venv/bin/python manage.py checklists_tick`` or a systemd timer): it generates the next
days' tasks, marks tasks past their due time overdue (逾期) and those overdue for a day
missed (漏检), and reminds people before a window opens and before it closes. Running it
twice makes no duplicate task and sends no second reminder."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from houqin.checklists.tasks import checklist_tasks_tick


class Command(BaseCommand):
    help = "检查任务定时执行：生成任务、标记逾期和漏检、发送开始前和截止前提醒。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = checklist_tasks_tick.enqueue()
            self.stdout.write(f"已交给后台任务进程执行（任务 {result.id}）。")
            return
        outcome = checklist_tasks_tick.call()
        self.stdout.write(
            f"生成检查任务 {outcome['created']} 个；标为逾期 {outcome['overdue']} 个，"
            f"标为漏检 {outcome['missed']} 个；发送提醒 {outcome['reminded']} 条。"
        )

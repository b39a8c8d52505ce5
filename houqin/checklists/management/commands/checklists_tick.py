"""python manage.py checklists_tick [--enqueue]

The clock of checklist tasks, to run every few minutes (cron ``*/5 * * * *  cd /srv/houqin
&& .venv/bin/python manage.py checklists_tick`` or a systemd timer): it generates the next
days' tasks, marks tasks past their due time overdue (逾期) and those overdue for a day
missed (漏检), and reminds people before a window opens and before it closes. Running it
twice makes no duplicate task and sends no second reminder."""

from __future__ import annotations

from houqin.checklists.tasks import checklist_tasks_tick
from houqin.common.job_command import JobCommand


class Command(JobCommand):
    help = "检查任务定时执行：生成任务、标记逾期和漏检、发送开始前和截止前提醒。"
    job = checklist_tasks_tick
    summary = (
        "生成检查任务 {created} 个；标为逾期 {overdue} 个，标为漏检 {missed} 个；"
        "发送提醒 {reminded} 条。"
    )

"""A management command that runs one background job (a django-tasks ``@task``) now, or
hands it to the task worker with ``--enqueue``: the daily and periodic jobs of the apps are
commands of this shape, so cron or ``scripts/serve`` can run them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


def job_moment(now: str) -> datetime:
    """A job's ``now`` argument: ISO text (a naive one is local time), or empty for now."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class JobCommand(BaseCommand):
    """Subclasses set ``job``, ``help`` and ``summary`` (what the job did: a format string
    over the keys of the dict the job returns); ``moment`` names an optional ``--date`` (a
    day) or ``--now`` (a time) option passed to the job as ISO text."""

    job: Any
    summary: ClassVar[str]
    moment: ClassVar[str] = ""  # "", "date" or "now"
    MOMENTS: ClassVar[dict[str, tuple[str, str, str]]] = {
        "date": ("按这一天执行（YYYY-MM-DD），默认今天", "日期", "2026-05-01"),
        "now": ("按这个时间执行（如 2026-05-01 09:00），默认现在", "时间", "2026-05-01 09:00"),
    }

    def add_arguments(self, parser: CommandParser) -> None:
        if self.moment:
            parser.add_argument(f"--{self.moment}", help=self.MOMENTS[self.moment][0])
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行"
        )

    def _moment(self, options: dict[str, Any]) -> list[str]:
        if not self.moment:
            return []
        value = options.get(self.moment) or ""
        if value:
            parse = date.fromisoformat if self.moment == "date" else datetime.fromisoformat
            try:
                parse(value)
            except ValueError as error:
                _, noun, example = self.MOMENTS[self.moment]
                raise CommandError(f"{noun}“{value}”格式不对，应形如 {example}。") from error
        return [value]

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = self._moment(options)
        if options["enqueue"]:
            result = self.job.enqueue(*arguments)
            self.stdout.write(f"已交给后台任务进程执行（任务 {result.id}）。")
            return
        self.stdout.write(self.summary.format(**self.job.call(*arguments)))

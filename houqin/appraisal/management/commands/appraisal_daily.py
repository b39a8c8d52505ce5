"""python manage.py appraisal_daily [--now "YYYY-MM-DD HH:MM"] [--enqueue]

The daily run of appraisal: for every period still to be computed (草稿 or 计算), the days
that have passed are counted into the daily roll-ups of tasks and records, so that pressing
“计算得分” only adds them up. Schedule it once a night (e.g. cron
``10 1 * * *  cd /srv/houqin && .venv/bin/python manage.py appraisal_daily``); a day already
counted, and not written to since, is not counted again."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from houqin.appraisal.compute import rollups_prepare
from houqin.common.job_command import JobCommand, job_moment


@task()
def appraisal_daily(now: str = "") -> dict[str, Any]:
    """每天：把待计算考核周期中已过去的日子按考核对象汇总。``now`` 为 ISO 时间，空则取现在。"""
    return rollups_prepare(now=job_moment(now))


class Command(JobCommand):
    help = "每天执行：把待计算的考核周期中已过去的日子按考核对象汇总好，计算得分时只需相加。"
    job = appraisal_daily
    moment = "now"
    summary = "待计算的考核周期 {periods} 个，新汇总 {days} 天的数据。"

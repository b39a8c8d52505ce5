"""python manage.py findings_daily [--now "YYYY-MM-DD HH:MM"] [--enqueue]

The daily run of findings: overdue rectifications are escalated to the head of the
responsible department, and after a further full deadline period to the leaders. Schedule
it once a day or more often (e.g. cron ``15 8 * * *  cd /srv/houqin && .venv/bin/python
manage.py findings_daily``); running it again sends no second notification of a level."""

from __future__ import annotations

from houqin.common.job_command import JobCommand
from houqin.findings.tasks import findings_daily


class Command(JobCommand):
    help = "每日执行：逾期整改催办科室负责人，严重逾期的报中心领导。"
    job = findings_daily
    moment = "now"
    summary = "催办科室负责人 {head} 项；报中心领导 {leader} 项。"

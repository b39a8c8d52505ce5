"""python manage.py checklists_daily

The safety net behind publishing: for standards that published a new version in the last
day, checklist items citing their clauses follow them (changed or removed clauses are
marked for the template's owner). Publishing already does this after its commit; running
it again marks and notifies nothing twice. ``scripts/serve`` runs it every hour."""

from __future__ import annotations

from houqin.checklists.tasks import citations_review_recent
from houqin.common.job_command import JobCommand


class Command(JobCommand):
    help = "每日执行：新发布版本的标准，核对引用其条款的检查项。"
    job = citations_review_recent
    summary = "核对标准 {standards} 项：检查项条款有修改 {changed} 个，已删除 {removed} 个。"

"""Background work of appraisal: computing a period's scores (started by the “计算得分” step,
``period_step(period, "compute", …)``)."""

from __future__ import annotations

from django_tasks import task

from houqin.appraisal.models import Period
from houqin.common.job_command import job_moment


@task()
def period_compute_job(period_id: int, now: str = "", actor_id: int = 0) -> str:
    """计算一个考核周期全部考核对象的得分（见 period_compute）。``now`` 为 ISO 时间，空则取现在；
    周期已不存在、或已不在“正在计算”时什么也不做。算完（或失败）时通知点“计算得分”的人
    （``actor_id``）。"""
    from houqin.appraisal.period_services import compute_notify, period_compute

    period = Period.objects.select_related("version", "scheme").filter(pk=period_id).first()
    if period is None:
        return "gone"
    if not period.computing:  # computed since (or published): a stale job changes nothing
        return "skipped"
    moment = job_moment(now)
    period_compute(period, now=moment)
    period.refresh_from_db(fields=["compute_error"])
    compute_notify(period, actor_id)
    return "failed" if period.compute_error else "done"

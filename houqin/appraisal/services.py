"""The public service functions of appraisal, in one place (each part lives in its own
module: ``period_services`` for periods, scores, manual entries and appeals; the other
parts add their lines here)."""

from houqin.appraisal.period_services import (
    appeal_decide,
    appeal_submit,
    manual_entry_set,
    period_compute,
    period_create,
    period_rerank,
    period_step,
    score_retotal,
)
from houqin.appraisal.selectors import after_freeze, score_breakdown

__all__ = [
    "after_freeze",
    "appeal_decide",
    "appeal_submit",
    "manual_entry_set",
    "period_compute",
    "period_create",
    "period_rerank",
    "period_step",
    "score_breakdown",
    "score_retotal",
]

"""Appraisal (考核): schemes with indicators and rules, periods scored from Houqin's own
data, appeals, the reward/penalty ledger, vendor deductions, supervision rounds, circulars
and the yearly self-evaluation. One module per part; every model is importable from here."""

from houqin.appraisal.models.circulars import (
    Circular,
    CircularWorkflow,
    RoundItem,
    SelfEvaluation,
    SupervisionRound,
)
from houqin.appraisal.models.deductions import (
    DeductionLine,
    DeductionRule,
    DeductionStatement,
    DeductionStatementWorkflow,
    DeductionTerms,
)
from houqin.appraisal.models.ledger import RewardPenalty, RewardPenaltyWorkflow
from houqin.appraisal.models.periods import (
    Appeal,
    AppealWorkflow,
    ManualEntry,
    Period,
    PeriodWorkflow,
    Score,
    ScoreLine,
)
from houqin.appraisal.models.rollups import DayBuilt, DayFigure
from houqin.appraisal.models.schemes import (
    Adjustment,
    AppraisalScheme,
    Grade,
    GradeBand,
    Indicator,
    Method,
    RewardRule,
    SchemeVersion,
    Source,
    SubjectKind,
)

__all__ = [
    "Adjustment",
    "Appeal",
    "AppealWorkflow",
    "AppraisalScheme",
    "Circular",
    "CircularWorkflow",
    "DayBuilt",
    "DayFigure",
    "DeductionLine",
    "DeductionRule",
    "DeductionStatement",
    "DeductionStatementWorkflow",
    "DeductionTerms",
    "Grade",
    "GradeBand",
    "Indicator",
    "ManualEntry",
    "Method",
    "Period",
    "PeriodWorkflow",
    "RewardPenalty",
    "RewardPenaltyWorkflow",
    "RewardRule",
    "RoundItem",
    "SchemeVersion",
    "Score",
    "ScoreLine",
    "SelfEvaluation",
    "Source",
    "SubjectKind",
    "SupervisionRound",
]

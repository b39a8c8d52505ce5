"""The writes of appraisal, in one place. Each part lives in its own module and is re-exported
here: schemes (``scheme_services``), periods, scores, manual entries and appeals
(``period_services``), the reward/penalty ledger (``ledger_services``), vendor deductions
(``deduction_services``), supervision rounds (``round_services``), circulars
(``circular_services``) and the self-evaluation (``selfeval_services``)."""

from houqin.appraisal.circular_services import circular_draft, circular_publish, circular_update
from houqin.appraisal.deduction_services import (
    line_answer,
    line_appeal,
    rule_add,
    rule_switch,
    statement_confirm,
    statement_issue,
    statement_make,
    statement_refresh,
    statement_settle,
    statement_sign_off,
    statements_monthly,
    terms_save,
)
from houqin.appraisal.ledger_services import entry_decide, entry_register, ledger_from_period
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
from houqin.appraisal.round_services import round_issue, round_open, round_pick, round_propose
from houqin.appraisal.scheme_services import (
    scheme_create,
    version_publish,
    version_revise,
    version_row_remove,
    version_row_save,
    version_settings_save,
)
from houqin.appraisal.selfeval_services import selfeval_draft, selfeval_refresh, selfeval_update

__all__ = [
    "appeal_decide",
    "appeal_submit",
    "circular_draft",
    "circular_publish",
    "circular_update",
    "entry_decide",
    "entry_register",
    "ledger_from_period",
    "line_answer",
    "line_appeal",
    "manual_entry_set",
    "period_compute",
    "period_create",
    "period_rerank",
    "period_step",
    "round_issue",
    "round_open",
    "round_pick",
    "round_propose",
    "rule_add",
    "rule_switch",
    "scheme_create",
    "score_retotal",
    "selfeval_draft",
    "selfeval_refresh",
    "selfeval_update",
    "statement_confirm",
    "statement_issue",
    "statement_make",
    "statement_refresh",
    "statement_settle",
    "statement_sign_off",
    "statements_monthly",
    "terms_save",
    "version_publish",
    "version_revise",
    "version_row_remove",
    "version_row_save",
    "version_settings_save",
]

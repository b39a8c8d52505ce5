"""Sweep entries for the vendor-deduction pages and API (see tests/test_url_sweep.py) and
the org-A row they take."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.routes import Route

STATEMENT = "appraisal.deductionstatement"
VIEW = "appraisal.view_deductionstatement"
RUN = "appraisal.change_deductionstatement"
APPEAL = "appraisal.appeal_deductionstatement"
TERMS = "appraisal.view_deductionterms"

ROUTES: dict[str, Route] = {
    "appraisal:deduction_list": Route(VIEW, denied="worker"),
    "appraisal:deduction_detail": Route(VIEW, sample=STATEMENT, denied="worker"),
    "appraisal:deduction_step": Route(VIEW, sample=STATEMENT, method="post", denied="worker"),
    "appraisal:deduction_appeal": Route(APPEAL, sample=STATEMENT, method="post", denied="leader"),
    "appraisal:deduction_answer": Route(RUN, sample=STATEMENT, method="post", denied="leader"),
    "appraisal:deduction_xlsx": Route(VIEW, sample=STATEMENT, denied="worker"),
    "appraisal:deduction_print": Route(VIEW, sample=STATEMENT, denied="worker"),
    "appraisal:deduction_pdf": Route(VIEW, sample=STATEMENT, denied="worker"),
    "appraisal:deduction_contracts": Route(TERMS, denied="worker"),
    "appraisal:deduction_terms": Route(TERMS, sample="org.contract", denied="worker"),
    "api:deduction-statement-list": Route(VIEW, denied="worker"),
    "api:deduction-statement-detail": Route(VIEW, sample=STATEMENT, denied="worker"),
    "api:deduction-statement-appeal": Route(
        APPEAL, sample=STATEMENT, method="post", denied="worker"
    ),
    "api:deduction-statement-answer": Route(RUN, sample=STATEMENT, method="post", denied="worker"),
    "api:deduction-statement-step": Route(VIEW, sample=STATEMENT, method="post", denied="worker"),
}


def sample(app_model: str, org: Any) -> Any:
    """A statement of a sample vendor contract for August 2026 (one rule, no rows)."""
    if app_model != STATEMENT:
        raise LookupError(app_model)
    from houqin.appraisal.deduction_services import statement_make
    from houqin.appraisal.models import DeductionStatement, DeductionTerms
    from houqin.org.models import Contract, Vendor

    found = DeductionStatement.objects.filter(organization=org).first()
    if found is not None:
        return found
    vendor = Vendor.objects.get_or_create(
        organization=org, code="DV", defaults={"name": "样例公司"}
    )[0]
    contract = Contract.objects.create(
        organization=org,
        vendor=vendor,
        number="HT-DV",
        title="样例保洁合同",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        amount=Decimal(120000),
        status=Contract.Status.ACTIVE,
    )
    terms = DeductionTerms.objects.create(
        organization=org, contract=contract, monthly_fee=Decimal(10000), cap_percent=Decimal(5)
    )
    terms.rules.create(organization=org, basis="missed_task", unit_amount=Decimal(100))
    return statement_make(terms=terms, month=date(2026, 8, 1))[0]

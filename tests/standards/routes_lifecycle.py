"""Sweep entries for the standards lifecycle routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

MANAGE = "standards.manage_standard"
DRAFT = "standards.draft_standard"
APPROVE = "standards.approve_standard"
VIEW = "standards.view_standard"
STANDARD = "standards.standard"


def _post(guard: str, denied: str) -> Route:
    return Route(guard, sample=STANDARD, method="post", denied=denied)


ROUTES: dict[str, Route] = {
    "standards:standard_lifecycle": Route(VIEW, sample=STANDARD, denied="served"),
    "standards:proposal_approve": _post(MANAGE, "department_head"),
    "standards:proposal_reject": _post(MANAGE, "department_head"),
    "standards:consultation_open": Route(DRAFT, sample=STANDARD, denied="worker"),
    "standards:review_submit": _post(DRAFT, "worker"),
    "standards:standard_return_drafting": _post(DRAFT, "leader"),
    "standards:review_record": Route(MANAGE, sample=STANDARD, denied="department_head"),
    "standards:standard_approve": Route(APPROVE, sample=STANDARD, denied="standards_officer"),
    "standards:standard_take_effect": _post(MANAGE, "department_head"),
    "standards:periodic_review_start": _post(MANAGE, "department_head"),
    "standards:periodic_review_decide": Route(MANAGE, sample=STANDARD, denied="leader"),
    "standards:standard_revise": _post(MANAGE, "department_head"),
    "standards:standard_withdraw": _post(MANAGE, "leader"),
    "standards:adopted_text_open": _post(MANAGE, "department_head"),
    "standards:adopted_text_publish": _post(MANAGE, "department_head"),
    # Invitees without any standards permission (served staff) may read and comment, so these
    # only need a signed-in person; one who is not invited gets 403.
    "standards:consultation_detail": Route(
        "signed_in", sample="standards.consultation", denied="served"
    ),
    "standards:comment_add": Route(
        "signed_in", sample="standards.consultation", method="post", denied="served"
    ),
    "standards:comment_answer": Route(DRAFT, sample="standards.comment", denied="worker"),
    "standards:acknowledgement_list": Route("signed_in"),
    "standards:acknowledge": Route(
        "signed_in", sample="standards.acknowledgement", method="post", denied="worker"
    ),
    "standards:reminder_list": Route(MANAGE, denied="department_head"),
    "standards:disposition_export": Route(DRAFT, sample="standards.consultation", denied="worker"),
}

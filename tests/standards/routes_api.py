"""Sweep entries for the standards api routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

VIEW = "standards.view_standard"

ROUTES: dict[str, Route] = {
    "api:standard-list": Route(VIEW, denied="served"),
    "api:standard-check": Route(VIEW, method="post", denied="served"),
    "api:standard-detail": Route(VIEW, sample="standards.standard", denied="served"),
    "api:standard-transition": Route(
        "standards.manage_standard", sample="standards.standard", method="post", denied="worker"
    ),
    "api:standard-node-list": Route("standards.view_standardnode", denied="worker"),
    "api:standard-node-detail": Route(
        "standards.view_standardnode", sample="standards.standardnode", denied="worker"
    ),
    "api:standard-version-list": Route(VIEW, denied="served"),
    "api:standard-version-detail": Route(VIEW, sample="standards.standardversion", denied="served"),
    "api:clause-list": Route(VIEW, denied="served"),
    "api:clause-detail": Route(VIEW, sample="standards.clause", denied="served"),
    "api:standard-comment-list": Route("signed_in"),
    "api:standard-comment-detail": Route("signed_in", sample="standards.comment"),
    "api:standard-comment-answer": Route(
        "standards.draft_standard", sample="standards.comment", method="post", denied="worker"
    ),
}

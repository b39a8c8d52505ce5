"""Sweep entries for the standards editor routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

DRAFT = "standards.draft_standard"
VIEW = "standards.view_standard"

ROUTES: dict[str, Route] = {
    "standards:editor": Route(DRAFT, sample="standards.standardversion", denied="worker"),
    "standards:editor_library": Route(DRAFT, sample="standards.standardversion", denied="worker"),
    "standards:editor_add": Route(
        DRAFT, sample="standards.standardversion", method="post", denied="worker"
    ),
    **{
        f"standards:editor_{name}": Route(
            DRAFT, sample="standards.clause", method="post", denied="worker"
        )
        for name in ("save", "move", "split", "merge", "delete")
    },
    "standards:version_check": Route(DRAFT, sample="standards.standardversion", denied="worker"),
    "standards:check_waive": Route(
        DRAFT, sample="standards.standardversion", method="post", denied="worker"
    ),
    "standards:check_unwaive": Route(DRAFT, sample="check_waiver", method="post", denied="worker"),
    "standards:version_check_live": Route(
        DRAFT, sample="standards.standardversion", denied="worker"
    ),
    "standards:check_fix": Route(
        DRAFT, sample="standards.standardversion", method="post", denied="worker"
    ),
    "standards:check_fix_undo": Route(
        DRAFT, sample="standards.standardversion", method="post", denied="worker"
    ),
    "standards:draft_import": Route(DRAFT, sample="standards.standardversion", denied="worker"),
    "standards:draft_template": Route(
        DRAFT, sample="standards.standardversion", method="post", denied="worker"
    ),
    "standards:rule_list": Route(VIEW, denied="served"),
    "standards:rule_detail": Route(VIEW, sample="rule", denied="served"),
}

"""Sweep entries for the standards editor routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

DRAFT = "standards.draft_standard"

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
}

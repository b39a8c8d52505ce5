"""Sweep entries for the standards documents routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

VERSION = "standards.standardversion"

ROUTES: dict[str, Route] = {
    "standards:version_docx": Route("standards.view_standard", sample=VERSION, denied="served"),
    "standards:version_pdf": Route("standards.view_standard", sample=VERSION, denied="served"),
    "standards:version_print": Route("standards.view_standard", sample=VERSION, denied="served"),
    "standards:system_table_export": Route("standards.view_standardnode", denied="worker"),
    "standards:system_diagram": Route("standards.view_standardnode", denied="worker"),
    "standards:plan_export": Route(
        "standards.view_standardplan", sample="standards.standardplan", denied="worker"
    ),
}

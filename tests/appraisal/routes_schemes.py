"""Sweep entries for the scheme pages (see tests/test_url_sweep.py) and the org-A rows they
take."""

from __future__ import annotations

from typing import Any

from tests.routes import Route

SCHEME = "appraisal.appraisalscheme"
VERSION = "appraisal.schemeversion"
VIEW = "appraisal.view_appraisalscheme"
CHANGE = "appraisal.change_appraisalscheme"

ROUTES: dict[str, Route] = {
    "appraisal:scheme_list": Route(VIEW, denied="department_head"),
    "appraisal:scheme_create": Route("appraisal.add_appraisalscheme", denied="leader"),
    "appraisal:scheme_detail": Route(VIEW, sample=SCHEME, denied="department_head"),
    "appraisal:scheme_revise": Route(CHANGE, sample=SCHEME, method="post", denied="leader"),
    "appraisal:version_compare": Route(VIEW, sample=SCHEME, denied="worker"),
    "appraisal:version_detail": Route(VIEW, sample=VERSION, denied="department_head"),
    "appraisal:version_row": Route(CHANGE, sample=VERSION, denied="leader"),
    "appraisal:version_row_remove": Route(CHANGE, sample=VERSION, method="post", denied="leader"),
    "appraisal:version_settings": Route(CHANGE, sample=VERSION, denied="leader"),
    "appraisal:version_publish": Route(CHANGE, sample=VERSION, method="post", denied="leader"),
}


def sample(app_model: str, org: Any) -> Any:
    """An org-A row for a sweep route that takes a scheme or a version: a department scheme
    with its published first version and a draft second one."""
    if app_model not in (SCHEME, VERSION):
        raise LookupError(app_model)
    from houqin.appraisal.models import AppraisalScheme, SchemeVersion
    from tests.appraisal.builders import scheme_make

    scheme = AppraisalScheme.objects.filter(organization=org, name="样例考核方案").first()
    if scheme is None:
        scheme = scheme_make(org, name="样例考核方案")
        SchemeVersion.objects.create(organization=org, scheme=scheme, seq=2)
    if app_model == SCHEME:
        return scheme
    return scheme.versions.get(seq=2)

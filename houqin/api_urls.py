"""Routes of /api/v1/: each app adds its viewsets here."""

from django.urls import include, path

from houqin.accounts.api import MeView
from houqin.appraisal.api import router as appraisal_router
from houqin.appraisal.api_ledger import router as appraisal_ledger_router
from houqin.checklists.api import router as checklists_router
from houqin.checklists.api_records import RecordSubmitView
from houqin.checklists.api_templates import router as checklist_templates_router
from houqin.findings.api import router as findings_router
from houqin.org.api import router as org_router
from houqin.places.api import router as places_router
from houqin.standards.api import router as standards_router
from houqin.standards.api.check import StandardCheckView

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("org/", include(org_router.urls)),
    path("places/", include(places_router.urls)),
    path("standards/check/", StandardCheckView.as_view(), name="standard-check"),
    path("records/", RecordSubmitView.as_view(), name="record-submit"),
    path("", include(standards_router.urls)),
    path("", include(checklists_router.urls)),
    path("", include(checklist_templates_router.urls)),
    path("", include(findings_router.urls)),
    path("appraisal/", include(appraisal_router.urls)),
    path("appraisal/", include(appraisal_ledger_router.urls)),
]

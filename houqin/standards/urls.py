from houqin.standards.views import (
    checks,
    documents,
    editor,
    fixes,
    lifecycle,
    plan,
    reading,
    search,
    standards,
    system,
)

app_name = "standards"

urlpatterns = [
    *system.urlpatterns,
    *standards.urlpatterns,
    *lifecycle.urlpatterns,
    *editor.urlpatterns,
    *checks.urlpatterns,
    *fixes.urlpatterns,
    *reading.urlpatterns,
    *search.urlpatterns,
    *documents.urlpatterns,
    *plan.urlpatterns,
]

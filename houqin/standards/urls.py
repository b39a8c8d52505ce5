from houqin.standards.views import (
    checks,
    documents,
    editor,
    fixes,
    imports,
    lifecycle,
    plan,
    reading,
    search,
    standards,
    system,
    templates,
)

app_name = "standards"

urlpatterns = [
    *system.urlpatterns,
    *standards.urlpatterns,
    *lifecycle.urlpatterns,
    *editor.urlpatterns,
    *imports.urlpatterns,
    *checks.urlpatterns,
    *fixes.urlpatterns,
    *reading.urlpatterns,
    *search.urlpatterns,
    *documents.urlpatterns,
    *plan.urlpatterns,
    *templates.urlpatterns,
]

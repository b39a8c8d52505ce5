from houqin.standards.views import documents, editor, lifecycle, plan, standards, system

app_name = "standards"

urlpatterns = [
    *system.urlpatterns,
    *standards.urlpatterns,
    *lifecycle.urlpatterns,
    *editor.urlpatterns,
    *documents.urlpatterns,
    *plan.urlpatterns,
]

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from houqin.accounts.views import home as home_views
from houqin.common import views as common_views
from houqin.common.changelog_views import ChangeLogList
from houqin.common.import_views import import_urlpatterns

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("houqin.accounts.urls")),
    path("", include("houqin.places.urls")),
    path("", include("houqin.org.urls")),
    path("", include("houqin.common.urls")),
    path("standards/", include("houqin.standards.urls")),
    path("checklists/", include("houqin.checklists.urls")),
    path("findings/", include("houqin.findings.urls")),
    path("appraisal/", include("houqin.appraisal.urls")),
    path("changelog/", ChangeLogList.as_view(), name="changelog_list"),
    path("import/", include((import_urlpatterns, "imports"))),
    path("api/v1/", include("houqin.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
]

handler403 = "houqin.common.views.forbidden"
handler404 = "houqin.common.views.not_found"
handler500 = "houqin.common.views.server_error"

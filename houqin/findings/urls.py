"""Routes of the findings pages, mounted at ``findings/``; each views module declares its own
``urlpatterns``."""

from houqin.findings.views import board, compliance, findings, orders

app_name = "findings"

urlpatterns = [
    *findings.urlpatterns,
    *board.urlpatterns,
    *orders.urlpatterns,
    *compliance.urlpatterns,
]

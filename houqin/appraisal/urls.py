"""Pages of appraisal (考核): each views module lists its own routes."""

from houqin.appraisal.views import (
    circulars,
    deductions,
    ledger,
    periods,
    rounds,
    schemes,
    selfeval,
)

app_name = "appraisal"

urlpatterns = [
    *schemes.urlpatterns,
    *periods.urlpatterns,
    *ledger.urlpatterns,
    *deductions.urlpatterns,
    *rounds.urlpatterns,
    *circulars.urlpatterns,
    *selfeval.urlpatterns,
]

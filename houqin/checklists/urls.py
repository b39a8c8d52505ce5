"""Routes of the checklist pages, mounted at ``checklists/``; each views module declares its
own ``urlpatterns``."""

from houqin.checklists.views import calendar, items, schedules, tasks, templates

app_name = "checklists"

urlpatterns = [
    *templates.urlpatterns,
    *items.urlpatterns,
    *schedules.urlpatterns,
    *calendar.urlpatterns,
    *tasks.urlpatterns,
]

# Doing a check on a phone, the ledger of records and shift handovers.
from houqin.checklists.views import handover, ledger, records  # noqa: E402

urlpatterns += [*records.urlpatterns, *ledger.urlpatterns, *handover.urlpatterns]

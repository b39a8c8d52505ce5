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

# Random spot checks, special campaigns and third-party evaluations.
from houqin.checklists.views import draws, third_party  # noqa: E402

urlpatterns += [*draws.urlpatterns, *third_party.urlpatterns]

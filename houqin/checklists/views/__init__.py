"""Pages of the checklist engine, one module per area: ``templates`` (the list, the page
and the form of a template), ``items`` (adding, editing, ordering and removing items, and
building them from the clauses of a standard), ``schedules`` and ``tasks``."""

"""Signals the shared machinery sends for cross-cutting records kept elsewhere (the
security audit trail lives in accounts, which common may not import)."""

from django.dispatch import Signal

# sent after a list was exported: request, what (title), filter_note, rows
list_exported = Signal()

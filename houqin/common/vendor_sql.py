"""Migration steps written in SQL for each database vendor: what Django's schema operations
cannot say (triggers, the full-text search tables)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

Statements = dict[str, list[str]]  # vendor ("sqlite", "postgresql") -> statements


def vendor_sql(forward: Statements, backward: Statements) -> migrations.RunPython:
    """A step running the migrating database's own statements (none for another vendor)."""
    return migrations.RunPython(_runner(forward), _runner(backward))


def _runner(by_vendor: Statements) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run

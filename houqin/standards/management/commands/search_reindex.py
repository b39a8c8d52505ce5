"""Rebuild the full-text index of standards and clauses."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from houqin.org.models import Organization
from houqin.standards.search import search_reindex


class Command(BaseCommand):
    help = "重建标准和条款的全文检索索引（全部单位，或 --organization 指定的单位）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organization", action="append", metavar="CODE", help="只重建这个单位（代码）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options.get("organization")
        ids = None
        if codes:
            found = dict(Organization.objects.filter(code__in=codes).values_list("code", "pk"))
            missing = sorted(set(codes) - found.keys())
            if missing:
                raise CommandError(f"没有代码为 {'、'.join(missing)} 的单位。")
            ids = list(found.values())
        started = time.monotonic()
        standards, rows = search_reindex(organization_ids=ids)
        self.stdout.write(
            f"已重建 {standards} 项标准的检索索引（{rows} 行），"
            f"用时 {time.monotonic() - started:.1f} 秒。"
        )

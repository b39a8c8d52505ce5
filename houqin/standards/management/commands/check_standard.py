"""``python manage.py check_standard <file.docx|file.txt> [--format text|json]
[--prefix JGSW]``: check a standard in a file against the GB/T 1.1—2020 drafting rules
without storing it. JSON is a list of ``{rule, severity, clause, excerpt, message,
suggestion, fixable}``. Exit status: 0 no error (warnings and hints allowed), 1 errors,
2 the file cannot be read (the reason on stderr)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.standards.checker.base import SEVERITY_LABELS
from houqin.standards.checker.files import FileCheck, check_file
from houqin.standards.importer import ImportFailed

UNREADABLE = 2


def as_text(result: FileCheck) -> str:
    """One block per hit, then the flags of the import and the totals."""
    lines: list[str] = []
    for issue in result.issues:
        where = issue.clause or "全文"
        lines.append(f"{where}  {SEVERITY_LABELS[issue.severity]}  {issue.rule}  {issue.message}")
        if issue.excerpt:
            lines.append(f"    原文：{issue.excerpt}")
        if issue.suggestion:
            lines.append(f"    建议：{issue.suggestion}")
    lines.extend(f"导入提示：{flag}" for flag in result.imported.flags)
    counts = {s: sum(1 for i in result.issues if i.severity == s) for s in SEVERITY_LABELS}
    summary = "，".join(f"{label} {counts[s]}" for s, label in SEVERITY_LABELS.items())
    lines.append(f"共 {len(result.issues)} 处：{summary}。" if result.issues else "没有发现问题。")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "按 GB/T 1.1—2020 检查一份标准文件（.docx 或文本），不保存。有错误时退出码为 1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="标准文件：.docx，或标准全文的文本文件")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--prefix", default="JGSW", help="本单位内部标准编号的前缀（默认 JGSW）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"无法读取文件“{path}”：{error.strerror or error}", returncode=UNREADABLE
            ) from error
        try:
            result = check_file(path.name, data, internal_prefix=options["prefix"])
        except ImportFailed as error:
            raise CommandError(error.message, returncode=UNREADABLE) from error
        if options["format"] == "json":
            payload = [issue.as_json() for issue in result.issues]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(result), ending="")
        self.stdout.flush()
        if result.errors:
            sys.exit(1)

"""``python manage.py export_standard <number> --format docx|pdf -o <file> [--organization
<code>]``: write a standard to a file. The version exported is the one in force (the latest
published version of a standard that is published, in force, under review or being
revised), else the latest draft; an adopted standard without text gives its cover and
metadata page. The number is matched after normalization ("-" for "—", spaces, case)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.org.models import Organization
from houqin.standards.documents.source import download_name, version_for_export
from houqin.standards.documents.standard_docx import standard_docx
from houqin.standards.documents.standard_pdf import standard_pdf
from houqin.standards.models import Standard
from houqin.standards.numbers import normalized


def number_key(number: str) -> str:
    """What two spellings of one number share: normalized, no spaces, upper case."""
    return normalized(number).replace(" ", "").upper()


def find_standards(number: str, organization: Organization | None) -> list[Standard]:
    """The standards whose number is ``number`` (any spelling), in one organization or all."""
    standards = Standard.objects.exclude(number="")
    if organization is not None:
        standards = standards.filter(organization=organization)
    exact = list(standards.filter(number=normalized(number)).select_related("organization"))
    if exact:
        return exact
    key = number_key(number)
    pks = [pk for pk, value in standards.values_list("pk", "number") if number_key(value) == key]
    return list(Standard.objects.filter(pk__in=pks).select_related("organization"))


class Command(BaseCommand):
    help = "把标准导出为 Word（docx）或 PDF：现行版本，没有现行版本时导出最新草案。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="标准编号，如 “JGSW/TG 001—2026”（可用 - 代替 —）")
        parser.add_argument("--format", choices=("docx", "pdf"), default="docx", help="导出格式")
        parser.add_argument("-o", "--output", help="输出文件；不写时用标准编号和名称在当前目录命名")
        parser.add_argument("--organization", help="单位代码（编号在多个单位中都有时必填）")

    def handle(self, *args: Any, **options: Any) -> None:
        number: str = options["number"].strip()
        if not number:
            raise CommandError("请写明标准编号。")
        organization = None
        if options["organization"]:
            organization = Organization.objects.filter(code=options["organization"]).first()
            if organization is None:
                raise CommandError(f"没有单位代码为“{options['organization']}”的单位。")
        found = find_standards(number, organization)
        if not found:
            where = f"单位“{organization.name}”中" if organization else ""
            raise CommandError(f"{where}没有编号为“{normalized(number)}”的标准，请核对编号。")
        if len({s.organization_id for s in found}) > 1:
            codes = "、".join(f"{s.organization.code}（{s.organization.name}）" for s in found)
            raise CommandError(
                f"编号“{found[0].number}”在多个单位中都有：{codes}。"
                "请用 --organization <单位代码> 指定。"
            )
        standard = found[0]
        version = version_for_export(standard)
        has_text = version is not None and version.clauses.exists()
        if not has_text and not standard.is_adopted:
            raise CommandError(f"标准“{standard}”还没有文本，无法导出；请先在编辑器中起草。")
        fmt = options["format"]
        data = (
            standard_docx(standard, version) if fmt == "docx" else standard_pdf(standard, version)
        )
        output = Path(options["output"] or download_name(standard, fmt))
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入文件“{output}”：{error.strerror or error}") from error
        if version is None or not has_text:
            what = "封面和标准信息（未录入条文）"
        elif version.is_published:
            what = f"第{version.seq}版（已发布）"
        else:
            what = f"第{version.seq}版草案"
        self.stdout.write(f"已导出 {standard} {what} → {output}（{len(data)} 字节）")

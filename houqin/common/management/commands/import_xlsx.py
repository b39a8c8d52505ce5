"""python manage.py import_xlsx <kind> <file> [--dry-run] --org <code>
python manage.py import_xlsx <kind> --template <out.xlsx>

The same import as the pages: every bad row is printed ("第 N 行：…") and the exit status is
1; nothing is written unless every row is valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.common.imports import import_run, import_specs, template_workbook
from houqin.common.models import ChangeLogEntry


class Command(BaseCommand):
    help = "从 Excel 表格导入科室、职工、服务单位、外包服务商、场所或设备，或生成导入模板。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="导入的种类，如 staff、departments、places")
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 文件")
        parser.add_argument("--org", help="单位代码（导入到哪个中心）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--template", metavar="OUT", help="把导入模板写到这个文件")

    def handle(self, *args: Any, **options: Any) -> None:
        specs = import_specs()
        spec = specs.get(options["kind"])
        if spec is None:
            raise CommandError(
                f"没有“{options['kind']}”这种导入；可以导入：{'、'.join(sorted(specs))}。"
            )
        if options["template"]:
            out = Path(options["template"])
            out.write_bytes(template_workbook(spec))
            self.stdout.write(f"已生成{spec.title}导入模板：{out}")
            return
        if not options["file"] or not options["org"]:
            raise CommandError("请给出要导入的文件和 --org 单位代码。")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        # the tenant model, as the change log points at it (common imports no domain app)
        organization_model = ChangeLogEntry._meta.get_field("organization").related_model
        assert organization_model is not None and not isinstance(organization_model, str)
        organization = organization_model._default_manager.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f"没有代码为“{options['org']}”的单位。")
        dry_run = options["dry_run"]
        result = import_run(
            spec=spec, organization=organization, file=path, actor=None, dry_run=dry_run
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.write(
                f"共 {len(result.errors)} 处问题，没有导入任何数据；请改正后重新导入。"
            )
            raise SystemExit(1)
        if dry_run:
            self.stdout.write(f"检查通过（试运行，没有写入）：{result.summary()}")
        else:
            self.stdout.write(f"导入完成：{result.summary()}")

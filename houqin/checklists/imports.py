"""Excel import of third-party evaluations (第三方评价): one row per evaluated place — the
report number, the place code, the date, the party and the evaluator, then one column per
current item of the template with the party's conclusion (“合格”, “不合格：情况”, “不适用”,
a number or a choice).

The columns depend on the template, so the spec is built per template
(``third_party_spec``) rather than registered once; the page that uses it is
``views/third_party.py``. Rows match on the report number: a report already imported is
left unchanged, so importing the same file twice adds nothing. Every row is checked (the
answers too) before anything is written, and each new row is written through
``third_party_services.third_party_record`` (which raises findings for failures)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from houqin.checklists.models import ChecklistItem, ChecklistTemplate, ThirdPartyEvaluation
from houqin.checklists.third_party_services import (
    Party,
    answers_parse,
    current_items,
    third_party_record,
)
from houqin.common.imports import (
    CREATE,
    DATE,
    LOOKUP,
    Column,
    ImportContext,
    ImportSpec,
    Lookup,
    error_message,
)
from houqin.places.models import Place

PLACES = Lookup(
    "场所",
    lambda organization: Place.objects.filter(organization=organization, active=True),
    lambda place: (place.code,),
)
ITEM_FIELD = "item_"
HEADER_TEXT = 40  # an item's header keeps this many characters of its text


def item_header(number: int, item: ChecklistItem) -> str:
    text = " ".join(item.text.split())
    return f"{number}. {text[:HEADER_TEXT]}"


def _item_help(item: ChecklistItem) -> tuple[str, str]:
    kind = ChecklistItem.AnswerType
    if item.answer_type == kind.PASS_FAIL:
        return "填“合格”“不合格：情况”或“不适用”。", "合格"
    if item.answer_type == kind.NUMBER:
        unit = f"（{item.unit}）" if item.unit else ""
        return f"填数值{unit}；超出限值算不合格，可加“：情况”。", ""
    if item.answer_type == kind.CHOICE:
        return "从这些选项中选一个：" + "、".join(str(c) for c in item.choices), ""
    return "照实填写。", ""


def third_party_spec(template: ChecklistTemplate) -> ImportSpec:
    """The import kind of one template's third-party results."""
    columns = [
        Column(
            "报告编号",
            "reference",
            required=True,
            example="PJ-2026-001",
            compact=True,
            help="第三方评价报告的编号，每行一个，不能重复。",
        ),
        Column(
            "场所编码",
            "place",
            required=True,
            kind=LOOKUP,
            lookup=PLACES,
            write=False,
            compact=True,
            example="A-01-W1",
            help="被评价场所的编号，见场所台账。",
        ),
        Column(
            "评价日期", "evaluated_on", required=True, kind=DATE, write=False, example="2026-09-28"
        ),
        Column("评价单位", "party", required=True, write=False, example="某某物业评价公司"),
        Column("评价人", "evaluator", required=True, write=False, example="李评价"),
    ]
    for number, item in enumerate(current_items(template), start=1):
        hint, example = _item_help(item)
        columns.append(
            Column(
                item_header(number, item),
                f"{ITEM_FIELD}{item.pk}",
                required=True,
                write=False,
                help=hint,
                example=example,
            )
        )
    return ImportSpec(
        kind=f"third_party_{template.pk}",
        title=f"第三方评价-{template.name}"[:31],
        model=ThirdPartyEvaluation,
        columns=tuple(columns),
        key="reference",
        description="每行一份第三方评价结果，导入后按检查记录计分，不合格项生成问题。",
        resolve=_resolve(template),
        apply=_apply(template),
    )


def _cells(values: dict[str, object]) -> dict[int, str]:
    return {
        int(name[len(ITEM_FIELD) :]): str(value or "")
        for name, value in values.items()
        if name.startswith(ITEM_FIELD)
    }


def _resolve(template: ChecklistTemplate) -> Callable[[ImportContext], None]:
    items = current_items(template)
    by_pk = {item.pk: item for item in items}
    headers = {item.pk: item_header(n, item) for n, item in enumerate(items, start=1)}

    def resolve(ctx: ImportContext) -> None:
        """Each answer cell must fit its item (a failure needs its note); a known report
        number is left as it is."""
        for row in ctx.rows:
            if row.existing is not None:
                continue
            for pk, cell in _cells(row.values).items():
                if not cell or f"{ITEM_FIELD}{pk}" in row.failed:
                    continue
                _, problems = answers_parse([by_pk[pk]], {pk: cell})
                for problem in problems:
                    ctx.error(row, headers[pk], problem)

    return resolve


def _apply(template: ChecklistTemplate) -> Callable[[ImportContext], None]:
    def apply(ctx: ImportContext) -> None:
        """New rows through the third-party record service, one record each."""
        for row in ctx.rows_to(CREATE):
            values = row.values
            party = Party(
                party=str(values["party"]),
                evaluator=str(values["evaluator"]),
                evaluated_on=values["evaluated_on"],
                reference=str(values["reference"]),
            )
            try:
                third_party_record(
                    template=template,
                    actor=ctx.actor,
                    party=party,
                    cells=_cells(values),
                    place=values["place"],
                )
            except ValidationError as error:
                ctx.error(row.number, "", error_message(error))

    return apply

"""The demo center's checklists: seven templates built from the starter standards' clauses
(items cite the clause where the published standards in force have one, free items where
they do not, with number limits, veto items and photo rules), the 2026 workday calendar,
schedules for the demo posts, teams and people, and their tasks from the start of the
quarter two quarters back to a week ahead (``houqin.findings.demo`` fills the past ones
with records and findings).
Everything goes through the services. Idempotent: an organization that already has
templates is left alone."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from houqin.accounts.models import User
from houqin.checklists.models import (
    ChecklistItem,
    ChecklistTemplate,
)
from houqin.checklists.services import (
    calendar_import,
    item_add,
    item_change,
    items_from_clauses,
    schedule_create,
    tasks_generate,
    template_create,
)
from houqin.org.models import Department, Organization, Post, Team
from houqin.places.models import Equipment, Place
from houqin.standards.models import Clause

CLOSED_QUARTERS = 2  # the history covers the two quarters before this one (for appraisal)
A = ChecklistItem.AnswerType
PHOTO = ChecklistItem.PhotoRule

# The State Council's 2026 holiday arrangement (国务院办公厅关于2026年部分节假日安排的通知,
# November 2025), as recalled when this was written: the days off and the make-up workdays
# (调休上班). Check it against the notice before relying on it.
CALENDAR_2026 = """
2026-01-01 休息 元旦
2026-01-02 休息 元旦
2026-01-03 休息 元旦
2026-01-04 上班 元旦调休
2026-02-14 上班 春节调休
2026-02-15 休息 春节
2026-02-16 休息 春节
2026-02-17 休息 春节
2026-02-18 休息 春节
2026-02-19 休息 春节
2026-02-20 休息 春节
2026-02-21 休息 春节
2026-02-22 休息 春节
2026-02-23 休息 春节
2026-02-28 上班 春节调休
2026-04-04 休息 清明节
2026-04-05 休息 清明节
2026-04-06 休息 清明节
2026-05-01 休息 劳动节
2026-05-02 休息 劳动节
2026-05-03 休息 劳动节
2026-05-04 休息 劳动节
2026-05-05 休息 劳动节
2026-05-09 上班 劳动节调休
2026-06-19 休息 端午节
2026-06-20 休息 端午节
2026-06-21 休息 端午节
2026-09-20 上班 国庆节调休
2026-09-25 休息 中秋节
2026-09-26 休息 中秋节
2026-09-27 休息 中秋节
2026-10-01 休息 国庆节
2026-10-02 休息 国庆节
2026-10-03 休息 国庆节
2026-10-04 休息 国庆节
2026-10-05 休息 国庆节
2026-10-06 休息 国庆节
2026-10-07 休息 国庆节
2026-10-10 上班 国庆节调休
"""

TG001, TG004, BZ001 = "JGSW/TG 001—2026", "JGSW/TG 004—2026", "JGSW/BZ 001—2020"
BZ002, BZ003, GW001 = "JGSW/BZ 002—2026", "JGSW/BZ 003—2026", "JGSW/GW 001—2026"
NUMBER = {"answer_type": A.NUMBER, "note_on_fail": True}
MAJOR = {"severity": "major", "fix_days": 2}


def _c(standard: str, starts: str, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    """An item citing the clause of ``standard`` whose text starts with ``starts``."""
    return (standard, starts, fields)


def _f(text: str, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    """A freely written item."""
    return ("", "", {"text": text, **fields})


# name → (template fields, department code, items)
TEMPLATES: dict[str, tuple[dict[str, Any], str, list[tuple[str, str, dict[str, Any]]]]] = {
    "公共卫生间保洁": (
        {"service_line": "property", "pass_mark": Decimal("90")},
        "WY",
        [
            _c(TG004, "地面应无积水", text="地面无积水、无污渍、无毛发、无纸屑，墙面隔断无污迹"),
            _c(
                TG004,
                "便器内外应无污垢",
                text="便器内外无污垢、无尿碱，洗手台无积水",
                critical=True,
            ),
            _c(TG004, "每次巡回保洁时", text="卫生纸、擦手纸、洗手液余量不低于 1/2"),
            _c(TG004, "纸篓应加盖并套袋", text="纸篓加盖套袋、放在固定位置，垃圾不外溢"),
            _c(TG004, "湿拖地面时", text="湿拖地面时入口放置“小心地滑”提示牌", veto=True, **MAJOR),
            _c(TG004, "排风设施应在工作日", text="排风设施开启，除臭用品按期更换"),
            _f(
                "卫生间异味",
                answer_type=A.CHOICE,
                choices=["无异味", "轻微异味", "明显异味"],
                fail_choices=["明显异味"],
            ),
        ],
    ),
    "厨房开餐前检查": (
        {"service_line": "canteen", "scoring": "points", "pass_mark": Decimal("85")},
        "CY",
        [
            _c(
                TG001,
                "当班厨师长应在每日开餐前",
                text="开餐前完成晨检并记录",
                critical=True,
                score=10,
            ),
            _c(
                TG001,
                "冷藏设施的温度",
                text="冷藏柜温度",
                unit="℃",
                min_value=Decimal("0"),
                max_value=Decimal("8"),
                score=10,
                **NUMBER,
                **MAJOR,
            ),
            _c(
                TG001,
                "冷藏设施的温度",
                text="冷冻柜温度",
                unit="℃",
                max_value=Decimal("-18"),
                score=10,
                **NUMBER,
            ),
            _c(TG001, "刀具、砧板和盛放容器", text="刀具、砧板、容器生熟分开并有标识", score=10),
            _c(TG001, "消毒后的餐用具", text="消毒后的餐用具存放在保洁柜内", score=5),
            _c(
                TG001,
                "食品应分类、分架存放",
                text="食品分类分架存放，离墙离地不小于 10 cm",
                score=5,
            ),
            _c(TG001, "装盘人员应佩戴口罩", text="装盘人员戴口罩、工作帽、一次性手套", score=5),
        ],
    ),
    "食品留样": (
        {"service_line": "canteen", "pass_mark": Decimal("100")},
        "CY",
        [
            _c(
                TG001,
                "每餐次的每个品种均应留样",
                text="每个品种留样量",
                unit="g",
                min_value=Decimal("125"),
                veto=True,
                **NUMBER,
                **MAJOR,
            ),
            _c(TG001, "留样容器外应标明", text="留样容器标明日期、餐次、品种和留样人"),
            _c(TG001, "留样食品应在开餐前", text="开餐前专人取样，放专用冷藏柜"),
            _c(TG001, "留样食品存放满48 h后", text="满 48 h 的留样由两人共同处理并记录"),
        ],
    ),
    "电梯半月维保": (
        {"service_line": "maintenance", "pass_mark": Decimal("100")},
        "WY",
        [
            _c(BZ003, "两次半月维保的间隔", text="与上次半月维保间隔不超过 15 天"),
            _c(
                BZ003,
                "维保作业时，维保人员应不少于2人",
                text="维保人员不少于 2 人，基站和作业层放置警示牌",
                veto=True,
                severity="critical",
                photo_rule=PHOTO.ON_FAIL,
            ),
            _c(BZ003, "轿厢照明、通风和紧急报警装置", critical=True),
            _c(BZ003, "层门和轿门的开关动作"),
            _c(
                BZ003,
                "平层精度",
                text="平层误差",
                unit="mm",
                min_value=Decimal("-10"),
                max_value=Decimal("10"),
                **NUMBER,
            ),
            _c(BZ003, "运行中有无异响和抖动", text="运行中无异响、无抖动"),
            _c(BZ003, "维保单位应在每次维保完成的当日", text="维保记录当日提交"),
        ],
    ),
    "消防设施月检": (
        {"service_line": "security", "kind": "patrol", "pass_mark": Decimal("100")},
        "AB",
        [
            _c(
                BZ001, "演练涉及的火灾自动报警系统", text="火灾报警、消火栓、应急照明和疏散指示完好"
            ),
            _f("灭火器压力指针在绿区，铅封完好", critical=True, **MAJOR),
            _f("消火栓箱内水带、水枪齐全，箱门开启灵活"),
            _f("疏散通道、安全出口畅通，无杂物堆放", veto=True, severity="critical", fix_days=1),
            _f(
                "应急照明灯按键测试",
                answer_type=A.CHOICE,
                choices=["正常", "亮度不足", "不亮"],
                fail_choices=["亮度不足", "不亮"],
            ),
        ],
    ),
    "会议室会前准备": (
        {
            "service_line": "meetings",
            "pass_mark": Decimal("90"),
            "description": "会议服务规范（JGSW/TG 002—2026）正在征求意见，发布后改为引用其条款。",
        },
        "HY",
        [
            _f("桌椅摆放整齐，桌面无灰尘、无水渍"),
            _f("话筒、音响、投影调试正常", critical=True, **MAJOR),
            _f(
                "会议室温度",
                unit="℃",
                min_value=Decimal("18"),
                max_value=Decimal("26"),
                **NUMBER,
            ),
            _f("茶水、纸笔、席卡按会议通知备齐"),
            _f("会议开始前 30 min 完成布置和调试"),
        ],
    ),
    "车辆出车前检查": (
        {"service_line": "vehicles", "scoring": "points", "pass_mark": Decimal("90")},
        "CL",
        [
            _f("车牌号", answer_type=A.TEXT, photo_rule=PHOTO.NEVER, finding_on_fail=False),
            _c(BZ002, "机油、冷却液、制动液", text="机油、冷却液、制动液、玻璃水液面正常"),
            _c(
                BZ002,
                "轮胎气压和外观",
                text="胎面花纹深度",
                unit="mm",
                min_value=Decimal("1.6"),
                veto=True,
                score=2,
                **NUMBER,
                **MAJOR,
            ),
            _c(BZ002, "灯光、喇叭、刮水器和仪表指示", text="灯光、喇叭、雨刮、仪表正常"),
            _c(BZ002, "车内座椅和地垫", text="车内座椅和地垫无杂物、无污渍"),
            _c(GW001, "驾驶员上岗时应穿着", text="驾驶员穿统一工装，衣着整洁"),
        ],
    ),
}

# (name, template, assignee (kind, key), subject (kind, key), recurrence)
SCHEDULES: list[tuple[str, str, tuple[str, str], tuple[str, str], dict[str, Any]]] = [
    (
        "1 号楼 1 层男卫生间日常保洁",
        "公共卫生间保洁",
        ("person", "worker"),
        ("place", "A01-W1"),
        {"times": ["07:00", "12:00", "18:30"], "window_minutes": 90},
    ),
    (
        "1 号楼 1 层女卫生间日常保洁",
        "公共卫生间保洁",
        ("person", "vendor_worker"),
        ("place", "A01-W2"),
        {"times": ["07:00", "18:30"], "window_minutes": 90},
    ),
    (
        "1 号楼 2 层卫生间每周巡查",
        "公共卫生间保洁",
        ("person", "department_head"),
        ("place", "A02-W1"),
        {
            "kind": "patrol",
            "frequency": "weekly",
            "weekdays": [1, 4],
            "times": ["09:30"],
            "days": "workdays",
            "window_minutes": 240,
        },
    ),
    (
        "中心厨房开餐前检查",
        "厨房开餐前检查",
        ("team", "午餐组"),
        ("place", "A01-K01"),
        {"times": ["10:30"], "days": "workdays", "window_minutes": 60},
    ),
    (
        "午餐食品留样",
        "食品留样",
        ("post", "P04"),
        ("place", "A01-K01"),
        {"times": ["11:00"], "days": "workdays", "window_minutes": 120},
    ),
    (
        "消防设施月检（1 号楼逐层）",
        "消防设施月检",
        ("team", "巡逻组"),
        ("floors", "A"),
        {
            "kind": "patrol",
            "frequency": "monthly",
            "month_day": 5,
            "times": ["09:00"],
            "days": "workdays",
            "window_minutes": 480,
        },
    ),
    (
        "第一会议室会前准备",
        "会议室会前准备",
        ("team", "会务一组"),
        ("place", "A02-H01"),
        {"times": ["08:00"], "days": "workdays", "window_minutes": 60},
    ),
    (
        "公务用车出车前检查",
        "车辆出车前检查",
        ("team", "驾驶员一组"),
        ("none", ""),
        {"times": ["07:30"], "days": "workdays", "window_minutes": 60},
    ),
] + [
    (
        f"{number} 号电梯半月维保",
        "电梯半月维保",
        ("team", "维修组"),
        ("equipment", f"DT{number:02d}"),
        {"frequency": "every_n_days", "interval": 15, "times": ["06:00"], "window_minutes": 180},
    )
    for number in range(1, 9)
]


def _people(center: Organization) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(organization=center)}


def _clause(center: Organization, number: str, starts: str) -> Clause:
    return Clause.objects.get(
        version__standard__organization=center,
        version__standard__number=number,
        version__published_at__isnull=False,
        text__startswith=starts,
    )


def _template(
    center: Organization, officer: User, name: str, spec: tuple[dict[str, Any], str, list[Any]]
) -> ChecklistTemplate:
    fields, department, items = spec
    template = template_create(
        organization=center,
        actor=officer,
        data={
            "name": name,
            "department": Department.objects.get(organization=center, code=department),
            "owner": officer,
            **fields,
        },
    )
    for standard, starts, data in items:
        if standard:
            (item,) = items_from_clauses(
                template=template,
                actor=officer,
                clause_ids=[_clause(center, standard, starts).pk],
            )
            if data:
                item_change(item=item, actor=officer, data=data)
        else:
            item_add(template=template, actor=officer, data=data)
    template.refresh_from_db()
    return template


def _assignee(center: Organization, people: dict[str, User], kind: str, key: str) -> Any:
    if kind == "person":
        return people[key]
    if kind == "post":
        return Post.objects.get(organization=center, code=key)
    return Team.objects.get(organization=center, name=key)


def _subject(center: Organization, kind: str, key: str) -> dict[str, Any]:
    if kind == "place":
        return {"place": Place.objects.get(organization=center, code=key)}
    if kind == "floors":
        return {"place": Place.objects.get(organization=center, code=key), "place_kind": "floor"}
    if kind == "equipment":
        return {"equipment": Equipment.objects.get(organization=center, code=key)}
    return {}


def _schedules(
    center: Organization,
    people: dict[str, User],
    templates: dict[str, ChecklistTemplate],
    starts_on: date,
) -> None:
    actor = people["department_head"]
    for name, template, (who, key), (what, where), recurrence in SCHEDULES:
        schedule_create(
            organization=center,
            actor=actor,
            data={
                "name": name,
                "template": templates[template],
                "kind": templates[template].kind,
                who: _assignee(center, people, who, key),
                **_subject(center, what, where),
                "starts_on": starts_on,
                **recurrence,
            },
        )


@transaction.atomic
def quarter_start(day: date, back: int = 0) -> date:
    """The first day of the quarter ``back`` quarters before the one holding ``day``."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return date(index // 4, index % 4 * 3 + 1, 1)


def history_start(today: date) -> date:
    """The first day of the demo's history: the start of the quarter two quarters back."""
    return quarter_start(today, CLOSED_QUARTERS)


def seed_checklists(center: Organization) -> dict[str, int]:
    """Templates, the 2026 calendar, schedules and the history since the start of the
    quarter two quarters back, six to nine months (only when the organization has no
    template yet)."""
    if ChecklistTemplate.objects.filter(organization=center).exists():
        return {"templates": 0, "schedules": 0}
    people = _people(center)
    officer = people["standards_officer"]
    templates = {name: _template(center, officer, name, spec) for name, spec in TEMPLATES.items()}
    calendar_import(organization=center, actor=officer, text=CALENDAR_2026)
    today = timezone.localdate()
    first = history_start(today)
    _schedules(center, people, templates, first)
    midnight = timezone.make_aware(datetime.combine(first, time.min))
    tasks_generate(organization=center, start=first, days=(today - first).days + 1, now=midnight)
    return {"templates": len(templates), "schedules": len(SCHEDULES)}

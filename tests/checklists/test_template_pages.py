"""The checklist template pages: the list (filters, search, export, a query count that does
not grow with the rows), a template's page, its form, and managing its items — written
freely, edited, ordered, removed, and built by ticking the clauses of a standard in force."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from houqin.checklists.models import Answer, ChecklistItem, ChecklistTemplate
from houqin.checklists.services import (
    item_add,
    items_from_clauses,
    record_start,
    template_create,
)
from houqin.common.attachments import attachment_add, attachments_for
from houqin.standards.models import Clause
from tests.checklists import routes
from tests.conftest import person, signed_in
from tests.factories import DepartmentFactory
from tests.standards.builders import draft_make, in_force_make

pytestmark = pytest.mark.django_db
A = ChecklistItem.AnswerType


@pytest.fixture
def template(org_a, department_head, department):
    return template_create(
        organization=org_a,
        actor=department_head,
        data={
            "name": "公共卫生间保洁检查",
            "department": department,
            "owner": department_head,
            "service_line": "property",
        },
    )


@pytest.fixture
def standard(org_a, standards_officer):
    return in_force_make(org_a, standards_officer)


def provisions(standard) -> list[Clause]:
    version = standard.versions.get(published_at__isnull=False)
    return list(version.clauses.filter(kind="paragraph", parent__kind="clause").order_by("pk"))


def fridge(template, actor) -> ChecklistItem:
    return item_add(
        template=template,
        actor=actor,
        data={
            "text": "冰箱冷藏温度",
            "answer_type": A.NUMBER,
            "unit": "℃",
            "min_value": Decimal("0"),
            "max_value": Decimal("8"),
            "veto": True,
        },
    )


def count_queries(client: Client, url: str) -> int:
    """Queries of a page, read after a first request has filled the per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def item_post(**fields) -> dict[str, str]:
    data = {
        "text": "地面无积水",
        "answer_type": A.PASS_FAIL,
        "photo_rule": "on_fail",
        "note_on_fail": "on",
        "finding_on_fail": "on",
        "score": "1",
        "weight": "1",
        "severity": "minor",
    }
    return {**data, **fields}


# ---- list ---------------------------------------------------------------------------------


def test_the_list_queries_do_not_grow_with_the_rows(org_a, department_head, department) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:template_list")

    def make(start: int, end: int) -> None:
        for i in range(start, end):
            made = template_create(
                organization=org_a,
                actor=department_head,
                data={"name": f"检查表{i:02}", "department": department},
            )
            item_add(template=made, actor=department_head, data={"text": f"第{i}项"})

    make(0, 2)
    few = count_queries(client, url)
    make(2, 20)
    assert count_queries(client, url) == few
    assert count_queries(client, f"{url}?kind=self&q=检查表") <= few + 1


def test_the_list_filters_searches_and_exports(
    org_a, department_head, department, template
) -> None:
    other_department = DepartmentFactory(organization=org_a, code="CY", name="餐饮管理科")
    template_create(
        organization=org_a,
        actor=department_head,
        data={
            "name": "厨房开餐前检查",
            "department": other_department,
            "kind": "patrol",
            "service_line": "canteen",
            "active": False,
        },
    )
    fridge(template, department_head)
    client = signed_in(department_head)
    url = reverse("checklists:template_list")

    page = client.get(url).content.decode()
    assert "公共卫生间保洁检查" in page and "厨房开餐前检查" in page and "停用" in page
    assert "公共卫生间保洁检查" not in client.get(f"{url}?kind=patrol").content.decode()
    assert "厨房开餐前检查" not in client.get(f"{url}?service_line=property").content.decode()
    by_department = client.get(f"{url}?department={other_department.pk}").content.decode()
    assert "厨房开餐前检查" in by_department and "公共卫生间" not in by_department
    assert "厨房开餐前检查" not in client.get(f"{url}?active=1").content.decode()
    assert "厨房" not in client.get(f"{url}?q=卫生间").content.decode()

    response = client.get(f"{url}?service_line=property&export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "公共卫生间保洁检查" in values and "厨房开餐前检查" not in values
    assert "检查项" in values and 1 in values


def test_an_empty_list_says_what_to_do(org_a, department_head, leader) -> None:
    page = signed_in(department_head).get(reverse("checklists:template_list")).content.decode()
    assert "还没有检查表" in page and "新建检查表" in page
    page = signed_in(leader).get(reverse("checklists:template_list")).content.decode()
    assert "还没有检查表" in page and "新建检查表" not in page


# ---- a template's page and its form ---------------------------------------------------------


def test_the_page_shows_items_in_order_with_citations_and_the_method(
    template, standard, department_head
) -> None:
    clause = provisions(standard)[1]
    items_from_clauses(template=template, actor=department_head, clause_ids=[clause.pk])
    fridge(template, department_head)
    ChecklistItem.objects.filter(template=template, clause=clause).update(
        clause_changed="第2.2条在第2版中有修改"
    )
    page = signed_in(department_head).get(reverse("checklists:template_detail", args=[template.pk]))
    html = page.content.decode()
    listed = html[html.index('data-testid="item-list"') :]
    assert listed.index("地面宜无积水") < listed.index("冰箱冷藏温度")
    assert "数值 0 – 8 ℃" in html and "否决项" in html
    assert f"#c-{clause.uid}" in html and f"{standard.number} 第2.2条" in html
    assert "条款已变化" in html and "第2.2条在第2版中有修改" in html and "已复核" in html
    assert "按合格率：合格项数 ÷ 适用项数，达到 80% 为合格" in html
    assert "从标准条款添加 1 个检查项" in html  # the change log


def test_the_page_queries_do_not_grow_with_the_items(template, standard, department_head) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:template_detail", args=[template.pk])
    clauses = provisions(standard)
    items_from_clauses(template=template, actor=department_head, clause_ids=[clauses[0].pk])
    fridge(template, department_head)
    few = count_queries(client, url)
    items_from_clauses(template=template, actor=department_head, clause_ids=[clauses[1].pk])
    for _ in range(15):
        fridge(template, department_head)
    assert count_queries(client, url) == few


def test_a_template_is_created_and_edited_on_its_form(
    org_a, department_head, department, client_for
) -> None:
    client = client_for(department_head)
    form = client.get(reverse("checklists:template_create")).content.decode()
    assert f'<option value="{department_head.pk}" selected>' in form
    response = client.post(
        reverse("checklists:template_create"),
        {
            "name": "会议室会前准备检查",
            "kind": "self",
            "service_line": "meetings",
            "scoring": "pass_rate",
            "pass_mark": "90",
            "owner": department_head.pk,
            "department": department.pk,
            "active": "on",
        },
    )
    made = ChecklistTemplate.objects.get(organization=org_a, name="会议室会前准备检查")
    assert response["Location"] == reverse("checklists:template_detail", args=[made.pk])
    assert made.owner == department_head and made.revision == 1

    url = reverse("checklists:template_update", args=[made.pk])
    response = client.post(url, {"name": "", "kind": "self", "scoring": "points"})
    assert "请填写检查表名称" in response.content.decode()
    client.post(
        url,
        {
            "name": "会议室会前准备检查",
            "kind": "self",
            "service_line": "meetings",
            "scoring": "points",
            "pass_mark": "85",
            "active": "on",
        },
    )
    made.refresh_from_db()
    assert made.scoring == "points" and made.pass_mark == Decimal("85") and made.revision == 2


# ---- items ----------------------------------------------------------------------------------


def test_a_number_item_is_added_with_limits_and_clear_messages(template, department_head) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:item_create", args=[template.pk])
    page = client.get(url).content.decode()
    for label in ("检查内容", "答案类型", "下限", "上限", "拍照要求", "否决项", "整改期限（天）"):
        assert label in page

    response = client.post(url, item_post(text="冰箱冷藏温度", answer_type=A.NUMBER))
    assert "数值型检查项至少要有下限或上限" in response.content.decode()
    response = client.post(
        url, item_post(text="冰箱冷藏温度", answer_type=A.NUMBER, min_value="8", max_value="0")
    )
    assert "上限不能小于下限" in response.content.decode()
    response = client.post(url, item_post(text="备注", answer_type=A.TEXT, veto="on"))
    assert "才能设为否决项" in response.content.decode()
    response = client.post(
        url, item_post(text="地面", answer_type=A.CHOICE, choices="干净\n有垃圾", fail_choices="脏")
    )
    assert "算作不合格的选项必须是已有的选项" in response.content.decode()
    assert not template.items.exists()

    response = client.post(
        url,
        item_post(text="留样重量", answer_type=A.NUMBER, unit="g", min_value="125", fix_days="1"),
    )
    item = template.items.get()
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert item.min_value == Decimal("125") and item.max_value is None and item.fix_days == 1
    client.post(
        url,
        item_post(
            text="地面",
            answer_type=A.CHOICE,
            choices="干净\n 有水渍 \n\n有垃圾",
            fail_choices="有垃圾",
        ),
    )
    floor = template.items.get(text="地面")
    assert floor.choices == ["干净", "有水渍", "有垃圾"] and floor.fail_choices == ["有垃圾"]


def test_editing_a_used_item_keeps_the_record_and_its_pictures_follow(
    template, department_head, settings, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    item = fridge(template, department_head)
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    attachment_add(
        obj=item,
        upload=SimpleUploadedFile("good.png", buffer.getvalue()),
        actor=department_head,
    )
    record = record_start(template=template, actor=department_head)
    client = signed_in(department_head)
    url = reverse("checklists:item_update", args=[item.pk])
    assert "合格样例" in client.get(url).content.decode()

    client.post(url, item_post(text="冰箱冷藏温度", answer_type=A.NUMBER, max_value="5", unit="℃"))
    successor = template.items.get(current=True)
    assert successor.pk != item.pk and successor.key == item.key
    assert successor.max_value == Decimal("5")
    assert Answer.objects.get(record=record).item_id == item.pk
    assert len(attachments_for(successor)) == 1 and len(attachments_for(item)) == 0
    assert client.get(url).status_code == 404  # the retired row is no longer on the template


def test_items_move_up_and_down_and_are_removed(template, department_head) -> None:
    first = item_add(template=template, actor=department_head, data={"text": "门窗"})
    second = item_add(template=template, actor=department_head, data={"text": "地面"})
    client = signed_in(department_head)
    client.post(reverse("checklists:item_move", args=[second.pk]), {"direction": "up"})
    order = list(template.items.order_by("position").values_list("text", flat=True))
    assert order == ["地面", "门窗"]
    response = client.post(
        reverse("checklists:item_move", args=[second.pk]), {"direction": "up"}, follow=True
    )
    assert "已经在最前面了" in response.content.decode()

    page = client.get(reverse("checklists:template_detail", args=[template.pk])).content.decode()
    assert "删除这个检查项？" in page  # asks first
    client.post(reverse("checklists:item_remove", args=[first.pk]))
    assert list(template.items.values_list("text", flat=True)) == ["地面"]


def test_a_reviewed_citation_loses_its_mark(template, standard, department_head) -> None:
    clause = provisions(standard)[0]
    [item] = items_from_clauses(template=template, actor=department_head, clause_ids=[clause.pk])
    ChecklistItem.objects.filter(pk=item.pk).update(clause_changed="第2.1条在第2版中有修改")
    client = signed_in(department_head)
    response = client.post(reverse("checklists:citation_reviewed", args=[item.pk]), follow=True)
    assert "已复核检查项" in response.content.decode()
    item.refresh_from_db()
    assert item.clause_changed == "" and item.clause == clause
    response = client.post(reverse("checklists:citation_reviewed", args=[item.pk]), follow=True)
    assert "没有需要复核的变化" in response.content.decode()


# ---- items from clauses ---------------------------------------------------------------------


def test_items_are_added_by_ticking_the_clauses_of_a_standard(
    template, standard, department_head
) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:items_from_clauses", args=[template.pk])
    first, second = provisions(standard)

    page = client.get(url, {"q": "卫生间"}).content.decode()  # one match: shown at once
    assert standard.title in page and "第二步：勾选要检查的条款" in page
    assert f'name="clauses" value="{first.pk}"' in page
    assert "2.1" in page and "保洁员应每2 h保洁1次。" in page
    assert "本文件规定了公共卫生间保洁的要求" not in page  # the scope is not checked
    note = standard.versions.get().clauses.get(kind="note")
    assert f'value="{note.pk}"' not in page  # a note cannot be ticked

    response = client.post(url, {"standard": standard.pk, "clauses": [first.pk, second.pk]})
    assert response.status_code == 302
    items = list(template.items.order_by("position"))
    assert [i.clause_id for i in items] == [first.pk, second.pk]
    page = client.get(url, {"standard": standard.pk}).content.decode()
    assert "已在检查表中" in page and f'name="clauses" value="{first.pk}"' not in page


def test_only_open_provisions_of_the_shown_text_can_be_added(
    template, standard, department_head
) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:items_from_clauses", args=[template.pk])
    heading = standard.versions.get().clauses.get(kind="chapter")
    response = client.post(url, {"standard": standard.pk, "clauses": [heading.pk]})
    assert "请刷新页面后重新勾选" in response.content.decode()
    response = client.post(url, {"standard": standard.pk})
    assert "请先勾选要添加的条款" in response.content.decode()
    assert not template.items.exists()


def test_a_standard_not_in_force_is_not_offered(
    org_a, template, department_head, standards_officer
) -> None:
    draft_make(org_a, standards_officer, number="JGSW/FW 099—2026")
    url = reverse("checklists:items_from_clauses", args=[template.pk])
    page = signed_in(department_head).get(url).content.decode()
    assert "还没有可引用的现行标准" in page and "查看标准库" in page


# ---- access ---------------------------------------------------------------------------------


def _url(name: str, route, org) -> str:
    if not route.sample:
        return reverse(name)
    return reverse(name, args=[routes.sample(route.sample, org).pk])


@pytest.mark.parametrize("name", sorted(routes.ROUTES))
def test_every_page_is_guarded(name, request, org_a, org_b) -> None:
    route = routes.ROUTES[name]
    url = _url(name, route, org_a)
    response = getattr(Client(), route.method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = person(org_b, "outsider-head", "department_head")
    if route.sample:
        assert getattr(signed_in(outsider), route.method)(url).status_code == 404
    denied = request.getfixturevalue(route.denied)
    assert getattr(signed_in(denied), route.method)(url).status_code == 403

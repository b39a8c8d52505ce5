"""List pages build their filter bar and pagination as strings (STYLE.md, Speed); what they
build must be exactly what the former templates rendered."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.accounts.filters import AuditFilter, UserFilter
from houqin.accounts.models import AuditEvent, User
from houqin.common.changelog_views import ChangeLogFilter
from houqin.common.lists import Column, ListPage
from houqin.common.models import ChangeLogEntry
from houqin.org.filters import ContractFilter, ServedUnitFilter, StaffFilter
from houqin.org.models import Contract, ServedUnit, Staff
from houqin.places.filters import EquipmentFilter, PlaceFilter
from houqin.places.models import Equipment, Place
from tests.conftest import signed_in
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

FORM_FIELDS = Template(  # the loop _filters.html had before the fields were built as strings
    """{% for field in listing.filterset.form %}
    <div class="col-6 col-md-2">
      <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}</label>
      {{ field }}
      {% for error in field.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
    </div>
    {% endfor %}"""
)

PAGINATION = Template(  # _pagination.html before the footer was built as a string
    """{% load houqin %}<div class="card-footer d-flex flex-wrap gap-2 align-items-center">
  <p class="m-0 text-secondary">共 <strong>{{ page.paginator.count }}</strong> 条{% if page.paginator.num_pages > 1 %}，第 {{ page.number }} / {{ page.paginator.num_pages }} 页{% endif %}</p>
  {% if page.paginator.num_pages > 1 %}
  <ul class="pagination m-0 ms-auto">
    <li class="page-item{% if not page.has_previous %} disabled{% endif %}">
      <a class="page-link" href="{% if page.has_previous %}{% query page=page.previous_page_number %}{% else %}#{% endif %}" aria-label="上一页">{% icon "chevron-left" %}上一页</a>
    </li>
    <li class="page-item{% if not page.has_next %} disabled{% endif %}">
      <a class="page-link" href="{% if page.has_next %}{% query page=page.next_page_number %}{% else %}#{% endif %}" aria-label="下一页">下一页{% icon "chevron-right" %}</a>
    </li>
  </ul>
  {% endif %}
</div>
"""
)

FILTER_BAR = Template(  # _filters.html before the bar was built as a string
    """{% load houqin %}<form method="get" class="card-body border-bottom filter-bar" role="search">
  <div class="row g-2 align-items-end">
    <div class="col-12 col-md-4">
      <label class="form-label" for="list-q">搜索</label>
      <input type="search" class="form-control" id="list-q" name="q" value="{{ listing.query }}" placeholder="{{ search_hint }}">
    </div>
    {{ listing.filter_fields }}
    {% if listing.sort %}<input type="hidden" name="sort" value="{{ listing.sort }}">{% endif %}
    <div class="col-12 col-md-auto d-flex gap-2">
      <button type="submit" class="btn btn-primary">{% icon "filter" %}筛选</button>
      {% if listing.is_filtered %}<a class="btn btn-link" href="?">清除</a>{% endif %}
    </div>
  </div>
</form>
"""
)

FILTER_SETS: list[tuple[Any, Any, bool]] = [  # filter set, model, scoped by organization
    (UserFilter, User, True),
    (StaffFilter, Staff, True),
    (PlaceFilter, Place, True),
    (EquipmentFilter, Equipment, True),
    (ContractFilter, Contract, False),
    (ServedUnitFilter, ServedUnit, False),
    (ChangeLogFilter, ChangeLogEntry, False),
    (AuditFilter, AuditEvent, False),
]


def listing(filterset_class: Any, model: Any, scoped: bool, org: Any, **query: str) -> ListPage:
    return ListPage(
        RequestFactory().get("/list/", query),
        model._default_manager.all(),
        columns=[Column("编号", "pk")],
        default_sort="pk",
        filterset_class=filterset_class,
        filterset_kwargs={"organization_id": org.pk} if scoped else None,
    )


@pytest.mark.parametrize(("filterset_class", "model", "scoped"), FILTER_SETS)
def test_the_filter_bar_is_what_the_form_renders(
    filterset_class: Any, model: Any, scoped: bool, org_a
) -> None:
    DepartmentFactory(organization=org_a, code="A", name="<后勤>科")
    DepartmentFactory(organization=org_a, code="B", name="保卫科")
    for query in ({}, {"page": "2", "sort": "-pk"}):
        page = listing(filterset_class, model, scoped, org_a, **query)
        assert not page.is_filtered
        assert str(page.filter_fields) == FORM_FIELDS.render(Context({"listing": page}))
    name = next(iter(filterset_class.base_filters))
    for value in ("1", "no-such-choice"):
        page = listing(filterset_class, model, scoped, org_a, **{name: value})
        assert page.is_filtered
        assert str(page.filter_fields) == FORM_FIELDS.render(Context({"listing": page}))


@pytest.mark.parametrize(
    "query", [{}, {"q": '"<张>&'}, {"sort": "-pk", "page": "2"}, {"department": "1"}]
)
@pytest.mark.parametrize("hint", [None, "登录名或姓名", "<b>"])
def test_the_filter_bar_is_what_the_template_rendered(
    query: dict[str, str], hint: str | None, org_a
) -> None:
    DepartmentFactory(organization=org_a, code="A", name="物业科")
    page = listing(UserFilter, User, True, org_a, **query)
    context = {"listing": page} | ({"search_hint": hint} if hint is not None else {})
    rendered = Template('{% include "_filters.html" %}').render(Context(context))
    assert rendered == FILTER_BAR.render(Context(context))


def test_the_filter_bar_needs_no_form_until_a_filter_is_chosen(org_a, monkeypatch) -> None:
    built = []
    monkeypatch.setattr(
        UserFilter, "form", property(lambda self: built.append(1) or pytest.fail("form built"))
    )
    page = listing(UserFilter, User, True, org_a, q="张", page="2")
    str(page.filter_fields)  # the first showing builds the filter set (without its form)
    page = listing(UserFilter, User, True, org_a, q="张", page="2")
    with CaptureQueriesContext(connection) as queries:
        html = str(page.filter_fields)
    assert 'name="department"' in html and len(queries) == 1 and not built  # the choices
    assert "filterset" not in page.__dict__  # kept: not even the filter set was built


@pytest.mark.parametrize("total", [0, 3, 25, 26, 80])
@pytest.mark.parametrize("number", ["1", "2", "4"])
def test_the_pagination_is_what_the_template_rendered(total: int, number: str) -> None:
    request = RequestFactory().get("/list/", {"q": "a&b<", "page": number, "sort": "-name"})
    page = Paginator(list(range(total)), 25).get_page(number)
    expected = PAGINATION.render(Context({"page": page, "request": request}))
    rendered = Template("{% include '_pagination.html' %}").render(
        Context({"page": page, "request": request})
    )
    assert rendered == expected


def test_the_filter_bar_shows_new_choices_at_once(org_a, org_b) -> None:
    DepartmentFactory(organization=org_a, code="A", name="物业科")
    DepartmentFactory(organization=org_b, code="A", name="外单位科")
    before = str(listing(StaffFilter, Staff, True, org_a).filter_fields)
    assert "物业科" in before and "外单位科" not in before and "保卫科" not in before
    DepartmentFactory(organization=org_a, code="B", name="保卫科")
    after = str(listing(StaffFilter, Staff, True, org_a).filter_fields)
    assert "物业科" in after and "保卫科" in after
    assert "外单位科" in str(listing(StaffFilter, Staff, True, org_b).filter_fields)


def test_the_account_list_names_departments_without_joining_them_into_its_count(
    system_admin, worker, leader, department
) -> None:
    client = signed_in(system_admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:user_list")).content.decode()
    assert "<td>物业管理科</td>" in page and "<td>—</td>" in page
    (count,) = [query["sql"] for query in queries if "COUNT(*)" in query["sql"]]
    assert "org_department" not in count
    for sort in ("department__name", "-department__name"):
        page = client.get(reverse("accounts:user_list"), {"sort": sort}).content.decode()
        rows = page[page.index("<tbody>") :]
        expected = list(User.objects.order_by(sort, "pk").values_list("username", flat=True))
        assert sorted(expected, key=lambda name: rows.index(f">{name}<")) == expected
    export = client.get(reverse("accounts:user_export"))
    sheet = load_workbook(BytesIO(export.content)).active
    assert "物业管理科" in [cell.value for row in sheet.iter_rows() for cell in row]

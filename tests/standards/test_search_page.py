"""The search page: results with marked snippets and links to the clauses, filters, hints,
paging, the htmx fragment, and a query count that does not grow with the hits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from houqin.standards.models import Standard
from tests.conftest import signed_in
from tests.standards.test_search_data import CANTEEN, CLEANING, standard_make

pytestmark = pytest.mark.django_db
URL = "/standards/search/"


@pytest.fixture
def canteen(org_a, standards_officer):
    return standard_make(
        org_a, standards_officer, title="机关食堂服务规范", text=CANTEEN, number="JGSW/TG 001—2026"
    )


def test_it_is_at_its_name() -> None:
    assert reverse("standards:search") == URL


def test_it_shows_hits_with_marked_snippets_and_clause_links(canteen, worker) -> None:
    page = signed_in(worker).get(URL, {"q": "留样"}).content.decode()
    assert "找到 1 项标准" in page
    assert "机关食堂服务规范" in page and "JGSW/TG 001—2026" in page
    assert "每餐次的食品成品应<mark>留样</mark>" in page
    uid = canteen.versions.get().clauses.get(text__startswith="每餐次").uid
    read = reverse("standards:read", args=[canteen.pk])
    assert f'href="{read}#c-{uid}"' in page  # frontline staff open the reading page


def test_office_people_open_the_standard_page(canteen, standards_officer) -> None:
    page = signed_in(standards_officer).get(URL, {"q": "留样"}).content.decode()
    detail = reverse("standards:standard_detail", args=[canteen.pk])
    assert f'href="{detail}"' in page and f'href="{detail}#c-' in page


def test_it_escapes_what_was_typed(canteen, worker) -> None:
    page = signed_in(worker).get(URL, {"q": "<script>留样"}).content.decode()
    assert "<script>留样" not in page and "&lt;script&gt;留样" in page


def test_it_gives_hints_before_a_search_and_when_nothing_is_found(canteen, worker) -> None:
    client = signed_in(worker)
    page = client.get(URL).content.decode()
    assert "输入要查找的词" in page and "?q=GB/T%2024421" in page
    page = client.get(URL, {"q": "不存在的词语"}).content.decode()
    assert "没有找到含有“不存在的词语”的标准" in page
    page = client.get(URL, {"q": "！？"}).content.decode()
    assert "没有可查找的字词" in page


def test_it_filters(org_a, standards_officer, canteen, leader) -> None:
    standard_make(
        org_a,
        standards_officer,
        title="公共卫生间保洁规范",
        text=CLEANING,
        number="JGSW/TG 002—2026",
        lines=("property",),
    )
    client = signed_in(leader)
    page = client.get(URL, {"q": "规范", "line": "property"}).content.decode()
    assert "找到 1 项标准" in page and "公共卫生间保洁<mark>规范</mark>" in page
    assert "清除筛选" in page
    page = client.get(URL, {"q": "规范", "level": "nonsense"}).content.decode()
    assert "筛选条件有误" in page


def test_it_serves_the_results_fragment_to_htmx(canteen, worker) -> None:
    response = signed_in(worker).get(URL, {"q": "留样"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<mark>留样</mark>" in page and "<html" not in page


def count_queries(run) -> tuple[int, str]:
    """The SQL statements one request runs (the test client resets Django's query log at
    the start of each request, so count with a wrapper)."""
    statements: list[str] = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        page = run()
    return len(statements), page


def test_it_pages_without_more_queries_for_more_hits(org_a, standards_officer, worker) -> None:
    def make(i: int) -> None:
        standard_make(
            org_a,
            standards_officer,
            title=f"食堂规范{i}",
            text=CANTEEN,
            number=f"JGSW/TG {i + 100:03d}—2026",
        )

    for i in range(2):
        make(i)
    client = signed_in(worker)
    client.get(URL)  # the session's first request does its own bookkeeping
    few, page = count_queries(lambda: client.get(URL, {"q": "留样"}).content.decode())
    assert "找到 2 项标准" in page and page.count("<mark>留样</mark>") >= 4
    for i in range(2, 30):
        make(i)
    many, page = count_queries(lambda: client.get(URL, {"q": "留样"}).content.decode())
    assert "找到 30 项标准" in page and "第 1 / 2 页" in page
    assert many == few, "the search page runs more queries for more hits"
    second = client.get(URL, {"q": "留样", "page": "2"}).content.decode()
    assert second.count('class="list-group-item') == 10
    last = client.get(URL, {"q": "留样", "page": "9"}).content.decode()
    assert "第 2 / 2 页" in last


def test_workers_do_not_find_drafts(org_a, standards_officer, worker) -> None:
    standard_make(org_a, standards_officer, title="会议服务规范", status="drafting", text=CANTEEN)
    page = signed_in(worker).get(URL, {"q": "会议服务"}).content.decode()
    assert "没有找到" in page and "这里只查现行标准" in page
    assert Standard.objects.filter(title="会议服务规范").exists()

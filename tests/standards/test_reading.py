"""The reading view and the reading list for frontline staff: the text in force, the
reader's post first, the 我已阅读 button for a pending acknowledgement, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from houqin.org.models import Post, Staff
from houqin.standards import clauses as ops
from houqin.standards.models import Acknowledgement, Standard, StandardLine
from houqin.standards.services import version_publish
from houqin.standards.views.reading import post_keywords, relevant_clauses
from tests.conftest import signed_in
from tests.standards.builders import draft_make, in_force_make, n

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleaner_post(org_a):
    return Post.objects.create(organization=org_a, code="BJ", name="保洁员")


@pytest.fixture
def cleaner(org_a, worker, cleaner_post):
    """dora, a worker whose staff record holds the 保洁员 post."""
    Staff.objects.create(
        organization=org_a,
        number="W01",
        name=worker.name,
        employment="contract",
        user=worker,
        post=cleaner_post,
    )
    return worker


def test_it_shows_the_text_in_force_with_a_table_of_contents(in_force, worker) -> None:
    response = signed_in(worker).get(reverse("standards:read", args=[in_force.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "保洁员应每2 h保洁1次。" in html
    assert "目次" in html and "2　保洁要求" in html and "2.1　频次" in html
    assert "JGSW/FW 001—2026" in html
    assert "本标准适用于您的岗位" not in html  # dora has no post


def test_it_tells_the_reader_the_standard_governs_their_post(
    in_force, cleaner, cleaner_post
) -> None:
    in_force.posts.add(cleaner_post)
    html = signed_in(cleaner).get(reverse("standards:read", args=[in_force.pk])).content.decode()
    assert "本标准适用于您的岗位（保洁员）" in html


def test_it_puts_the_clauses_about_the_readers_post_first(in_force, cleaner) -> None:
    html = signed_in(cleaner).get(reverse("standards:read", args=[in_force.pk])).content.decode()
    assert "与您岗位（保洁员）相关的条款" in html
    relevant = html.index("与您岗位（保洁员）相关的条款")
    assert relevant < html.index('class="std-text"')
    assert "<mark>保洁员</mark>应每2 h保洁1次。" in html[relevant:]
    assert "本文件规定了公共卫生间" not in html[relevant : html.index('class="std-text"')]


def test_relevance_prefers_the_full_post_name_and_skips_the_front_matter(in_force) -> None:
    items = ops.version_items(in_force.versions.get())

    def found(post: str) -> list[tuple[str, list[str]]]:
        return [
            (g.head.number if g.head else "", [c.text or c.title for c in g.matches])
            for g in relevant_clauses(items, post_keywords(post))[0]
        ]

    assert found("保洁员") == [("2.1", ["保洁员应每2 h保洁1次。"])]
    # No clause names 保洁工: the stem 保洁 finds the chapter named for it and its text.
    assert found("保洁工") == [("2", ["保洁要求"]), ("2.1", ["保洁员应每2 h保洁1次。"])]
    assert found("驾驶员") == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("保洁员", ["保洁员", "保洁"]),
        ("电工", ["电工"]),
        ("驾驶员", ["驾驶员", "驾驶"]),
        ("厨师", ["厨师"]),
        ("", []),
    ],
)
def test_post_keywords(name, words) -> None:
    assert post_keywords(name) == words


def test_a_pending_acknowledgement_shows_the_button(in_force, cleaner, org_a) -> None:
    version = in_force.versions.get()
    ack = Acknowledgement.objects.create(
        organization=org_a, version=version, user=cleaner, due_on=date(2026, 12, 31)
    )
    html = signed_in(cleaner).get(reverse("standards:read", args=[in_force.pk])).content.decode()
    assert "2026年12月31日" in html
    try:
        url = reverse("standards:acknowledge", args=[ack.pk])
    except NoReverseMatch:
        assert "我已阅读" not in html and "请在 2026年12月31日 前读完" in html
    else:
        assert f'action="{url}"' in html and "我已阅读" in html
    Acknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at="2026-11-01T08:00:00+08:00")
    html = signed_in(cleaner).get(reverse("standards:read", args=[in_force.pk])).content.decode()
    assert "我已阅读" not in html and "2026年12月31日" not in html


def test_a_standard_without_a_published_text_says_so(draft, worker, standards_officer) -> None:
    url = reverse("standards:read", args=[draft.pk])
    assert signed_in(worker).get(url).status_code == 404  # frontline staff see standards in force
    response = signed_in(standards_officer).get(url)
    assert response.status_code == 200
    assert "本标准还没有发布的文本" in response.content.decode()
    assert "保洁员应每2 h保洁1次。" not in response.content.decode()


def test_the_reading_list_puts_the_readers_post_first_then_service_lines(
    org_a, standards_officer, cleaner, cleaner_post
) -> None:
    canteen = in_force_make(org_a, standards_officer, number="JGSW/FW 002—2026")
    Standard.objects.filter(pk=canteen.pk).update(title="机关食堂餐饮服务规范")
    StandardLine.objects.filter(standard=canteen).update(line="canteen")
    vehicles = in_force_make(org_a, standards_officer, number="JGSW/FW 003—2026")
    Standard.objects.filter(pk=vehicles.pk).update(title="公务用车调度规范")
    StandardLine.objects.filter(standard=vehicles).update(line="vehicles")
    mine = in_force_make(org_a, standards_officer, number="JGSW/FW 009—2026")
    mine.posts.add(cleaner_post)
    draft_make(org_a, standards_officer, title="还在起草的规范")
    response = signed_in(cleaner).get(reverse("standards:read_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "还在起草的规范" not in html
    order = [
        html.index("适用于您的岗位（保洁员）"),
        html.index("JGSW/FW 009—2026"),
        html.index("公务用车"),
        html.index("JGSW/FW 003—2026"),
        html.index("机关食堂"),
        html.index("JGSW/FW 002—2026"),
    ]
    assert order == sorted(order)
    searched = (
        signed_in(cleaner).get(reverse("standards:read_list"), {"q": "食堂"}).content.decode()
    )
    assert "JGSW/FW 002—2026" in searched and "JGSW/FW 003—2026" not in searched


def test_the_reading_list_marks_pending_acknowledgements(in_force, cleaner, org_a) -> None:
    Acknowledgement.objects.create(
        organization=org_a, version=in_force.versions.get(), user=cleaner, due_on=date(2026, 12, 31)
    )
    html = signed_in(cleaner).get(reverse("standards:read_list")).content.decode()
    assert "您有 1 项标准待确认阅读" in html and "待确认阅读</span>" in html


def test_the_reading_list_runs_the_same_queries_for_2_and_30_standards(
    org_a, standards_officer, cleaner, cleaner_post
) -> None:
    client = signed_in(cleaner)
    url = reverse("standards:read_list")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    two = 0
    for index in range(30):
        standard = in_force_make(org_a, standards_officer, number=f"JGSW/FW {index + 100}—2026")
        if index % 3 == 0:
            standard.posts.add(cleaner_post)
        if index == 1:
            two = count()
    assert count() == two
    assert signed_in(cleaner).get(url).content.decode().count("list-group-item-action") == 30


def test_the_reading_view_does_not_run_a_query_per_clause(
    org_a, standards_officer, cleaner
) -> None:
    client = signed_in(cleaner)

    def count(number: str, paragraphs: int) -> int:
        standard = draft_make(org_a, standards_officer, title=f"保洁规范{paragraphs}")
        version = standard.versions.get()
        ops.tree_load(
            version=version,
            nodes=[
                n("clause", title=f"条{i}", children=(n("paragraph", f"保洁员第{i}段应做。"),))
                for i in range(paragraphs)
            ],
            parent=version.clauses.get(kind="chapter"),
        )
        version_publish(
            version=version,
            actor=standards_officer,
            number=number,
            published_on=date(2026, 3, 1),
            effective_on=date(2026, 4, 1),
        )
        Standard.objects.filter(pk=standard.pk).update(status="in_force")
        url = reverse("standards:read", args=[standard.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert f"条{paragraphs - 1}" in client.get(url).content.decode()
        return len(queries)

    assert count("JGSW/FW 300—2026", 2) == count("JGSW/FW 301—2026", 40)


def test_acknowledging_goes_back_to_the_text(in_force, cleaner, org_a) -> None:
    version = in_force.versions.get()
    ack = Acknowledgement.objects.create(
        organization=org_a, version=version, user=cleaner, due_on=date(2026, 12, 31)
    )
    read = reverse("standards:read", args=[in_force.pk])
    client = signed_in(cleaner)
    url = reverse("standards:acknowledge", args=[ack.pk])
    assert client.post(url, {"next": read})["Location"] == read
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == reverse(
        "standards:acknowledgement_list"
    )

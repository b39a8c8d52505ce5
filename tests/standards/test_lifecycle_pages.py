"""The lifecycle pages: the panel's buttons for each person, the consultation page with its
comments and 意见处理表, the step forms with their Chinese errors, 我的阅读确认, the
reminders; lists keep the same number of queries with 2 rows and 30."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from houqin.org.models import ServedUnit
from houqin.standards import lifecycle as steps
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.models import Acknowledgement, Comment, Standard
from houqin.standards.views.lifecycle import panel_context
from tests.conftest import person, signed_in
from tests.factories import UserFactory
from tests.standards.builders import COMPLETE_TEXT, draft_make, in_force_make
from tests.standards.test_lifecycle import TODAY, at, circulate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with at(TODAY):
        yield


@pytest.fixture
def owned(org_a, standards_officer, department):
    """A draft the drafting check passes (COMPLETE_TEXT), owned by the 物业管理科."""
    draft = draft_make(org_a, standards_officer, text=COMPLETE_TEXT)
    Standard.objects.filter(pk=draft.pk).update(owner_department=department)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def consultation(owned, department_head, department):
    return circulate(owned, department_head, departments=[department])


def buttons(user, standard) -> list[str]:
    request = RequestFactory().get("/standards/1/")
    request.user = user
    return [a.label for a in panel_context(request, standard)["panel"].actions]


def test_the_panel_offers_each_person_the_steps_they_may_take(
    owned, standards_officer, department_head, worker, leader, org_a
) -> None:
    assert buttons(standards_officer, owned) == ["征求意见", "提交审查"]
    assert buttons(department_head, owned) == ["征求意见", "提交审查"]
    stranger_head = person(org_a, "carl", "department_head")  # not the owner department
    assert buttons(stranger_head, owned) == []
    assert buttons(worker, owned) == []
    assert buttons(leader, owned) == []


def test_the_panel_follows_the_standard_through_review_and_approval(
    owned, standards_officer, leader
) -> None:
    steps.review_submit(standard=owned, actor=standards_officer)
    assert buttons(standards_officer, owned) == ["记录审查结论", "退回起草"]
    assert buttons(leader, owned) == []  # nothing to approve before a passed review
    request = RequestFactory().get("/")
    request.user = leader
    assert panel_context(request, owned)["panel"].hints == [
        "草案还没有审查结论；审查会通过后才能批准发布。"
    ]
    steps.review_record(
        standard=owned, actor=standards_officer, held_on=TODAY, reviewers="张", conclusion="passed"
    )
    assert buttons(leader, owned) == ["批准发布"]


def test_the_panel_of_a_standard_in_force(in_force, standards_officer, department_head) -> None:
    assert buttons(standards_officer, in_force) == ["开始复审", "修订", "废止"]
    assert buttons(department_head, in_force) == []
    steps.periodic_review_start(standard=in_force, actor=standards_officer)
    assert buttons(standards_officer, in_force) == ["复审结论"]


def test_the_panel_renders_with_its_confirmations(owned, standards_officer) -> None:
    request = RequestFactory().get(f"/standards/{owned.pk}/")
    request.user = standards_officer
    html = render_to_string(
        "standards/_lifecycle_panel.html", panel_context(request, owned), request
    )
    assert "当前：起草" in html
    assert f'href="/standards/{owned.pk}/consultation/new/"' in html
    assert 'data-bs-target="#lc-submit_review"' in html
    assert f'action="/standards/{owned.pk}/review/submit/"' in html
    assert f'name="next" value="/standards/{owned.pk}/"' in html


def test_the_lifecycle_page_shows_the_panel_and_the_rounds(
    consultation, standards_officer, served
) -> None:
    url = reverse("standards:standard_lifecycle", args=[consultation.standard_id])
    page = signed_in(standards_officer).get(url).content.decode()
    assert "第1版征求意见稿" in page and "进行中" in page and "还没有审查记录" in page
    assert signed_in(served).get(url).status_code == 403


def test_circulating_from_the_form_shows_errors_in_chinese(
    owned, department_head, department, worker
) -> None:
    client = signed_in(department_head)
    url = reverse("standards:consultation_open", args=[owned.pk])
    page = client.get(url).content.decode()
    assert "物业管理科" in page and "2026-03-16" in page  # the default deadline: two weeks
    response = client.post(url, {"deadline": "2026-03-02", "people": [worker.pk]})
    assert "截止日期须晚于今天，请给被征求意见的人留出时间。" in response.content.decode()
    response = client.post(url, {"deadline": "2026-03-20"})
    assert "请至少选择一个征求意见的科室、服务单位或人员。" in response.content.decode()
    response = client.post(
        url, {"deadline": "2026-03-20", "departments": [department.pk], "message": "请提意见"}
    )
    consultation = owned.consultations.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:consultation_detail", args=[consultation.pk])


def test_a_head_of_another_department_may_not_open_the_form(owned, org_a) -> None:
    head = person(org_a, "carl", "department_head")
    url = reverse("standards:consultation_open", args=[owned.pk])
    assert signed_in(head).get(url).status_code == 403


def test_an_invitee_comments_on_a_clause_from_the_page(consultation, worker) -> None:
    client = signed_in(worker)
    url = reverse("standards:consultation_detail", args=[consultation.pk])
    clause = consultation.version.clauses.get(text="保洁员应每2 h保洁1次。")
    page = client.get(f"{url}?clause={clause.uid}").content.decode()
    assert "保洁员应每2 h保洁1次。" in page
    assert f'data-comment-clause="{clause.uid}"' in page
    assert f'<option value="{clause.uid}" selected>4.1　保洁员应每2 h保洁1次。</option>' in page
    post = reverse("standards:comment_add", args=[consultation.pk])
    response = client.post(post, {"clause": str(clause.uid), "text": " "})
    assert "请填写意见内容。" in response.content.decode()
    response = client.post(post, {"clause": str(clause.uid), "text": "改为每1 h"})
    assert response["Location"] == f"{url}#c-{clause.uid}"
    comment = Comment.objects.get()
    assert (comment.clause_number, comment.author) == ("4.1", worker)
    page = client.get(url).content.decode()
    assert "改为每1 h" in page and "待处理" in page
    assert ">答复</a>" not in page  # the worker is no drafter


def test_served_staff_see_and_comment_only_when_their_unit_is_invited(
    owned, department_head, org_a, served
) -> None:
    unit = ServedUnit.objects.create(organization=org_a, code="SW", name="市委办公室", body="party")
    consultation = circulate(owned, department_head, served_units=[unit])
    url = reverse("standards:consultation_detail", args=[consultation.pk])
    assert signed_in(served).get(url).status_code == 403
    unit.requesters.add(served)
    assert signed_in(served).get(url).status_code == 200
    response = signed_in(served).post(
        reverse("standards:comment_add", args=[consultation.pk]), {"clause": "", "text": "总体同意"}
    )
    assert response["Location"] == f"{url}#general-comments"
    assert Comment.objects.get().author_unit == "市委办公室"


def test_a_closed_consultation_says_why_no_comment_is_taken(consultation, worker) -> None:
    url = reverse("standards:consultation_detail", args=[consultation.pk])
    with at(date(2026, 3, 17)):
        page = signed_in(worker).get(url).content.decode()
    assert "征求意见已于2026-03-16截止，不能再提意见。" in page
    assert "data-comment-clause" not in page


def test_drafters_answer_from_the_disposition_table(consultation, worker, department_head) -> None:
    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    client = signed_in(department_head)
    detail = reverse("standards:consultation_detail", args=[consultation.pk])
    page = client.get(detail).content.decode()
    answer = reverse("standards:comment_answer", args=[comment.pk])
    assert f'href="{answer}">答复</a>' in page
    response = client.post(answer, {"disposition": "rejected", "reply": ""})
    assert "处理结果为“不采纳”时，请在处理说明中写明理由。" in response.content.decode()
    response = client.post(answer, {"reply": "x"})
    assert "请选择处理结果。" in response.content.decode()
    response = client.post(answer, {"disposition": "rejected", "reply": "现行频次够用"})
    assert response["Location"] == f"{detail}#disposition"
    page = client.get(detail).content.decode()
    assert "不采纳" in page and "现行频次够用" in page and f'href="{answer}">修改</a>' in page
    assert signed_in(worker).get(answer).status_code == 403


def test_the_disposition_table_exports_to_word(consultation, worker, department_head) -> None:
    from io import BytesIO

    from docx import Document

    comment = commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    commenting.comment_answer(
        comment=comment, actor=department_head, disposition="partly", reply="高峰时段每1 h"
    )
    url = reverse("standards:disposition_export", args=[consultation.pk])
    page = signed_in(department_head).get(
        reverse("standards:consultation_detail", args=[consultation.pk])
    )
    assert f'href="{url}"' in page.content.decode()
    response = signed_in(department_head).get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="disposition-')
    cells = [
        cell.text
        for table in Document(BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "改为每1 h" in cells and "部分采纳" in cells and "高峰时段每1 h" in cells
    assert signed_in(worker).get(url).status_code == 403


def test_a_refused_step_says_why_at_the_top(consultation, worker, department_head) -> None:
    commenting.comment_add(consultation=consultation, actor=worker, text="改为每1 h")
    client = signed_in(department_head)
    back = reverse("standards:standard_lifecycle", args=[consultation.standard_id])
    response = client.post(
        reverse("standards:review_submit", args=[consultation.standard_id]),
        {"next": back},
        follow=True,
    )
    assert "还有 1 条意见未处理" in response.content.decode()
    assert response.redirect_chain[-1][0] == back


def test_next_never_leaves_the_site(consultation, department_head) -> None:
    response = signed_in(department_head).post(
        reverse("standards:review_submit", args=[consultation.standard_id]),
        {"next": "https://evil.example/"},
    )
    assert not response["Location"].startswith("https://evil.example")


def test_record_the_review_then_the_leader_approves_from_the_pages(
    owned, standards_officer, leader
) -> None:
    steps.review_submit(standard=owned, actor=standards_officer)
    office = signed_in(standards_officer)
    record = reverse("standards:review_record", args=[owned.pk])
    response = office.post(
        record, {"held_on": "2026-03-02", "reviewers": "张领导", "conclusion": "conditional"}
    )
    assert "结论为“修改后通过”时，请写明须修改的内容。" in response.content.decode()
    response = office.post(
        record, {"held_on": "2026-03-02", "reviewers": "张领导", "conclusion": "passed"}
    )
    assert response.status_code == 302
    approve = reverse("standards:standard_approve", args=[owned.pk])
    boss = signed_in(leader)
    page = boss.get(approve).content.decode()
    assert "发布后本版本不可修改" in page and "JGSW/FW 003—2026" in page
    response = boss.post(
        approve, {"number": "FW 3", "published_on": "2026-03-02", "effective_on": "2026-04-01"}
    )
    assert "不符合格式" in response.content.decode()
    boss.post(
        approve,
        {"number": "JGSW/FW 003—2026", "published_on": "2026-03-02", "effective_on": "2026-04-01"},
    )
    owned.refresh_from_db()
    assert owned.status == "published" and owned.number == "JGSW/FW 003—2026"


def test_the_approval_page_says_when_it_cannot_approve(owned, leader) -> None:
    page = signed_in(leader).get(reverse("standards:standard_approve", args=[owned.pk]))
    assert "须先经审查才能批准发布" in page.content.decode()


def test_the_periodic_review_page(in_force, standards_officer) -> None:
    url = reverse("standards:periodic_review_decide", args=[in_force.pk])
    client = signed_in(standards_officer)
    response = client.post(url, {"conclusion": "withdraw", "note": ""})
    assert "复审结论为“废止”时，请写明理由。" in response.content.decode()
    client.post(url, {"conclusion": "valid", "note": ""})
    in_force.refresh_from_db()
    assert in_force.review_due_on == date(2031, 3, 2)


def test_withdraw_from_the_panel_needs_a_reason(in_force, standards_officer) -> None:
    url = reverse("standards:standard_withdraw", args=[in_force.pk])
    response = signed_in(standards_officer).post(url, {"note": ""}, follow=True)
    assert "请填写废止的原因。" in response.content.decode()
    signed_in(standards_officer).post(url, {"note": "并入新标准"})
    assert Standard.objects.get(pk=in_force.pk).status == "withdrawn"


def test_my_reading_tasks_and_i_have_read(in_force, worker, org_a) -> None:
    version = in_force.versions.get()
    ack = Acknowledgement.objects.create(
        organization=org_a, version=version, user=worker, due_on=date(2026, 3, 1)
    )
    client = signed_in(worker)
    url = reverse("standards:acknowledgement_list")
    page = client.get(url).content.decode()
    assert "《公共卫生间保洁规范》" in page and "已逾期" in page and "我已阅读" in page
    assert f'href="/standards/{in_force.pk}/read/"' in page
    response = client.post(reverse("standards:acknowledge", args=[ack.pk]), follow=True)
    assert "已确认阅读《公共卫生间保洁规范》。" in response.content.decode()
    assert "没有待确认的标准" in response.content.decode()
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None


def test_the_reminders_page(in_force, standards_officer) -> None:
    Standard.objects.filter(pk=in_force.pk).update(review_due_on=date(2026, 3, 1))
    page = signed_in(standards_officer).get(reverse("standards:reminder_list")).content.decode()
    assert 'id="reviews"' in page and "2026-03-01" in page and "公共卫生间保洁规范" in page
    assert "没有过了截止日期还没结束的征求意见。" in page


@pytest.mark.parametrize("rows", [2, 30])
def test_the_consultation_page_runs_the_same_queries_for_2_or_30_comments(
    consultation, department_head, department, org_a, rows, django_assert_max_num_queries
) -> None:
    clauses = list(consultation.version.clauses.all())
    for index in range(rows):
        author = UserFactory(organization=org_a, department=department)
        Comment.objects.create(
            organization=org_a,
            consultation=consultation,
            author=author,
            author_unit="物业管理科",
            clause_uid=clauses[index % len(clauses)].uid,
            text=f"意见{index}",
        )
    client = signed_in(department_head)
    url = reverse("standards:consultation_detail", args=[consultation.pk])
    client.get(url)  # warm the per-process caches (content types, URL patterns)
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert page.count('class="consult-note"') == rows


@pytest.mark.parametrize("rows", [2, 30])
def test_my_reading_tasks_run_the_same_queries_for_2_or_30(
    worker, org_a, standards_officer, rows, django_assert_max_num_queries
) -> None:
    for index in range(rows):
        standard = in_force_make(org_a, standards_officer, number=f"JGSW/FW {index + 100}—2026")
        Acknowledgement.objects.create(
            organization=org_a,
            version=standard.versions.get(),
            user=worker,
            due_on=date(2026, 3, 10),
        )
    client = signed_in(worker)
    url = reverse("standards:acknowledgement_list")
    client.get(url)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("我已阅读</button>") == rows


@pytest.mark.parametrize("rows", [2, 30])
def test_the_reminders_run_the_same_queries_for_2_or_30(
    standards_officer, org_a, rows, django_assert_max_num_queries
) -> None:
    for index in range(rows):
        standard = in_force_make(org_a, standards_officer, number=f"JGSW/FW {index + 100}—2026")
        Standard.objects.filter(pk=standard.pk).update(review_due_on=date(2026, 1, 1))
    client = signed_in(standards_officer)
    url = reverse("standards:reminder_list")
    client.get(url)
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert page.count("2026-01-01") == rows

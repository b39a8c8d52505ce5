"""Doing a check on a phone, server side: the scan page (tasks due there now, the
requirements its checklists cite), starting a task's record once per draft key, saving
answers one by one, photos and signatures, the summary before submitting, one submission
that raises findings and finishes the task, the result; the ledger with its filters, export
and query count; shift handovers; who may open each page."""

from __future__ import annotations

import base64
import re
import uuid
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from houqin.checklists.models import Answer, Handover, Record, Task
from houqin.checklists.services import answer_save, record_complete, record_open
from houqin.common.models import Attachment
from houqin.findings.models import Finding
from houqin.org.models import Staff, Team
from tests.checklists import routes_records
from tests.checklists.record_builders import (
    NOW,
    photo,
    png_bytes,
    schedule_for,
    sheet,
    site,
    task_now,
)
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def places(org_a, department):
    return site(org_a, department)


@pytest.fixture
def template(org_a, department_head, department):
    return sheet(org_a, department_head, department)


@pytest.fixture
def task(template, places, worker):
    return task_now(template, places["toilet"], person=worker)


def text(response) -> str:
    page = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def start(client: Client, task: Task, key: str = "", scan: str = "") -> Record:
    response = client.post(
        reverse("checklists:record_start", args=[task.pk]), {"client_key": key, "scan": scan}
    )
    assert response.status_code == 302, response
    pk = int(re.search(r"/records/(\d+)/", response["Location"]).group(1))
    return Record.objects.get(pk=pk)


def answers_of(record: Record) -> list[Answer]:
    return list(record.answers.select_related("item").order_by("position"))


def save(client: Client, answer: Answer, value: str, note: str = ""):
    return client.post(
        reverse("checklists:answer_save", args=[answer.pk]), {"value": value, "note": note}
    )


def fill_all_passing(client: Client, record: Record) -> None:
    first, fridge, floor = answers_of(record)
    assert save(client, first, "pass").status_code == 200
    assert save(client, fridge, "4.5").status_code == 200
    assert save(client, floor, "干净").status_code == 200


# ---- the scan page -------------------------------------------------------------------------


def test_the_scan_page_shows_the_tasks_due_here_and_what_the_standard_asks(
    task, places, template, worker
) -> None:
    schedule_for(template, places["toilet"])
    later = task_now(template, places["toilet"], now=NOW.replace(hour=15), person=worker)
    elsewhere = task_now(template, places["kitchen"], person=worker)
    page = signed_in(worker).get(f"/q/{places['toilet'].qr_token}")
    assert page.status_code == 200
    words = text(page)
    assert "这里现在要做的检查" in words and "开始检查" in words
    assert "卫生间保洁检查 · 10:30 前完成" in words
    html = page.content.decode()
    assert f'data-start-task="{task.pk}"' in html
    assert f'data-start-task="{later.pk}"' not in html  # its window has not opened
    assert f'data-start-task="{elsewhere.pk}"' not in html
    assert "这里的要求" in words
    assert "保洁员应每2 h保洁1次。" in words and "JGSW/FW 001—2026 第2.1条" in words


def test_a_team_task_shows_to_its_members_until_one_takes_it(
    org_a, template, places, worker, department
) -> None:
    team = Team.objects.create(organization=org_a, department=department, name="早班")
    mate = person(org_a, "gina", "worker", name="钱保洁")
    outsider = person(org_a, "hank", "worker", name="孙保洁")
    for number, user in (("W1", worker), ("W2", mate)):
        Staff.objects.create(
            organization=org_a,
            number=number,
            name=user.name,
            user=user,
            employment="contract",
            team=team,
        )
    shared = task_now(template, places["toilet"], team=team)
    url = f"/q/{places['toilet'].qr_token}"
    assert f'data-start-task="{shared.pk}"' in signed_in(mate).get(url).content.decode()
    assert "这里现在没有要你做的检查" in text(signed_in(outsider).get(url))

    record = start(signed_in(worker), shared, str(uuid.uuid4()))
    shared.refresh_from_db()
    assert shared.taken_by == worker and shared.status == Task.Status.IN_PROGRESS
    assert record.inspector == worker
    assert f'data-start-task="{shared.pk}"' not in signed_in(mate).get(url).content.decode()
    response = signed_in(mate).post(
        reverse("checklists:record_start", args=[shared.pk]), follow=True
    )
    assert "这项任务已由赵师傅接手，你不用再做。" in text(response)


def test_those_who_do_no_checks_still_go_to_the_place(leader, places) -> None:
    toilet = places["toilet"]
    response = signed_in(leader).get(f"/q/{toilet.qr_token}")
    assert response["Location"] == reverse("places:place_detail", args=[toilet.pk])


def test_a_label_on_equipment_leads_to_its_tasks(org_a, template, places, worker) -> None:
    from datetime import timedelta

    from houqin.places.models import Equipment

    fridge = Equipment.objects.create(
        organization=org_a, code="BX-01", type="other", name="后厨冰箱", place=places["kitchen"]
    )
    task = Task.objects.create(
        organization=org_a,
        template=template,
        occurrence="fridge-1",
        kind="self",
        person=worker,
        equipment=fridge,
        opens_at=NOW - timedelta(minutes=10),
        due_at=NOW + timedelta(hours=1),
    )
    client = signed_in(worker)
    page = client.get(f"/q/{fridge.qr_token}")
    assert f'data-start-task="{task.pk}"' in page.content.decode()
    assert "扫码 · 设备 · 在食堂后厨" in text(page)
    record = start(client, task, scan=fridge.qr_token)
    assert record.equipment == fridge and record.place == places["kitchen"]


# ---- starting and filling ------------------------------------------------------------------


def test_a_retried_start_finds_the_same_record(task, worker, places) -> None:
    client = signed_in(worker)
    key = str(uuid.uuid4())
    first = start(client, task, key, scan=places["toilet"].qr_token)
    assert start(client, task, key) == first
    assert start(client, task, "") == first  # the same draft, even without its key
    assert Record.objects.count() == 1
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert first.place == places["toilet"] and first.client_key == uuid.UUID(key)
    assert [a.item.text for a in answers_of(first)] == [
        "保洁员应每2 h保洁1次。",
        "冰箱冷藏温度",
        "地面状况",
    ]


def test_the_page_has_big_controls_limits_and_the_standard_behind_a_toggle(task, worker) -> None:
    client = signed_in(worker)
    record = start(client, task)
    page = client.get(reverse("checklists:record_fill", args=[record.pk]))
    html = page.content.decode()
    words = text(page)
    for value, word in (("pass", "合格"), ("fail", "不合格"), ("na", "不适用")):
        assert re.search(
            rf'value="{value}">\s*<label class="btn record-{value}"[^>]*>.*?{word}</label>',
            html,
            re.S,
        )
    assert "合格范围： 0 – 8 ℃" in words
    assert "<summary>" in html and "标准要求" in words
    assert "依据：JGSW/FW 001—2026 第2.1条" in words
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert "checklists/capture.js" in html and "checklists/record.js" in html


def test_the_record_page_queries_do_not_grow_with_the_items(
    org_a, department_head, places, worker
) -> None:
    from houqin.checklists.services import item_add

    client = signed_in(worker)
    small = sheet(org_a, department_head, name="小表", number="JGSW/FW 002—2026")
    first = start(client, task_now(small, places["toilet"], person=worker))
    big = sheet(org_a, department_head, name="大表", number="JGSW/FW 003—2026")
    for n in range(12):
        item_add(template=big, actor=department_head, data={"text": f"第{n}项"})
    second = start(client, task_now(big, places["kitchen"], person=worker))

    def count(record: Record) -> int:
        url = reverse("checklists:record_fill", args=[record.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert count(second) == count(first)


def test_answers_are_saved_one_by_one_with_clear_messages(task, worker, vendor_worker) -> None:
    client = signed_in(worker)
    record = start(client, task)
    first, fridge, floor = answers_of(record)
    reply = save(client, fridge, "12")
    assert reply.status_code == 200 and reply.json()["outcome"] == "fail"
    reply = save(client, fridge, "十二")
    assert reply.status_code == 400 and reply.json()["error"] == "“冰箱冷藏温度”请填写数字。"
    assert save(signed_in(vendor_worker), first, "pass").status_code == 404
    assert save(client, floor, "有垃圾").json()["outcome"] == "fail"


def test_a_failure_asks_for_a_photo_and_a_note_before_it_can_be_submitted(task, worker) -> None:
    client = signed_in(worker)
    record = start(client, task)
    first, fridge, floor = answers_of(record)
    save(client, first, "fail")
    save(client, fridge, "5")
    save(client, floor, "干净")
    summary = text(client.get(reverse("checklists:record_summary", args=[record.pk])))
    assert "还不能提交" in summary
    assert "保洁员应每2 h保洁1次。：需要拍照，不合格需要写明情况" in summary
    reply = client.post(
        reverse("checklists:record_submit", args=[record.pk]), HTTP_ACCEPT="application/json"
    )
    assert reply.status_code == 400
    assert reply.json()["messages"] == ["保洁员应每2 h保洁1次。：需要拍照，不合格需要写明情况"]

    added = client.post(reverse("checklists:answer_photo", args=[first.pk]), {"photo": photo()})
    assert added.status_code == 201
    assert added.json()["thumb"] == reverse("common:attachment_thumb", args=[added.json()["id"]])
    not_image = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    refused = client.post(reverse("checklists:answer_photo", args=[first.pk]), {"photo": not_image})
    assert refused.status_code == 400 and refused.json()["error"] == "只能上传照片。"
    extra = client.post(reverse("checklists:answer_photo", args=[first.pk]), {"photo": photo()})
    gone = client.post(
        reverse("checklists:answer_photo_delete", args=[first.pk]), {"photo": extra.json()["id"]}
    )
    assert gone.status_code == 200 and first.record.answers.count() == 3
    assert Attachment.objects.filter(object_id=str(first.pk)).count() == 1
    save(client, first, "fail", "地面有积水")
    summary = text(client.get(reverse("checklists:record_summary", args=[record.pk])))
    assert "确认提交" in summary and "不合格 1 项" in summary and "得分 66.67%" in summary


def test_one_submission_raises_the_findings_and_finishes_the_task(task, worker) -> None:
    client = signed_in(worker)
    record = start(client, task)
    first, fridge, floor = answers_of(record)
    client.post(reverse("checklists:answer_photo", args=[first.pk]), {"photo": photo()})
    save(client, first, "fail", "地面有积水")
    save(client, fridge, "4")
    save(client, floor, "干净")
    url = reverse("checklists:record_submit", args=[record.pk])
    body = {"latitude": "31.230416", "longitude": "121.473701"}
    reply = client.post(url, body, HTTP_ACCEPT="application/json")
    result_url = reverse("checklists:record_result", args=[record.pk])
    assert reply.status_code == 200 and reply.json() == {"url": result_url}
    again = client.post(url, body, HTTP_ACCEPT="application/json")
    assert again.json() == {"url": result_url}
    assert Finding.objects.filter(record=record).count() == 1
    record.refresh_from_db()
    task.refresh_from_db()
    assert record.status == Record.Status.SUBMITTED and record.passed is False
    assert str(record.latitude) == "31.230416" and not record.wrong_place
    assert task.status == Task.Status.DONE
    assert save(client, fridge, "5").status_code == 409

    words = text(client.get(result_url))
    assert "不合格" in words and "得分 66.67%" in words
    assert "计分方法：按合格率：合格项数 ÷ 适用项数，达到 80% 为合格" in words
    assert "已生成问题" in words and "地面有积水" in words
    assert client.get(reverse("checklists:record_fill", args=[record.pk]))["Location"] == result_url


def test_a_record_from_another_place_is_flagged(task, worker, places) -> None:
    client = signed_in(worker)
    record = start(client, task, scan=places["kitchen"].qr_token)
    assert record.place == places["kitchen"]
    fill_all_passing(client, record)
    client.post(reverse("checklists:record_submit", args=[record.pk]))
    record.refresh_from_db()
    assert record.wrong_place and record.passed


def test_the_form_alone_submits_answers_and_photos(task, worker) -> None:
    client = signed_in(worker)
    record = start(client, task)
    first, fridge, floor = answers_of(record)
    posted = {
        f"value_{first.pk}": "fail",
        f"note_{first.pk}": "有积水",
        f"photo_{first.pk}": photo(),
        f"value_{fridge.pk}": "3",
        f"value_{floor.pk}": "干净",
    }
    response = client.post(reverse("checklists:record_submit", args=[record.pk]), posted)
    assert response["Location"] == reverse("checklists:record_result", args=[record.pk])
    record.refresh_from_db()
    assert record.status == Record.Status.SUBMITTED and record.findings.count() == 1


def test_a_signature_is_kept_as_a_picture(org_a, department_head, places, worker) -> None:
    from houqin.checklists.services import item_add, template_create

    signing = template_create(organization=org_a, actor=department_head, data={"name": "签收"})
    item_add(
        template=signing, actor=department_head, data={"text": "签收人", "answer_type": "signature"}
    )
    client = signed_in(worker)
    record = start(client, task_now(signing, places["toilet"], person=worker))
    (answer,) = answers_of(record)
    assert save(client, answer, "我签了").json()["value"] == ""  # typed values are ignored
    png = SimpleUploadedFile("签名.png", png_bytes(), content_type="image/png")
    reply = client.post(reverse("checklists:answer_sign", args=[answer.pk]), {"signature": png})
    assert reply.status_code == 200 and reply.json()["value"] == "已签名"
    client.post(reverse("checklists:record_submit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == Record.Status.SUBMITTED


# ---- the ledger ------------------------------------------------------------------------------


def submitted(template, where, worker, outcome: str = "pass") -> Record:
    task = task_now(template, where, person=worker)
    record = record_open(task=task, actor=worker)
    first, fridge, floor = answers_of(record)
    answer_save(answer=first, actor=worker, value="pass")
    if outcome == "pass":
        answer_save(answer=fridge, actor=worker, value="4")
    else:
        answer_save(answer=fridge, actor=worker, value="20", note="冰箱温度过高")
    answer_save(answer=floor, actor=worker, value="干净")
    return record_complete(record=record, actor=worker)


def test_the_ledger_filters_exports_and_keeps_its_query_count(
    template, places, worker, department_head
) -> None:
    client = signed_in(department_head)
    url = reverse("checklists:record_list")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submitted(template, places["toilet"], worker)
    submitted(template, places["kitchen"], worker, outcome="fail")
    few = count()
    for n in range(18):
        submitted(template, places["toilet"], worker, outcome="fail" if n % 2 else "pass")
    assert count() == few

    failed = text(client.get(url, {"result": "failed", "place": places["kitchen"].pk}))
    assert "共 1 条" in failed and "食堂后厨" in failed
    export = client.get(url, {"result": "passed", "export": "xlsx"})
    sheet_rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(row and "卫生间保洁检查" in row for row in sheet_rows)
    assert sum(1 for row in sheet_rows if row and "合格" in row) == 10


def test_a_worker_sees_only_their_own_records(template, places, worker, vendor_worker) -> None:
    mine = submitted(template, places["toilet"], worker)
    other = submitted(template, places["kitchen"], vendor_worker)
    page = signed_in(worker).get(reverse("checklists:record_list")).content.decode()
    assert reverse("checklists:record_detail", args=[mine.pk]) in page
    assert reverse("checklists:record_detail", args=[other.pk]) not in page
    assert (
        signed_in(worker).get(reverse("checklists:record_detail", args=[other.pk])).status_code
        == 404
    )


def test_the_record_page_shows_answers_photos_and_the_change_log(
    task, worker, department_head
) -> None:
    client = signed_in(worker)
    record = start(client, task)
    first, fridge, floor = answers_of(record)
    client.post(reverse("checklists:answer_photo", args=[first.pk]), {"photo": photo()})
    save(client, first, "fail", "地面有积水")
    save(client, fridge, "4")
    save(client, floor, "干净")
    client.post(reverse("checklists:record_submit", args=[record.pk]))
    page = signed_in(department_head).get(reverse("checklists:record_detail", args=[record.pk]))
    words = text(page)
    assert "赵师傅" in words and "1层男卫生间" in words and "说明：地面有积水" in words
    assert "已生成问题" in words and "变更记录" in words and "已提交" in words
    assert 'alt="保洁员应每2 h保洁1次。的照片"' in page.content.decode()


# ---- handovers -------------------------------------------------------------------------------


def signature_url() -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes((120, 40), "white")).decode()


def test_a_handover_is_signed_by_the_next_shift(org_a, worker, places) -> None:
    mate = person(org_a, "gina", "worker", name="钱保洁")
    client = signed_in(worker)
    url = reverse("checklists:handover_create")
    form = {
        "shift": "早班",
        "place": places["toilet"].pk,
        "done": "1层卫生间保洁3次",
        "open_items": "男卫生间水龙头漏水，已报修",
        "handed": "工具间钥匙1把",
        "incoming": mate.pk,
    }
    unsigned = client.post(url, form)
    assert "请接班人在签名框里签名。" in text(unsigned)
    to_self = client.post(url, {**form, "incoming": worker.pk, "signature": signature_url()})
    assert to_self.status_code == 200 and not Handover.objects.exists()  # not offered, refused
    response = client.post(url, {**form, "signature": signature_url()})
    handover = Handover.objects.get()
    assert response["Location"] == reverse("checklists:handover_detail", args=[handover.pk])
    assert handover.outgoing == worker and handover.incoming == mate
    detail = signed_in(mate).get(response["Location"])
    assert (
        "工具间钥匙1把" in text(detail)
        and 'data-testid="handover-signature"' in detail.content.decode()
    )
    listing = text(signed_in(mate).get(reverse("checklists:handover_list")))
    assert "早班" in listing and "男卫生间水龙头漏水，已报修" in listing


def test_the_handover_list_keeps_its_query_count(org_a, worker, department_head) -> None:
    mate = person(org_a, "gina", "worker", name="钱保洁")
    client = signed_in(department_head)
    url = reverse("checklists:handover_list")

    def make(n: int) -> None:
        for i in range(n):
            Handover.objects.create(
                organization=org_a,
                shift=f"班{i}",
                done="保洁",
                outgoing=worker,
                incoming=mate,
                handed_at=NOW,
            )

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make(2)
    few = count()
    make(18)
    assert count() == few


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(routes_records.ROUTES))
def test_every_page_is_guarded(name, request, org_a, org_b, worker) -> None:
    route = routes_records.ROUTES[name]
    url = reverse(
        name, args=[routes_records.sample(route.sample, org_a).pk] if route.sample else []
    )
    response = getattr(Client(), route.method)(url)
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = person(org_b, "outsider-worker", "department_head")
    if route.sample:
        assert getattr(signed_in(outsider), route.method)(url).status_code == 404
    denied = request.getfixturevalue(route.denied)
    assert getattr(signed_in(denied), route.method)(url).status_code == 403

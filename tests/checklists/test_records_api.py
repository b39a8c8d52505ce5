"""``POST /api/v1/records/`` (a contract): a task's answers and photos in one request; the
first submission answers 201, the same draft key sent again answers 200 with the same
record and never makes a second; errors in the project's shape, and nothing kept from a
refused submission."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from django.test import Client

from houqin.checklists.models import Answer, Record, Task
from houqin.common.models import Attachment
from houqin.findings.models import Finding
from tests.checklists.record_builders import NOW, items, photo, sheet, site, task_now
from tests.conftest import person, signed_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/records/"


@pytest.fixture(autouse=True)
def clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def places(org_a, department):
    return site(org_a, department)


@pytest.fixture
def template(org_a, department_head, department):
    return sheet(org_a, department_head, department)


@pytest.fixture
def task(template, places, worker):
    return task_now(template, places["toilet"], person=worker)


def body(task: Task, key: str, first: str = "pass", **extra) -> dict:
    one, fridge, floor = items(task.template)
    return {
        "task": task.pk,
        "client_key": key,
        "answers": [
            {"item": one.pk, "value": first, "note": "地面有积水" if first == "fail" else ""},
            {"item": fridge.pk, "value": 4.5},
            {"item": floor.pk, "value": "干净"},
        ],
        **extra,
    }


def post_json(client: Client, data: dict):
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_a_repeated_submission_returns_the_first_record(task, worker) -> None:
    client = signed_in(worker)
    key = str(uuid.uuid4())
    first = post_json(client, body(task, key, latitude="31.230416", longitude="121.473701"))
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["status"] == "submitted" and data["passed"] is True and data["score"] == "100.00"
    assert data["result"] == "合格" and data["findings"] == [] and data["client_key"] == key
    again = post_json(client, body(task, key, first="fail"))
    assert again.status_code == 200 and again.json() == data
    assert Record.objects.count() == 1
    record = Record.objects.get()
    assert record.place == task.place and str(record.longitude) == "121.473701"
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_photos_go_with_the_answers_and_a_failure_raises_a_finding(
    task, worker, places, media
) -> None:
    one = items(task.template)[0]
    data = body(task, str(uuid.uuid4()), first="fail", place=places["kitchen"].pk)
    form = {
        "task": data["task"],
        "client_key": data["client_key"],
        "place": data["place"],
        "answers": json.dumps(data["answers"]),
        f"photo_{one.pk}": [photo("a.png"), photo("b.png")],
    }
    response = signed_in(worker).post(URL, form)
    assert response.status_code == 201, response.json()
    record = Record.objects.get(pk=response.json()["id"])
    assert record.wrong_place and record.place == places["kitchen"]
    answer = record.answers.get(item=one)
    assert Attachment.objects.filter(object_id=str(answer.pk)).count() == 2
    finding = Finding.objects.get(record=record)
    assert response.json()["findings"] == [finding.pk]
    assert response.json()["passed"] is False and finding.answer == answer


def test_a_refused_submission_keeps_nothing(task, worker, media) -> None:
    client = signed_in(worker)
    key = str(uuid.uuid4())
    one = items(task.template)[0]
    data = body(task, key, first="fail")
    form = {
        "task": task.pk,
        "client_key": key,
        "answers": json.dumps(
            [*data["answers"][:1], {"item": items(task.template)[1].pk, "value": "很冷"}]
        ),
        f"photo_{one.pk}": photo(),
    }
    refused = client.post(URL, form)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["answers"] == ["第2个答案：“冰箱冷藏温度”请填写数字。"]
    assert not Record.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # the stored photo is gone too
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.taken_by is None

    lacking = post_json(client, body(task, key, first="fail"))
    assert lacking.status_code == 400
    assert lacking.json()["error"]["fields"]["answers"] == ["保洁员应每2 h保洁1次。：需要拍照"]
    assert not Record.objects.exists()

    form["answers"] = json.dumps(data["answers"])
    form[f"photo_{one.pk}"] = photo()
    assert client.post(URL, form).status_code == 201
    assert Record.objects.count() == 1 and Answer.objects.filter(outcome="fail").count() == 1


def test_errors_name_the_field(task, worker, org_b, template) -> None:
    client = signed_in(worker)
    missing = post_json(client, {"client_key": "not-a-key", "answers": []})
    fields = missing.json()["error"]["fields"]
    assert missing.status_code == 400 and set(fields) == {"task", "client_key"}
    foreign = post_json(signed_in(person(org_b, "other", "worker")), body(task, str(uuid.uuid4())))
    assert foreign.status_code == 400
    assert foreign.json()["error"]["fields"] == {"task": ["任务不存在，或不是本单位的任务。"]}
    stranger = body(task, str(uuid.uuid4()))
    stranger["answers"].append({"item": 999999, "value": "pass"})
    reply = post_json(client, stranger)
    assert reply.json()["error"]["fields"]["answers"] == ["第4个答案：检查项不在这份检查表中。"]
    bad_photo = client.post(
        URL,
        {"task": task.pk, "client_key": str(uuid.uuid4()), "answers": "[]", "picture": photo()},
    )
    assert bad_photo.json()["error"]["fields"] == {
        "picture": ["照片的字段名应为 photo_<检查项 id>。"]
    }


def test_someone_elses_task_or_key_is_refused(org_a, task, worker, vendor_worker, leader) -> None:
    key = str(uuid.uuid4())
    assert post_json(signed_in(worker), body(task, key)).status_code == 201
    reused = post_json(signed_in(vendor_worker), body(task, key))
    assert reused.status_code == 400 and "client_key" in reused.json()["error"]["fields"]
    other = task_now(task.template, task.place, person=worker)
    refused = post_json(signed_in(vendor_worker), body(other, str(uuid.uuid4())))
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "non_field_errors": ["这项任务不是派给你的，不能开始。"]
    }
    assert post_json(signed_in(leader), body(other, str(uuid.uuid4()))).status_code == 403
    assert post_json(Client(), body(other, str(uuid.uuid4()))).status_code in (401, 403)

"""The API skeleton: session and bearer-token auth, one error shape, throttling, schema."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from houqin.accounts.models import ApiToken
from houqin.accounts.services import api_token_create
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_it_answers_me_with_the_session(worker) -> None:
    data = signed_in(worker).get(ME).json()
    assert data["username"] == "dora" and data["phone"] == "138****5678"
    assert data["roles"] == [{"code": "worker", "label": "一线员工"}]


def test_it_answers_me_with_a_bearer_token_stored_only_as_a_digest(worker) -> None:
    raw = api_token_create(user=worker, name="集成")
    token = ApiToken.objects.get(user=worker)
    assert raw not in (token.digest, token.prefix) and token.digest != raw
    response = Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["name"] == "赵师傅"


def test_it_refuses_a_bad_token_with_the_error_shape(worker) -> None:
    response = Client().get(ME, HTTP_AUTHORIZATION="Bearer hq_nope_nope")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "authentication_failed",
            "message": "接口令牌无效或已作废。",
            "fields": {},
        }
    }
    response = Client().get(ME)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_refuses_a_token_of_a_disabled_user(worker) -> None:
    raw = api_token_create(user=worker)
    worker.is_active = False
    worker.save()
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_throttles_repeated_bad_tokens(worker) -> None:
    client = Client(REMOTE_ADDR="10.2.2.2")
    statuses = [client.get(ME, HTTP_AUTHORIZATION="Bearer bad").status_code for _ in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429
    assert (
        "请求过于频繁" in client.get(ME, HTTP_AUTHORIZATION="Bearer bad").json()["error"]["message"]
    )


def test_it_prints_a_new_token_from_the_command_line(worker) -> None:
    out = StringIO()
    call_command("api_token", "dora", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("hq_")
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_it_publishes_a_valid_schema_and_local_docs(worker) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO())
    schema = Client().get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/me/" in schema.content
    docs = Client().get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "http://" not in docs

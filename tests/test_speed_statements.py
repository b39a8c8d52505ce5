"""Statements compiled once per process (houqin/common/statements.py): the SQL is kept, the
data is read afresh on every run."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from houqin.accounts.models import User
from houqin.common.models import Notification
from houqin.common.notifications import notify
from houqin.common.statements import MAX_MANY, PLACEHOLDER, Counts, Ids, Rows

pytestmark = pytest.mark.django_db

built: list[tuple[Ids, tuple[object, ...]]] = []


def _unread(ids: Ids, *shape: object) -> dict[str, object]:
    built.append((ids, shape))
    mine = Notification.objects.filter(recipient_id=ids.user)
    return {"all": mine, "unread": mine.filter(read_at__isnull=True), "none": mine.none()}


def test_it_compiles_once_per_shape_and_reads_fresh_data(worker, leader) -> None:
    built.clear()
    statement = Counts(_unread)
    assert statement.run("a", ids=Ids(org=worker.organization_id, user=worker.pk)) == {
        "all": 0,
        "unread": 0,
        "none": 0,
    }
    notify(recipients=[worker, leader], kind="system", title="通知")
    notify(recipients=[worker], kind="system", title="通知")
    with CaptureQueriesContext(connection) as queries:
        figures = statement.run("a", ids=Ids(org=worker.organization_id, user=worker.pk))
    assert figures["unread"] == 2 and len(queries) == 1
    assert statement.run("a", ids=Ids(org=leader.organization_id, user=leader.pk))["all"] == 1
    assert built == [(PLACEHOLDER, ("a",))]  # built once, with placeholders, for both users
    statement.run("b", ids=Ids(org=worker.organization_id, user=worker.pk))
    assert built[-1] == (PLACEHOLDER, ("b",))  # another shape, another statement


def test_it_gives_rows_as_the_orm_does(worker) -> None:
    statement = Rows(
        lambda ids: User.objects.filter(pk=ids.user).values_list("pk", "date_joined", "is_active")
    )
    ((pk, joined, active),) = statement.run(ids=Ids(user=worker.pk))
    assert (pk, joined, active) == (worker.pk, worker.date_joined, True)
    assert isinstance(joined, datetime) and joined.tzinfo is not None and active is True
    assert statement.run(ids=Ids(user=-1)) == []
    assert Rows(lambda ids: User.objects.none().values_list("pk")).run(ids=PLACEHOLDER) == []


def test_it_runs_with_any_number_of_ids(worker, leader, served) -> None:
    statement = Rows(
        lambda ids: User.objects.filter(pk__in=ids.many).order_by("pk").values_list("username")
    )
    assert statement.run(ids=Ids(many=(worker.pk, served.pk))) == [("dora",), ("frank",)]
    assert statement.run(ids=Ids(many=(leader.pk,))) == [("alice",)]
    assert statement.run(ids=Ids(many=(served.pk, leader.pk))) == [("alice",), ("frank",)]
    assert list(statement._compiled) == [(1,), (2,)]  # one statement per number of ids
    with pytest.raises(ValueError, match="at most"):
        statement.run(ids=Ids(many=tuple(range(MAX_MANY + 1))))


def test_it_refuses_a_statement_that_writes_an_id_into_its_text(worker) -> None:
    def inlined(ids: Ids) -> object:
        return User.objects.annotate(me=RawSQL(f"{ids.user}", ())).values_list("me")  # noqa: S611

    with pytest.raises(ValueError, match="placeholder"):
        Rows(inlined).run(ids=Ids(user=worker.pk))


def test_it_keeps_a_bounded_number_of_shapes(worker, monkeypatch) -> None:
    monkeypatch.setattr("houqin.common.statements._MAX_SHAPES", 3)
    statement = Counts(_unread)
    for shape in range(5):
        statement.run(shape, ids=Ids(user=worker.pk))
    assert list(statement._compiled) == [(2, 0), (3, 0), (4, 0)]
    statement.forget()
    assert not statement._compiled

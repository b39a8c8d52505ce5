"""Django's database sessions, with the read every signed-in request makes compiled once.

The row is read with the statement ``Session.objects.get(session_key=..., expire_date__gt=now)``
builds, compiled once per database connection instead of on every request (the ORM spends
several times longer building and compiling it than the database takes to answer).
Everything else is Django's ``db`` backend: writes, deletes, expiry, and a session ended
elsewhere (its row deleted) is gone on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

_KEY = "placeholder-session-key"  # no session key has a hyphen
_NOW = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
_FIELDS = ("session_key", "session_data", "expire_date")


@dataclass(frozen=True)
class _Read:
    sql: str
    params: tuple[Any, ...]
    key_at: int
    now_at: int
    compiler: Any  # of this connection: turns the row into the values the ORM gives


_READS: WeakKeyDictionary[Any, _Read] = WeakKeyDictionary()  # per connection (thread)


def _read_for(model: Any, connection: Any) -> _Read:
    read = _READS.get(connection)
    if read is None:
        rows = model.objects.filter(session_key=_KEY, expire_date__gt=_NOW).values_list(*_FIELDS)
        compiler = rows.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        now = model._meta.get_field("expire_date").get_db_prep_value(_NOW, connection)
        read = _READS[connection] = _Read(
            sql, tuple(params), params.index(_KEY), params.index(now), compiler
        )
    return read


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        using = router.db_for_read(self.model)
        connection = connections[using]
        read = _read_for(self.model, connection)
        params = list(read.params)
        params[read.key_at] = self.session_key
        params[read.now_at] = self.model._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection
        )
        with connection.cursor() as cursor:
            cursor.execute(read.sql, params)
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        (values,) = read.compiler.results_iter(results=[[row]])
        return self.model.from_db(using, _FIELDS, values)

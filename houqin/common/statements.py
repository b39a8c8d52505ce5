"""SQL compiled once per process for the small reads every request or page makes (the
signed-in user, the bell, the home figures, the drop-downs of the filter bar).

Building and compiling a queryset costs the ORM about ten times what the database takes to
answer such a read. A statement (``Counts``, ``Rows``) calls its builder with placeholder
ids, compiles the querysets it returns once per *shape* and then runs that SQL with each
request's ids: the data is read afresh every time, only the text of the statement is kept.

The builder's contract: it is called as ``build(ids, *shape)`` and the querysets it returns
depend on nothing but the shape (role codes, a date...) and on ``ids`` only as values of
lookups (``organization_id=ids.org``, ``pk__in=ids.many``). A statement that carries a
placeholder anywhere else (in its text) is refused.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Func, QuerySet


@dataclass(frozen=True)
class Ids:
    """The ids a statement is run with: the user's organization, the user, and any number
    of other rows (``many``; each length is a shape of its own)."""

    org: int = 0  # 0: none (no row has it)
    user: int = 0
    many: tuple[int, ...] = ()


# Ids no row has, within the range of a 32-bit integer column (PostgreSQL's ``integer``
# finds nothing for a value outside it, and Django compiles such a lookup to nothing).
_ORG, _USER, _MANY = -1_734_000_001, -1_734_000_002, -1_734_001_000
MAX_MANY = 100  # a page of rows; more ids would make too many statements
_MAX_SHAPES = 256


def placeholders(count: int = 0) -> Ids:
    """The ids a statement is built with (``count`` of them in ``many``)."""
    if count > MAX_MANY:
        raise ValueError(f"a statement takes at most {MAX_MANY} ids, not {count}")
    return Ids(org=_ORG, user=_USER, many=tuple(_MANY - index for index in range(count)))


PLACEHOLDER = placeholders()


def _slot(value: Any) -> int | None:
    """Where a parameter's id is taken from: -2 the organization, -1 the user, n many[n].
    An int subclass counts too: on PostgreSQL Django types some parameters (psycopg's
    ``Int4`` for a value cast in SQL)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if value == _ORG:
        return -2
    if value == _USER:
        return -1
    if _MANY - MAX_MANY < value <= _MANY:
        return _MANY - value
    return None


_Converters = list[tuple[int, list[Any], Any]]  # (position, converters, column)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, _slot of its placeholder)
    names: tuple[str, ...]
    columns: tuple[Any, ...] = ()  # the selected expressions, whose values may need converting
    converters: WeakKeyDictionary[Any, _Converters] = field(
        default_factory=WeakKeyDictionary, compare=False
    )  # per connection (one per thread)

    def run(self, ids: Ids) -> list[tuple[Any, ...]]:
        params = list(self.params)
        for position, slot in self.slots:
            value = ids.org if slot == -2 else ids.user if slot == -1 else ids.many[slot]
            kind = type(params[position])
            params[position] = value if kind is int else kind(value)  # keep psycopg's typing
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = list(cursor.fetchall())
        if not rows or not self.columns:
            return rows
        converters = self.converters.get(connection)
        if converters is None:
            converters = self.converters[connection] = _converters(self.columns, connection)
        return _converted(rows, converters, connection) if converters else rows


def _converters(columns: tuple[Any, ...], connection: Any) -> _Converters:
    """What SQLCompiler.get_converters finds for these columns on this connection."""
    converters = []
    for position, column in enumerate(columns):
        if column is None:
            continue
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return converters


def _converted(rows: list[Any], converters: _Converters, connection: Any) -> list[Any]:
    """The values as the ORM hands them out (e.g. SQLite's text as datetimes), converted
    as SQLCompiler.apply_converters does."""
    result = []
    for row in rows:
        values = list(row)
        for position, found, column in converters:
            value = values[position]
            for converter in found:
                value = converter(value, column, connection)
            values[position] = value
        result.append(tuple(values))
    return result


def _compile(
    sql: str, params: tuple[Any, ...], names: tuple[str, ...], columns: tuple[Any, ...] = ()
) -> _Compiled:
    """Note where the placeholder ids went; refuse a statement that holds one anywhere but
    in its parameters (it would then never see the real id)."""
    slots = [
        (position, slot)
        for position, value in enumerate(params)
        if (slot := _slot(value)) is not None
    ]
    if re.search(r"17340\d{5}", sql):  # the digits every placeholder id has
        raise ValueError(f"statement holds a placeholder id in its text: {sql}")
    return _Compiled(sql, tuple(params), tuple(slots), names, columns)


class _Statement(ABC):
    def __init__(self, build: Callable[..., Any]) -> None:
        self.build = build
        self._compiled: OrderedDict[Hashable, _Compiled] = OrderedDict()
        self._lock = Lock()

    def _get(self, shape: tuple[Hashable, ...], ids: Ids) -> _Compiled:
        key = (*shape, len(ids.many))
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is not None:
                self._compiled.move_to_end(key)
                return compiled
        compiled = self._make(self.build(placeholders(len(ids.many)), *shape))
        with self._lock:
            self._compiled[key] = compiled
            while len(self._compiled) > _MAX_SHAPES:
                self._compiled.popitem(last=False)
        return compiled

    @abstractmethod
    def _make(self, built: Any) -> _Compiled:
        """The compiled statement for one built shape (each kind of statement says how)."""

    def forget(self) -> None:
        with self._lock:
            self._compiled.clear()


class Counts(_Statement):
    """Several COUNTs in one statement. ``build(ids, *shape)`` returns ``{name: queryset}``;
    each figure is the number of rows of its queryset."""

    def _make(self, built: dict[str, QuerySet[Any]]) -> _Compiled:
        connection = connections[DEFAULT_DB_ALIAS]
        parts: list[str] = []
        params: list[Any] = []
        for name, queryset in built.items():
            counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
            try:
                sql, part_params = counted.query.sql_with_params()
            except EmptyResultSet:  # e.g. .none(): nothing to count
                sql, part_params = "SELECT 0", ()
            parts.append(f"({sql}) AS {connection.ops.quote_name(name)}")
            params += part_params
        return _compile("SELECT " + ", ".join(parts), tuple(params), tuple(built))

    def run(self, *shape: Hashable, ids: Ids) -> dict[str, int]:
        compiled = self._get(shape, ids)
        if not compiled.names:
            return {}
        (row,) = compiled.run(ids)
        return dict(zip(compiled.names, row, strict=True))


class Rows(_Statement):
    """The rows of one values_list() queryset, as tuples of the values the ORM would give.
    ``build(ids, *shape)`` returns the queryset, e.g.
    ``Model.objects.filter(organization_id=ids.org).values_list("pk", "name")``."""

    def _make(self, built: QuerySet[Any]) -> _Compiled:
        compiler = built.query.get_compiler(DEFAULT_DB_ALIAS)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. .none(): a statement that finds nothing
            return _compile("SELECT 1 WHERE 1 = 0", (), ())
        columns = tuple(column for column, _, _ in compiler.select[: compiler.col_count])
        return _compile(sql, tuple(params), (), columns)

    def run(self, *shape: Hashable, ids: Ids) -> list[tuple[Any, ...]]:
        return self._get(shape, ids).run(ids)

"""Several SQL statements in one round trip, for the field sync's hot path.

On PostgreSQL, Django's psycopg cursors bind parameters on the client and send a query with the
simple protocol, which takes several statements at once. Each round trip costs the worker and the
server more CPU than a small indexed statement does (bench/field_sync), so a visit's reads go as
one message and its writes as another. Other databases (SQLite, the demo's) run the statements
one by one; the writes then inside one transaction.

The hot reads are `Prepared` on PostgreSQL: planning them cost PostgreSQL more than running them
(pg_stat_statements under the field-sync load: 180 us to plan the session read, 26 us to run it).
A prepared statement is planned once a connection (PostgreSQL keeps a generic plan after five
runs) and sent as `EXECUTE name(...)`, which still goes with the simple protocol and so still
shares a message; the first use on a connection sends its `PREPARE` in the same message. A
failure in a message that prepares or executes one (a schema change makes PostgreSQL refuse an
old plan) forgets the connection's prepared names: the next message prepares them afresh under
new names, so a stale or half-known one is never executed again. SUKARELA_DB_PREPARE=0 turns
them off (a pooler in transaction mode cannot keep them).

The statements are plain SQL with `%s` placeholders and no literal `%`. `columns`, `instance` and
`from_db` turn such a query's raw row back into what the ORM would have given (a model instance,
converted values), for the hot path's hand-written reads.
"""

import functools
import itertools
from typing import NamedTuple

from django.conf import settings
from django.db import connection, connections, transaction


class Prepared(NamedTuple):
    """A PostgreSQL statement to prepare: `name` (unique in the project), its SQL with `%s`
    placeholders, and their types (("text", "timestamptz"), ...)."""

    name: str
    sql: str
    types: tuple[str, ...]


Statement = tuple[str | Prepared, list]  # (SQL or a Prepared, its parameters)


def preparing() -> bool:
    """Whether `Prepared` statements may be sent: on PostgreSQL, unless turned off."""
    return connection.vendor == "postgresql" and settings.SUKARELA_DB_PREPARE


def statement(name: str, sql: str, types: tuple[str, ...], params: list) -> Statement:
    """`sql` with `params`, as a `Prepared` statement named `name` where they may be sent."""
    return (Prepared(name, sql, types) if preparing() else sql), params


_generations = itertools.count(1)


def _prepared_names():
    """(generation, names prepared) of this thread's connection; a new connection starts anew."""
    wrapper = connections[connection.alias]
    state = getattr(wrapper, "_sukarela_prepared", None)
    if state is None or state[0] is not wrapper.connection:
        state = wrapper._sukarela_prepared = (wrapper.connection, next(_generations), set())
    return state[1], state[2]


def _forget_prepared() -> None:
    connections[connection.alias]._sukarela_prepared = None


def _together(statements: list[Statement]) -> tuple[str, list, list[str], int]:
    """(the message's SQL, its parameters, the names it prepares, how many PREPAREs lead it)."""
    prepares, sqls, params, new = [], [], [], []
    generation = names = None
    for sql, values in statements:
        if isinstance(sql, Prepared):
            if generation is None:
                generation, names = _prepared_names()
            name = f"{sql.name}_{generation}"
            if name not in names and name not in new:
                prepares.append(f"PREPARE {name} ({', '.join(sql.types)}) AS {_numbered(sql.sql)}")
                new.append(name)
            sql = f"EXECUTE {name}({', '.join(['%s'] * len(values))})" if values else f"EXECUTE {name}"
        sqls.append(sql)
        params.extend(values)
    return "; ".join(prepares + sqls), params, new, len(prepares)


def _numbered(sql: str) -> str:
    """`sql` with its placeholders numbered as PREPARE wants them: $1, $2, ..."""
    pieces = sql.split("%s")
    return pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], 1))


def _run(cursor, statements: list[Statement]) -> int:
    """Sends `statements` as one message; the number of leading results (PREPAREs) to skip."""
    sql, params, new, skip = _together(statements)
    touches_prepared = any(isinstance(s, Prepared) for s, _ in statements)
    try:
        cursor.execute(sql, params)
    except BaseException:
        if touches_prepared:
            _forget_prepared()
        raise
    if new:
        _prepared_names()[1].update(new)
    return skip


def fetch(statements: list[Statement]) -> list[list[tuple]]:
    """Each statement's rows, in order."""
    if not statements:
        return []
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            out = []
            for sql, params in statements:
                cursor.execute(sql, params)
                out.append(cursor.fetchall())
            return out
        for _ in range(_run(cursor, statements)):
            cursor.nextset()
        out = [cursor.fetchall()]
        while cursor.nextset():
            out.append(cursor.fetchall())
    if len(out) != len(statements):  # a statement that was not one: refuse rather than misread
        raise RuntimeError(f"{len(statements)} statements sent, {len(out)} results read")
    return out


def write(statements: list[Statement]) -> None:
    """All of `statements` or none. On PostgreSQL outside a transaction, the one message commits
    as one (PostgreSQL runs a multi-statement simple query as a single transaction: a failing
    statement rolls back the ones before it). Inside the caller's transaction, and on other
    databases, they run in a savepoint or transaction of their own, so a failure (a key clash the
    caller handles) leaves the caller's transaction usable."""
    if not statements:
        return
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            _run(cursor, statements)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _run(cursor, statements)
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def from_db(field, value):
    """A raw column value of `field` as the ORM would give it (the backend's converters: a UUID, an
    aware time, JSON, SQLite's 0/1 for a boolean)."""
    expression = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


def instance(model, values):
    """A model instance from a raw row of all its concrete fields in order, as a query would
    make it; only the fields that have converters on this database pay for them."""
    values = list(values)
    for i in _converted(connection.vendor, model):
        values[i] = from_db(model._meta.concrete_fields[i], values[i])
    return model.from_db(connection.alias, None, values)


def columns(model, alias: str) -> str:
    """`alias`."column", ... of the model's concrete fields in order, for `instance`."""
    return _columns(connection.vendor, model, alias)


@functools.cache
def _columns(vendor: str, model, alias: str) -> str:
    return ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


@functools.cache
def _converted(vendor: str, model) -> tuple[int, ...]:
    out = []
    for i, field in enumerate(model._meta.concrete_fields):
        expression = field.get_col(model._meta.db_table)
        if connection.ops.get_db_converters(expression) or expression.get_db_converters(connection):
            out.append(i)
    return tuple(out)

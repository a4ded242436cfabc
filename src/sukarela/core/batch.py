"""Several SQL statements in one round trip, for the field sync's hot path.

On PostgreSQL, Django's psycopg cursors bind parameters on the client and send a query with the
simple protocol, which takes several statements at once. Each round trip costs the worker and the
server more CPU than a small indexed statement does (bench/field_sync), so a visit's reads go as
one message and its writes as another. Other databases (SQLite, the demo's) run the statements
one by one; the writes then inside one transaction.

The statements are plain SQL with `%s` placeholders and no literal `%`. `columns`, `instance` and
`from_db` turn such a query's raw row back into what the ORM would have given (a model instance,
converted values), for the hot path's hand-written reads.
"""

import functools

from django.db import connection, transaction

Statement = tuple[str, list]


def _together(statements: list[Statement]) -> Statement:
    return "; ".join(sql for sql, _ in statements), [p for _, params in statements for p in params]


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
        cursor.execute(*_together(statements))
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
            cursor.execute(*_together(statements))
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_together(statements))
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

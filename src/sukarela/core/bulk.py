"""The database's bulk paths for a million rows: PostgreSQL COPY, SQLite executemany.

The ORM's per-object path is an order of magnitude slower at this size (see
PERFORMANCE.md), so imports, selection and publishing a matching write through
here. Callers run inside a transaction; nothing here commits, and nothing here
runs a model's save() or signals.
"""

import functools
import io

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connection, connections

CHUNK = 50_000


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cols(names) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def insert_frame(model, frame: pl.DataFrame, progress=None) -> int:
    """Insert every row of `frame` (columns named as the table's columns, values ready
    for the database; dates and datetimes as polars temporals) and return the count."""
    total = frame.height
    if total == 0:
        return 0
    with connection.cursor() as cursor:
        for start in range(0, total, CHUNK):
            part = frame.slice(start, CHUNK)
            if connection.vendor == "postgresql":
                _copy(cursor, model, part)
            else:
                _executemany(cursor, model, part)
            if progress:
                progress("storing", min(start + CHUNK, total), total)
    return total


def insert_rows(model, fields: list[str], rows) -> int:
    """Insert `rows` (tuples in the order of `fields`, model field names) and return the count.
    Values are prepared by their fields, so dates, datetimes and JSON go in as the ORM would."""
    columns = [model._meta.get_field(name) for name in fields]
    # Only the types whose database form differs from the Python value need the field's help.
    prepared = [i for i, f in enumerate(columns) if f.get_internal_type() in ("DateField", "DateTimeField", "JSONField")]

    def ready(row):
        if not prepared:
            return row
        row = list(row)
        for i in prepared:
            row[i] = columns[i].get_db_prep_save(row[i], connection)
        return row

    names = _cols(f.column for f in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(ready(row))
                    count += 1
        else:
            rows = [ready(row) for row in rows]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})", rows)
            count = len(rows)
    return count


def insert_statements(objs) -> list[tuple[str, list]]:
    """INSERTs of unsaved model instances, one statement per model (a multi-row VALUES), to send
    with core.batch; the caller calls `stored(objs)` once they are in. The ORM's `save()` builds
    and compiles its query anew for every object, which on a hot path (a field visit: the visit,
    its follow-ups, its audit event) costs more than the database does. Every concrete field goes
    in as the field prepares it; an empty auto key is left to the database. No signals, no
    `pre_save` hooks: only for models whose defaults are set when made."""
    by_model: dict = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    out = []
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: each use of the proxy is a lookup
    for model, items in by_model.items():
        sql, fields, raw = _insert_plan(db.vendor, model, items[0].pk is None)
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        params = []
        for obj in items:
            for field, as_is in zip(fields, raw):
                value = getattr(obj, field.attname)
                params.append(value if type(value) in as_is else field.get_db_prep_save(value, db))
        out.append((sql + ", ".join([marks] * len(items)), params))
    return out


def stored(objs) -> None:
    """Marks instances as stored: a later save() updates."""
    alias = connection.alias
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias


# Field types whose Python value of these exact types is what the database takes as it is (the
# driver adapts it), so the hot path skips get_db_prep_save's chain of calls; any other value (a
# lazy string, a bool for an integer) goes through the field as before.
_INT = frozenset({int, type(None)})
_AS_IS = {"CharField": frozenset({str, type(None)}), "TextField": frozenset({str, type(None)}),
          "IntegerField": _INT, "BigIntegerField": _INT, "PositiveIntegerField": _INT,
          "PositiveSmallIntegerField": _INT, "SmallIntegerField": _INT, "AutoField": _INT, "BigAutoField": _INT,
          "BooleanField": frozenset({bool, type(None)}), "FloatField": frozenset({float, int, type(None)})}
_NEVER = frozenset()


@functools.cache
def _insert_plan(vendor: str, model, auto_empty: bool):
    """(INSERT ... VALUES, fields, the value types each takes as they are) for `model`, once a process."""
    auto = model._meta.pk if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField") else None
    fields = [f for f in model._meta.concrete_fields if not (f is auto and auto_empty)]
    # A foreign key's value is its target's key: as it is when that key is a plain integer.
    raw = [_AS_IS.get((f.remote_field.target_field if f.is_relation else f).get_internal_type(), _NEVER)
           for f in fields]
    return f"INSERT INTO {_table(model)} ({_cols(f.column for f in fields)}) VALUES ", fields, raw


def _copy(cursor, model, part: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    part.write_csv(buffer, include_header=False, null_value="\\N", datetime_format="%Y-%m-%dT%H:%M:%S%.f%z")
    sql = f"COPY {_table(model)} ({_cols(part.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with cursor.cursor.copy(sql) as copy:
        copy.write(buffer.getvalue())


def _sqlite_ready(part: pl.DataFrame) -> pl.DataFrame:
    # Django keeps SQLite dates as ISO text and datetimes as naive UTC text.
    exprs = []
    for name, dtype in part.schema.items():
        if dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            col = pl.col(name)
            if dtype.time_zone:
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            exprs.append(col.dt.strftime("%Y-%m-%d %H:%M:%S.%6f"))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int8))
        else:
            exprs.append(pl.col(name))
    return part.select(exprs)


def _executemany(cursor, model, part: pl.DataFrame) -> None:
    # The unique (campaign, NIK) index takes rows in random order; with SQLite's default
    # 2 MiB page cache most of those inserts wait on the disk.
    cursor.execute("PRAGMA cache_size = -262144")
    part = _sqlite_ready(part)
    marks = ", ".join(["%s"] * part.width)
    cursor.executemany(f"INSERT INTO {_table(model)} ({_cols(part.columns)}) VALUES ({marks})", part.iter_rows())


def update_rows(model, columns: list[str], rows: list[tuple], *, keep_stored_when_null: bool = False) -> int:
    """Set `columns` on rows by primary key; `rows` are (pk, *values). With
    `keep_stored_when_null`, a None leaves that row's stored value as it is."""
    if not rows:
        return 0
    table, pk = _table(model), connection.ops.quote_name(model._meta.pk.column)
    quoted = [connection.ops.quote_name(c) for c in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE bulk_update ON COMMIT DROP AS "
                           f"SELECT {pk}, {_cols(columns)} FROM {table} WITH NO DATA")
            names = [model._meta.pk.column, *columns]
            with cursor.cursor.copy(f"COPY bulk_update ({_cols(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Without statistics the planner guesses a tiny table and may loop over the index.
            cursor.execute("ANALYZE bulk_update")
            new = [f"COALESCE(b.{c}, t.{c})" if keep_stored_when_null else f"b.{c}" for c in quoted]
            sets = ", ".join(f"{c} = {v}" for c, v in zip(quoted, new))
            cursor.execute(f"UPDATE {table} AS t SET {sets} FROM bulk_update AS b WHERE t.{pk} = b.{pk}")
            cursor.execute("DROP TABLE bulk_update")
        else:
            new = [f"COALESCE(%s, {c})" if keep_stored_when_null else "%s" for c in quoted]
            sets = ", ".join(f"{c} = {v}" for c, v in zip(quoted, new))
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s",
                                   [(*row[1:], row[0]) for row in rows[start:start + CHUNK]])
    return len(rows)

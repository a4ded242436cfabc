"""Shared by the dashboard benchmark's scripts: the bench database, Django set-up, the clock and
the machine's load, and COPY of a polars frame into a table.

The database is made afresh as root through `su postgres` (as bench/field_sync does); the role
sukarela owns it, so migrations and the app run as they do in production.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://sukarela:sukarela-ci@127.0.0.1:5432/"
DB_NAME = "sukarela_bench_dash"


def fresh_database(name: str = DB_NAME) -> str:
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name} OWNER sukarela"):
        subprocess.run(["su", "postgres", "-c", f"psql -q -c '{sql}'"], check=True)
    return PG + name


def drop_database(name: str = DB_NAME) -> None:
    subprocess.run(["su", "postgres", "-c", f"psql -q -c 'DROP DATABASE IF EXISTS {name} WITH (FORCE)'"], check=True)


def setup_django(db: str, data_dir: str) -> None:
    os.environ["SUKARELA_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sukarela.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Clock:
    """Prints each step with its seconds and keeps them for the summary."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.steps: dict[str, float] = {}

    def step(self, name: str, note: str = "") -> float:
        now = time.perf_counter()
        seconds = now - self.last
        self.steps[name] = self.steps.get(name, 0.0) + seconds
        self.last = now
        print(f"  {name}: {seconds:6.1f} s  (total {now - self.start:6.1f} s, load {load_average()}) {note}",
              flush=True)
        return seconds

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def copy_frame(table: str, frame, chunk: int = 250_000) -> int:
    """COPY a polars frame (columns named as the table's) in CSV chunks; JSON columns as text."""
    import io

    from django.db import connection

    cols = ", ".join(f'"{c}"' for c in frame.columns)
    sql = f'COPY "{table}" ({cols}) FROM STDIN WITH (FORMAT csv, NULL \'\\N\')'
    with connection.cursor() as cursor:
        for start in range(0, frame.height, chunk):
            buffer = io.BytesIO()
            frame.slice(start, chunk).write_csv(buffer, include_header=False, null_value="\\N",
                                                datetime_format="%Y-%m-%dT%H:%M:%S%.f%z")
            with cursor.cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
    return frame.height


class DeferredIndexes:
    """Drop a table's secondary indexes and foreign keys for a bulk load and make them again after,
    as pg_restore does: one index build and one validating join instead of millions of index
    insertions and per-row trigger checks. The definitions come from the catalogue, so the table
    ends exactly as the migrations made it."""

    def __init__(self, *tables: str):
        self.tables = tables
        self.saved: list[tuple[str, str, str]] = []  # (kind, table, definition)

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written earlier in the transaction must run now:
            # a table with pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in self.tables:
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
                for name, definition in cursor.fetchall():
                    self.saved.append(("fk", table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname "
                               "FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
                               "AND c.conrelid = i.indrelid WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                               [table])
                for name, definition, constraint in cursor.fetchall():
                    if constraint:  # a UNIQUE constraint owns its index
                        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s "
                                       "AND conrelid = %s::regclass", [constraint, table])
                        self.saved.append(("unique", table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" '
                                           f"{cursor.fetchone()[0]}"))
                        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
                    else:
                        self.saved.append(("index", table, definition))
                        cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for kind in ("unique", "index", "fk"):  # indexes first: the foreign keys' checks use them
                for k, _table, definition in self.saved:
                    if k == kind:
                        cursor.execute(definition)
        return False


def days(today, offsets, keep=None):
    """Dates `today + offsets` (numpy day offsets) as a polars Date series; null where not `keep`."""
    import numpy as np
    import polars as pl

    series = pl.Series(np.datetime64(today, "D") + np.asarray(offsets).astype("timedelta64[D]"))
    return series if keep is None else masked(series, keep)


def masked(values, keep):
    """`values` where `keep`, else null (a polars series)."""
    import polars as pl

    return pl.select(pl.when(pl.Series(keep)).then(pl.Series(values))).to_series()

"""Named baselines for the recruitment import: how fast the bare tools load the same CSV.

    python bench/recruitment/baseline.py --csv /tmp/apps-1m.csv [--stages pg_copy,sqlite,polars,duckdb,python_csv]

Each stage runs in a fresh process (see measure.py), so its peak memory is its own:

- pg_copy     PostgreSQL `COPY … FROM STDIN (FORMAT csv)` via psycopg 3 `cursor.copy` into a
              bare table of text columns, committed (URL: SUKARELA_BENCH_POSTGRES_URL).
              Peak MiB is the client's; the server's memory is not counted.
- sqlite      SQLite `executemany` of the rows from Python's csv module into a bare table of
              text columns in one transaction, in a scratch database file under /tmp.
- polars      `polars.read_csv(…, infer_schema=False)`: every column as text, in memory.
- duckdb      DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…, all_varchar=true)`, in memory.
- python_csv  a loop over `csv.reader`: the floor of any row-by-row Python pipeline.

"seconds" is the child's wall time (interpreter start and imports included); "work s"
is the load alone, timed inside the child. With --repeat N the table shows the fastest
of the N runs and the highest peak.
"""

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from measure import measure, table

DEFAULT_URL = "postgres://sukarela:sukarela-ci@127.0.0.1:5432/sukarela"
STAGES = ("pg_copy", "sqlite", "polars", "duckdb", "python_csv")


def column_count(path: str) -> int:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return len(next(csv.reader(f)))


def stage_pg_copy(path: str) -> tuple[int, float, str]:
    import psycopg

    url = os.environ.get("SUKARELA_BENCH_POSTGRES_URL", DEFAULT_URL)
    name = f"bench_copy_{os.getpid()}"
    columns = ", ".join(f"c{i} text" for i in range(column_count(path)))
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.execute(f"CREATE TABLE {name} ({columns})")
        conn.commit()
        try:
            start = time.perf_counter()
            with conn.cursor() as cur:
                with cur.copy(f"COPY {name} FROM STDIN (FORMAT csv, HEADER true)") as copy, open(path, "rb") as f:
                    while block := f.read(1 << 20):
                        copy.write(block)
                rows = cur.rowcount
            conn.commit()
            seconds = time.perf_counter() - start
        finally:
            conn.rollback()
            conn.execute(f"DROP TABLE IF EXISTS {name}")
            conn.commit()
    return rows, seconds, f"PostgreSQL {version}"


def stage_sqlite(path: str) -> tuple[int, float, str]:
    import sqlite3

    n = column_count(path)
    with tempfile.TemporaryDirectory(prefix="sukarela-bench-", dir="/tmp") as scratch:
        con = sqlite3.connect(Path(scratch) / "baseline.sqlite3")
        con.execute(f"CREATE TABLE applicants ({', '.join(f'c{i} text' for i in range(n))})")
        con.commit()
        start = time.perf_counter()
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            with con:  # one transaction
                con.executemany(f"INSERT INTO applicants VALUES ({', '.join('?' * n)})", reader)
        seconds = time.perf_counter() - start
        rows = con.execute("SELECT count(*) FROM applicants").fetchone()[0]
        con.close()
    return rows, seconds, f"SQLite {sqlite3.sqlite_version}"


def stage_polars(path: str) -> tuple[int, float, str]:
    import polars as pl

    start = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    return frame.height, time.perf_counter() - start, f"polars {pl.__version__}"


def stage_duckdb(path: str) -> tuple[int, float, str]:
    import duckdb

    con = duckdb.connect()
    quoted = path.replace("'", "''")
    start = time.perf_counter()
    con.execute(f"CREATE TABLE applicants AS SELECT * FROM read_csv('{quoted}', header=true, all_varchar=true)")
    seconds = time.perf_counter() - start
    return con.execute("SELECT count(*) FROM applicants").fetchone()[0], seconds, f"DuckDB {duckdb.__version__}"


def stage_python_csv(path: str) -> tuple[int, float, str]:
    start = time.perf_counter()
    rows = -1
    with open(path, encoding="utf-8-sig", newline="") as f:
        for _ in csv.reader(f):
            rows += 1
    return rows, time.perf_counter() - start, f"Python {platform.python_version()}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--repeat", type=int, default=1, help="run each stage N times, report the fastest")
    parser.add_argument("--stage", help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args(argv)

    if args.stage:
        rows, seconds, tool = globals()[f"stage_{args.stage}"](args.csv)
        print(json.dumps({"rows": rows, "seconds": seconds, "tool": tool}))
        return

    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages {sorted(unknown)}; choose from {', '.join(STAGES)}")
    size = os.path.getsize(args.csv)
    print(f"{args.csv}: {size / 2**20:,.0f} MiB; {os.cpu_count()} CPUs; Python {platform.python_version()}")
    results = []
    for stage in stages:
        runs = []
        for _ in range(args.repeat):
            wall, peak, out = measure([sys.executable, __file__, "--csv", args.csv, "--stage", stage])
            child = json.loads(out.strip().splitlines()[-1])
            runs.append((wall, child["seconds"], peak))
            print(f"  {stage}: {wall:.2f} s, {peak:.0f} MiB", file=sys.stderr)
        # The fastest run is the one least disturbed by other work on a shared machine;
        # memory does not shrink with luck, so its highest peak is shown.
        wall, work, _ = min(runs)
        results.append((stage, child["tool"], child["rows"], wall, work, round(max(r[2] for r in runs))))
    print(table(("stage", "tool", "rows", "seconds", "work s", "peak MiB"), results))


if __name__ == "__main__":
    main()

"""The Sukarela recruitment pipeline at national scale, beside the named baselines.

    python bench/recruitment/run.py --csv /tmp/apps-1m.csv --scores /tmp/scores-1m.csv --db sqlite
    python bench/recruitment/run.py --csv /tmp/apps-1m.csv --scores /tmp/scores-1m.csv --db postgres

Set-up (not timed): a fresh database (a scratch SQLite file, or the PostgreSQL
database `sukarela_bench`, dropped and made again), migrate, all 91,599 regions, a
national officer, a campaign over all 514 regencies (seats = rows / 9, as Prakerja's
wave 10 accepted about 1 in 58, here a kinder 1 in 9 so every regency has seats),
apportioned with Hamilton, minimum 1, no administrative check stage.

Timed, each stage one `sukarela` command in a fresh process (measure.py: wall
seconds including start-up, and that process's peak RSS):
import-applications (read, validate, dedupe, store), screen, import-scores, select.
Then the baselines of the same file in the same run: the database's bare load
(`pg_copy` for PostgreSQL, `sqlite` executemany for SQLite) and `polars` read_csv.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measure, table

ROOT = Path(__file__).resolve().parents[2]
SUKARELA = str(ROOT / ".venv" / "bin" / "sukarela")
PYTHON = sys.executable
DEFAULT_URL = "postgres://sukarela:sukarela-ci@127.0.0.1:5432/sukarela"


def rows_in(path: str) -> int:
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b"")) - 1


def fresh_postgres(base_url: str) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sukarela_bench")
        conn.execute("CREATE DATABASE sukarela_bench")
    return base_url.rsplit("/", 1)[0] + "/sukarela_bench"


def run(cmd, env):
    subprocess.run(cmd, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--scores", required=True)
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder (SQLite database) for a look")
    args = parser.parse_args()
    n = rows_in(args.csv)
    data_dir = tempfile.mkdtemp(prefix="sukarela-bench-")
    env = {"SUKARELA_DATA_DIR": data_dir, "SUKARELA_PASSWORD": "bench-password-123"}
    if args.db == "postgres":
        env["DATABASE_URL"] = fresh_postgres(os.environ.get("SUKARELA_BENCH_POSTGRES_URL", DEFAULT_URL))
    else:
        env["DATABASE_URL"] = ""
    print(f"set-up in {data_dir} on {args.db}: migrate, regions, campaign over 514 regencies", flush=True)
    run([SUKARELA, "migrate", "-v0"], env)
    run([SUKARELA, "loadregions"], env)
    run([SUKARELA, "createnationalofficer", "bench", "--full-name", "Bench Officer"], env)
    out = subprocess.run([SUKARELA, "create-campaign", "Bench wave", "--seats", str(max(n // 9, 514)),
                          "--opens", "2026-11-01", "--closes", "2026-12-31", "--regencies", "--no-admin-check"],
                         env={**os.environ, **env}, check=True, capture_output=True, text=True).stdout
    campaign = out.strip().splitlines()[-1]
    run([SUKARELA, "apportion", campaign, "--method", "hamilton", "--minimum", "1"], env)

    stages = [
        ("import-applications", [SUKARELA, "import-applications", campaign, args.csv, "--mode", "valid"]),
        ("screen", [SUKARELA, "screen", campaign]),
        ("import-scores", [SUKARELA, "import-scores", campaign, args.scores, "--mode", "valid"]),
        ("select", [SUKARELA, "select", campaign]),
    ]
    results = []
    for name, cmd in stages:
        seconds, peak, stdout = measure(cmd, env)
        results.append((name, seconds, peak))
        print(f"{name}: {seconds:.1f} s, {peak:,.0f} MiB · {stdout.strip().splitlines()[-1][:100]}", flush=True)
    total = sum(s for _n, s, _p in results)
    baseline_stage = "pg_copy" if args.db == "postgres" else "sqlite"
    base = {}
    for stage in (baseline_stage, "polars"):
        seconds, peak, _out = measure([PYTHON, str(Path(__file__).with_name("baseline.py")), "--csv", args.csv,
                                       "--stages", stage], env={"SUKARELA_BENCH_POSTGRES_URL": os.environ.get(
                                           "SUKARELA_BENCH_POSTGRES_URL", DEFAULT_URL)})
        base[stage] = (seconds, peak)
    rows = [(name, seconds, round(peak)) for name, seconds, peak in results]
    rows.append(("pipeline total", total, max(p for _n, _s, p in results)))
    rows += [(f"baseline: {stage}", s, round(p)) for stage, (s, p) in base.items()]
    print()
    print(f"{n:,} rows, {args.db}, {platform.python_version()}, {os.cpu_count()} cores")
    print(table(["stage", "seconds", "peak MiB"], rows))
    print()
    print(f"import / {baseline_stage} baseline = {results[0][1] / base[baseline_stage][0]:.2f}x; "
          f"end to end {total:.1f} s against the 120 s target")
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

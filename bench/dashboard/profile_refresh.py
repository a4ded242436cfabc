"""Where an incremental refresh spends its time: `services.refresh.refresh()` under cProfile, with
every SQL statement timed (Django's execute wrapper), on the bench database as it stands.

    python bench/dashboard/profile_refresh.py [--db URL] [--new-day N] [--top 25]

--new-day N first adds N new visits of today (newday.add), as run.py does; 0 profiles a refresh
with nothing new (the floor every refresh pays). Prints the slowest statements, the functions with
the most cumulative time, and the wall, process CPU and database shares.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=common.PG + common.DB_NAME)
    parser.add_argument("--new-day", type=int, default=0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--full", action="store_true", help="profile refresh(full=True) instead")
    args = parser.parse_args()
    common.setup_django(args.db, "/tmp/bench_dashboard")
    from django.db import connection

    from sukarela.monitoring.services.refresh import refresh

    import newday

    if args.new_day:
        print("new day:", newday.add(np.random.default_rng(11), args.new_day))
    statements: dict = defaultdict(lambda: [0, 0.0, 0])

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = re.sub(r"\s+", " ", sql)[:160]
            statements[key][0] += 1
            statements[key][1] += time.perf_counter() - start

    print(f"load before: {common.load_average()}")
    profile = cProfile.Profile()
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(timer):
        profile.enable()
        result = refresh(full=args.full)
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    sql_s = sum(s[1] for s in statements.values())
    print(f"{result}; wall {wall:.1f} s, this process's CPU {cpu:.1f} s, in SQL calls {sql_s:.1f} s "
          f"(statement execution only; rows fetched later by iterators count as Python); load {common.load_average()}")
    print("\nslowest statements (count, seconds):")
    for key, (count, seconds, _rows) in sorted(statements.items(), key=lambda kv: -kv[1][1])[:12]:
        print(f"  {count:5d} {seconds:7.2f}  {key}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])


if __name__ == "__main__":
    main()

"""One dashboard request through Django's full stack in this process (the test client, no server):
its SQL statements with their time, and where the rest goes (cProfile, by cumulative time).

    python bench/dashboard/profile_page.py [--db URL] [--path /pantau/nasional/] [-n 20] [--top 30]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=common.PG + common.DB_NAME)
    parser.add_argument("--path", default="/pantau/nasional/")
    parser.add_argument("--user", default="bench")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    common.setup_django(args.db, "/tmp/bench_dashboard")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sukarela.core.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.user))
    assert client.get(args.path).status_code == 200
    times = []
    for _ in range(args.n):
        start = time.perf_counter()
        client.get(args.path)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        client.get(args.path)
        cpu = time.process_time() - cpu
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"{args.path}: median {1000 * statistics.median(times):.0f} ms over {args.n} (load {common.load_average()}); "
          f"one request: {len(queries)} SQL statements, {sql_ms:.0f} ms in SQL, {1000 * cpu:.0f} ms CPU of this process")
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"  {1000 * float(q['time']):6.1f} ms  {q['sql'][:150]}")
    profile = cProfile.Profile()
    profile.enable()
    client.get(args.path)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()

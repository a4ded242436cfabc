"""Where one visit submission's time goes: the same POST /api/field/visits as the load run, made N
times in this process through Django's full stack (middleware, django-ninja, the service,
PostgreSQL) under cProfile, with the SQL statements of one request listed. No server, no
concurrency: the CPU cost a worker pays per visit. Run after run.py (it reuses its database, its
data folder, whose secret key signed the sessions, and tks.txt / sessions.txt):

    python bench/field_sync/profile_visit.py --db postgres://sukarela:sukarela-ci@127.0.0.1/sukarela_field_bench \
        --data /tmp/field_sync/tks.txt -n 500 [--auth session]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))
import payload  # noqa: E402
import programme  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--auth", choices=["token", "session"], default="token",
                        help="sign in by bearer token, or by session and CSRF token as the field app")
    args = parser.parse_args()
    # The sessions were signed with the secret key in run.py's data folder (tks.txt's folder).
    programme.setup_django(args.db, str(args.data.parent) if args.auth == "session" else tempfile.mkdtemp())
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tks, fragments = payload.load(args.data)
    sessions = [line.split() for line in (args.data.parent / "sessions.txt").read_text().splitlines()]
    rng = Random(time.time_ns())  # new ids each run: the database keeps the last run's visits
    client = Client(enforce_csrf_checks=True)

    def one():
        i = rng.randrange(len(tks))
        vid, auth, body = payload.new_visit(rng, [tks[i]], fragments)
        if args.auth == "session":
            key, secret, token = sessions[i]
            client.cookies["sessionid"], client.cookies["csrftoken"] = key, secret
            response = client.post("/api/field/visits", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        else:
            response = client.post("/api/field/visits", body, content_type="application/json",
                                   HTTP_AUTHORIZATION=auth)
        assert response.status_code == 201, response.content[:500]

    for _ in range(20):  # warm: imports, URL resolver, connection
        one()
    with CaptureQueriesContext(connection) as queries:
        one()
    print(f"SQL statements of one submission: {len(queries)}")
    for q in queries.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:160]}")
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.n):
        one()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"\nwithout the profiler: {wall / args.n * 1000:.2f} ms a submission, of which {cpu / args.n * 1000:.2f} ms "
          f"this process's CPU (the rest: waiting for PostgreSQL)")
    # CPU time, not wall time: what a worker spends computing, whatever the machine's load.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(args.n):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler)
    areas: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _cum, _callers) in stats.stats.items():
        areas[area(filename)] = areas.get(area(filename), 0.0) + tottime
    total = sum(areas.values())
    print(f"\nCPU under cProfile by area ({total / args.n * 1000:.2f} ms a submission with the profiler's overhead):")
    for name, seconds in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<34} {seconds / total:6.1%}")
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
        print(out.getvalue())


AREAS = [("/psycopg", "psycopg (driver, sending/reading)"), ("/django/db/", "Django ORM (query building, rows)"),
         ("/ninja/", "django-ninja"), ("/pydantic", "pydantic"), ("/django/", "Django other (middleware, request)"),
         ("/sukarela/", "sukarela (API, service, rules)"), ("/json/", "json"), ("/copy.py", "copy (ORM clones)")]


def area(filename: str) -> str:
    for part, name in AREAS:
        if part in filename:
            return name
    return "other (stdlib, builtins)" if not filename.startswith("~") else "builtins"


if __name__ == "__main__":
    main()

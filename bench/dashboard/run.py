"""The dashboard benchmark (issue 8, item 6) on the programme programme.py built:
(a) a full refresh of the aggregates; (b) one day of new visits, then the incremental refresh;
(c) p50/p95/max of the national, the largest province's and the largest regency's dashboard page and of
/api/monitoring/figures through the real server (`sukarela serve`, a national officer's session);
(d) the baseline: the same headline indicators by ONE plain SQL query over the raw tables.
Prints a side-by-side table and writes it to bench/dashboard/results-<yyyy-mm-dd>.md (and the raw
figures to OUT/results.json). Target: p95 under 300 ms per dashboard request.

    python bench/dashboard/programme.py [--scale 0.1]     # first: the programme
    python bench/dashboard/run.py [--scale 0.1] [-n 100]  # then this (same --scale: the new day's size)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import baseline  # noqa: E402
import common  # noqa: E402
import web  # noqa: E402
from plan import WINDOW, sizes  # noqa: E402

TARGET_MS = 300


def refreshes(args, out: dict) -> None:
    from django.db import connection

    from sukarela.monitoring.services.refresh import refresh

    import newday

    if not args.skip_full:
        out["load_full"] = common.load_average()
        t = time.perf_counter()
        r = refresh(full=True)
        out["full"] = {"wall_s": time.perf_counter() - t, **r.__dict__, "load_after": common.load_average()}
        print(f"(a) full refresh: {out['full']}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_regionmonth")
        out["region_months"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM monitoring_groupmonth")
        out["group_months"] = cursor.fetchone()[0]
    per_day = round(sizes(args.scale)["visits"] / WINDOW)
    t = time.perf_counter()
    out["new_day"] = newday.add(np.random.default_rng(args.seed), per_day)
    out["new_day"]["insert_s"] = time.perf_counter() - t
    print(f"(b) new day: {out['new_day']}", flush=True)
    out["load_incremental"] = common.load_average()
    t = time.perf_counter()
    r = refresh()
    out["incremental"] = {"wall_s": time.perf_counter() - t, **r.__dict__, "load_after": common.load_average()}
    print(f"(b) incremental refresh: {out['incremental']}", flush=True)
    t = time.perf_counter()
    r = refresh()
    out["idle"] = {"wall_s": time.perf_counter() - t, **r.__dict__}
    print(f"    again, nothing new: {out['idle']}", flush=True)


def largest_regency() -> str:
    """The regency with the most groups: its page carries the largest group and TKS tables."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from sukarela.groups.models import Group

    return (Group.objects.annotate(r=Substr("village_id", 1, 5)).values("r").annotate(n=Count("id"))
            .order_by("-n", "r")[0]["r"])


def requests(args, programme: dict, out: dict) -> None:
    province, regency = programme["largest_province"], largest_regency()
    paths = [("national dashboard page", "/pantau/nasional/"),
             (f"province {province} dashboard page", f"/pantau/wilayah/{province}/"),
             (f"regency {regency} dashboard page", f"/pantau/wilayah/{regency}/"),
             ("API figures, nation", "/api/monitoring/figures"),
             (f"API figures, province {province}", f"/api/monitoring/figures?region={province}")]
    if args.one_month:
        month = dt.date.today().strftime("%Y-%m")
        paths += [(f"national dashboard page, {month}", f"/pantau/nasional/?periode={month}"),
                  (f"province {province} page, {month}", f"/pantau/wilayah/{province}/?periode={month}")]
    with web.Server(args.db, args.out, args.workers, args.threads) as server:
        client = web.Client(server.port)
        client.login(programme["officers"]["national"], programme["officers"]["password"])
        out["requests"] = {"healthz (server floor)": web.timed(server.port, {}, "/healthz", args.n)}
        for name, path in paths:
            out["requests"][name] = r = web.timed(server.port, client.cookies, path, args.n, clients=args.clients)
            print(f"(c) {name}: p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms "
                  f"({r['bytes']:,} bytes; load {r['load_before']})", flush=True)


def baselines(args, programme: dict, out: dict) -> None:
    today = dt.date.today()
    out["baseline"] = {}
    for months in (12, 1):
        span = baseline.period(months, today)
        for region in ("", programme["largest_province"]):
            name = f"{'nation' if not region else 'province ' + region}, {months} month{'s' * (months > 1)}"
            r = baseline.measure(region, span, today, args.baseline_repeat)
            r["load"] = common.load_average()
            out["baseline"][name] = r
            print(f"(d) baseline {name}: n={r['n']} p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms", flush=True)
    (args.out / "baseline-explain.txt").write_text(baseline.explain("", baseline.period(12, today), today))


def table(out: dict, programme: dict) -> str:
    lines = ["| measured | n | p50 ms | p95 ms | max ms | load before |", "|---|---:|---:|---:|---:|---|"]
    for name, r in out.get("requests", {}).items():
        lines.append(f"| {name} | {r['n']} | {r['p50_ms']:.0f} | **{r['p95_ms']:.0f}** | {r['max_ms']:.0f} | "
                     f"{r['load_before']} |")
    for name, r in out.get("baseline", {}).items():
        lines.append(f"| baseline, one SQL query: {name} | {r['n']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                     f"{r['max_ms']:.0f} | {r['load']} |")
    if any(key in out for key in ("full", "incremental", "idle")):
        lines += ["", "| refresh | seconds | months / regions / groups | load before |", "|---|---:|---|---|"]
    for key, name in (("full", "full (`refresh(full=True)`)"), ("incremental", "incremental, after one day of "
                      f"{out.get('new_day', {}).get('visits', 0):,} new visits"), ("idle", "incremental, nothing new")):
        if key in out:
            r = out[key]
            lines.append(f"| {name} | {r['wall_s']:.1f} | {r['months']} / {r['regions']:,} / {r['groups']:,} | "
                         f"{out.get('load_' + key, '')} |")
    pages = [r for k, r in out.get("requests", {}).items() if "page" in k or "API" in k]
    worst = max((r["p95_ms"] for r in pages), default=None)
    if worst is not None:
        lines += ["", f"Target p95 < {TARGET_MS} ms per dashboard request: "
                      f"**{'met' if worst < TARGET_MS else 'NOT met'}** (worst p95 {worst:.0f} ms)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=common.PG + common.DB_NAME)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_dashboard"))
    parser.add_argument("--scale", type=float, default=1.0, help="the programme's scale (sizes the new day)")
    parser.add_argument("-n", type=int, default=100, help="requests per page")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--baseline-repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one-month", action="store_true", help="also the pages for this month alone")
    parser.add_argument("--skip-full", action="store_true", help="keep the aggregates (no full refresh)")
    parser.add_argument("--skip-refresh", action="store_true", help="no refresh and no new day at all")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    programme = json.loads((args.out / "programme.json").read_text())
    common.setup_django(args.db, str(args.out))
    model = Path("/proc/cpuinfo").read_text().split("model name")[1].split(":")[1].splitlines()[0].strip()
    out: dict = {"machine": f"{platform.node()}: {len(__import__('os').sched_getaffinity(0))} cores, {model}",
                 "started": dt.datetime.now().isoformat(timespec="seconds"), "load_start": common.load_average(),
                 "programme": {k: programme[k] for k in ("scale", "groups", "visits", "snapshots", "tks_current",
                                                         "largest_province", "seconds")}}
    print(f"{out['machine']}; load {out['load_start']}", flush=True)
    if not args.skip_refresh:
        refreshes(args, out)
    if not args.skip_http:
        requests(args, programme, out)
    if not args.skip_baseline:
        baselines(args, programme, out)
    out["load_end"] = common.load_average()
    (args.out / "results.json").write_text(json.dumps(out, indent=2, default=str))
    text = table(out, programme)
    print(text)
    stamp = dt.date.today().isoformat()
    result = HERE / f"results-{stamp}.md"
    header = (f"# Dashboard benchmark, {stamp}\n\n`python bench/dashboard/run.py {' '.join(sys.argv[1:])}` on "
              f"{out['machine']}; programme: {json.dumps(out['programme'])}; load at start {out['load_start']}, at "
              f"end {out['load_end']}.\n\n")
    with result.open("a") as fh:
        fh.write(header + text + "\n\n")
    print(f"appended to {result}")


if __name__ == "__main__":
    main()

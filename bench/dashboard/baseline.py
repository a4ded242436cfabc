"""The baseline: the dashboard's headline indicators for one region and one period computed by ONE
plain SQL query over the raw tables (visits, snapshots, groups, postings, linkages, alumni,
applications, training), as a dashboard without precomputed aggregates would have to per request.

    python bench/dashboard/baseline.py [--db URL] [--region 33] [--months 12] [--repeat 10] [--explain]

The period is the dashboards' default: the `--months` calendar months ending with this one.
Definitions follow monitoring/indicators.py: flows (visits, activities, roles, tasks, new workers,
linkages, credit, the funnel) are summed over the period; stocks (groups registered and mentored,
TKS posted, groups visited in 30 days, survival, turnover growth, alumni) are read at its last day
(today in the running month); "TKS active" is the last month's, visit frequency divides all
visits and activities by the TKS active in each month, summed. Months are Asia/Jakarta months; a
region's rows are those whose group's village, the applicant's domicile, the cohort's region or
the alumnus's home lies in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402

ROLES = ("motivator", "fasilitator", "mediator", "inovator")
TASKS = ("usaha", "kemitraan", "kapasitas", "akses")
WIB = ZoneInfo("Asia/Jakarta")

SQL = """
WITH g AS (SELECT id, registered_on, stopped_on, aid_received_on FROM groups_group WHERE village_id LIKE %(like)s),
v AS (SELECT v.tks_id, v.group_id, v.kind, v.roles, v.tasks, v.started_at FROM mentoring_visit v JOIN g ON g.id = v.group_id
      WHERE v.started_at >= %(t0)s AND v.started_at < %(t1)s),
vs AS (SELECT count(*) FILTER (WHERE kind = 'kunjungan') AS visits, count(*) FILTER (WHERE kind = 'kegiatan')
              AS activities, count(DISTINCT tks_id) FILTER (WHERE started_at >= %(tl)s) AS tks_active,
              count(DISTINCT (tks_id, date_trunc('month', started_at AT TIME ZONE 'Asia/Jakarta')))
              AS tks_active_months, {mix} FROM v),
posted AS (SELECT p.group_id, p.mentor_id, p.ends_on FROM assignments_posting p JOIN g ON g.id = p.group_id
           WHERE p.starts_on <= %(d1)s AND (p.ends_on IS NULL OR p.ends_on >= %(dl)s)),
ps AS (SELECT count(DISTINCT group_id) AS groups_mentored,
              count(DISTINCT mentor_id) FILTER (WHERE ends_on IS NULL OR ends_on > %(d1)s) AS tks_posted FROM posted),
seen AS (SELECT count(DISTINCT v.group_id) AS groups_visited_30d FROM mentoring_visit v
         WHERE v.group_id IN (SELECT group_id FROM posted) AND v.started_at >= %(t30)s AND v.started_at < %(tnow)s),
gs AS (SELECT count(*) FILTER (WHERE registered_on <= %(d1)s AND (stopped_on IS NULL OR stopped_on > %(d1)s))
              AS groups_registered,
              count(*) FILTER (WHERE aid_received_on + interval '12 months' <= %(d1)s) AS aided_12m,
              count(*) FILTER (WHERE aid_received_on + interval '12 months' <= %(d1)s AND (stopped_on IS NULL
                               OR stopped_on >= aid_received_on + interval '12 months')) AS survived_12m FROM g),
sn AS (SELECT coalesce(sum(s.new_workers), 0) AS new_workers FROM groups_indicatorsnapshot s JOIN g ON g.id = s.group_id
       WHERE s.recorded_on BETWEEN %(d0)s AND %(d1)s),
tt AS (SELECT (array_agg(s.turnover ORDER BY s.recorded_on, s.created_at))[1] AS first,
              (array_agg(s.turnover ORDER BY s.recorded_on DESC, s.created_at DESC))[1] AS last, count(*) AS n
       FROM groups_indicatorsnapshot s JOIN g ON g.id = s.group_id
       WHERE s.recorded_on <= %(d1)s AND s.turnover IS NOT NULL GROUP BY s.group_id),
tg AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (last - first) * 100.0 / first) AS turnover_growth,
              count(*) AS turnover_growth_groups FROM tt WHERE n >= 2 AND first > 0),
lk AS (SELECT count(*) AS linkages_realised,
              coalesce(sum(l.value_amount) FILTER (WHERE l.purpose = 'pinjaman'), 0) AS credit_accessed
       FROM partners_linkage l JOIN g ON g.id = l.group_id
       WHERE l.status = 'terealisasi' AND l.status_on BETWEEN %(d0)s AND %(d1)s),
al AS (SELECT count(*) AS alumni, count(o.status) AS alumni_known,
              count(*) FILTER (WHERE o.status IN ('bekerja', 'usaha', 'inkubator')) AS alumni_working
       FROM alumni_alumnirecord a JOIN core_user u ON u.id = a.tks_id
       LEFT JOIN LATERAL (SELECT status FROM alumni_outcome o WHERE o.alumni_id = a.id AND o.as_of <= %(d1)s
                          ORDER BY o.as_of DESC, o.id DESC LIMIT 1) o ON true
       WHERE a.posting_ended_on <= %(d1)s AND u.region_id LIKE %(like)s),
fa AS (SELECT count(*) AS applied, count(*) FILTER (WHERE eligible) AS eligible,
              count(*) FILTER (WHERE decision = 'selected') AS selected FROM recruitment_application
       WHERE domicile_id LIKE %(like)s AND submitted_at >= %(t0)s AND submitted_at < %(t1)s),
ft AS (SELECT count(*) FILTER (WHERE p.enrolled_at >= %(t0)s AND p.enrolled_at < %(t1)s) AS trained,
              count(*) FILTER (WHERE p.graduated_at >= %(t0)s AND p.graduated_at < %(t1)s) AS graduated
       FROM training_participant p JOIN training_cohort c ON c.id = p.cohort_id WHERE c.region_id LIKE %(like2)s)
SELECT vs.*, ps.*, seen.*, gs.*, sn.*, tg.*, lk.*, al.*, fa.*, ft.*,
       (vs.visits + vs.activities)::float / nullif(vs.tks_active_months, 0) AS visit_frequency,
       100.0 * seen.groups_visited_30d / nullif(ps.groups_mentored, 0) AS visited_30d,
       100.0 * gs.survived_12m / nullif(gs.aided_12m, 0) AS survival_12m,
       100.0 * al.alumni_working / nullif(al.alumni_known, 0) AS alumni_working_share
FROM vs, ps, seen, gs, sn, tg, lk, al, fa, ft
"""


def query() -> str:
    mix = ", ".join([f"count(*) FILTER (WHERE roles ? '{r}') AS role_{r}" for r in ROLES]
                    + [f"count(*) FILTER (WHERE tasks ? '{t}') AS task_{t}" for t in TASKS])
    return SQL.replace("{mix}", mix)


def period(months: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first month, last month) of the `months` calendar months ending with today's."""
    last = today.replace(day=1)
    index = last.year * 12 + last.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1), last


def params(region: str, span: tuple[dt.date, dt.date], today: dt.date) -> dict:
    first, month = span
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = min(nxt - dt.timedelta(days=1), today)  # the running month: up to today
    at = lambda d: dt.datetime.combine(d, dt.time(), WIB)  # noqa: E731
    return {"like": f"{region}.%" if region else "%", "like2": f"{region}%" if region else "%",
            "d0": first, "dl": month, "d1": last, "t0": at(first), "tl": at(month), "t1": at(nxt),
            "t30": at(last + dt.timedelta(days=1 - 30)), "tnow": at(last + dt.timedelta(days=1))}


def run_once(cursor, region: str, span: tuple[dt.date, dt.date], today: dt.date) -> tuple[float, dict]:
    start = time.perf_counter()
    cursor.execute(query(), params(region, span, today))
    row = cursor.fetchone()
    seconds = time.perf_counter() - start
    return seconds, dict(zip([c.name for c in cursor.description], row))


def measure(region: str, span: tuple[dt.date, dt.date], today: dt.date, repeat: int, budget_s: float = 60.0) -> dict:
    """p50/p95/max of `repeat` runs (fewer when one run is slow: at most ~budget_s in all), after one
    untimed warm-up that fills the caches as a dashboard in use would have them."""
    from django.db import connection

    with connection.cursor() as cursor:
        first, values = run_once(cursor, region, span, today)
        times = []
        n = max(3, min(repeat, int(budget_s / max(first, 1e-3))))
        for _ in range(n):
            times.append(run_once(cursor, region, span, today)[0])
    times.sort()
    return {"n": n, "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "max_ms": 1000 * times[-1], "values": values}


def explain(region: str, span: tuple[dt.date, dt.date], today: dt.date) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query(), params(region, span, today))
        return "\n".join(r[0] for r in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=common.PG + common.DB_NAME)
    parser.add_argument("--region", default="", help='"" the nation, or a province code')
    parser.add_argument("--months", type=int, default=12, help="the period: this many months ending with this one")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    common.setup_django(args.db, "/tmp/bench_dashboard")
    today = dt.date.today()
    span = period(args.months, today)
    if args.explain:
        print(explain(args.region, span, today))
        return
    result = measure(args.region, span, today, args.repeat)
    print(f"region {args.region or 'ID'} {span[0]:%Y-%m}..{span[1]:%Y-%m}: n={result['n']} p50 {result['p50_ms']:.0f} "
          f"ms, p95 {result['p95_ms']:.0f} ms, max {result['max_ms']:.0f} ms; load {common.load_average()}")
    for k, v in result["values"].items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()

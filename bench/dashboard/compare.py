"""The dashboard's figures (selectors.figures over the precomputed RegionMonth rows) beside the
baseline's (one SQL query over the raw tables), for the nation and a province over the default
period: two independent computations of the same indicators, so a difference points at a bug in
one of them (or at a definition the baseline reads differently: see baseline.py).

    python bench/dashboard/compare.py [--db URL] [--region 33] [--months 12]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import baseline  # noqa: E402
import common  # noqa: E402

# indicator code -> the baseline's column
PAIRS = {"visits": "visits", "tks_active": "tks_active", "visit_frequency": "visit_frequency",
         "groups_registered": "groups_registered", "groups_mentored": "groups_mentored",
         "visited_30d": "visited_30d", "tks_posted": "tks_posted",
         **{f"role_{r}": f"role_{r}" for r in baseline.ROLES}, **{f"task_{t}": f"task_{t}" for t in baseline.TASKS},
         "survival_12m": "survival_12m", "turnover_growth": "turnover_growth", "jobs_created": "new_workers",
         "linkages_realised": "linkages_realised", "credit_accessed": "credit_accessed",
         "alumni_working": "alumni_working_share", "funnel_applied": "applied", "funnel_selected": "selected",
         "funnel_trained": "trained", "funnel_graduated": "graduated"}
SHARES = {f"role_{r}" for r in baseline.ROLES} | {f"task_{t}" for t in baseline.TASKS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=common.PG + common.DB_NAME)
    parser.add_argument("--region", default="")
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    common.setup_django(args.db, "/tmp/bench_dashboard")
    from sukarela.core.models import User
    from sukarela.monitoring.periods import Period
    from sukarela.monitoring.selectors import figures as selectors

    today = dt.date.today()
    span = baseline.period(args.months, today)
    dash = selectors.figures(User.objects.get(username="bench"), args.region, Period(*span)).values
    raw = baseline.measure(args.region, span, today, 1)["values"]
    all_visits = (raw["visits"] or 0) + (raw["activities"] or 0)
    print("| indicator | dashboard | baseline | |\n|---|---:|---:|---|")
    for code, column in PAIRS.items():
        b = raw.get(column)
        if code in SHARES and b is not None:
            b = 100.0 * b / all_visits if all_visits else None
        d = dash.get(code)
        same = d is not None and b is not None and abs(float(d) - float(b)) <= 1e-6 * max(1.0, abs(float(b))) + 0.01
        print(f"| {code} | {d if d is None else round(float(d), 2)} | {b if b is None else round(float(b), 2)} | "
              f"{'=' if same else 'DIFFERENT'} |")


if __name__ == "__main__":
    main()

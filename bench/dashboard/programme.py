"""A synthetic programme at 10× the 2023 size in a fresh PostgreSQL database, for the dashboard
benchmark: all Kemendagri regions, 9,000 TKS (with MentorProfile, ≈12 groups each), 110,000 groups,
5,000,000 visits over the two years ending yesterday with monthly indicator snapshots, ~60,000
applications through the funnel to training and posting, ~50,000 partner linkages, alumni with
outcomes, a national budget. Synthetic data only, seeded.

    python bench/dashboard/programme.py                 # as root: makes sukarela_bench_dash afresh
    python bench/dashboard/programme.py --scale 0.1     # a tenth of everything, for quick runs
    python bench/dashboard/programme.py --db postgres://sukarela:sukarela-ci@127.0.0.1/empty_db

Everything large goes in by COPY; the visit and snapshot tables are loaded without their
secondary indexes and foreign keys, which are built afterwards (common.DeferredIndexes); then
ANALYZE. Prints each step's seconds and the load average; writes DIR/programme.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402
import plan as shape  # noqa: E402

PASSWORD_UNUSABLE = "!bench"  # TKS never log in here
OFFICER_PASSWORD = "bench-password-123"


def geography():
    """Active regencies with their villages (code, lat, lon; a village without a point takes its
    regency's)."""
    from sukarela.regions.models import Region

    regencies = list(Region.objects.filter(level=2, active=True).order_by("code").values_list("code", "lat", "lon"))
    where = {c: (la or -2.5, lo or 118.0) for c, la, lo in regencies}
    villages: dict[str, list] = {c: [] for c, _la, _lo in regencies}
    for code, lat, lon in Region.objects.filter(level=4, active=True).order_by("code").values_list("code", "lat",
                                                                                                   "lon"):
        if code[:5] in villages:
            villages[code[:5]].append((code, lat if lat is not None else where[code[:5]][0],
                                       lon if lon is not None else where[code[:5]][1]))
    codes = [c for c, _la, _lo in regencies if villages[c]]
    return codes, [villages[c] for c in codes]


def build(scale: float, seed: int, clock: common.Clock, out: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    import funnel
    import people
    import visits

    quiet = open(os.devnull, "w")
    call_command("migrate", verbosity=0)
    clock.step("migrate")
    call_command("loadregions", verbosity=0, stdout=quiet)
    call_command("loadpoints", verbosity=0, stdout=quiet)
    clock.step("regions (loadregions + loadpoints)")
    from sukarela.core import services as accounts

    national = accounts.create_first_national_officer("bench", OFFICER_PASSWORD, full_name="Bench Nasional")
    n = shape.sizes(scale)
    rng = np.random.default_rng(seed)
    codes, villages = geography()
    weights = shape.regency_weights(codes, np.array([len(v) for v in villages]))
    p = shape.make(rng, n["tks"], n["groups"], weights)
    today = dt.date.today()
    with transaction.atomic():
        ids = people.write(rng, p, codes, villages, today, national.pk)
        clock.step("users, profiles, groups, members, postings",
                   f"({len(ids.groups):,} groups, {len(ids.tks):,} TKS users)")
        counts = visits.write(rng, p, ids, today, clock, n["visits"])
        counts |= funnel.write(rng, p, ids, codes, villages, today, national.pk, n)
        clock.step("applications, training, alumni, linkages, budget")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics and visibility maps, as on a database in use
    clock.step("VACUUM ANALYZE")
    provinces = np.array([codes[r][:2] for r in p.group_regency])
    values, freq = np.unique(provinces, return_counts=True)
    largest = str(values[freq.argmax()])
    accounts_made = people.officers(national, largest)
    summary = {"scale": scale, "seed": seed, "today": today.isoformat(), "sizes": n,
               "groups": len(ids.groups), "tks_current": int(len(p.block_kind)),
               "tks_users": len(ids.tks) + int((ids.alumni >= 0).sum()) + len(ids.dropped), "largest_province": largest,
               "largest_province_groups": int(freq.max()), "officers": accounts_made, **counts,
               "steps": {k: round(v, 1) for k, v in clock.steps.items()}, "seconds": round(clock.total, 1)}
    (out / "programme.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="URL of an empty PostgreSQL database (default: a fresh one, as root)")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 9,000 TKS, 110,000 groups, 5 M visits")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_dashboard"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.db or common.fresh_database()
    print(f"programme at scale {args.scale} into {db.rsplit('/', 1)[-1]}; load {common.load_average()}", flush=True)
    common.setup_django(db, str(args.out))
    summary = build(args.scale, args.seed, common.Clock(), args.out)
    print(json.dumps({k: v for k, v in summary.items() if k != "steps"}, indent=1))


if __name__ == "__main__":
    main()

"""One day of new field work, as the field API would have stored it today: the programme's visits
per day (5 M / 730 ≈ 6,850 at full size) by the TKS of open postings, on today's date, received
and stamped now, about a quarter with an indicator snapshot, written with plain INSERT statements
(executemany, one transaction) rather than COPY, so the incremental refresh sees what a day of
submissions leaves behind."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import numpy as np

from visits import pools

SNAPSHOT_SHARE = 0.23  # the programme's snapshots per visit


def add(rng: np.random.Generator, n: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    today = timezone.localdate()
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    span = max(60.0, (now - midnight).total_seconds() - 3 * 3600)  # started at least 3 h before now
    pool = {k: v.to_list() for k, v in pools(int(rng.integers(1 << 30))).items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT p.group_id, p.mentor_id, g.lat, g.lon, min(m.id), count(m.id) "
                       "FROM assignments_posting p JOIN groups_group g ON g.id = p.group_id "
                       "JOIN groups_member m ON m.group_id = g.id WHERE p.ends_on IS NULL AND g.status <> 'stopped' "
                       "GROUP BY 1, 2, 3, 4")
        open_postings = cursor.fetchall()
    chosen = rng.choice(len(open_postings), n, replace=len(open_postings) < n)
    visits, snapshots = [], []
    for i, k in enumerate(chosen.tolist()):
        group, tks, lat, lon, base, count = open_postings[k]
        activity = rng.random() < 0.08
        pick = int(rng.integers(0, 512)) + (512 if activity else 0)
        started = midnight + dt.timedelta(seconds=float(rng.random() * span))
        minutes = int(rng.integers(24, 37) * 10 if activity else rng.integers(6, 13) * 10)
        snap = None
        if rng.random() < SNAPSHOT_SHARE:
            snap = uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | int(rng.integers(0, 2**63)), version=4)
            snapshots.append((snap, group, today, int(rng.integers(8, 160)) * 250_000, 5_000_000, int(count),
                              int(rng.poisson(0.3)), "Produk olahan", 15_000, False, tks, now))
        vid = uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | int(rng.integers(0, 2**63)), version=4)
        k_present = min(int(count), int(rng.integers(2, 7)))
        visits.append((vid, tks, group, "kegiatan" if activity else "kunjungan", pool["title"][pick],
                       pool["place"][pick], started, minutes, round(lat + rng.uniform(-0.0015, 0.0015), 5),
                       round(lon + rng.uniform(-0.0015, 0.0015), 5), float(rng.integers(5, 31)), pool["roles"][pick],
                       pool["tasks"][pick], pool["details"][pick], pool["notes"][pick], pool["innovation"][pick],
                       json.dumps(list(range(base, base + k_present))), snap, "diajukan", "", "[]", 0.1, 1,
                       vid.hex * 2, now, now))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO groups_indicatorsnapshot (id, group_id, recorded_on, turnover, capital, active_members, "
            "new_workers, products, price, lpj_done, recorded_by_id, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", snapshots)
        cursor.executemany(
            "INSERT INTO mentoring_visit (id, tks_id, group_id, kind, title, place, started_at, duration_minutes, "
            "lat, lon, accuracy_m, roles, tasks, details, notes, innovation, attendance, indicators_id, status, "
            "review_comment, flags, km_from_group, version, digest, received_at, updated_at) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s, %s::jsonb, %s, "
            "%s, %s, %s::jsonb, %s, %s, %s, %s, %s)", visits)
    return {"visits": len(visits), "snapshots": len(snapshots), "groups": len({v[2] for v in visits}),
            "day": today.isoformat()}

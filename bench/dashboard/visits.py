"""Five million visits over the two years ending yesterday, by the TKS of each posting, and the
monthly indicator snapshots that ride on them; written with COPY month by month, each month's
rows in the order they were last stamped (a table filled day by day has that physical order).

A posting's visits are a Poisson count over its days (one group in ten is a quiet one, at half
the rate; the rate is set so the total is the target), on weekdays between 08:00 and 16:00 WIB.
8 % are group activities (kegiatan: a BLK training or a market fair). Roles, tasks and task
details come from a pool made with the mentoring demo's own generator (`mentoring.demo._details`)
over the field catalogue (engines/visit_rules.py), so the JSON is shaped as the app writes it.
Three in a hundred visits stand far from the group's point (flag "jauh"). 60 % of the groups
record indicators: a snapshot on their first visit of each month (turnover on a growing,
declining or stopping path; new workers mostly in growing groups). Reviews: most visits older
than three weeks approved, some returned, the recent ones mostly waiting.
Not written (the dashboards do not read them): follow-ups, photos, one audit event per visit.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import numpy as np
import polars as pl

from common import DeferredIndexes, copy_frame, masked

ACTIVITY_SHARE, QUIET_SHARE, FAR_SHARE, SNAPSHOT_GROUPS = 0.08, 0.10, 0.03, 0.60
POOL = 512


def pools(seed: int) -> dict:
    """Roles, tasks, details, notes, innovation, title, place of POOL visits and POOL activities."""
    from sukarela.engines import visit_rules
    from sukarela.mentoring import demo

    rng = random.Random(seed)
    roles, tasks, details, notes, innovation, title, place = ([] for _ in range(7))
    for i in range(2 * POOL):
        activity = i >= POOL
        r = rng.sample(["motivator", "fasilitator", "mediator", "inovator"], k=rng.choice([1, 1, 2]))
        if activity:
            name, where, task = rng.choice(demo.ACTIVITIES)
            t = [task]
        else:
            t = rng.sample([x.value for x in visit_rules.TASKS], k=rng.choice([1, 1, 2]))
        roles.append(json.dumps(r))
        tasks.append(json.dumps(t))
        details.append(json.dumps({x: demo._details(rng, x, 6) for x in t}))
        notes.append(rng.choice(demo.NOTES))
        innovation.append(rng.choice(demo.INNOVATIONS) if "inovator" in r else "")
        title.append(name if activity else "")
        place.append(where.format(regency="Kabupaten").strip() if activity else "")
    return {k: pl.Series(v) for k, v in zip(("roles", "tasks", "details", "notes", "innovation", "title", "place"),
                                           (roles, tasks, details, notes, innovation, title, place))}


def uuids(rng: np.random.Generator, n: int) -> list[str]:
    hi = (rng.integers(0, 2**64, n, dtype=np.uint64) & np.uint64(0xFFFFFFFFFFFF0FFF)) | np.uint64(0x4000)
    lo = (rng.integers(0, 2**64, n, dtype=np.uint64) & np.uint64(0x3FFFFFFFFFFFFFFF)) | np.uint64(1 << 63)
    return [f"{a:016x}{b:016x}" for a, b in zip(hi.tolist(), lo.tolist())]


def write(rng: np.random.Generator, p, ids, today: dt.date, clock, target: int) -> dict:
    from sukarela.groups.models import IndicatorSnapshot
    from sukarela.mentoring.models import Visit

    block = p.group_block[p.seg_group]
    mentor = np.where(p.seg_alumnus, ids.alumni[block], ids.tks[block])
    last = np.minimum(p.seg_end, 0)  # visits until yesterday (run.py adds today's)
    n_groups = len(ids.groups)
    quiet = np.where(rng.random(n_groups) < QUIET_SHARE, 0.5, 1.0)[p.seg_group]
    rate = target / (np.maximum(last - p.seg_start, 0) * quiet).sum()
    # Each group's path: monthly turnover growth by fate, base turnover, and who records at all.
    fate = rng.choice(3, n_groups, p=[0.72, 0.18, 0.10])  # growing, declining, flat
    growth = np.choose(fate, [rng.uniform(1.01, 1.05, n_groups), rng.uniform(0.95, 0.99, n_groups),
                              np.ones(n_groups)])
    base = rng.integers(8, 40, n_groups) * 250_000
    records = rng.random(n_groups) < SNAPSHOT_GROUPS
    pool = pools(int(rng.integers(1 << 30)))
    zero = np.datetime64(today, "D")
    month = (zero + int(p.seg_start.min())).astype("datetime64[M]")
    made = snaps = 0
    # Month by month, each month's rows in the order they were last written (updated_at), so the
    # table's physical order follows time as in a database filled day by day (the BRIN index on
    # updated_at that the incremental refresh reads depends on it).
    with DeferredIndexes(Visit._meta.db_table, IndicatorSnapshot._meta.db_table):
        while month <= (zero - 1).astype("datetime64[M]"):
            m0 = int((month.astype("datetime64[D]") - zero).astype(np.int64))
            m1 = int(((month + 1).astype("datetime64[D]") - zero).astype(np.int64))
            lo, hi = np.maximum(p.seg_start, m0), np.minimum(last, m1)
            days = np.maximum(hi - lo, 0)
            count = rng.poisson(days * quiet * rate)
            segs = np.flatnonzero(count)
            seg = np.repeat(segs, count[segs])
            day = lo[seg] + (rng.random(len(seg)) * days[seg]).astype(np.int64)
            v, s = _chunk(rng, p, ids, today, seg, day, lo[seg], mentor, fate, growth, base, records, pool)
            copy_frame(IndicatorSnapshot._meta.db_table, s.sort("created_at"))
            copy_frame(Visit._meta.db_table, v.sort("updated_at"))
            made, snaps, month = made + v.height, snaps + s.height, month + 1
            if month.astype(int) % 3 == 0:
                print(f"    {month - 1}: visits {made:,}, snapshots {snaps:,}", flush=True)
        clock.step("visits and snapshots (COPY)", f"({made:,} visits, {snaps:,} snapshots)")
    clock.step("visit and snapshot indexes and foreign keys")
    return {"visits": made, "snapshots": snaps}


def _chunk(rng, p, ids, today, seg, day, floor, mentor, fate, growth, base, records, pool):
    n = len(seg)
    g = p.seg_group[seg]
    date = np.datetime64(today, "D") + day.astype("timedelta64[D]")
    weekday = (date.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    # a weekend draw moves to a weekday of the same week (not to Friday or Monday only), never out
    # of its posting or month (a month's first visit carries the snapshot)
    shift = np.where(weekday >= 5, 4 - weekday - rng.integers(0, 5, n), 0)
    shift = np.maximum(day + shift, floor) - day
    day, date = day + shift, date + shift.astype("timedelta64[D]")
    activity = rng.random(n) < ACTIVITY_SHARE
    local = date.astype("datetime64[m]") + (480 + rng.integers(0, 97, n) * 5).astype("timedelta64[m]")
    started = local - np.timedelta64(7, "h")  # WIB is UTC+7
    minutes = np.where(activity, rng.integers(24, 37, n) * 10, rng.integers(6, 13, n) * 10)
    received = started + (minutes + rng.integers(30, 600, n)).astype("timedelta64[m]")
    far = rng.random(n) < FAR_SHARE
    spread = np.where(far, rng.uniform(0.04, 0.07, n), 0.0015)
    dlat, dlon = rng.uniform(-1, 1, n) * spread, rng.uniform(-1, 1, n) * spread
    lat0 = ids.lat[g]
    km = np.hypot(dlat * 111.2, dlon * 111.2 * np.cos(np.radians(lat0)))
    # first visit of each group and month carries the snapshot, for the groups that record
    month = (date.astype("datetime64[M]").astype(np.int64))
    key = g.astype(np.int64) * 10_000 + month
    o = np.lexsort((started, key))
    first = np.zeros(n, bool)
    first[o] = np.r_[True, key[o][1:] != key[o][:-1]]
    snap = first & records[g]
    snap_ids = uuids(rng, int(snap.sum()))
    visit_snap = np.full(n, None, dtype=object)
    visit_snap[np.flatnonzero(snap)] = snap_ids
    age = -day
    draw = rng.random(n)
    status = np.where(draw < np.where(age > 21, 0.05, 0.03), "dikembalikan",
                      np.where(draw < np.where(age > 21, 0.93, 0.28), "disetujui", "diajukan"))
    reviewed_at = received + (rng.integers(1, 10, n) * 1440).astype("timedelta64[m]")
    # nothing stamped after now: a refresh's watermark must not see old visits as changed later
    reviewed = (status != "diajukan") & (reviewed_at < np.datetime64(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), "m"))
    status = np.where(reviewed, status, "diajukan")
    k = np.minimum(ids.member_count[g], rng.integers(2, 7, n))
    a0 = ids.member_base[g] + (rng.random(n) * (ids.member_count[g] - k + 1)).astype(np.int64)
    pick = np.where(activity, POOL + rng.integers(0, POOL, n), rng.integers(0, POOL, n))
    vid = uuids(rng, n)
    utc = lambda a: pl.Series(a.astype("datetime64[us]")).dt.replace_time_zone("UTC")  # noqa: E731
    pk = pl.Series(pick)
    visits = pl.DataFrame({
        "id": vid, "tks_id": mentor[seg], "group_id": ids.groups[g],
        "kind": np.where(activity, "kegiatan", "kunjungan"), "title": pool["title"].gather(pk),
        "place": pool["place"].gather(pk), "started_at": utc(started), "duration_minutes": minutes,
        "lat": np.round(lat0 + dlat, 5), "lon": np.round(ids.lon[g] + dlon, 5),
        "accuracy_m": rng.integers(5, 31, n).astype(float), "roles": pool["roles"].gather(pk),
        "tasks": pool["tasks"].gather(pk), "details": pool["details"].gather(pk), "notes": pool["notes"].gather(pk),
        "innovation": pool["innovation"].gather(pk),
        "indicators_id": pl.Series(visit_snap.tolist(), dtype=pl.Utf8), "status": status,
        "review_comment": np.where(status == "dikembalikan", "Rincian tugas terlalu singkat.", ""),
        "reviewed_by_id": masked(np.full(n, ids.officer), reviewed), "reviewed_at": masked(utc(reviewed_at), reviewed),
        "flags": np.where(far, '["jauh"]', "[]"), "km_from_group": np.round(km, 3), "version": 1,
        "digest": [v + v for v in vid], "received_at": utc(received),
        "updated_at": utc(np.where(reviewed, reviewed_at, received))})
    visits = visits.with_columns(attendance=pl.concat_str(
        pl.lit("["), pl.int_ranges(pl.Series(a0), pl.Series(a0 + k)).cast(pl.List(pl.Utf8)).list.join(", "),
        pl.lit("]")))
    sg, sm = g[snap], month[snap] - np.datetime64(today, "M").astype(np.int64) + 24  # months into the window
    trend = base[sg] * growth[sg] ** np.maximum(sm, 0) * rng.uniform(0.9, 1.1, len(sg))
    stopping = (p.stopped[sg] <= 0) & (day[snap] > p.stopped[sg] - 90)
    trend = np.where(stopping, trend * 0.3, trend)
    lam = np.where(fate[sg] == 0, 0.35, 0.08)
    snapshots = pl.DataFrame({
        "id": snap_ids, "group_id": ids.groups[sg], "recorded_on": pl.Series(date[snap]),
        "turnover": (trend // 1000 * 1000).astype(np.int64), "capital": (base[sg] * 2 // 1000 * 1000),
        "active_members": ids.member_count[sg], "new_workers": rng.poisson(lam),
        "products": "Produk olahan", "price": rng.integers(50, 250, len(sg)) * 100,
        "aid_spent_tools": None, "aid_spent_materials": None, "lpj_done": rng.random(len(sg)) < 0.5,
        "recorded_by_id": mentor[seg][snap], "created_at": utc(received[snap])})
    return visits, snapshots

"""The programme's people and groups in bulk: TKS accounts (current, alumni, trainees who dropped
out), their MentorProfile with one or two sector skills, the groups with aid and stop dates, 3–8
members each (one chair), and the postings of plan.Plan. Returns the ids the later steps need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from common import copy_frame, days, masked

DROPPED_SHARE = 0.03  # of trainees: no posting


@dataclass
class Ids:
    tks: np.ndarray         # user id of each block's current TKS
    alumni: np.ndarray      # user id of each AB block's earlier TKS (-1 otherwise)
    dropped: list           # user ids of trainees who dropped out
    tks_village: dict       # user id -> home village code
    groups: np.ndarray      # group id of each plan group
    village: np.ndarray     # village code of each plan group
    lat: np.ndarray
    lon: np.ndarray
    member_base: np.ndarray  # first member id of each group (members are consecutive)
    member_count: np.ndarray
    officer: int            # the national officer (created_by, reviewer)


def _users(prefix: str, villages: list[str], now) -> np.ndarray:
    from sukarela.core.models import User

    frame = pl.DataFrame({"username": [f"{prefix}-{i:05d}" for i in range(len(villages))],
                          "password": "!bench", "full_name": [f"TKS {prefix} {i:05d}" for i in range(len(villages))],
                          "role": "tks", "region_id": villages, "is_active": True, "is_superuser": False,
                          "email": "", "phone": "", "date_joined": now})
    copy_frame(User._meta.db_table, frame)
    got = dict(User.objects.filter(username__startswith=prefix + "-").values_list("username", "pk"))
    return np.array([got[u] for u in frame["username"]], dtype=np.int64)


def write(rng: np.random.Generator, p, codes: list[str], villages: list[list], today: dt.date, officer: int) -> Ids:
    from django.db import connection

    from sukarela.assignments.models import MentorProfile, Posting
    from sukarela.groups.models import Group, Member, Sector

    now = dt.datetime.now(dt.timezone.utc)

    def village_in(regency_idx: np.ndarray):
        draws = rng.random(len(regency_idx))
        return [villages[r][int(d * len(villages[r]))] for r, d in zip(regency_idx.tolist(), draws.tolist())]

    homes = village_in(p.block_regency)
    tks = _users("bench-tks", [v[0] for v in homes], now)
    ab = np.flatnonzero(p.block_kind == "AB")
    alumni_homes = village_in(p.block_regency[ab])
    alumni = np.full(len(p.block_kind), -1, np.int64)
    alumni[ab] = _users("bench-alumni", [v[0] for v in alumni_homes], now)
    dropped_homes = village_in(rng.choice(p.block_regency, size=max(1, round(len(tks) * DROPPED_SHARE))))
    dropped = _users("bench-dropped", [v[0] for v in dropped_homes], now).tolist()
    tks_village = {u: v[0] for u, v in zip(tks.tolist() + alumni[ab].tolist() + dropped,
                                           homes + alumni_homes + dropped_homes)}
    sectors = list(Sector.objects.values_list("code", flat=True))
    people = np.concatenate([tks, alumni[ab]])
    points = homes + alumni_homes
    copy_frame(MentorProfile._meta.db_table, pl.DataFrame({
        "user_id": people, "capacity": rng.integers(8, 15, len(people)),
        "lat": [v[1] for v in points], "lon": [v[2] for v in points]}))
    profiles = dict(MentorProfile.objects.values_list("user_id", "pk"))
    through = MentorProfile.sectors.through
    skills = [(profiles[u], s) for u in people.tolist() for s in rng.choice(sectors, rng.integers(1, 3), replace=False)]
    copy_frame(through._meta.db_table, pl.DataFrame(skills, schema=["mentorprofile_id", "sector_id"], orient="row"))

    n = len(p.group_regency)
    places = village_in(p.group_regency)
    lat = np.array([v[1] for v in places]) + rng.normal(0, 0.02, n)
    lon = np.array([v[2] for v in places]) + rng.normal(0, 0.02, n)
    aid = p.aid_on < 5_000
    amount = rng.integers(20, 61, n) * 1_000_000
    stopped = p.stopped <= 0
    status = np.where(stopped, "stopped", np.where(rng.random(n) < 0.03, "graduated", "active"))
    frame = pl.DataFrame({
        "name": [f"Kelompok Bench {i:06d}" for i in range(n)], "tier": np.where(status == "graduated", "lanjutan",
                                                                                 "pemula"),
        "sector_id": rng.choice(sectors, n), "village_id": [v[0] for v in places], "address": "", "lat": lat,
        "lon": lon, "status": status, "aid_amount": masked(amount, aid),
        "aid_received_on": days(today, p.aid_on, aid), "aid_tools": masked(amount * 6 // 10, aid),
        "aid_materials": masked(amount * 4 // 10, aid), "bank_name": "", "bank_account": "",
        "registered_on": days(today, p.registered), "stopped_on": days(today, p.stopped, stopped),
        "created_at": now})
    copy_frame(Group._meta.db_table, frame)
    got = dict(Group.objects.filter(name__startswith="Kelompok Bench ").values_list("name", "pk"))
    groups = np.array([got[name] for name in frame["name"]], dtype=np.int64)

    count = rng.integers(3, 9, n)
    group_of = np.repeat(np.arange(n), count)
    serial = np.arange(len(group_of))
    first = np.r_[0, np.cumsum(count)[:-1]]
    copy_frame(Member._meta.db_table, pl.DataFrame({
        "group_id": groups[group_of], "nik": [f"99{s:014d}" for s in serial.tolist()],
        "full_name": [f"Anggota {s}" for s in serial.tolist()], "sex": np.where(serial % 2 == 0, "L", "P"),
        "birth_date": dt.date(1990, 1, 1), "is_chair": serial == first[group_of],
        "unemployed_declared": rng.random(len(serial)) < 0.4, "active": ~stopped[group_of],
        "joined_on": days(today, p.registered[group_of])}))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT group_id, min(id) FROM "{Member._meta.db_table}" GROUP BY group_id')
        base_of = dict(cursor.fetchall())
    member_base = np.array([base_of[g] for g in groups.tolist()], dtype=np.int64)

    block = p.group_block[p.seg_group]
    mentor = np.where(p.seg_alumnus, alumni[block], tks[block])
    copy_frame(Posting._meta.db_table, pl.DataFrame({
        "group_id": groups[p.seg_group], "mentor_id": mentor,
        "starts_on": days(today, p.seg_start), "ends_on": days(today, p.seg_end, ~p.seg_open),
        "created_by_id": officer}))
    return Ids(tks, alumni, dropped, tks_village, groups, np.array([v[0] for v in places]), lat, lon, member_base,
               count, officer)


def officers(national, province: str) -> dict:
    """Login accounts for the HTTP runs: the national officer and one of the largest province."""
    from sukarela.core.models import User
    from sukarela.core.roles import Role

    User.objects.create_user("bench-prov", "bench-password-123", full_name="Bench Provinsi",
                             role=Role.PROVINCIAL, region_id=province)
    return {"national": national.username, "provincial": "bench-prov", "password": "bench-password-123"}

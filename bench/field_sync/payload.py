"""The same visits visits.lua sends, made in Python: for the smoke test before a run and for the
retrying client of the kill/restart run. Reads tks.txt (see programme.py)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from random import Random


@dataclass(frozen=True)
class Place:
    group: int
    lat: float
    lon: float
    members: tuple[int, ...]


@dataclass(frozen=True)
class Tks:
    auth: str  # "Bearer skr_…"
    places: tuple[Place, ...]


def load(path: Path) -> tuple[list[Tks], list[str]]:
    tks, fragments = [], []
    for line in Path(path).read_text().splitlines():
        kind, rest = line[:1], line[2:]
        if kind == "T":
            token, *places = rest.split(" ")
            parsed = []
            for p in places:
                gid, lat, lon, members = p.split(":")
                parsed.append(Place(int(gid), float(lat), float(lon), tuple(int(m) for m in members.split(","))))
            tks.append(Tks("Bearer " + token, tuple(parsed)))
        elif kind == "F":
            fragments.append(rest)
    if not tks or not fragments:
        raise SystemExit(f"{path}: no TKS or no task fragments")
    return tks, fragments


def has_indicators(visit_id: str) -> bool:
    """A quarter of the visits carry indicators, decided by the id (as in visits.lua)."""
    return visit_id[0] < "4"


def new_visit(rng: Random, tks: list[Tks], fragments: list[str]) -> tuple[str, str, bytes]:
    """(visit id, Authorization header, JSON body) of a fresh visit by a random TKS."""
    who = rng.choice(tks)
    place = rng.choice(who.places)
    vid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    indicators = None
    if has_indicators(vid):
        indicators = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                      "turnover": rng.randint(1, 40) * 250_000, "capital": rng.randint(5, 40) * 500_000,
                      "active_members": rng.randint(3, 5), "new_workers": rng.randint(0, 2),
                      "products": "Keripik singkong", "price": 15_000,
                      "aid_spent_tools": rng.randint(1, 12) * 500_000,
                      "aid_spent_materials": rng.randint(1, 8) * 500_000, "lpj_done": False}
    head = {"id": vid, "group": place.group, "kind": "kunjungan", "title": "", "place": "",
            "started_at": (now - dt.timedelta(seconds=rng.randint(600, 60 * 86400))).isoformat(),
            "duration_minutes": rng.randint(3, 12) * 10,
            "lat": round(place.lat + (rng.random() - 0.5) * 0.002, 5),
            "lon": round(place.lon + (rng.random() - 0.5) * 0.002, 5), "accuracy_m": rng.randint(5, 40)}
    tail = {"notes": "Kunjungan rutin: pencatatan penjualan dan rencana bulan depan.", "innovation": "",
            "attendance": list(place.members[:3]),
            "follow_ups": [{"action": "Lengkapi buku kas", "due_on": (now + dt.timedelta(days=14)).date().isoformat()}],
            "indicators": indicators, "photos": []}
    body = f"{json.dumps(head)[:-1]}, {rng.choice(fragments)}, {json.dumps(tail)[1:]}"
    return vid, who.auth, body.encode()

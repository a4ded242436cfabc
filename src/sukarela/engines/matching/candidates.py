"""Mentors and groups as arrays, and the candidate pairs of each group (spatial index, not all pairs).

A group's candidates are its ``k_nearest`` nearest *allowed* mentors within ``max_km``:
allowed means inside the boundary (same regency / same province / anywhere), not forbidden,
and with capacity left. Ties in distance go to the lower mentor id.

* Both sides have a point: a ``scipy.spatial.cKDTree`` on 3-D unit vectors, one tree per
  boundary area (province or regency), queried with a chord radius (geo.py). It is asked for
  ``k + f`` neighbours, ``f`` the largest number of forbidden mentors of any group, so that
  dropping the forbidden ones still leaves ``k`` when there are ``k``. The km of every pair
  found is then computed from its two vectors (``geo.chord_km``, the great-circle distance),
  and ``km <= max_km`` is decided on that number.
* Either side lacks a point: the distance is ``geo.region_km``. The mentors looked at are
  those sharing enough of the group's code for ``region_km <= max_km`` and for the boundary
  (with the default 50 km: the same regency), found through buckets by code prefix; a group
  with a point looks there only at mentors without one (the tree covers the others).

A group's neighbours from both sources are sorted by (km, mentor index) with km compared to
the millimetre, so ties go to the lower mentor id; the first ``k`` are its candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .geo import LEVEL_KM, LEVELS, chord_for_km, chord_km, segments, unit_vectors

BOUNDARY_DEPTH = {"none": 0, "province": 1, "regency": 2}


class Prepared:
    """Mentors and groups sorted by id, as arrays; indices below are positions in these orders."""

    def __init__(self, mentors, groups):
        self.mentors = sorted(mentors, key=lambda x: x.id)
        self.groups = sorted(groups, key=lambda x: x.id)
        ms, gs = self.mentors, self.groups
        self.m_id = np.fromiter((x.id for x in ms), np.int64, len(ms))
        self.g_id = np.fromiter((x.id for x in gs), np.int64, len(gs))
        self.M, self.G = len(ms), len(gs)
        for name, ids in (("mentor", self.m_id), ("group", self.g_id)):
            if len(ids) > 1 and (dup := ids[1:][ids[1:] == ids[:-1]]).size:
                from .model import MatchingError
                raise MatchingError(f"Id {name} ganda: {int(dup[0])}.")
        self.m_cap = np.fromiter((x.capacity for x in ms), np.int64, len(ms))
        self.m_lat, self.m_lon, self.m_pt = _points(ms)
        self.g_lat, self.g_lon, self.g_pt = _points(gs)
        self.m_vec = unit_vectors(self.m_lat, self.m_lon)
        self.g_vec = unit_vectors(self.g_lat, self.g_lon)
        # Region prefixes as integers, one column per level (province .. village), -1 when absent.
        self.m_pref, self.g_pref = _prefixes([x.region for x in ms], [x.region for x in gs])
        # Sectors: a mentor-sector pair is the integer m * S + s.
        sector_ids: dict[str, int] = {}
        self.g_sec = np.fromiter((sector_ids.setdefault(x.sector, len(sector_ids)) for x in gs), np.int64, len(gs))
        pairs = [(i, sector_ids.setdefault(s, len(sector_ids))) for i, x in enumerate(ms) for s in x.sectors]
        self.S = max(len(sector_ids), 1)
        self.m_sector_codes = np.unique(np.array([i * self.S + s for i, s in pairs], np.int64))

    def m_index(self, ids) -> np.ndarray:
        return _lookup(self.m_id, ids)

    def g_index(self, ids) -> np.ndarray:
        return _lookup(self.g_id, ids)

    def pair_km(self, g: np.ndarray, m: np.ndarray) -> np.ndarray:
        """km of pairs (g[i], m[i]): great-circle (chord_km) when both have a point, else region_km."""
        km = np.empty(len(g))
        both = self.g_pt[g] & self.m_pt[m]
        km[both] = chord_km(self.g_vec[g[both]], self.m_vec[m[both]])
        gp, mp = self.g_pref[g[~both]], self.m_pref[m[~both]]
        km[~both] = np.asarray(LEVEL_KM)[((gp == mp) & (gp >= 0)).sum(axis=1)]
        return km

    def same_area(self, boundary: str, g: np.ndarray, m: np.ndarray) -> np.ndarray:
        depth = BOUNDARY_DEPTH[boundary]
        if not depth:
            return np.ones(len(g), bool)
        a, b = self.g_pref[g, depth - 1], self.m_pref[m, depth - 1]
        return (a == b) & (a >= 0)

    def fit_and_cost(self, g, m, km, penalty_km: float) -> tuple[np.ndarray, np.ndarray]:
        fit = np.isin(m * self.S + self.g_sec[g], self.m_sector_codes)
        cost = np.rint(km * 10).astype(np.int64) + np.where(fit, 0, int(round(penalty_km * 10)))
        return fit, cost


@dataclass
class Arcs:
    """Candidate pairs sorted by (group, km, mentor), with their km, sector fit and integer cost."""
    g: np.ndarray
    m: np.ndarray
    km: np.ndarray
    fit: np.ndarray
    cost: np.ndarray

    def __len__(self):
        return len(self.g)


def candidate_arcs(P: Prepared, policy, groups: np.ndarray, mentor_ok: np.ndarray,
                   forbidden: np.ndarray, k: int | None = None, workers: int = 1) -> Arcs:
    """Candidates of the groups ``groups`` (indices) among the mentors where ``mentor_ok``.

    ``forbidden`` holds forbidden pairs as sorted codes ``g * M + m``. Work is done on one
    matrix per boundary area (a row per group, a column per neighbour found), so sorting a
    group's neighbours is sorting a short row.
    """
    k = policy.k_nearest if k is None else k
    depth = BOUNDARY_DEPTH[policy.boundary]
    sel = np.zeros(P.G, bool)
    sel[groups] = True
    extra = 0
    if forbidden.size:
        fg = forbidden // max(P.M, 1)
        extra = int(np.bincount(fg[sel[fg]], minlength=1).max())
    limit = k + extra
    m_key = P.m_pref[:, depth - 1] if depth else np.zeros(P.M, np.int64)
    g_key = P.g_pref[:, depth - 1] if depth else np.zeros(P.G, np.int64)
    need = next((d for d in range(LEVELS + 1) if LEVEL_KM[d] <= policy.max_km), None)
    rdepth = None if need is None else max(depth, need)
    blocks = []

    # Groups without a point: region_km to every mentor.
    g_nopt = np.flatnonzero(sel & ~P.g_pt)
    if rdepth is not None and len(g_nopt):
        blocks.append((g_nopt, *_region_matrix(P, g_nopt, np.flatnonzero(mentor_ok), rdepth, limit)))

    # Groups with a point: a k-d tree of the area's mentors with a point, plus region_km to
    # the area's mentors without one.
    g_pt = np.flatnonzero(sel & P.g_pt & (g_key >= 0))
    m_pt = np.flatnonzero(mentor_ok & P.m_pt & (m_key >= 0))
    m_nopt = np.flatnonzero(mentor_ok & ~P.m_pt)
    reg_km = reg_m = None
    if rdepth is not None and len(m_nopt) and len(g_pt):
        reg_km, reg_m = _region_matrix(P, g_pt, m_nopt, rdepth, limit)
        row_of = np.full(P.G, -1, np.int64)
        row_of[g_pt] = np.arange(len(g_pt))
    mentors_by_key = {key: ms for key, ms in _groups_by_key(m_key, m_pt)}
    radius = chord_for_km(policy.max_km) * (1 + 1e-9) + 1e-12
    for key, gs in _groups_by_key(g_key, g_pt):
        cols_km, cols_m = [], []
        ms = mentors_by_key.get(key)
        if ms is not None:
            kq = min(limit, len(ms))
            _, j = cKDTree(P.m_vec[ms]).query(P.g_vec[gs], k=kq, distance_upper_bound=radius, workers=workers)
            j = j.reshape(len(gs), kq)
            hit = j < len(ms)
            mm = np.full(j.shape, -1, np.int64)
            mm[hit] = ms[j[hit]]
            km = np.full(j.shape, np.inf)
            km[hit] = chord_km(P.g_vec[np.broadcast_to(gs[:, None], j.shape)[hit]], P.m_vec[mm[hit]])
            cols_km.append(km)
            cols_m.append(mm)
        if reg_km is not None and reg_km.shape[1]:
            rows = row_of[gs]
            cols_km.append(reg_km[rows])
            cols_m.append(reg_m[rows])
        if cols_km:
            blocks.append((gs, np.hstack(cols_km), np.hstack(cols_m)))

    # Each row: drop what is out of reach or forbidden, sort by (km, mentor), keep k.
    out_g, out_m, out_km = [], [], []
    for gs, km, mm in blocks:
        km = np.where(km <= policy.max_km, km, np.inf)
        if forbidden.size:
            bad = np.isin(gs[:, None] * P.M + mm, forbidden) & (mm >= 0)
            km[bad] = np.inf
        order = _row_order(km, mm, P.M)[:, :k]
        km = np.take_along_axis(km, order, axis=1)
        mm = np.take_along_axis(mm, order, axis=1)
        ok = np.isfinite(km)
        out_g.append(np.broadcast_to(gs[:, None], km.shape)[ok])
        out_m.append(mm[ok])
        out_km.append(km[ok])
    if not out_g:
        empty = np.zeros(0, np.int64)
        return Arcs(empty, empty, np.zeros(0), np.zeros(0, bool), empty)
    g, m, km = np.concatenate(out_g), np.concatenate(out_m), np.concatenate(out_km)
    order = np.argsort(g, kind="stable")  # blocks are runs of ascending groups
    g, m, km = g[order], m[order], km[order]
    fit, cost = P.fit_and_cost(g, m, km, policy.sector_penalty_km)
    return Arcs(g, m, km, fit, cost)


def _row_order(km: np.ndarray, mm: np.ndarray, n_mentors: int) -> np.ndarray:
    """Per row, the column order by (km, mentor index); km compared to the millimetre."""
    finite = np.isfinite(km)
    q = np.where(finite, np.rint(np.where(finite, km, 0) * 1e6), 0).astype(np.int64)
    bits = max(int(n_mentors).bit_length(), 1)
    top = int(q.max(initial=0)) + 1
    if top.bit_length() + bits <= 62:
        key = (np.where(finite, q, top) << bits) | np.where(mm >= 0, mm, 0)
        return np.argsort(key, axis=1)
    return np.lexsort((mm, np.where(finite, km, np.inf)), axis=-1)


def _points(items):
    n = len(items)
    lat = np.fromiter((np.nan if x.lat is None else x.lat for x in items), float, n)
    lon = np.fromiter((np.nan if x.lon is None else x.lon for x in items), float, n)
    pt = ~(np.isnan(lat) | np.isnan(lon))
    return np.where(pt, lat, 0.0), np.where(pt, lon, 0.0), pt


def _prefixes(*code_lists) -> list[np.ndarray]:
    """Per list, an (n, 4) array of integer ids of each code's prefixes (province .. village),
    -1 where the code is coarser; ids are shared by all the lists."""
    index: dict[str, int] = {}
    for codes in code_lists:
        for code in codes:
            index.setdefault(code, len(index))
    unique = list(index)
    split = [segments(c) for c in unique]
    table = np.full((len(unique), LEVELS), -1, np.int64)
    ids: dict[str, int] = {}
    for level in range(LEVELS):
        keys = [".".join(sg[:level + 1]) if len(sg) > level else None for sg in split]
        table[:, level] = [-1 if key is None else ids.setdefault(key, len(ids)) for key in keys]
    return [table[np.fromiter(map(index.__getitem__, codes), np.int64, len(codes))] for codes in code_lists]


def _lookup(sorted_ids: np.ndarray, ids) -> np.ndarray:
    """Positions of ``ids`` in ``sorted_ids``; -1 where absent."""
    ids = np.asarray(list(ids), np.int64)
    pos = np.searchsorted(sorted_ids, ids)
    ok = pos < len(sorted_ids)
    ok[ok] = sorted_ids[pos[ok]] == ids[ok]
    return np.where(ok, pos, -1)


def _groups_by_key(keys: np.ndarray, items: np.ndarray):
    """(key, items with that key, ascending) for every key >= 0 among ``items``."""
    items = items[np.argsort(keys[items], kind="stable")]
    uk, start = np.unique(keys[items], return_index=True)
    for key, a, b in zip(uk.tolist(), start.tolist(), np.r_[start[1:], len(items)].tolist()):
        if key >= 0:
            yield key, items[a:b]


def _region_matrix(P: Prepared, gs, ms, rdepth: int, limit: int, chunk_cells: int = 4_000_000):
    """For each group of ``gs`` (a row), its ``limit`` nearest mentors of ``ms`` by region_km,
    among those sharing the group's code down to depth ``rdepth``: (km, mentor) matrices,
    padded with (inf, -1)."""
    g_key = P.g_pref[gs, rdepth - 1] if rdepth else np.zeros(len(gs), np.int64)
    m_key = P.m_pref[ms, rdepth - 1] if rdepth else np.zeros(len(ms), np.int64)
    buckets = dict(_groups_by_key(m_key, np.arange(len(ms))))
    width = min(limit, max((len(b) for b in buckets.values()), default=0))
    km_out = np.full((len(gs), width), np.inf)
    m_out = np.full((len(gs), width), -1, np.int64)
    level_km = np.asarray(LEVEL_KM)
    for key, rows in _groups_by_key(g_key, np.arange(len(gs))):
        bucket = buckets.get(key)
        if bucket is None:
            continue
        mb = ms[bucket]                      # ascending mentor index
        mpref = P.m_pref[mb]
        step = max(1, chunk_cells // len(mb))
        for a in range(0, len(rows), step):
            r = rows[a:a + step]
            gpref = P.g_pref[gs[r]]
            shared = ((gpref[:, None, :] == mpref[None, :, :]) & (gpref[:, None, :] >= 0)).sum(axis=2)
            km = level_km[shared]
            order = np.argsort(km, axis=1, kind="stable")[:, :width]   # ties: lower mentor index
            km_out[r, :order.shape[1]] = np.take_along_axis(km, order, axis=1)
            m_out[r, :order.shape[1]] = mb[order]
    return km_out, m_out

"""Matching engine: TKS mentors to TKM groups, optimal, explained and stable (no Django here).

``solve(mentors, groups, policy)`` assigns every group at most one mentor within the mentors'
capacities, covering as many groups as possible and, among those assignments, with the least
total cost; exactly (a max-flow of least cost, flow.py), over candidate pairs taken from a
spatial index (candidates.py), split into independent parts solved in parallel.

Cost of a pair, in integer tenths of a km: ``round(km * 10)``, plus
``round(sector_penalty_km * 10)`` when the mentor lacks the group's sector. ``km`` is the
great-circle distance, or ``region_km`` when either side has no point (geo.py).

Steps of ``solve``:

1. Pins (``policy.pinned``) are placed first, whatever their distance or boundary: a pin is
   a decision by hand. A pin on an unknown mentor or group, on a forbidden pair, a group
   pinned twice or a mentor pinned beyond capacity raises ``MatchingError``.
2. With ``keep_current`` the current posting of every other group stays when it is still
   allowed: the mentor still exists, the pair is not forbidden, inside the boundary and
   within ``max_km``. A mentor with more such groups than places left keeps the nearest
   (ties: lower group id). Pinned and kept pairs are fixed; their places are taken.
3. The other groups get candidates among the mentors with places left and are matched
   optimally over those places.
4. A group left unassigned gets a reason: ``all_in_reach_full`` when some allowed mentor is
   in reach (inside the boundary, within max_km, not forbidden; mentors full with fixed pairs
   count), else ``only_forbidden_in_reach`` when a forbidden one is, else
   ``no_mentor_in_reach``. "In reach" is the candidate search of the policy: with
   ``k_nearest`` smaller than the mentors in reach, an unassigned group's candidates are all
   full, which does not prove that a farther mentor in reach is.

Parallelism: parts go to a pool of ``workers`` processes only when there is enough flow work
(``flow.POOL_MIN_ARCS``, about 1.5 million candidate arcs; below that one process is faster
than starting the pool). The pool uses the forkserver start method, so a *script* calling
``solve`` on such an instance needs the usual ``if __name__ == "__main__":`` guard; without
it the pool fails and the engine finishes in-process with a RuntimeWarning (same result).
OR-Tools holds the GIL while it solves, so threads would not help.

Determinism: inputs are sorted by id first, arcs by (group, km, mentor id), parts by their
lowest group id, and the parts do not depend on ``workers``; the same input in any order
gives the same result, for any number of workers.
"""

from __future__ import annotations

import time

import numpy as np

from .candidates import Prepared, candidate_arcs
from . import flow
from .flow import batches, components, solve_parts
from .geo import LEVEL_KM, haversine_km, region_km
from .model import (BOUNDARIES, REASONS, Assignment, Changes, Group, MatchingError, Mentor, Policy,
                    Result, Unassigned, diff)

__all__ = ["Assignment", "Changes", "Group", "LEVEL_KM", "MatchingError", "Mentor", "Policy", "Result",
           "Unassigned", "diff", "haversine_km", "region_km", "solve"]


def solve(mentors, groups, policy: Policy = Policy(), *, workers: int = 2) -> Result:
    clock = _Clock()
    _check_policy(policy)
    P = Prepared(mentors, groups)
    forbidden = _pair_codes(P, policy.forbidden)
    clock.lap("prepare")

    # 1-2. Pins, then the current pairs that stay.
    fixed_g, fixed_m, pinned_mask = _fixed_pairs(P, policy, forbidden)
    used = np.bincount(fixed_m, minlength=P.M)
    free = P.m_cap - used
    open_groups = np.ones(P.G, bool)
    open_groups[fixed_g] = False
    clock.lap("fixed")

    # 3. Candidates among mentors with places left, parts, the optimum of each part. A pool
    # that may be needed starts now, while the candidates are searched.
    warm = None
    if workers > 1 and int(open_groups.sum()) * policy.k_nearest >= flow.POOL_MIN_ARCS:
        warm = flow.WarmPool(workers)
    try:
        arcs = candidate_arcs(P, policy, np.flatnonzero(open_groups), free > 0, forbidden, workers=workers)
        clock.lap("candidates")
        order, starts = components(P.G, P.M, arcs.g, arcs.m)
        g, m, cost = arcs.g[order], arcs.m[order], arcs.cost[order]
        ranges = batches(starts)
        clock.lap("components")
        chosen = solve_parts(g, m, cost, np.maximum(free, 0), ranges, workers, warm)
        clock.lap("solve")
    finally:
        if warm is not None:
            warm.close()

    # Merge: fixed pairs and chosen arcs, by group.
    pick = order[chosen]
    all_g = np.concatenate([fixed_g, arcs.g[pick]])
    all_m = np.concatenate([fixed_m, arcs.m[pick]])
    all_pinned = np.concatenate([pinned_mask, np.zeros(len(pick), bool)])
    km = np.concatenate([P.pair_km(fixed_g, fixed_m), arcs.km[pick]])
    fit, cost_all = P.fit_and_cost(all_g, all_m, km, policy.sector_penalty_km)
    by_group = np.argsort(all_g, kind="stable")
    gsel, msel = all_g[by_group], all_m[by_group]
    kept = P.m_id[msel] == _current_mentor(P, policy.current)[gsel]
    assignments = [Assignment(*row) for row in zip(
        P.g_id[gsel].tolist(), P.m_id[msel].tolist(), km[by_group].tolist(), fit[by_group].tolist(),
        cost_all[by_group].tolist(), all_pinned[by_group].tolist(), kept.tolist())]
    clock.lap("merge")

    # 4. Why the others are unassigned.
    assigned = np.zeros(P.G, bool)
    assigned[all_g] = True
    unassigned = _reasons(P, policy, np.flatnonzero(~assigned), forbidden, workers)
    clock.lap("explain")
    return Result(assignments=assignments, unassigned=unassigned, total_cost=int(cost_all.sum()),
                  parts=len(starts) - 1, seconds=clock.done())


def _current_mentor(P: Prepared, current) -> np.ndarray:
    """Per group index, the id of its current mentor (int64 min, matching no id, when none)."""
    out = np.full(P.G, np.iinfo(np.int64).min, np.int64)
    if current:
        gi = P.g_index(current.keys())
        mids = np.fromiter(current.values(), np.int64, len(current))
        out[gi[gi >= 0]] = mids[gi >= 0]
    return out


def _check_policy(policy: Policy) -> None:
    if policy.boundary not in BOUNDARIES:
        raise MatchingError(f"Batas wilayah tidak dikenal: {policy.boundary!r}. Pilihan: {', '.join(BOUNDARIES)}.")
    if not policy.max_km >= 0:
        raise MatchingError(f"Jarak maksimum harus 0 atau lebih, bukan {policy.max_km!r}.")
    if not policy.sector_penalty_km >= 0:
        raise MatchingError(f"Penalti sektor harus 0 atau lebih, bukan {policy.sector_penalty_km!r}.")
    if policy.k_nearest < 1:
        raise MatchingError(f"Jumlah kandidat per kelompok harus 1 atau lebih, bukan {policy.k_nearest!r}.")


def _pair_codes(P: Prepared, pairs) -> np.ndarray:
    """Sorted codes g * M + m of the (mentor id, group id) pairs whose both ids are known."""
    pairs = list(pairs)
    if not pairs:
        return np.zeros(0, np.int64)
    mi = P.m_index(p[0] for p in pairs)
    gi = P.g_index(p[1] for p in pairs)
    ok = (mi >= 0) & (gi >= 0)
    return np.unique(gi[ok] * P.M + mi[ok])


def _fixed_pairs(P: Prepared, policy: Policy, forbidden: np.ndarray):
    """(group indices, mentor indices, pinned?) of the pins and the current pairs kept."""
    pins = sorted(policy.pinned)
    mi = P.m_index(p[0] for p in pins)
    gi = P.g_index(p[1] for p in pins)
    for (mid, gid), a, b in zip(pins, mi, gi):
        if a < 0:
            raise MatchingError(f"Pasangan dipatok ke TKS {mid} yang tidak ada (kelompok {gid}).")
        if b < 0:
            raise MatchingError(f"Pasangan dipatok ke kelompok {gid} yang tidak ada (TKS {mid}).")
    codes = gi * P.M + mi
    if forbidden.size and (bad := np.isin(codes, forbidden)).any():
        mid, gid = pins[int(np.flatnonzero(bad)[0])]
        raise MatchingError(f"Pasangan TKS {mid} - kelompok {gid} dipatok sekaligus dilarang.")
    if len(gi) and len(np.unique(gi)) < len(gi):
        ug, counts = np.unique(gi, return_counts=True)
        twice = int(P.g_id[ug[counts > 1][0]])
        raise MatchingError(f"Kelompok {twice} dipatok ke lebih dari satu TKS: "
                            f"{', '.join(str(m) for m, g in pins if g == twice)}.")
    used = np.bincount(mi, minlength=P.M)
    if (over := np.flatnonzero(used > P.m_cap)).size:
        i = int(over[0])
        raise MatchingError(f"TKS {int(P.m_id[i])} dipatok ke {int(used[i])} kelompok, "
                            f"melebihi kapasitasnya ({int(P.m_cap[i])}).")
    fixed_g, fixed_m = [gi.astype(np.int64)], [mi.astype(np.int64)]
    if policy.keep_current and policy.current:
        items = sorted((int(g), int(m)) for g, m in policy.current.items())
        kg = P.g_index(g for g, _ in items)
        km_ = P.m_index(m for _, m in items)
        pinned_group = np.zeros(P.G, bool)
        pinned_group[gi] = True
        ok = (kg >= 0) & (km_ >= 0)
        kg, km_ = kg[ok], km_[ok]
        ok = ~pinned_group[kg] & P.same_area(policy.boundary, kg, km_)
        if forbidden.size:
            ok &= ~np.isin(kg * P.M + km_, forbidden)
        kg, km_ = kg[ok], km_[ok]
        dist = P.pair_km(kg, km_)
        ok = dist <= policy.max_km
        kg, km_, dist = kg[ok], km_[ok], dist[ok]
        # The nearest current groups of each mentor, up to the places the pins left.
        o = np.lexsort((P.g_id[kg], dist, km_))
        kg, km_ = kg[o], km_[o]
        starts = np.flatnonzero(np.r_[True, km_[1:] != km_[:-1]]) if len(km_) else np.zeros(0, np.int64)
        rank = np.arange(len(km_)) - np.repeat(starts, np.diff(np.r_[starts, len(km_)]))
        room = (P.m_cap - used)[km_]
        keep = rank < room
        fixed_g.append(kg[keep])
        fixed_m.append(km_[keep])
    fixed_g, fixed_m = np.concatenate(fixed_g), np.concatenate(fixed_m)
    pinned_mask = np.zeros(len(fixed_g), bool)
    pinned_mask[:len(gi)] = True
    return fixed_g, fixed_m, pinned_mask


def _reasons(P: Prepared, policy: Policy, groups: np.ndarray, forbidden: np.ndarray, workers: int):
    if not len(groups):
        return []
    reachable = candidate_arcs(P, policy, groups, np.ones(P.M, bool), forbidden, k=1, workers=workers)
    has_allowed = np.zeros(P.G, bool)
    has_allowed[reachable.g] = True
    has_forbidden = np.zeros(P.G, bool)
    if forbidden.size:
        fg, fm = forbidden // P.M, forbidden % P.M
        want = np.zeros(P.G, bool)
        want[groups] = True
        sel = want[fg] & ~has_allowed[fg]
        fg, fm = fg[sel], fm[sel]
        near = P.same_area(policy.boundary, fg, fm) & (P.pair_km(fg, fm) <= policy.max_km)
        has_forbidden[fg[near]] = True
    reason = np.where(has_allowed[groups], 1, np.where(has_forbidden[groups], 2, 0))
    return [Unassigned(group=gid, reason=REASONS[r]) for gid, r in zip(P.g_id[groups].tolist(), reason.tolist())]


class _Clock:
    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now

    def done(self) -> dict:
        return {**self.laps, "total": time.perf_counter() - self.start}

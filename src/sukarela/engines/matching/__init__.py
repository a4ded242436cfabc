"""Matching engine: TKS mentors to TKM groups, optimal, explained and stable (no Django here).

``solve(mentors, groups, policy)`` assigns every group at most one mentor within the mentors'
capacities, covering as many groups as possible, then (with ``keep_current``) keeping as many
current pairs as possible, then with the least total cost; exactly, over EVERY allowed pair
(a max-flow of least cost, flow.py, proved optimal over all allowed pairs by pricing.py),
although the flows start from candidate pairs taken from a spatial index (candidates.py),
split into independent parts solved in parallel.

Cost of a pair, in integer tenths of a km: ``round(km * 10)``, plus
``round(sector_penalty_km * 10)`` when the mentor lacks the group's sector. ``km`` is the
great-circle distance, or ``region_km`` when either side has no point (geo.py). A pair is
*allowed* when it is not forbidden, inside the boundary and within ``max_km``.

Steps of ``solve``:

1. Pins (``policy.pinned``) are placed first, whatever their distance or boundary: a pin is
   a decision by hand. A pin on an unknown mentor or group, on a forbidden pair, a group
   pinned twice or a mentor pinned beyond capacity raises ``MatchingError``. Pins are the
   only fixed pairs; their places are taken.
2. Stability (``keep_current``): the objective is lexicographic, (1) most groups covered,
   (2) most current pairs kept (fewest moves), (3) least cost. So a current pair moves (or is
   dropped) only when that lets more groups be covered, never to save cost, never to make
   room for a new group when no more groups are covered that way. Implemented inside the
   same flow: the current pair of an open group gets the cost ``cost - KEEP`` with ``KEEP``
   larger than any difference in total cost (pricing.bounds), and coverage comes first by
   the max-flow; the current pair is always among the group's arcs, however far down its
   nearest list. A current pair no longer allowed (forbidden, outside the boundary, beyond
   max_km, mentor gone or left without places by pins) gets no bonus: that group must move
   and is matched like a new one. ``Assignment.kept`` tells which pairs are the group's
   current one. Without ``keep_current`` the matching is re-optimised from scratch.
3. The open groups get their ``k_nearest`` allowed mentors with places left as candidates, the
   parts of that graph are solved, and pricing rounds widen where a left-out pair could still
   improve the result (pricing.py), until the optimum over all allowed pairs is proved.
4. A group left unassigned gets a reason: ``all_in_reach_full`` when some allowed mentor is
   in reach (inside the boundary, within max_km, not forbidden; mentors full with pins count),
   else ``only_forbidden_in_reach`` when a forbidden one is, else ``no_mentor_in_reach``.
   Because the result is optimal over all allowed pairs, ``all_in_reach_full`` is true of
   EVERY allowed mentor in reach: one with a place left would cover one more group.

Parallelism: parts go to a pool of ``workers`` processes only when there is enough flow work
(``flow.POOL_MIN_ARCS``, about 1.5 million candidate arcs; below that one process is faster
than starting the pool). The pool uses the forkserver start method, so a *script* calling
``solve`` on such an instance needs the usual ``if __name__ == "__main__":`` guard; without
it the pool fails and the engine finishes in-process with a RuntimeWarning (same result).
OR-Tools holds the GIL while it solves, so threads would not help.

Determinism: inputs are sorted by id first, arcs by (group, km, mentor id), parts by their
lowest group id, and neither the parts nor the pricing rounds depend on ``workers``; the same
input in any order gives the same result, for any number of workers.
"""

from __future__ import annotations

import time

import numpy as np

from .candidates import Prepared, candidate_arcs
from . import flow, pricing
from .flow import batches, components, solve_parts
from .geo import LEVEL_KM, haversine_km, region_km
from .model import (BOUNDARIES, REASONS, Assignment, Changes, Group, MatchingError, Mentor, Policy,
                    Result, Unassigned, diff)

__all__ = ["Assignment", "Changes", "Group", "LEVEL_KM", "MatchingError", "Mentor", "Policy", "Result",
           "Unassigned", "diff", "haversine_km", "region_km", "solve"]


def solve(mentors, groups, policy: Policy = Policy(), *, workers: int = 2, _graph_out: list | None = None) -> Result:
    """`_graph_out` (benchmarks only): receives the final candidate graph, so a baseline solver can be
    given exactly the graph the engine ended with."""
    clock = _Clock()
    _check_policy(policy)
    P = Prepared(mentors, groups)
    forbidden = _pair_codes(P, policy.forbidden)
    clock.lap("prepare")

    # 1-2. Pins are fixed; current pairs still allowed get the keep bonus.
    pin_g, pin_m = _pins(P, policy, forbidden)
    free = P.m_cap - np.bincount(pin_m, minlength=P.M)
    open_groups = np.ones(P.G, bool)
    open_groups[pin_g] = False
    open_idx = np.flatnonzero(open_groups)
    cur_g, cur_m = _current_pairs(P, policy, forbidden, open_groups, free)
    keep_bonus, big = pricing.bounds(policy, len(open_idx), len(cur_g) > 0)
    clock.lap("fixed")

    # 3. Candidates among mentors with places left, parts, the optimum of each part, then the
    # rounds that make it the optimum over all allowed pairs. A pool that may be needed starts
    # now, while the candidates are searched.
    warm = None
    if workers > 1 and len(open_idx) * policy.k_nearest >= flow.POOL_MIN_ARCS:
        warm = flow.WarmPool(workers)
    try:
        first = candidate_arcs(P, policy, open_idx, free > 0, forbidden, workers=workers)
        A = _ArcSet(P, policy, open_idx, first, cur_g, cur_m, keep_bonus)
        clock.lap("candidates")
        order, starts = components(P.G, P.M, A.g, A.m)
        ranges = batches(starts)
        clock.lap("components")
        chosen = np.zeros(len(A), bool)
        chosen[order] = solve_parts(A.g[order], A.m[order], A.cost_solver[order], np.maximum(free, 0), ranges,
                                    workers, warm)
        clock.lap("solve")
    finally:
        if warm is not None:
            warm.close()
    chosen, starts, rounds = _exact(P, policy, forbidden, A, chosen, starts, free, big, workers)
    clock.lap("pricing")
    if _graph_out is not None:
        _graph_out.append(A)

    # Merge: pins and chosen arcs, by group.
    pick = np.flatnonzero(chosen)
    all_g = np.concatenate([pin_g, A.g[pick]])
    all_m = np.concatenate([pin_m, A.m[pick]])
    all_pinned = np.concatenate([np.ones(len(pin_g), bool), np.zeros(len(pick), bool)])
    km = np.concatenate([P.pair_km(pin_g, pin_m), A.km[pick]])
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
    seconds = clock.done()
    seconds["solve"] += seconds.pop("pricing")   # "solve": every flow and every round
    seconds["pricing"] = clock.laps["pricing"]   # of which the rounds (part of "solve")
    return Result(assignments=assignments, unassigned=unassigned, total_cost=int(cost_all.sum()),
                  parts=len(starts) - 1, seconds=seconds, rounds=rounds)


class _ArcSet:
    """The arcs the flows see, sorted by (group, km, mentor): each open group's ``k[g]`` nearest
    allowed mentors, its current pair (when kept), and what the rounds added. Per group: ``k``,
    the km of the farthest of its nearest (``km_last``) and whether the search was ``cut`` (it
    found ``k``, so farther allowed mentors may exist)."""

    def __init__(self, P: Prepared, policy: Policy, searched, arcs, cur_g, cur_m, keep_bonus: int):
        self.P, self.penalty_km, self.keep_bonus = P, policy.sector_penalty_km, keep_bonus
        self.k = np.full(P.G, policy.k_nearest, np.int64)
        self.km_last = np.full(P.G, -np.inf)
        self.cut = np.zeros(P.G, bool)
        self.cur_code = np.sort(cur_g * P.M + cur_m)
        self.note_search(searched, arcs, policy.k_nearest)
        new = ~np.isin(self.cur_code, arcs.g * P.M + arcs.m) if len(self.cur_code) else np.zeros(0, bool)
        cg, cm = self.cur_code[new] // max(P.M, 1), self.cur_code[new] % max(P.M, 1)
        ckm = P.pair_km(cg, cm)
        self.g, self.m, self.km, self.cost = arcs.g, arcs.m, arcs.km, arcs.cost   # sorted by group
        self.add(cg, cm, ckm, P.fit_and_cost(cg, cm, ckm, self.penalty_km)[1])

    def __len__(self):
        return len(self.g)

    def note_search(self, groups, arcs, k):
        """Record, for ``groups`` searched with ``k``, their new k, km_last and cut."""
        count = np.bincount(arcs.g, minlength=self.P.G)
        last = np.full(self.P.G, -np.inf)
        if len(arcs):
            ends = np.r_[np.flatnonzero(arcs.g[1:] != arcs.g[:-1]), len(arcs) - 1]
            last[arcs.g[ends]] = arcs.km[ends]     # arcs of a group are sorted by km
        self.k[groups] = k
        self.km_last[groups] = last[groups]
        self.cut[groups] = count[groups] >= k

    def add(self, g, m, km, cost, chosen=None):
        """Insert arcs not yet in the set, keeping it sorted by group (a group's new arcs after
        its earlier ones); returns ``chosen`` (a mask over the old arcs) with False inserted."""
        o = np.argsort(g, kind="stable")
        at = np.searchsorted(self.g, g[o], side="right")
        self.g, self.m = np.insert(self.g, at, g[o]), np.insert(self.m, at, m[o])
        self.km, self.cost = np.insert(self.km, at, km[o]), np.insert(self.cost, at, cost[o])
        self.cost_solver = self.cost
        if len(self.cur_code):
            current = np.isin(self.g * self.P.M + self.m, self.cur_code)
            self.cost_solver = self.cost - self.keep_bonus * current
        return None if chosen is None else np.insert(chosen, at, False)


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


def _pins(P: Prepared, policy: Policy, forbidden: np.ndarray):
    """(group indices, mentor indices) of the pins, checked."""
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
    return gi.astype(np.int64), mi.astype(np.int64)


def _current_pairs(P: Prepared, policy: Policy, forbidden: np.ndarray, open_groups: np.ndarray, free: np.ndarray):
    """(group indices, mentor indices) of the current pairs that get the keep bonus: with
    ``keep_current``, those of open (unpinned) groups still allowed (the mentor exists and has
    places after the pins, the pair is not forbidden, inside the boundary, within max_km)."""
    empty = np.zeros(0, np.int64)
    if not (policy.keep_current and policy.current):
        return empty, empty
    items = sorted((int(g), int(m)) for g, m in policy.current.items())
    kg = P.g_index(g for g, _ in items)
    km_ = P.m_index(m for _, m in items)
    ok = (kg >= 0) & (km_ >= 0)
    kg, km_ = kg[ok], km_[ok]
    ok = open_groups[kg] & (free[km_] > 0) & P.same_area(policy.boundary, kg, km_)
    if forbidden.size:
        ok &= ~np.isin(kg * P.M + km_, forbidden)
    kg, km_ = kg[ok], km_[ok]
    ok = P.pair_km(kg, km_) <= policy.max_km
    return kg[ok].astype(np.int64), km_[ok].astype(np.int64)


def _exact(P: Prepared, policy: Policy, forbidden, A: _ArcSet, chosen, starts, free, big: int, workers: int):
    """The rounds of pricing.py: prove the parts' optimum optimal over all allowed pairs, or
    widen the groups that might gain, solve again the parts that can, and repeat. Returns the
    chosen mask over A's (final) arcs, the start offsets of the final parts, and the rounds."""
    rounds = 1
    mentor_ok = free > 0
    cap = np.maximum(free, 0)
    while True:
        D, E = pricing.potentials(P.G, P.M, A.g, A.m, A.cost_solver, chosen, cap, big)
        d_low = min(0, int(D.min())) if P.M else 0

        def doubtful(groups):
            # Cut groups whose farthest candidate does not rule out a left-out pair of
            # negative reduced cost (km of left-out pairs >= km_last, to the millimetre).
            groups = groups[A.cut[groups]]
            bound = np.rint(10 * (A.km_last[groups] - 1e-6)).astype(np.int64) + d_low
            return groups[bound < E[groups]]

        todo = doubtful(np.flatnonzero(A.cut))
        negative = np.zeros(P.G, bool)
        new = []          # pairs found in this round, not yet in A: (g, m, km, cost)
        seen = np.zeros(0, np.int64)
        while len(todo):
            k_new = 2 * A.k[todo]
            for k in np.unique(k_new).tolist():
                sub = todo[k_new == k]
                found = candidate_arcs(P, policy, sub, mentor_ok, forbidden, k=int(k), workers=workers)
                A.note_search(sub, found, k)
                code = found.g * P.M + found.m
                inside = np.zeros(P.G, bool)
                inside[sub] = True
                mine = inside[A.g]
                fresh = ~np.isin(code, A.g[mine] * P.M + A.m[mine]) & ~np.isin(code, seen)
                fg, fm = found.g[fresh], found.m[fresh]
                reduced = found.cost[fresh] + D[fm] - E[fg]
                negative[fg[reduced < 0]] = True
                seen = np.r_[seen, code[fresh]]
                new.append((fg, fm, found.km[fresh], found.cost[fresh]))
            todo = doubtful(todo[~negative[todo]])
        if new:
            chosen = A.add(*(np.concatenate(c) for c in zip(*new)), chosen=chosen)
        if not negative.any():
            if new:
                _, starts = components(P.G, P.M, A.g, A.m)
            return chosen, starts, rounds
        # Solve again the parts holding a group with a negative pair (the others stay optimal).
        rounds += 1
        order, starts = components(P.G, P.M, A.g, A.m)
        sizes = np.diff(starts)
        part_at = np.repeat(np.arange(len(sizes)), sizes)          # part of each position in `order`
        part_of_arc = np.empty(len(A), np.int64)
        part_of_arc[order] = part_at
        dirty = np.zeros(len(sizes), bool)
        dirty[part_of_arc[negative[A.g]]] = True
        sub = order[dirty[part_at]]
        sub_starts = np.r_[0, np.cumsum(sizes[dirty])]
        chosen[sub] = solve_parts(A.g[sub], A.m[sub], A.cost_solver[sub], cap, batches(sub_starts), workers)


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

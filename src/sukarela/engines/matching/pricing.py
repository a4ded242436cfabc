"""Exactness over ALL allowed pairs although the flows only see k nearest: column generation.

The flows (flow.py) are solved on a *restricted* arc set: each group's ``k`` nearest allowed
mentors (candidates.py), plus its current pair when that is to be kept. The engine promises the
optimum over every allowed pair, so after each solve it proves, or fails to prove, that no
left-out pair could improve the result, with the textbook certificate of min-cost-flow
optimality: node potentials under which no residual arc has a negative reduced cost.

The network. Think of the lexicographic objective (most groups covered, then least cost) as one
min-cost flow with a *bypass*: every open group has supply 1 and, beside its arcs g -> m (cost
c, capacity 1), an arc g -> t of cost BIG; every mentor an arc m -> t with its free places. With
BIG larger than any difference in total cost, a least-cost flow of this network is exactly a
lexicographic optimum, and the max-flow-of-least-cost that OR-Tools returns for the restricted
arcs is such a flow (a group it leaves unassigned sends its unit through its bypass). BIG is
never given to a solver; it only appears in this certificate.

The potentials. A flow is least-cost iff its residual graph has no negative cycle, and then
``pi(v) = -dist(v -> t)`` (shortest residual distance to the sink) gives every residual arc
u -> v a reduced cost ``c(u, v) + dist(v) - dist(u) >= 0``. In this bipartite network::

    D(m) = dist(m -> t) = min(0 if m has a free place,
                              min over groups g assigned to m of  -c(g, m) + E(g))
    E(g) = dist(g -> t) = min(BIG if g is assigned (its bypass is unused),
                              min over unused arcs g -> m' of  c(g, m') + D(m'))

computed by Bellman-Ford sweeps (vectorised: one pass over the unused arcs, one over the used
ones, until nothing changes; it terminates because the restricted flow is optimal, so there is
no negative cycle). Mentors outside every arc have D = 0 (free, nothing assigned); components
share only the sink, so one global pass is the per-part computation.

The check. A left-out pair (g, m) is an unused arc; it keeps the certificate iff its reduced
cost ``c(g, m) + D(m) - E(g) >= 0``. If that holds for every left-out pair, the same
potentials certify the flow on ALL allowed pairs, so it is the exact optimum there. Left-out
pairs are not enumerated blindly: a group whose candidate search was not cut (it got fewer than
its ``k``) has none; for a cut group every left-out mentor is at least as far as its k-th
candidate (ties to the millimetre, hence ``- 1e-6``), so its reduced cost is at least
``LB(g) = round(10 * (km_k - 1e-6)) + min(0, min D) - E(g)`` (the sector penalty is >= 0
and left-out pairs are never current pairs, which are always in the arc set). Only groups with
LB(g) < 0 are widened (their ``k`` doubles, the spatial index is asked again), and the new
pairs' exact reduced costs are checked; the widened candidates join the arc set (pairs with a
non-negative reduced cost do not break optimality, so a part gets no new solve for them). A
group keeps doubling in the same round while its bound still fails and no negative pair was
found. When some pair has a negative reduced cost, the parts holding those groups are solved
again on the larger arc set (parts may merge), and the next round starts from new potentials.

Termination: every round that does not stop adds at least one pair that was not in the arc set,
and there are finitely many allowed pairs. Exactness: the loop stops only when every cut group
has LB(g) >= 0 or is no longer cut, and every pair added since the last solve has a
non-negative reduced cost: the certificate holds for all allowed pairs.

Numbers: costs are integers, BIG and the keep bonus are chosen from a bound on every allowed
pair's cost (``bounds``), and every sum stays far inside int64.
"""

from __future__ import annotations

import numpy as np

INF = np.iinfo(np.int64).max // 4
EARTH_HALF_CIRCUMFERENCE_KM = 20_016.0


def cost_bound(policy) -> int:
    """An upper bound on the integer cost of any allowed pair: round(10 km) + penalty, km <= max_km
    (and no two points on Earth, nor region_km's 800, are farther than half its circumference)."""
    km = min(float(policy.max_km), EARTH_HALF_CIRCUMFERENCE_KM)
    return int(round(km * 10)) + int(round(policy.sector_penalty_km * 10)) + 1


def bounds(policy, n_open: int, keep: bool) -> tuple[int, int]:
    """(KEEP, BIG). KEEP, the bonus of a current pair, exceeds any difference in total cost
    between two assignments of the open groups (each group costs 0 .. cmax), so one more kept
    pair outweighs any saving; BIG exceeds the absolute value of any path in the network, so
    one more group covered outweighs any number of kept pairs and any saving. None of the sums
    below may reach int64's end; absurd penalties are refused."""
    cmax = cost_bound(policy)
    keep_bonus = (n_open * cmax + 1) if keep else 0
    big = 2 * (2 * n_open + 2) * (cmax + keep_bonus) + 1
    if big >= INF // 8:
        from .model import MatchingError
        raise MatchingError("Jarak maksimum atau penalti sektor terlalu besar untuk dihitung tepat.")
    return keep_bonus, big


def potentials(n_groups: int, n_mentors: int, g: np.ndarray, m: np.ndarray, cost: np.ndarray,
               chosen: np.ndarray, free: np.ndarray, big: int) -> tuple[np.ndarray, np.ndarray]:
    """(D per mentor, E per group): shortest residual distances to the sink, as above.

    ``g, m, cost, chosen``: the arc set (sorted by group) with the solver's costs and the flow.
    Groups without arcs get INF (they have no left-out pair either)."""
    load = np.bincount(m[chosen], minlength=n_mentors)
    D = np.where(load >= free, INF, 0).astype(np.int64)   # a full mentor's dist is set by its groups
    E = np.full(n_groups, INF, np.int64)
    ag, am, ac = g[chosen], m[chosen], cost[chosen]
    E[ag] = big
    unused = ~chosen
    ug, um, uc = g[unused], m[unused], cost[unused]
    if len(ug):
        ustart = np.flatnonzero(np.r_[True, ug[1:] != ug[:-1]])
        ugroups = ug[ustart]
    # Mentors by group: the assigned arcs sorted by mentor, for a segmented min.
    o = np.argsort(am, kind="stable")
    ag, am, ac = ag[o], am[o], ac[o]
    if len(am):
        astart = np.flatnonzero(np.r_[True, am[1:] != am[:-1]])
        amentors = am[astart]
    for _ in range(n_groups + n_mentors + 2):   # a shortest path has at most that many arcs
        changed = False
        if len(ug):
            via = np.minimum.reduceat(np.minimum(uc + D[um], INF), ustart)
            better = via < E[ugroups]
            if better.any():
                E[ugroups[better]] = via[better]
                changed = True
        if len(am):
            via = np.minimum.reduceat(E[ag] - ac, astart)
            better = via < D[amentors]
            if better.any():
                D[amentors[better]] = via[better]
                changed = True
        if not changed:
            return D, E
    from .flow import FlowError
    raise FlowError("potentials did not settle: the flow is not optimal (negative cycle)")

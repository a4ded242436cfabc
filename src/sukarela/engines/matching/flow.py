"""Exact assignment by min-cost flow, split into independent parts and solved in parallel.

The network of one part: source -> each group (capacity 1, cost 0) -> each candidate mentor
(capacity 1, cost = the pair's integer cost) -> sink (capacity = the mentor's free places,
cost 0). OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` returns a maximum flow of
least cost among all maximum flows. A flow is an assignment (integral capacities give an
integral optimum) and its value is the number of groups covered, so this is exactly the
lexicographic objective: most groups covered, then the least total cost.

It is equivalent to the textbook alternative (every group has supply 1 and a bypass arc to
the sink of cost BIG): there BIG must exceed the largest possible cost difference between two
assignments, e.g. BIG = 1 + sum over groups of the group's dearest candidate (any assignment
costs between 0 and BIG - 1, so one more group covered always outweighs any saving). That
bound is valid but large, and cost scaling pays for it in phases: on 200,000 groups x 10
candidates the bypass version took 7.3 s (BIG by that bound) and 4.4 s (a smaller BIG), the
max-flow-with-min-cost version 2.6 s for the same optimum. So no BIG is needed here.

Parts: the connected components of the candidate graph (``scipy.sparse.csgraph``) share no
arc, so the optimum of the whole is the union of the parts' optima. Components are ordered by
their lowest group index; a component of at least ``BIG_ARCS`` arcs is solved alone, the small
ones are packed in that order into batches of about ``BIG_ARCS`` arcs (a batch is a disjoint
union: one flow problem whose optimum is the union of its components' optima). The batches do
not depend on ``workers``, and each batch is built and solved the same way in whichever
process runs it, so the result is the same for any number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

BIG_ARCS = 40_000        # a component this large is a batch of its own (and may go to the pool)
POOL_MIN_ARCS = 1_500_000  # fewer arcs in large batches: solved in-process (about 0.8 s of flow work here;
                           # starting the pool costs about 0.5 s, see WarmPool)


class FlowError(RuntimeError):
    pass


def solve_local(g: np.ndarray, m: np.ndarray, cost: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """One flow problem: groups 0..ng-1, mentors 0..nm-1 (local), arcs (g[i], m[i], cost[i]),
    mentor places ``cap``. Returns the boolean mask of the arcs chosen."""
    ng, nm = int(g.max()) + 1, len(cap)
    source, sink = ng + nm, ng + nm + 1
    f = min_cost_flow.SimpleMinCostFlow()
    groups = np.arange(ng, dtype=np.int64)
    ones = np.ones(ng, np.int64)
    f.add_arcs_with_capacity_and_unit_cost(np.full(ng, source, np.int64), groups, ones, np.zeros(ng, np.int64))
    arcs = f.add_arcs_with_capacity_and_unit_cost(
        g.astype(np.int64), m.astype(np.int64) + ng, np.ones(len(g), np.int64), cost.astype(np.int64))
    f.add_arcs_with_capacity_and_unit_cost(np.arange(ng, ng + nm, dtype=np.int64), np.full(nm, sink, np.int64),
                                           cap.astype(np.int64), np.zeros(nm, np.int64))
    f.set_nodes_supplies(np.array([source, sink], np.int64), np.array([ng, -ng], np.int64))
    status = f.solve_max_flow_with_min_cost()
    if status != f.OPTIMAL:
        raise FlowError(f"min-cost flow ended with status {status}")
    return f.flows(arcs) > 0


def localize(g, m, cost, free_cap):
    """Renumber a slice of global arcs to local nodes and solve it."""
    gu, gl = np.unique(g, return_inverse=True)
    mu, ml = np.unique(m, return_inverse=True)
    return solve_local(gl.ravel(), ml.ravel(), cost, free_cap[mu])


def components(n_groups: int, n_mentors: int, g: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arc order grouping each component's arcs together (components by lowest group index,
    arcs keeping their order inside), and the start offsets of the components in that order."""
    if not len(g):
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    n = n_groups + n_mentors
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(g, minlength=n_groups), out=indptr[1:n_groups + 1])
    indptr[n_groups + 1:] = indptr[n_groups]
    graph = csr_matrix((np.ones(len(g), np.int8), m + n_groups, indptr), shape=(n, n))  # arcs sorted by group
    _, label = connected_components(graph, directed=False)
    gstart = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])       # each group's first arc
    gcount = np.diff(np.r_[gstart, len(g)])
    glabel = label[g[gstart]]
    _, first = np.unique(glabel, return_index=True)
    rank = np.empty(label.max() + 1, np.int64)
    rank[glabel[np.sort(first)]] = np.arange(len(first))        # components by lowest group
    grank = rank[glabel]
    gorder = np.argsort(grank, kind="stable")
    counts = gcount[gorder]
    new_start = np.cumsum(counts) - counts
    order = np.repeat(gstart[gorder] - new_start, counts) + np.arange(len(g))
    starts = np.r_[0, np.cumsum(np.bincount(grank, weights=gcount).astype(np.int64))]
    return order, starts


def batches(starts: np.ndarray) -> list[tuple[int, int]]:
    """[a, b) arc ranges (in component order): large components alone, small ones packed."""
    out, a = [], None
    for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist()):
        if hi - lo >= BIG_ARCS:
            if a is not None:
                out.append((a, lo))
                a = None
            out.append((lo, hi))
        else:
            a = lo if a is None else a
            if hi - a >= BIG_ARCS:
                out.append((a, hi))
                a = None
    if a is not None:
        out.append((a, int(starts[-1])))
    return out


class WarmPool:
    """A process pool started in a background thread, so that its start (about 0.5 s: a
    forkserver importing NumPy, SciPy and OR-Tools, then the workers) overlaps the candidate
    search. ``solve`` starts one when the instance may reach ``POOL_MIN_ARCS``."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = None
        self.error = None
        self.thread = threading.Thread(target=self._start, daemon=True)
        self.thread.start()

    def _start(self):
        try:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context())
            for fut in [self.pool.submit(int) for _ in range(self.workers)]:
                fut.result()
        except Exception as exc:  # noqa: BLE001 - reported when the pool is asked for
            self.error = exc

    def get(self):
        self.thread.join()
        if self.error is not None:
            raise BrokenProcessPool(f"the pool did not start: {self.error!r}")
        return self.pool

    def close(self):
        self.thread.join()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def solve_parts(g, m, cost, free_cap, ranges, workers: int, warm: WarmPool | None = None) -> np.ndarray:
    """Chosen-arc mask over the arcs (already in component order), solving each range.

    Batches of at least ``BIG_ARCS`` arcs (a large component, or small ones packed) go to a
    pool of ``workers`` processes when there are enough of them, largest first; the rest is
    solved here meanwhile.
    """
    chosen = np.zeros(len(g), bool)
    big = [r for r in ranges if r[1] - r[0] >= BIG_ARCS]
    use_pool = workers > 1 and len(big) > 1 and sum(b - a for a, b in big) >= POOL_MIN_ARCS
    pooled = sorted(big, key=lambda r: (r[0] - r[1], r[0])) if use_pool else []
    local = [r for r in ranges if r not in set(pooled)]
    done = set()
    try:
        if pooled:
            warm = warm or WarmPool(workers)
            pool = warm.get()
            futures = [(a, b, pool.submit(localize, g[a:b], m[a:b], cost[a:b], free_cap)) for a, b in pooled]
            for a, b in local:
                chosen[a:b] = localize(g[a:b], m[a:b], cost[a:b], free_cap)
                done.add((a, b))
            for a, b, fut in futures:
                chosen[a:b] = fut.result()
                done.add((a, b))
    except (BrokenProcessPool, OSError) as exc:
        # E.g. a script without the `if __name__ == "__main__":` guard that forkserver and
        # spawn need: finish in this process (the same result, only slower).
        warnings.warn(f"matching: process pool failed ({exc!r}); solving the rest in-process",
                      RuntimeWarning, stacklevel=3)
    finally:
        if warm is not None:
            warm.close()
    for a, b in ranges:
        if (a, b) not in done:
            chosen[a:b] = localize(g[a:b], m[a:b], cost[a:b], free_cap)
    return chosen


def _context():
    # forkserver: workers start from a clean process (no threads, no Django state inherited),
    # with this module imported once; the arcs go to them pickled (about 30 bytes an arc).
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and os.name == "posix":
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")

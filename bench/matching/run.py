"""The matching engine beside the named solvers, on the same seeded instances, in one script.

    python bench/matching/run.py [--sizes a,b,c] [--repeat N] [--data /tmp]

Every solver runs in a fresh child process (``--stage``), so each peak memory is its own
(``os.wait4`` ru_maxrss: the largest of the child and the processes it reaped). Policy: the
engine's default (50 km, same province, 50 km sector penalty, 20 nearest).

- engine         ``sukarela.engines.matching.solve(workers=2)``: candidates (k-d tree),
                 components, the parts' flows in a process pool, the explained result.
- engine_w1      the same with ``workers=1`` (decomposition without parallelism).
- ortools        OR-Tools ``SimpleMinCostFlow`` on the engine's candidate graph as ONE problem,
                 the engine's formulation (``solve_max_flow_with_min_cost``).
- ortools_bypass the same graph, textbook formulation: supply 1 per group and a bypass arc of
                 cost BIG = 1 + sum of each group's dearest candidate (``solve``).
- scipy          ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``: one column per
                 mentor place, one bypass column per group (cost BIG); sizes a and b.
- matching       the ``matching`` package's hospital-resident (resident-optimal stable
                 matching; groups rank candidates by cost, mentors rank groups by cost);
                 size a only. Stable, not optimal: its cost is not expected to agree.

"work s" is the solver's work timed inside the child (for the baselines without building the
candidate graph, which is the engine's and timed apart as "cand. s"); "wall s" is the whole
child, interpreter start, instance loading and candidate search included. With --repeat N,
the fastest of N and the highest peak.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SIZES, load, make, to_engine  # noqa: E402

STAGES = ("engine", "engine_w1", "ortools", "ortools_bypass", "scipy", "matching")
SCIPY_MAX_ENTRIES = 20_000_000   # past this the expanded matrix is out of reach (PERFORMANCE.md: > 240 s at c)
LABEL = {
    "engine": "Sukarela engine (workers=2)",
    "engine_w1": "Sukarela engine (workers=1)",
    "ortools": "OR-Tools SimpleMinCostFlow, monolithic (max flow, min cost)",
    "ortools_bypass": "OR-Tools SimpleMinCostFlow, monolithic (bypass arcs, BIG)",
    "scipy": "SciPy min_weight_full_bipartite_matching",
    "matching": "matching HospitalResident (stable)",
}


# --- child side ------------------------------------------------------------------------------

def _graph(path):
    """The candidate graph the engine ends with: the k nearest allowed mentors of each group plus
    the pairs its pricing rounds added (the graph over which its answer is the optimum over all
    allowed pairs). The baselines solve exactly this graph as one problem. Building it runs the
    engine once, in one process; that is timed apart ("cand. s"), not as the baseline's work."""
    from sukarela.engines.matching import Policy, solve

    mentors, groups = to_engine(load(path))
    start = time.perf_counter()
    box = []
    solve(mentors, groups, Policy(), workers=1, _graph_out=box)
    arcs = box[0]
    return arcs.P, arcs, time.perf_counter() - start


def _descendant_peak(stop: threading.Event, out: list):
    """Largest VmHWM (peak RSS) of any process descended from this one, sampled."""
    me = os.getpid()
    peak = 0
    while not stop.wait(0.02):
        parents = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    pass
        for pid in parents:
            p, seen = parents.get(pid), 0
            while p and p != me and seen < 10:
                p, seen = parents.get(p), seen + 1
            if p == me:
                try:
                    with open(f"/proc/{pid}/status") as f:
                        for line in f:
                            if line.startswith("VmHWM:"):
                                peak = max(peak, int(line.split()[1]))
                except OSError:
                    pass
    out.append(peak / 1024)


def stage_engine(path, workers):
    from sukarela.engines.matching import Policy, solve

    mentors, groups = to_engine(load(path))
    stop, out = threading.Event(), []
    sampler = threading.Thread(target=_descendant_peak, args=(stop, out))
    sampler.start()
    result = solve(mentors, groups, Policy(), workers=workers)
    stop.set()
    sampler.join()
    s = result.seconds
    return {"work": s["total"], "covered": result.covered, "cost": result.total_cost, "parts": result.parts,
            "cand": s["candidates"], "solve": s["components"] + s["solve"], "breakdown": s,
            "child_peak_mib": out[0]}


def stage_ortools(path):
    from sukarela.engines.matching.flow import localize

    P, arcs, cand = _graph(path)
    start = time.perf_counter()
    chosen = localize(arcs.g, arcs.m, arcs.cost, P.m_cap)
    work = time.perf_counter() - start
    return {"work": work, "cand": cand, "covered": int(chosen.sum()), "cost": int(arcs.cost[chosen].sum()),
            "arcs": len(arcs), "scipy_entries": int(P.m_cap[arcs.m].sum()) + P.G}


def stage_ortools_bypass(path):
    from ortools.graph.python import min_cost_flow

    P, arcs, cand = _graph(path)
    start = time.perf_counter()
    gu, g = np.unique(arcs.g, return_inverse=True)
    mu, m = np.unique(arcs.m, return_inverse=True)
    ng, nm = len(gu), len(mu)
    gmax = np.zeros(ng, np.int64)
    np.maximum.at(gmax, g, arcs.cost)
    big = 1 + int(gmax.sum())
    f = min_cost_flow.SimpleMinCostFlow()
    pairs = f.add_arcs_with_capacity_and_unit_cost(g, m + ng, np.ones(len(g), np.int64), arcs.cost)
    bypass = f.add_arcs_with_capacity_and_unit_cost(np.arange(ng), np.full(ng, ng + nm), np.ones(ng, np.int64),
                                                    np.full(ng, big, np.int64))
    f.add_arcs_with_capacity_and_unit_cost(np.arange(ng, ng + nm), np.full(nm, ng + nm), P.m_cap[mu],
                                           np.zeros(nm, np.int64))
    f.set_nodes_supplies(np.arange(ng + nm + 1), np.r_[np.ones(ng, np.int64), np.zeros(nm, np.int64), [-ng]])
    status = f.solve()
    assert status == f.OPTIMAL, status
    chosen = f.flows(pairs) > 0
    work = time.perf_counter() - start
    unassigned = int(f.flows(bypass).sum())
    assert f.optimal_cost() == big * unassigned + int(arcs.cost[chosen].sum())
    return {"work": work, "cand": cand, "covered": int(chosen.sum()), "cost": int(arcs.cost[chosen].sum()),
            "note": f"BIG = {big:,}"}


def stage_scipy(path):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    P, arcs, cand = _graph(path)
    entries = int(P.m_cap[arcs.m].sum()) + P.G
    if entries > SCIPY_MAX_ENTRIES:
        return {"skipped": f"{entries:,} matrix entries with one column per mentor place "
                           f"(cap {SCIPY_MAX_ENTRIES:,}; PERFORMANCE.md: > 240 s at this size)", "cand": cand}
    start = time.perf_counter()
    slot_start = np.r_[0, np.cumsum(P.m_cap)]
    places = int(slot_start[-1])
    reps = P.m_cap[arcs.m]
    rows = np.repeat(arcs.g, reps)
    cols = np.repeat(slot_start[arcs.m] - np.cumsum(reps) + reps, reps) + np.arange(len(rows))
    gmax = np.zeros(P.G, np.int64)
    np.maximum.at(gmax, arcs.g, arcs.cost)
    big = 1 + int(gmax.sum())
    # Every weight + 1 (an entry of 0 would read as no edge): every group is matched once, so + G in total.
    data = np.r_[np.repeat(arcs.cost, reps) + 1, np.full(P.G, big + 1)].astype(float)
    matrix = csr_matrix((data, (np.r_[rows, np.arange(P.G)], np.r_[cols, places + np.arange(P.G)])),
                        shape=(P.G, places + P.G))
    r, c = min_weight_full_bipartite_matching(matrix)
    work = time.perf_counter() - start
    real = c < places
    slot_mentor = np.repeat(np.arange(P.M), P.m_cap)
    pair_cost = dict(zip((arcs.g * P.M + arcs.m).tolist(), arcs.cost.tolist()))
    cost = sum(pair_cost[int(gi) * P.M + int(mi)] for gi, mi in zip(r[real], slot_mentor[c[real]]))
    return {"work": work, "cand": cand, "covered": int(real.sum()), "cost": int(cost),
            "note": f"{entries:,} entries"}


def stage_matching(path):
    from matching.games import HospitalResident

    sys.setrecursionlimit(100_000)
    P, arcs, cand = _graph(path)
    start = time.perf_counter()
    g, m, cost = arcs.g.tolist(), arcs.m.tolist(), arcs.cost.tolist()
    resident = {}
    for gi, mi in zip(g, m):             # arcs are sorted by group, then km: rank by cost below
        resident.setdefault(gi, []).append(mi)
    pair_cost = dict(zip(zip(g, m), cost))
    resident = {gi: sorted(ms, key=lambda mi: (pair_cost[gi, mi], mi)) for gi, ms in resident.items()}
    hospital = {}
    for gi, ms in resident.items():
        for mi in ms:
            hospital.setdefault(mi, []).append(gi)
    hospital = {mi: sorted(gs, key=lambda gi: (pair_cost[gi, mi], gi)) for mi, gs in hospital.items()}
    caps = {mi: int(P.m_cap[mi]) for mi in hospital}
    game = HospitalResident.create_from_dictionaries(resident, hospital, caps)
    result = game.solve(optimal="resident")
    work = time.perf_counter() - start
    pairs = [(r.name, h.name) for h, rs in result.items() for r in rs]
    return {"work": work, "cand": cand, "covered": len(pairs), "cost": sum(pair_cost[p] for p in pairs)}


# --- parent side -----------------------------------------------------------------------------

def measure(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out)
    return wall, usage.ru_maxrss / 1024, json.loads(out.strip().splitlines()[-1])


def table(header, rows):
    def cell(c):
        return f"{c:,.2f}" if isinstance(c, float) else f"{c:,}" if isinstance(c, int) else str(c)
    cells = [list(header)] + [[cell(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    num = [all(isinstance(r[i], (int, float)) or r[i] == "–" for r in rows) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, num)) + " |"
    rule = "|" + "|".join("-" * (w + 1) + ":" if n else "-" * (w + 2) for w, n in zip(widths, num)) + "|"
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def run_size(size, data_dir, repeat, seed):
    path = Path(data_dir) / f"matching-{size}-{seed}.npz"
    if not path.exists():
        np.savez(path, **make(size, seed))
    stages = ["engine", "engine_w1", "ortools", "ortools_bypass"] + (["scipy"] if size in "ab" else []) + \
             (["matching"] if size == "a" else [])   # scipy at c: skipped below, with the size it would need
    results = {}
    for stage in stages:
        best = None
        for _ in range(repeat):
            wall, peak, res = measure([sys.executable, str(Path(__file__).resolve()), "--stage", stage,
                                       "--instance", str(path)])
            if res.get("skipped"):
                best = (wall, peak, res)
                break
            if best is None or res["work"] < best[2]["work"]:
                best = (wall, max(peak, best[1] if best else 0), res)   # fastest run, highest peak
            else:
                best = (best[0], max(peak, best[1]), best[2])
        results[stage] = best
        w, p, r = best
        print(f"  {size} {stage}: " + ("skipped: " + r["skipped"] if r.get("skipped") else
              f"work {r['work']:.2f} s, wall {w:.2f} s, peak {p:,.0f} MiB, covered {r['covered']:,}, cost {r['cost']:,}"),
              file=sys.stderr, flush=True)
    if "scipy" not in results:
        entries = results["ortools"][2]["scipy_entries"]
        results["scipy"] = (0, 0, {"skipped": f"one column per mentor place makes {entries:,} matrix entries, "
                                              f"past the {SCIPY_MAX_ENTRIES:,} cap (PERFORMANCE.md: > 240 s at this size)"})
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="a,b,c")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--data", default="/tmp")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--stage", choices=STAGES)
    ap.add_argument("--instance")
    args = ap.parse_args()
    if args.stage:
        fn = {"engine": lambda p: stage_engine(p, 2), "engine_w1": lambda p: stage_engine(p, 1),
              "ortools": stage_ortools, "ortools_bypass": stage_ortools_bypass, "scipy": stage_scipy,
              "matching": stage_matching}[args.stage]
        print(json.dumps(fn(args.instance)))
        return

    import matching as matching_pkg
    import ortools
    import scipy
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, OR-Tools {ortools.__version__}, "
          f"SciPy {scipy.__version__}, NumPy {np.__version__}, matching {matching_pkg.__version__}; "
          f"load average {os.getloadavg()[0]:.1f} at start; seed {args.seed}, repeat {args.repeat}")
    failures = []
    for size in args.sizes.split(","):
        print(f"load average {os.getloadavg()[0]:.1f} before size {size}", file=sys.stderr, flush=True)
        n_m, n_g = SIZES[size]
        res = run_size(size, args.data, args.repeat, args.seed)
        rows = []
        for stage, (wall, peak, r) in res.items():
            if r.get("skipped"):
                rows.append([LABEL[stage], "–", "–", "–", "–", "–", "–", "skipped: " + r["skipped"]])
                continue
            note = r.get("note", "")
            if stage.startswith("engine"):
                b = r["breakdown"]
                note = (f"{r['parts']} parts; candidates {b['candidates']:.2f}, components {b['components']:.2f}, "
                        f"flows {b['solve']:.2f}, rest {b['total'] - b['candidates'] - b['components'] - b['solve']:.2f}"
                        + (f"; pool processes peak {r['child_peak_mib']:,.0f} MiB" if r["child_peak_mib"] else ""))
            rows.append([LABEL[stage], float(r["work"]), float(r["cand"]), float(wall), int(round(peak)),
                         r["covered"], r["cost"], note])
        print(f"\n({size}) {n_m:,} mentors x {n_g:,} groups, {res['ortools'][2]['arcs']:,} candidate arcs\n")
        print(table(["solver", "work s", "cand. s", "wall s", "peak MiB", "covered", "total cost", "note"], rows))
        eng, mono = res["engine"][2], res["ortools"][2]
        ok = (eng["covered"], eng["cost"]) == (mono["covered"], mono["cost"]) == \
             (res["engine_w1"][2]["covered"], res["engine_w1"][2]["cost"]) == \
             (res["ortools_bypass"][2]["covered"], res["ortools_bypass"][2]["cost"])
        ratio = eng["solve"] / mono["work"]
        print(f"\nengine optimum equals the monolithic OR-Tools optimum: {ok}; engine solve (components + flows) "
              f"{eng['solve']:.2f} s = {ratio:.2f} x the monolithic {mono['work']:.2f} s; engine end to end "
              f"{eng['work']:.2f} s = {eng['work'] / mono['work']:.2f} x")
        if not ok:
            failures.append(size)
    assert not failures, f"engine optimum differs from OR-Tools at {failures}"


if __name__ == "__main__":
    main()

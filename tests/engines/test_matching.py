"""Matching engine: optimality against an independent OR-Tools formulation on all allowed pairs
(hypothesis), the rules (capacity, pins, forbids, boundary, stability), reasons, determinism,
decomposition, workers, distances and diff()."""

import itertools
import random
import warnings
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.graph.python import min_cost_flow

from sukarela.engines.matching import (Group, MatchingError, Mentor, Policy, diff, haversine_km, region_km,
                                       solve)
from sukarela.engines.matching import flow
from sukarela.engines.matching.candidates import Prepared, candidate_arcs
from sukarela.engines.matching.geo import chord_km, unit_vectors

PROPS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEPTH = {"none": 0, "province": 1, "regency": 2}


# --- an independent reference: all allowed pairs, one flow with a bypass arc per group ---------

def km_of(mentor, group):
    if None in (mentor.lat, mentor.lon, group.lat, group.lon):
        return region_km(mentor.region, group.region)
    return haversine_km(group.lat, group.lon, mentor.lat, mentor.lon)


def same_area(policy, mentor, group):
    d = DEPTH[policy.boundary]
    a, b = mentor.region.split("."), group.region.split(".")
    return d == 0 or (len(a) >= d and len(b) >= d and a[:d] == b[:d])


def cost_of(policy, mentor, group):
    fit = group.sector in mentor.sectors
    return round(km_of(mentor, group) * 10) + (0 if fit else round(policy.sector_penalty_km * 10))


def allowed(policy, mentor, group):
    return ((mentor.id, group.id) not in policy.forbidden and same_area(policy, mentor, group)
            and km_of(mentor, group) <= policy.max_km)


def reference(mentors, groups, policy):
    """(covered, kept, total cost) by the rules of the module docstring over ALL allowed pairs:
    pins fixed; then most groups covered, then (with keep_current) most current pairs kept, then
    least cost. Solved as one min-cost flow with supplies, a bonus KEEP off every current pair
    still allowed and a bypass arc of cost BIG per group."""
    by_id = {m.id: m for m in mentors}
    room = {m.id: m.capacity for m in mentors}
    pinned_groups = {gid for _, gid in policy.pinned}
    for mid, _ in policy.pinned:
        room[mid] -= 1
    fixed_cost = sum(cost_of(policy, by_id[mid], g) for g in groups for mid, gid in policy.pinned if gid == g.id)
    open_groups = [g for g in groups if g.id not in pinned_groups]
    arcs = [(i, j, cost_of(policy, m, g), policy.keep_current and policy.current.get(g.id) == m.id)
            for i, g in enumerate(open_groups) for j, m in enumerate(mentors)
            if room[m.id] > 0 and allowed(policy, m, g)]
    if not arcs:
        return len(policy.pinned), 0, fixed_cost
    n, nm = len(open_groups), len(mentors)
    cmax = max(a[2] for a in arcs)
    keep = n * cmax + 1
    big = n * (keep + cmax) + 1
    f = min_cost_flow.SimpleMinCostFlow()
    for i, j, c, cur in arcs:
        f.add_arc_with_capacity_and_unit_cost(i, n + j, 1, c - keep * cur)
    for i in range(n):
        f.add_arc_with_capacity_and_unit_cost(i, n + nm, 1, big)
    for j, m in enumerate(mentors):
        f.add_arc_with_capacity_and_unit_cost(n + j, n + nm, max(room[m.id], 0), 0)
    for i in range(n):
        f.set_node_supply(i, 1)
    f.set_node_supply(n + nm, -n)
    assert f.solve() == f.OPTIMAL
    used = [a for k, a in enumerate(arcs) if f.flow(k)]
    return (len(policy.pinned) + len(used), sum(a[3] for a in used),
            fixed_cost + sum(a[2] for a in used))


def kept_count(policy, result):
    """Current pairs kept among the groups not pinned (0 without keep_current: not optimised)."""
    return sum(a.kept and not a.pinned for a in result.assignments) if policy.keep_current else 0


# --- random small instances -------------------------------------------------------------------

REGIONS = ["11.01.01.2001", "11.01.01.2002", "11.01.02.2001", "11.02.01.2001", "12.01.01.2001", "11.01", "12"]
TOWNS = [(-6.20, 106.80), (-6.30, 106.95), (-6.90, 107.60), (-7.80, 110.40)]


@st.composite
def place(draw):
    if draw(st.integers(0, 4)) == 0:
        return None, None
    lat, lon = draw(st.sampled_from(TOWNS))
    return (round(lat + draw(st.floats(-0.2, 0.2)), 5), round(lon + draw(st.floats(-0.2, 0.2)), 5))


@st.composite
def instances(draw, max_mentors=6, max_groups=10, current=True):
    n_m = draw(st.integers(1, max_mentors))
    n_g = draw(st.integers(0, max_groups))
    mids = draw(st.lists(st.integers(1, 99), min_size=n_m, max_size=n_m, unique=True))
    gids = draw(st.lists(st.integers(100, 999), min_size=n_g, max_size=n_g, unique=True))
    mentors = [Mentor(i, draw(st.sampled_from(REGIONS)), *draw(place()),
                      frozenset(draw(st.sets(st.sampled_from("abc"), max_size=2))), draw(st.integers(0, 3)))
               for i in mids]
    groups = [Group(i, draw(st.sampled_from(REGIONS)), draw(st.sampled_from("abc")), *draw(place())) for i in gids]
    pairs = [(m, g) for m in mids for g in gids]
    forbidden = frozenset(draw(st.sets(st.sampled_from(pairs), max_size=6))) if pairs else frozenset()
    pinned, room, taken = set(), {m.id: m.capacity for m in mentors}, set()
    for m, g in (draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else []):
        if (m, g) not in forbidden and g not in taken and room[m] > 0:
            pinned.add((m, g))
            taken.add(g)
            room[m] -= 1
    cur = {}
    if current and pairs:
        cur = dict((g, m) for m, g in draw(st.lists(st.sampled_from(pairs), max_size=6)))
    policy = Policy(max_km=draw(st.sampled_from([5.0, 30.0, 50.0, 150.0, 1000.0])),
                    boundary=draw(st.sampled_from(["regency", "province", "none"])),
                    sector_penalty_km=draw(st.sampled_from([0.0, 12.5, 50.0])),
                    k_nearest=draw(st.integers(1, 3)),   # often fewer than the mentors in reach
                    pinned=frozenset(pinned), forbidden=forbidden, current=cur,
                    keep_current=draw(st.booleans()))
    return mentors, groups, policy


def check_rules(mentors, groups, policy, result):
    by_id = {m.id: m for m in mentors}
    gby_id = {g.id: g for g in groups}
    got = [a.group for a in result.assignments] + [u.group for u in result.unassigned]
    assert sorted(got) == sorted(gby_id)
    assert [a.group for a in result.assignments] == sorted(a.group for a in result.assignments)
    assert [u.group for u in result.unassigned] == sorted(u.group for u in result.unassigned)
    load = {}
    for a in result.assignments:
        m, g = by_id[a.mentor], gby_id[a.group]
        load[a.mentor] = load.get(a.mentor, 0) + 1
        assert (a.mentor, a.group) not in policy.forbidden
        assert a.pinned == ((a.mentor, a.group) in policy.pinned)
        assert a.kept == (policy.current.get(a.group) == a.mentor)
        assert a.km == pytest.approx(km_of(m, g), abs=1e-6)
        assert a.sector_fit == (g.sector in m.sectors)
        assert a.cost == cost_of(policy, m, g)
        if not a.pinned:
            assert allowed(policy, m, g)
    assert all(load[i] <= by_id[i].capacity for i in load)
    assert {(p[0], p[1]) for p in policy.pinned} <= {(a.mentor, a.group) for a in result.assignments}
    assert result.total_cost == sum(a.cost for a in result.assignments)
    for u in result.unassigned:
        g = gby_id[u.group]
        reach = [m for m in mentors if same_area(policy, m, g) and km_of(m, g) <= policy.max_km]
        if any((m.id, g.id) not in policy.forbidden for m in reach):
            assert u.reason == "all_in_reach_full"
            # ... and it is true of every allowed mentor in reach, not only of the nearest ones.
            assert all(load.get(m.id, 0) == m.capacity for m in reach if (m.id, g.id) not in policy.forbidden)
        elif reach:
            assert u.reason == "only_forbidden_in_reach"
        else:
            assert u.reason == "no_mentor_in_reach"


def same(a, b):
    return (a.assignments, a.unassigned, a.total_cost, a.parts) == (b.assignments, b.unassigned, b.total_cost, b.parts)


@PROPS
@given(instances(), st.randoms(use_true_random=False))
def test_optimal_and_rule_abiding_on_random_instances(inst, rnd):
    mentors, groups, policy = inst
    result = solve(mentors, groups, policy, workers=1)
    covered, kept, cost = reference(mentors, groups, policy)
    assert (result.covered, kept_count(policy, result), result.total_cost) == (covered, kept, cost)
    check_rules(mentors, groups, policy, result)
    # Same input in another order: the same result.
    m2, g2 = mentors[:], groups[:]
    rnd.shuffle(m2)
    rnd.shuffle(g2)
    assert same(solve(m2, g2, policy, workers=1), result)


@settings(max_examples=80, deadline=None)
@given(instances(max_mentors=3, max_groups=4))
def test_lexicographic_objective_by_enumeration(inst):
    """Every way to give each group a mentor or none: most groups first, then (keep_current)
    most current pairs kept, then least cost."""
    mentors, groups, policy = inst
    result = solve(mentors, groups, policy, workers=1)
    options = [[None] + [m for m in mentors if (m.id, g.id) in policy.pinned or (
        allowed(policy, m, g) and not any(p[1] == g.id for p in policy.pinned))] for g in groups]
    best = None
    for choice in itertools.product(*options):
        load = {}
        for m in choice:
            if m is not None:
                load[m.id] = load.get(m.id, 0) + 1
        if any(load[i] > m.capacity for m in mentors for i in [m.id] if i in load):
            continue
        if any(choice[i] is None or choice[i].id != mid
               for mid, gid in policy.pinned for i, g in enumerate(groups) if g.id == gid):
            continue
        covered = sum(m is not None for m in choice)
        kept = sum(m is not None and policy.current.get(g.id) == m.id and (m.id, g.id) not in policy.pinned
                   for m, g in zip(choice, groups)) if policy.keep_current else 0
        cost = sum(cost_of(policy, m, g) for m, g in zip(choice, groups) if m is not None)
        best = min(best or (-covered, -kept, cost), (-covered, -kept, cost))
    assert (result.covered, kept_count(policy, result), result.total_cost) == (-best[0], -best[1], best[2])


# --- hand cases -----------------------------------------------------------------------------

JKT, BDG = (-6.2000, 106.8166), (-6.9175, 107.6191)


def m(i, region="32.01.01.2001", pt=JKT, sectors="a", cap=10):
    return Mentor(i, region, *(pt or (None, None)), frozenset(sectors), cap)


def g(i, region="32.01.01.2001", pt=JKT, sector="a"):
    return Group(i, region, sector, *(pt or (None, None)))


def near(pt, km_north):
    return (pt[0] + km_north / 111.2, pt[1])


def test_more_groups_before_lower_cost():
    # Mentor 1 (capacity 1) is next to both groups; mentor 2 reaches only group 10, far away
    # and without the sector. Covering both (10 -> 2, 11 -> 1) beats the cheap single pair.
    mentors = [m(1, cap=1), m(2, pt=near(JKT, 40), sectors="b", cap=1)]
    groups = [g(10, pt=near(JKT, 1)), g(11, pt=near(JKT, -30))]
    r = solve(mentors, groups, Policy())
    assert r.mapping() == {10: 2, 11: 1} and r.covered == 2
    a10 = r.assignments[0]
    assert not a10.sector_fit and a10.cost == round(a10.km * 10) + 500


def test_capacity_and_sector_penalty():
    mentors = [m(1, sectors="a", cap=2), m(2, sectors="b", cap=5)]
    groups = [g(i, pt=near(JKT, i / 10), sector="a") for i in range(10, 14)]
    r = solve(mentors, groups, Policy(sector_penalty_km=50))
    assert sum(a.mentor == 1 for a in r.assignments) == 2 and r.covered == 4
    assert all(a.sector_fit == (a.mentor == 1) for a in r.assignments)


def test_reasons():
    mentors = [m(1, cap=1), m(2, region="33.01.01.2001", pt=BDG)]
    groups = [g(10), g(11, pt=near(JKT, 2)),                               # one of them: all in reach full
              g(12, region="32.01.02.2001", pt=near(BDG, 1)),              # Bandung point, province 32: no one
              g(13, region="33.01.01.2001", pt=near(BDG, 3))]              # only mentor 2, forbidden
    r = solve(mentors, groups, Policy(forbidden=frozenset({(2, 13)})))
    reasons = {u.group: u.reason for u in r.unassigned}
    assert reasons == {11: "all_in_reach_full", 12: "no_mentor_in_reach", 13: "only_forbidden_in_reach"}


def test_boundary_policies():
    # Same place, different regency (32.01 / 32.02) and different province (32 / 36).
    mentors = [m(1, region="32.02.01.2001"), m(2, region="36.01.01.2001")]
    groups = [g(10)]
    assert solve(mentors, groups, Policy(boundary="regency")).unassigned[0].reason == "no_mentor_in_reach"
    assert solve(mentors, groups, Policy(boundary="province")).mapping() == {10: 1}
    r = solve([mentors[1]], groups, Policy(boundary="none"))
    assert r.mapping() == {10: 2}
    assert solve([mentors[1]], groups, Policy(boundary="province")).covered == 0


def test_no_point_uses_region_hierarchy():
    mentors = [m(1, region="32.01.01.2001", pt=None), m(2, region="32.01.09.2001", pt=None),
               m(3, region="32.05.01.2001", pt=None)]
    groups = [g(10, region="32.01.01.2001", pt=None), g(11, region="32.01.01.2005"),
              g(12, region="32.05.03.2001", pt=None), g(13, region="32.07.01.2001", pt=None)]
    r = solve(mentors, groups, Policy())
    assert r.mapping() == {10: 1, 11: 1, 12: 3}
    assert [a.km for a in r.assignments] == [2.0, 8.0, 30.0]
    assert r.unassigned[0].reason == "no_mentor_in_reach"  # another regency is 120 km by the codes


def test_pins_override_distance_and_boundary_and_count_against_capacity():
    mentors = [m(1, cap=1), m(2, region="33.01.01.2001", pt=BDG, cap=1)]
    groups = [g(10), g(11, pt=near(JKT, 1))]
    r = solve(mentors, groups, Policy(pinned=frozenset({(2, 10)})))
    assert {(a.group, a.mentor, a.pinned) for a in r.assignments} == {(10, 2, True), (11, 1, False)}


@pytest.mark.parametrize("policy, mentors, groups, words", [
    (Policy(pinned=frozenset({(1, 10), (1, 11)})), [m(1, cap=1)], [g(10), g(11)], ["TKS 1", "kapasitas"]),
    (Policy(pinned=frozenset({(1, 10)}), forbidden=frozenset({(1, 10)})), [m(1)], [g(10)], ["TKS 1", "10"]),
    (Policy(pinned=frozenset({(1, 10), (2, 10)})), [m(1), m(2)], [g(10)], ["Kelompok 10"]),
    (Policy(pinned=frozenset({(9, 10)})), [m(1)], [g(10)], ["TKS 9"]),
    (Policy(pinned=frozenset({(1, 99)})), [m(1)], [g(10)], ["kelompok 99"]),
    (Policy(boundary="country"), [m(1)], [g(10)], ["country"]),
    (Policy(k_nearest=0), [m(1)], [g(10)], ["kandidat"]),
    (Policy(), [m(1), m(1)], [g(10)], ["ganda", "1"]),
])
def test_errors_name_the_problem(policy, mentors, groups, words):
    with pytest.raises(MatchingError) as err:
        solve(mentors, groups, policy)
    assert all(w in str(err.value) for w in words)


def test_stability_keeps_allowed_current_pairs():
    mentors = [m(1, cap=2), m(2, pt=near(JKT, 1)), m(3, pt=near(JKT, 0.5))]
    groups = [g(10, pt=near(JKT, 0.9)), g(11, pt=near(JKT, 0.2)), g(12, pt=near(JKT, 0.4)),
              g(13, pt=near(JKT, 1.1))]
    # Today: mentor 1 has three groups (one over its capacity of 2), 13 is with mentor 3.
    current = {10: 1, 11: 1, 12: 1, 13: 3}
    r = solve(mentors, groups, Policy(current=current))
    got = r.mapping()
    assert got[11] == 1 and got[12] == 1           # mentor 1 keeps its two nearest
    assert got[10] != 1 and got[13] == 3            # the farthest moves; 13 stays although 2 is nearer
    assert {a.group for a in r.assignments if a.kept} == {11, 12, 13}
    # Mentor 3 leaves and 13 is forbidden with 1: only 13 moves.
    r2 = solve([mentors[0], mentors[1]], groups, Policy(current=got, forbidden=frozenset({(1, 13)})))
    ch = diff(got, r2)
    assert ch.moved == [(13, 3, 2)] and not ch.added and not ch.dropped
    # Re-optimising from scratch is free to move everything; kept tells what happens to stay.
    r3 = solve(mentors, groups, Policy(current=current, keep_current=False))
    assert r3.total_cost <= r.total_cost
    assert all(a.kept == (current.get(a.group) == a.mentor) for a in r3.assignments)


def test_current_pair_no_longer_allowed_moves():
    mentors = [m(1, pt=near(JKT, 45)), m(2, pt=near(JKT, 5))]
    groups = [g(10)]
    assert solve(mentors, groups, Policy(current={10: 1})).mapping() == {10: 1}
    assert solve(mentors, groups, Policy(current={10: 1}, max_km=40)).mapping() == {10: 2}
    assert solve(mentors, groups, Policy(current={10: 1}, forbidden=frozenset({(1, 10)}))).mapping() == {10: 2}
    assert solve(mentors, groups, Policy(current={10: 7})).mapping() == {10: 2}   # mentor 7 left


def test_diff():
    before = {1: 10, 2: 20, 3: 30}
    ch = diff(before, {1: 10, 2: 21, 4: 40})
    assert ch.kept == [(1, 10)] and ch.moved == [(2, 20, 21)]
    assert ch.added == [(4, 40)] and ch.dropped == [(3, 30)] and not ch.unchanged
    assert diff(before, before).unchanged


def test_distances():
    assert haversine_km(*JKT, *BDG) == pytest.approx(119.5, abs=1.5)   # Jakarta - Bandung, about 120 km
    assert haversine_km(*JKT, *JKT) == 0
    assert haversine_km(*JKT, *BDG) == pytest.approx(haversine_km(*BDG, *JKT))
    assert haversine_km(0, 0, 0, 180) == pytest.approx(np.pi * 6371.0088)
    lat = np.array([JKT[0], BDG[0], 0.0, -8.65])
    lon = np.array([JKT[1], BDG[1], 0.0, 115.2])
    u = unit_vectors(lat, lon)
    for i, j in itertools.product(range(4), repeat=2):
        assert chord_km(u[i], u[j]) == pytest.approx(haversine_km(lat[i], lon[i], lat[j], lon[j]), abs=1e-8)
    assert region_km("32.01.05.2006", "32.01.05.2006") == 2
    assert region_km("32.01.05.2006", "32.01.05.2007") == 8
    assert region_km("32.01.05.2006", "32.01.06.2001") == 30
    assert region_km("32.01", "32.01.05.2006") == 30
    assert region_km("32.01.05.2006", "32.02.05.2006") == 120
    assert region_km("32.01.05.2006", "33.01.05.2006") == 800
    assert region_km("", "32") == 800


# --- decomposition, batches and the process pool ---------------------------------------------

def medium(seed=7, n_mentors=300, n_groups=2500, towns=25):
    rnd = random.Random(seed)
    centres = [(rnd.uniform(-8, -6), rnd.uniform(105, 112)) for _ in range(towns)]
    def person(i):
        t = rnd.randrange(towns)
        lat, lon = centres[t]
        pt = (None, None) if rnd.random() < 0.05 else (lat + rnd.gauss(0, 0.08), lon + rnd.gauss(0, 0.08))
        return f"{31 + t % 4}.{t:02d}.{rnd.randint(1, 3):02d}.{rnd.randint(2001, 2003)}", pt
    mentors = [Mentor(i, *(lambda r, p: (r, *p))(*person(i)), frozenset(rnd.sample("abcde", rnd.randint(1, 3))),
                      rnd.randint(3, 12)) for i in range(1, n_mentors + 1)]
    groups = [Group(i, *(lambda r, p: (r, rnd.choice("abcde"), *p))(*person(i))) for i in range(1, n_groups + 1)]
    return mentors, groups


@pytest.mark.parametrize("policy", [Policy(), Policy(k_nearest=5), Policy(boundary="none", max_km=80),
                                    Policy(boundary="regency", k_nearest=3, sector_penalty_km=0),
                                    Policy(k_nearest=1, current={i: (i * 7) % 300 + 1 for i in range(1, 2500, 2)})])
def test_decomposition_and_widening_equal_the_monolithic_optimum_over_all_allowed_pairs(policy):
    """The engine sees k nearest per group, split into parts, and widens where it must; one
    monolithic OR-Tools flow over EVERY allowed pair (k = all mentors) has the same optimum."""
    mentors, groups = medium()
    r = solve(mentors, groups, policy, workers=1)
    P = Prepared(mentors, groups)
    arcs = candidate_arcs(P, policy, np.arange(P.G), P.m_cap > 0, np.zeros(0, np.int64), k=P.M)
    keep = np.zeros(len(arcs), bool)
    if policy.current:
        cur = {(P.g_index([gid])[0], P.m_index([mid])[0]) for gid, mid in policy.current.items()}
        keep = np.array([(gi, mi) in cur for gi, mi in zip(arcs.g.tolist(), arcs.m.tolist())])
    bonus = len(groups) * int(arcs.cost.max()) + 1
    chosen = flow.localize(arcs.g, arcs.m, arcs.cost - bonus * keep, P.m_cap)
    assert r.parts > 1
    assert (r.covered, r.total_cost) == (int(chosen.sum()), int(arcs.cost[chosen].sum()))
    assert sum(a.kept for a in r.assignments) == int(keep[chosen].sum())
    if policy.k_nearest < 20:
        assert r.rounds > 1   # k nearest alone was not enough here: the widening did something


def test_workers_and_input_order_do_not_change_the_result(monkeypatch):
    monkeypatch.setattr(flow, "BIG_ARCS", 500)        # many batches ...
    monkeypatch.setattr(flow, "POOL_MIN_ARCS", 1000)  # ... and the pool in use
    submitted = []

    class Counting(flow.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(1)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(flow, "ProcessPoolExecutor", Counting)
    mentors, groups = medium(seed=11)
    policy = Policy(k_nearest=8, current={i: (i % 300) + 1 for i in range(1, 2500, 3)}, keep_current=False,
                    forbidden=frozenset((i % 300 + 1, i) for i in range(1, 2500, 7)))
    one = solve(mentors, groups, policy, workers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the pool must not have fallen back
        two = solve(mentors, groups, policy, workers=2)
    rnd = random.Random(3)
    shuffled = solve(rnd.sample(mentors, len(mentors)), rnd.sample(groups, len(groups)), policy, workers=2)
    assert same(one, two) and same(one, shuffled)
    assert one.parts > 1 and len(submitted) > 2


def test_batches(monkeypatch):
    monkeypatch.setattr(flow, "BIG_ARCS", 500)
    # Components of 100, 100, 700, 100, 100 arcs: the large one alone, the small ones packed in order.
    assert flow.batches(np.array([0, 100, 200, 900, 1000, 1100])) == [(0, 200), (200, 900), (900, 1100)]
    assert flow.batches(np.array([0, 300, 600, 700])) == [(0, 600), (600, 700)]


def test_empty_and_zero_capacity():
    assert solve([], [g(1)]).unassigned[0].reason == "no_mentor_in_reach"
    assert solve([m(1)], []).assignments == []
    assert (solve([], []).covered, solve([], []).total_cost) == (0, 0)
    # A mentor without places is in reach but full, even for the group he has today.
    r = solve([m(1, cap=0)], [g(10)], Policy(current={10: 1}))
    assert r.unassigned[0].reason == "all_in_reach_full"


# --- the reviewer's cases: a cut-off candidate list, and keep_current against coverage ---------

def test_k_nearest_cut_off_does_not_lose_coverage_nor_give_a_false_reason():
    # 20 mentors of capacity 1 and 30 groups in one town; one mentor 30 km away with 10 places.
    town = [m(i, pt=near(JKT, i * 0.01), cap=1) for i in range(1, 21)]
    far = m(99, pt=near(JKT, 30), cap=10)
    groups = [g(100 + i, pt=near(JKT, i * 0.01)) for i in range(30)]
    wide = solve(town + [far], groups, Policy(k_nearest=21))
    assert wide.covered == 30
    for k in (1, 3, 20):
        r = solve(town + [far], groups, Policy(k_nearest=k))
        assert (r.covered, r.total_cost, r.unassigned) == (30, wide.total_cost, [])
        assert sum(a.mentor == 99 for a in r.assignments) == 10
    # One place fewer far away: one group unassigned, and truly every mentor in reach is full.
    r = solve(town + [m(99, pt=near(JKT, 30), cap=9)], groups, Policy(k_nearest=20))
    assert r.covered == 29 and [u.reason for u in r.unassigned] == ["all_in_reach_full"]


def test_k_nearest_cut_off_does_not_cost_more():
    # Group 10's 2 nearest mentors lack its sector; the third (6 km) has it: 60 < 10 + 500.
    mentors = [m(1, pt=near(JKT, 1), sectors="b"), m(2, pt=near(JKT, 2), sectors="b"), m(3, pt=near(JKT, 6))]
    r = solve(mentors, [g(10)], Policy(k_nearest=2))
    assert r.mapping() == {10: 3} and r.assignments[0].sector_fit and r.rounds == 2


def test_keep_current_moves_a_pair_when_that_covers_more():
    # A (capacity 1) mentors G1 today; B is 44 km from G1; the new G2 is in reach of A only.
    a, b = m(1, cap=1), m(2, pt=near(JKT, 44), cap=1)
    g1, g2 = g(10), g(11, pt=near(JKT, -10))
    for keep in (True, False):
        r = solve([a, b], [g1, g2], Policy(current={10: 1}, keep_current=keep))
        assert r.mapping() == {10: 2, 11: 1} and not any(x.kept for x in r.assignments)
        assert diff({10: 1}, r).moved == [(10, 1, 2)]


def test_keep_current_neither_moves_nor_drops_a_pair_for_cost_alone():
    # Moving G1 to the nearer B would save cost but cover no more: it stays.
    a, b = m(1, pt=near(JKT, 20)), m(2, pt=near(JKT, 1))
    r = solve([a, b], [g(10)], Policy(current={10: 1}))
    assert r.mapping() == {10: 1} and r.assignments[0].kept
    assert solve([a, b], [g(10)], Policy(current={10: 1}, keep_current=False)).mapping() == {10: 2}
    # A (capacity 1) keeps G1 (20 km) rather than take the new G2 next door: both cover one group.
    a = m(1, cap=1)
    r = solve([a], [g(10, pt=near(JKT, 20)), g(11, pt=near(JKT, 1))], Policy(current={10: 1}))
    assert r.mapping() == {10: 1} and [(u.group, u.reason) for u in r.unassigned] == [(11, "all_in_reach_full")]
    r = solve([a], [g(10, pt=near(JKT, 20)), g(11, pt=near(JKT, 1))], Policy(current={10: 1}, keep_current=False))
    assert r.mapping() == {11: 1}


def test_keep_current_reaches_beyond_the_k_nearest():
    # The current mentor is the farthest of four: with k_nearest=1 the pair is still kept.
    mentors = [m(1, pt=near(JKT, 1)), m(2, pt=near(JKT, 2)), m(3, pt=near(JKT, 3)), m(4, pt=near(JKT, 40))]
    r = solve(mentors, [g(10)], Policy(k_nearest=1, current={10: 4}))
    assert r.mapping() == {10: 4} and r.assignments[0].kept

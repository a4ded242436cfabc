"""Ranking and selection: properties over random campaigns, and worked examples of each rule."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sukarela.engines.ranking import OVERFLOW, Candidate, next_replacement, rank_key, select

REGIONS = ["11.01", "11.02", "11.03", "12.01", "12.02", "13.01"]


def province(code):
    return code.split(".")[0]


ROWS = st.lists(st.tuples(
    st.sampled_from(REGIONS),
    st.integers(0, 4),  # few scores and times, so ties are common
    st.integers(0, 3),
    st.sampled_from([None, "", "kk1", "kk2", "kk3", "kk4"]),
), max_size=40)


@st.composite
def campaigns(draw):
    """Small campaigns with many ties, shared households and regions without a quota."""
    rows = draw(ROWS)
    # Ids in an order unrelated to the input order, so the id tie-break is really exercised.
    ids = draw(st.permutations(range(1, len(rows) + 1)))
    candidates = [Candidate(cid, region, float(score), float(submitted), household)
                  for cid, (region, score, submitted, household) in zip(ids, rows)]
    quotas = draw(st.dictionaries(st.sampled_from(REGIONS), st.integers(0, 5)))
    cap = draw(st.sampled_from([None, 1, 2]))
    overflow = draw(st.sampled_from(OVERFLOW))
    return candidates, quotas, cap, overflow


def run(campaign):
    candidates, quotas, cap, overflow = campaign
    return select(candidates, quotas, household_cap=cap, overflow=overflow)


def households_selected(candidates, selection):
    return Counter(c.household for c in candidates if c.id in selection.selected and c.household)


# --- properties -------------------------------------------------------------


@settings(deadline=None)  # tiny inputs; a loaded CI machine must not make them flaky
@given(campaigns())
def test_quota_never_exceeded_per_seat_region(campaign):
    candidates, quotas, _, _ = campaign
    seats = Counter(seat for _rank, seat in run(campaign).selected.values())
    for region, used in seats.items():
        assert used <= quotas[region]


@settings(deadline=None)
@given(campaigns())
def test_every_candidate_has_exactly_one_outcome(campaign):
    candidates, quotas, _, _ = campaign
    selection = run(campaign)
    waitlisted = [cid for ids in selection.waitlist.values() for cid in ids]
    outcomes = [*selection.selected, *waitlisted, *selection.household_blocked, *selection.no_quota]
    assert sorted(outcomes) == sorted(c.id for c in candidates)
    assert selection.no_quota == {c.id for c in candidates if c.region not in quotas}
    region_of = {c.id: c.region for c in candidates}
    assert all(region_of[cid] == region for region, ids in selection.waitlist.items() for cid in ids)


@settings(deadline=None)
@given(campaigns())
def test_total_selected_without_household_cap(campaign):
    candidates, quotas, _, overflow = campaign
    selection = run((candidates, quotas, None, overflow))
    selectable = Counter(c.region for c in candidates if c.region in quotas)
    if overflow == "national":
        expected = min(sum(quotas.values()), sum(selectable.values()))
    elif overflow == "province":
        provinces = {province(region) for region in quotas}
        expected = sum(
            min(sum(q for r, q in quotas.items() if province(r) == p),
                sum(n for r, n in selectable.items() if province(r) == p))
            for p in provinces)
    else:
        expected = sum(min(quota, selectable[region]) for region, quota in quotas.items())
    assert len(selection.selected) == expected


@settings(deadline=None)
@given(campaigns())
def test_without_overflow_own_selected_outrank_every_waitlisted(campaign):
    candidates, quotas, cap, _ = campaign
    selection = run((candidates, quotas, cap, "none"))
    by_id = {c.id: c for c in candidates}
    for region, waiting in selection.waitlist.items():
        chosen = [by_id[cid] for cid, (_rank, seat) in selection.selected.items() if seat == region]
        assert all(c.region == region for c in chosen)
        if waiting:
            assert len(chosen) == quotas[region]
            worst_chosen = max(map(rank_key, chosen), default=None)
            assert worst_chosen is None or worst_chosen < min(rank_key(by_id[cid]) for cid in waiting)


@settings(deadline=None)
@given(campaigns())
def test_waitlist_is_in_rank_order(campaign):
    candidates, _, _, _ = campaign
    by_id = {c.id: c for c in candidates}
    for ids in run(campaign).waitlist.values():
        keys = [rank_key(by_id[cid]) for cid in ids]
        assert keys == sorted(keys)


@settings(deadline=None)
@given(campaigns())
def test_household_cap_respected_across_regions(campaign):
    candidates, _, cap, _ = campaign
    if cap is None:
        return
    counts = households_selected(candidates, run(campaign))
    assert all(n <= cap for n in counts.values())


@settings(deadline=None)
@given(campaigns())
def test_blocked_members_are_capped_and_not_waitlisted(campaign):
    candidates, _, cap, _ = campaign
    selection = run(campaign)
    by_id = {c.id: c for c in candidates}
    counts = households_selected(candidates, selection)
    waitlisted = {cid for ids in selection.waitlist.values() for cid in ids}
    assert not selection.household_blocked & waitlisted
    assert not selection.household_blocked & set(selection.selected)
    for cid in selection.household_blocked:
        household = by_id[cid].household
        assert cap is not None and household and counts[household] == cap
    # A waitlisted candidate can still be selected: their household is below the cap.
    if cap is not None:
        assert all(counts[by_id[cid].household] < cap for cid in waitlisted if by_id[cid].household)


@settings(deadline=None)
@given(campaigns())
def test_household_rule_never_costs_a_better_ranked_member_their_seat(campaign):
    candidates, quotas, cap, _ = campaign
    if cap is None:
        return
    selection = run((candidates, quotas, cap, "none"))
    by_id = {c.id: c for c in candidates}
    for cid in selection.household_blocked:
        c = by_id[cid]
        better_members = [o for o in candidates if o.household == c.household and o.id in selection.selected
                          and rank_key(o) < rank_key(c)]
        better_in_region = [o for o in candidates if o.region == c.region and o.id in selection.selected
                            and rank_key(o) < rank_key(c)]
        # Either the household's cap went to members ranked above, or the region was full
        # before this candidate's turn (then a worse-ranked member elsewhere may take the cap).
        assert len(better_members) == cap or len(better_in_region) == quotas[c.region]


@settings(deadline=None)
@given(campaigns(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(campaign, rnd):
    candidates, quotas, cap, overflow = campaign
    shuffled = list(candidates)
    rnd.shuffle(shuffled)
    assert run(campaign) == select(iter(shuffled), quotas, household_cap=cap, overflow=overflow)


@settings(deadline=None)
@given(campaigns())
def test_province_overflow_never_crosses_provinces(campaign):
    candidates, quotas, cap, _ = campaign
    selection = run((candidates, quotas, cap, "province"))
    region_of = {c.id: c.region for c in candidates}
    for cid, (_rank, seat) in selection.selected.items():
        assert province(seat) == province(region_of[cid])


@settings(deadline=None)
@given(campaigns())
def test_overflow_fills_free_seats_before_anyone_waits(campaign):
    candidates, quotas, cap, _ = campaign
    selection = run((candidates, quotas, cap, "national"))
    if any(summary.unfilled for summary in selection.summary.values()):
        assert not any(selection.waitlist.values())


@settings(deadline=None)
@given(campaigns())
def test_overflow_takes_the_best_remaining_first(campaign):
    candidates, quotas, _, _ = campaign
    selection = run((candidates, quotas, None, "national"))
    by_id = {c.id: c for c in candidates}
    overflowed = [by_id[cid] for cid, (_rank, seat) in selection.selected.items() if seat != by_id[cid].region]
    waiting = [by_id[cid] for ids in selection.waitlist.values() for cid in ids]
    if overflowed and waiting:
        assert max(map(rank_key, overflowed)) < min(map(rank_key, waiting))


@settings(deadline=None)
@given(campaigns())
def test_rank_is_merit_place_within_own_region(campaign):
    candidates, _, _, _ = campaign
    selection = run(campaign)
    for c in candidates:
        if c.id in selection.selected:
            better = sum(1 for o in candidates if o.region == c.region and rank_key(o) < rank_key(c))
            assert selection.selected[c.id][0] == better + 1


@settings(deadline=None)
@given(campaigns())
def test_summary_adds_up(campaign):
    candidates, quotas, _, _ = campaign
    selection = run(campaign)
    assert set(selection.summary) == set(quotas)
    seats = Counter(seat for _rank, seat in selection.selected.values())
    per_region = Counter(c.region for c in candidates)
    for region, s in selection.summary.items():
        assert s.quota == quotas[region]
        assert s.candidates == per_region[region]
        assert s.quota == s.selected_own + s.selected_overflow_in + s.unfilled
        assert s.selected == seats[region]
        assert s.candidates == s.selected_own + s.selected_elsewhere + s.waitlisted + s.household_blocked
        assert s.waitlisted == len(selection.waitlist[region])


# --- worked examples ----------------------------------------------------------


def test_empty_input():
    selection = select([], {"11.01": 3})
    assert selection.selected == {} and selection.waitlist == {"11.01": []}
    assert selection.summary["11.01"].unfilled == 3
    assert select([], {}).summary == {}


def test_tie_break_by_score_then_submitted_then_id():
    candidates = [
        Candidate(5, "11.01", 80.0, 200.0),
        Candidate(3, "11.01", 80.0, 100.0),
        Candidate(4, "11.01", 80.0, 100.0),
        Candidate(9, "11.01", 90.0, 999.0),
        Candidate(1, "11.01", 70.0, 0.0),
    ]
    selection = select(candidates, {"11.01": 2})
    assert selection.selected == {9: (1, "11.01"), 3: (2, "11.01")}
    assert selection.waitlist == {"11.01": [4, 5, 1]}
    assert sorted(candidates, key=rank_key)[:3] == [candidates[3], candidates[1], candidates[2]]


def test_region_with_quota_zero_waitlists_everyone():
    candidates = [Candidate(1, "11.01", 50.0, 0.0), Candidate(2, "11.02", 40.0, 0.0)]
    selection = select(candidates, {"11.01": 0, "11.02": 1})
    assert selection.selected == {2: (1, "11.02")}
    assert selection.waitlist == {"11.01": [1], "11.02": []}


def test_region_without_quota_entry_is_not_selectable():
    selection = select([Candidate(1, "99.01", 99.0, 0.0)], {"11.01": 1}, overflow="national")
    assert selection.no_quota == {1} and selection.selected == {}
    assert "99.01" not in selection.waitlist


def test_household_cap_counts_across_regions_and_best_ranked_win():
    candidates = [
        Candidate(1, "11.01", 90.0, 0.0, "kk"),
        Candidate(2, "12.01", 80.0, 0.0, "kk"),
        Candidate(3, "13.01", 70.0, 0.0, "kk"),  # third member: blocked although 13.01 has seats
        Candidate(4, "13.01", 60.0, 0.0, None),
        Candidate(5, "13.01", 50.0, 0.0, ""),
    ]
    selection = select(candidates, {"11.01": 1, "12.01": 1, "13.01": 3}, household_cap=2)
    assert set(selection.selected) == {1, 2, 4, 5}
    assert selection.household_blocked == {3}
    assert selection.waitlist["13.01"] == []
    assert selection.summary["13.01"].unfilled == 1
    # Without the rule the third member gets the seat.
    assert 3 in select(candidates, {"11.01": 1, "12.01": 1, "13.01": 3}).selected


def test_waitlisted_member_becomes_blocked_when_household_fills_elsewhere():
    candidates = [
        Candidate(10, "11.01", 99.0, 0.0),
        Candidate(1, "11.01", 90.0, 0.0, "kk"),  # region full: would wait...
        Candidate(2, "12.01", 10.0, 0.0, "kk"),  # ...but this member takes a seat in 12.01
    ]
    selection = select(candidates, {"11.01": 1, "12.01": 1}, household_cap=1)
    assert set(selection.selected) == {10, 2}
    assert selection.household_blocked == {1}
    assert selection.waitlist == {"11.01": [], "12.01": []}


def overflow_campaign():
    # 11.01 has more candidates than seats; 11.02 (same province) and 12.01 have free seats.
    candidates = [
        Candidate(1, "11.01", 90.0, 0.0),
        Candidate(2, "11.01", 80.0, 0.0),
        Candidate(3, "11.01", 70.0, 0.0),
        Candidate(4, "11.01", 60.0, 0.0),
        Candidate(5, "11.02", 50.0, 0.0),
        Candidate(6, "12.01", 95.0, 0.0),
        Candidate(7, "12.01", 85.0, 0.0),
        Candidate(8, "12.01", 75.0, 0.0),
    ]
    quotas = {"11.01": 1, "11.02": 2, "12.01": 1, "13.01": 2}
    return candidates, quotas


def test_overflow_none_leaves_seats_free():
    selection = select(*overflow_campaign(), overflow="none")
    assert selection.selected == {1: (1, "11.01"), 5: (1, "11.02"), 6: (1, "12.01")}
    assert selection.waitlist == {"11.01": [2, 3, 4], "11.02": [], "12.01": [7, 8], "13.01": []}
    assert {r: s.unfilled for r, s in selection.summary.items()} == {"11.01": 0, "11.02": 1, "12.01": 0, "13.01": 2}


def test_overflow_province_stays_in_province():
    selection = select(*overflow_campaign(), overflow="province")
    # 11.02's free seat goes to 11.01's best waiting candidate; 12.01's waiting candidates have
    # no free seat in province 12, and 13.01's seats have nobody in province 13.
    assert selection.selected == {1: (1, "11.01"), 5: (1, "11.02"), 6: (1, "12.01"), 2: (2, "11.02")}
    assert selection.waitlist == {"11.01": [3, 4], "11.02": [], "12.01": [7, 8], "13.01": []}
    assert selection.summary["11.02"].selected_overflow_in == 1
    assert selection.summary["11.01"].selected_elsewhere == 1
    assert selection.summary["13.01"].unfilled == 2


def test_overflow_national_best_remaining_first_donors_in_code_order():
    selection = select(*overflow_campaign(), overflow="national")
    # Remaining in global order: 7 (85), 2 (80), 8 (75), 3 (70)...; free seats: 11.02 x1, 13.01 x2.
    assert selection.selected == {
        1: (1, "11.01"), 5: (1, "11.02"), 6: (1, "12.01"),
        7: (2, "11.02"), 2: (2, "13.01"), 8: (3, "13.01"),
    }
    assert selection.waitlist == {"11.01": [3, 4], "11.02": [], "12.01": [], "13.01": []}
    assert all(s.unfilled == 0 for s in selection.summary.values())


def test_overflow_respects_household_cap():
    candidates, quotas = overflow_campaign()
    candidates = [c._replace(household="kk") if c.id in (6, 7) else c for c in candidates]
    selection = select(candidates, quotas, overflow="national", household_cap=1)
    assert 7 not in selection.selected and 7 in selection.household_blocked
    assert selection.selected[2] == (2, "11.02")


def test_custom_province_of():
    candidates = [Candidate(1, "A", 10.0, 0.0), Candidate(2, "A", 9.0, 0.0), Candidate(3, "B", 1.0, 0.0)]
    quotas = {"A": 1, "B": 3}
    same = select(candidates, quotas, overflow="province", province_of=lambda code: "P")
    apart = select(candidates, quotas, overflow="province", province_of=lambda code: code)
    assert same.selected[2] == (2, "B")
    assert 2 not in apart.selected


def test_sorting_order_is_rank_key():
    rnd = random.Random(7)
    candidates = [Candidate(i, "11.01", float(rnd.randint(0, 3)), float(rnd.randint(0, 3))) for i in range(300)]
    rnd.shuffle(candidates)
    selection = select(candidates, {"11.01": 100})
    ranked = sorted(candidates, key=rank_key)
    assert [c.id for c in ranked[:100]] == sorted(selection.selected, key=lambda cid: selection.selected[cid][0])
    assert selection.waitlist["11.01"] == [c.id for c in ranked[100:]]


# --- replacement --------------------------------------------------------------


def test_next_replacement_skips_capped_households():
    households = {1: "kk1", 2: "kk2", 3: None, 4: "kk3"}
    assert next_replacement([1, 2, 3, 4], households, {"kk1": 2, "kk2": 1}, 2) == 2
    assert next_replacement([1, 2, 3, 4], households, {"kk1": 2, "kk2": 2}, 2) == 3
    assert next_replacement([1, 2, 4], households, {"kk1": 2, "kk2": 2, "kk3": 5}, 2) is None
    assert next_replacement([1, 2], households, {"kk1": 9}, None) == 1
    assert next_replacement([], households, {}, 2) is None
    # A blank family-card number groups nobody, even if the caller counted blanks together.
    assert next_replacement([5], {5: ""}, {"": 3}, 1) == 5


# --- validation ---------------------------------------------------------------


def test_negative_quota_names_region():
    with pytest.raises(ValueError, match="11.02"):
        select([], {"11.01": 1, "11.02": -1})


def test_non_integer_quota_names_region():
    with pytest.raises(ValueError, match="11.01"):
        select([], {"11.01": 1.5})


def test_unknown_overflow():
    with pytest.raises(ValueError, match="overflow"):
        select([], {}, overflow="regional")


@pytest.mark.parametrize("cap", [0, -1])
def test_household_cap_below_one(cap):
    with pytest.raises(ValueError, match="household_cap"):
        select([], {}, household_cap=cap)
    with pytest.raises(ValueError, match="household_cap"):
        next_replacement([], {}, {}, cap)


def test_duplicate_ids_rejected():
    with pytest.raises(ValueError, match="unique"):
        select([Candidate(1, "11.01", 1.0, 0.0), Candidate(1, "11.02", 2.0, 0.0)], {"11.01": 1})


def test_nan_score_rejected():
    with pytest.raises(ValueError, match="NaN"):
        select([Candidate(1, "11.01", float("nan"), 0.0), Candidate(2, "11.01", 1.0, 0.0)], {"11.01": 1})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=30))
def test_internal_sort_matches_rank_key(pairs):
    candidates = [Candidate(i, "11.01", float(s), float(t)) for i, (s, t) in enumerate(pairs)]
    selection = select(reversed(candidates), {"11.01": 0})
    assert selection.waitlist["11.01"] == [c.id for c in sorted(candidates, key=rank_key)]

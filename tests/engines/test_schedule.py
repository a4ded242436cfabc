"""Training schedule: Indonesian days off, course length, and even placement of sessions."""

from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.engines.schedule import (
    WEEKEND, ModuleNeed, Placed, ScheduleError, day_off_reason, five_months_after, generate,
    indonesian_days_off, sessions_needed, working_days)

PROPS = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])

LAST_DAY_WITH_DATA = date(2027, 12, 31)


@cache
def all_days_off(cuti_bersama: bool) -> dict:
    return indonesian_days_off(date(2026, 1, 1), LAST_DAY_WITH_DATA, cuti_bersama=cuti_bersama)


# --- holidays and working days ----------------------------------------------------------

def test_idul_fitri_2026_names_and_cuti_bersama():
    with_cuti = indonesian_days_off(date(2026, 3, 16), date(2026, 3, 27))
    without = indonesian_days_off(date(2026, 3, 16), date(2026, 3, 27), cuti_bersama=False)
    assert with_cuti[date(2026, 3, 21)] == "Idulfitri 1447 H"
    assert with_cuti[date(2026, 3, 24)] == "Idulfitri 1447 H"  # cuti bersama
    assert with_cuti[date(2026, 3, 19)] == "Hari Suci Nyepi (Tahun Baru Saka 1948)"
    assert sorted(without) == [date(2026, 3, 19), date(2026, 3, 21), date(2026, 3, 22)]
    assert sorted(with_cuti) == [date(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)]


@pytest.mark.parametrize("cuti, expected", [
    (True, [16, 17, 25, 26, 27]),
    (False, [16, 17, 18, 20, 23, 24, 25, 26, 27]),  # only Nyepi (19th) and the weekend are off
])
def test_generate_across_idul_fitri_2026(cuti, expected):
    start, end = date(2026, 3, 16), date(2026, 3, 27)
    days_off = indonesian_days_off(start, end, cuti_bersama=cuti)
    placed = generate(start, end, [ModuleNeed("A", 2), ModuleNeed("B", len(expected) - 2)], days_off)
    assert [p.date for p in placed] == [date(2026, 3, d) for d in expected]
    assert [p.key for p in placed] == ["A", "A"] + ["B"] * (len(expected) - 2)
    with pytest.raises(ScheduleError) as raised:
        generate(start, end, [ModuleNeed("A", len(expected) + 1)], days_off)
    assert (raised.value.code, raised.value.needed, raised.value.available) == (
        "too_few_slots", len(expected) + 1, len(expected))
    assert "1 of" in str(raised.value)


@pytest.mark.parametrize("cuti, off", [
    (True, [8, 9, 10, 11, 12, 15]),
    (False, [8, 10, 11]),  # Nyepi and Idulfitri 1448 H proper; 9, 12 and 15 are cuti bersama
])
def test_working_days_across_idul_fitri_2027(cuti, off):
    start, end = date(2027, 3, 1), date(2027, 3, 19)
    days_off = indonesian_days_off(start, end, cuti_bersama=cuti)
    assert days_off[date(2027, 3, 10)] == "Idulfitri 1448 H"
    weekdays = [start + timedelta(days=k) for k in range(19) if (start + timedelta(days=k)).weekday() < 5]
    assert working_days(start, end, days_off) == [d for d in weekdays if d.day not in off]
    placed = generate(start, end, [ModuleNeed("M", 15 - len(off))], days_off)
    assert all(p.date.weekday() not in WEEKEND and p.date not in days_off for p in placed)


def test_no_holiday_data_is_an_error_not_an_empty_list():
    with pytest.raises(ScheduleError) as raised:
        indonesian_days_off(date(2027, 12, 1), date(2028, 1, 31))
    assert (raised.value.code, raised.value.year) == ("no_holiday_data", 2028)
    assert isinstance(raised.value, ValueError)
    with pytest.raises(ScheduleError) as raised:
        indonesian_days_off(date(2025, 12, 1), date(2026, 1, 31))
    assert raised.value.year == 2025


def test_day_off_reason():
    days_off = indonesian_days_off(date(2026, 3, 1), date(2026, 3, 31))
    assert day_off_reason(date(2026, 3, 14), days_off) == "weekend"  # a Saturday
    assert day_off_reason(date(2026, 3, 15), days_off) == "weekend"  # a Sunday
    assert day_off_reason(date(2026, 3, 20), days_off) == "Idulfitri 1447 H"
    assert day_off_reason(date(2026, 3, 21), days_off) == "Idulfitri 1447 H"  # holiday on a Saturday
    assert day_off_reason(date(2026, 3, 26), days_off) is None
    assert day_off_reason(date(2026, 3, 14), days_off, weekend=frozenset({6})) is None


@pytest.mark.parametrize("start, end", [
    (date(2026, 1, 5), date(2026, 6, 4)),
    (date(2026, 9, 30), date(2027, 2, 27)),  # no 30 February: clamp to the 28th, then the day before
    (date(2026, 1, 31), date(2026, 6, 29)),  # no 31 June
    (date(2026, 8, 1), date(2026, 12, 31)),
    (date(2026, 10, 15), date(2027, 3, 14)),  # across the new year
    (date(2027, 7, 31), date(2027, 12, 30)),
])
def test_five_months_after(start, end):
    assert five_months_after(start) == end


@pytest.mark.parametrize("hours, length, expected", [(0, 4, 0), (1, 4, 1), (4, 4, 1), (5, 4, 2), (40, 4, 10)])
def test_sessions_needed(hours, length, expected):
    assert sessions_needed(hours, length) == expected


def test_bad_period():
    with pytest.raises(ScheduleError) as raised:
        generate(date(2026, 5, 2), date(2026, 5, 1), [ModuleNeed("A", 1)], {})
    assert raised.value.code == "bad_period"


def test_spread_evenly_and_deterministic():
    start = date(2026, 7, 1)
    end = five_months_after(start)
    days_off = indonesian_days_off(start, end)
    days = working_days(start, end, days_off)
    modules = [ModuleNeed("A", 3), ModuleNeed("B", 4), ModuleNeed("C", 3)]
    placed = generate(start, end, modules, days_off)
    assert placed == generate(start, end, modules, days_off)
    assert placed[0].date == days[0]
    assert placed[-1].date >= days[-len(days) // 10]  # within one tenth of the period of its end
    gaps = [days.index(b.date) - days.index(a.date) for a, b in zip(placed, placed[1:])]
    assert max(gaps) - min(gaps) <= 1


def test_taken_slots_do_not_make_a_fitting_plan_fail():
    # Spreading would aim the last session at the taken end of the period; it moves earlier instead.
    start, end = date(2026, 7, 6), date(2026, 7, 17)  # ten working days
    days = working_days(start, end, {})
    taken = frozenset((d, 0) for d in days[7:])
    placed = generate(start, end, [ModuleNeed("A", 5)], {}, taken=taken)
    # Targets 0, 2, 4, 6, 8; the last two are capped at 5 and 6 so that both still fit before day 7.
    assert [p.date for p in placed] == [days[i] for i in (0, 2, 4, 5, 6)]


# --- properties -------------------------------------------------------------------------

def _reference_prefix(slots, owners, taken):
    # Earliest-first placement, written independently: the longest prefix that fits.
    index, count = 0, 0
    for module in owners:
        while index < len(slots) and (slots[index] in taken or slots[index] in module.blocked):
            index += 1
        if index == len(slots):
            break
        index, count = index + 1, count + 1
    return count


@st.composite
def plans(draw):
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 729)))
    end = min(five_months_after(start), LAST_DAY_WITH_DATA)
    cuti = draw(st.booleans())
    per_day = draw(st.integers(1, 2))
    days = working_days(start, end, all_days_off(cuti))
    slots = [(d, s) for d in days for s in range(per_day)]
    some_slots = st.sets(st.sampled_from(slots), max_size=len(slots) // 2) if slots else st.just(set())
    with_blocks = draw(st.booleans())
    # Up to half the slots per module, so too many sessions in all is common too.
    modules = [ModuleNeed(f"M{k}", draw(st.integers(0, max(1, len(slots) // 2))),
                          frozenset(draw(some_slots)) if with_blocks else frozenset())
               for k in range(draw(st.integers(0, 6)))]
    taken = frozenset(draw(some_slots)) if draw(st.booleans()) else frozenset()
    return start, end, cuti, per_day, slots, modules, taken


@PROPS
@given(plans())
def test_generate_properties(plan):
    start, end, cuti, per_day, slots, modules, taken = plan
    days_off = all_days_off(cuti)
    owners = [m for m in modules for _ in range(m.sessions)]
    fits = _reference_prefix(slots, owners, taken)
    try:
        placed = generate(start, end, modules, days_off, sessions_per_day=per_day, taken=taken)
    except ScheduleError as error:
        assert error.code == "too_few_slots"
        assert (error.needed, error.available) == (len(owners), fits) and fits < len(owners)
        if not any(m.blocked for m in modules):
            assert len(owners) > len(set(slots) - taken)
        return
    assert fits == len(owners)
    assert [p.key for p in placed] == [m.key for m in owners]
    used = [(p.date, p.slot) for p in placed]
    assert all(isinstance(p, Placed) and start <= p.date <= end and 0 <= p.slot < per_day for p in placed)
    assert all(day_off_reason(p.date, days_off) is None for p in placed)
    assert used == sorted(set(used))  # time order, so modules are consecutive, and no slot twice
    assert not set(used) & taken
    assert all((p.date, p.slot) not in m.blocked for p, m in zip(placed, owners))
    if owners and not taken and not any(m.blocked for m in modules):
        n = len(owners)
        assert [slots.index(u) for u in used] == [i * len(slots) // n for i in range(n)]

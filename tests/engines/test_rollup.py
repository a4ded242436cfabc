"""Month grids and region roll-ups (engines/rollup.py), and the indicator arithmetic they feed."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sukarela.engines import indicators as math
from sukarela.engines.rollup import Grid, Table, leaf, level_of, levels, merge

D = dt.date


def test_leaf_and_levels():
    assert leaf("32.01.01.2001") == "32.01" and leaf("32.01") == "32.01" and leaf("32") == "32"
    assert leaf(None) == "" and leaf("") == "" and leaf("3") == ""
    assert levels("32.01") == ("32.01", "32", "") and levels("32") == ("32", "") and levels("") == ("",)
    assert [level_of(c) for c in ("", "32", "32.01")] == [0, 1, 2]


def test_grid_as_of_days():
    grid = Grid(D(2026, 1, 1), D(2026, 3, 1), today=D(2026, 3, 10))
    assert grid.months == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert grid.as_ofs == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 10)]  # the current month: today
    assert grid.first_as_of(D(2026, 2, 28)) == 1 and grid.first_as_of(D(2026, 3, 1)) == 2
    assert grid.first_as_of(D(2026, 3, 11)) == 3  # after today: not in any month yet
    assert grid.first_as_of(D(2020, 1, 1)) == 0
    assert grid.last_as_of(D(2026, 2, 27)) == 0 and grid.last_as_of(D(2026, 2, 28)) == 1
    assert grid.last_as_of(D(2025, 12, 31)) == -1
    assert grid.last_starting(D(2026, 2, 1)) == 1 and grid.last_starting(D(2026, 1, 31)) == 0
    assert grid.month_of(D(2026, 2, 14)) == 1 and grid.month_of(D(2026, 4, 1)) is None


def test_merge_spans():
    assert merge([(3, 5), (0, 1), (2, 2), (7, 6), (8, 9)]) == [(0, 5), (8, 9)]
    assert merge([(0, 4), (1, 2)]) == [(0, 4)]
    assert merge([]) == []


def test_table_spans_roll_up_and_per_level():
    t = Table(4)
    t.add_span("32.01", 1, 9, "n")     # clipped to the grid
    t.add_span("32.02", 0, 1, "n")
    t.add_span_at("32", 2, 2, "distinct")
    t.add("32", 3, "flow", 5)          # a province-level row: the province and the nation only
    t.finish()
    assert [t.cells.get(("32.01", i), {}).get("n") for i in range(4)] == [None, 1, 1, 1]
    assert [t.cells[("32", i)].get("n") for i in range(4)] == [1, 2, 1, 1]
    assert [t.cells[("", i)].get("n") for i in range(4)] == [1, 2, 1, 1]
    assert t.cells[("32", 2)]["distinct"] == 1 and "distinct" not in t.cells[("", 2)]
    assert t.cells[("32", 3)]["flow"] == 5 and t.cells[("", 3)]["flow"] == 5 and ("32.01", 3) in t.cells
    assert "flow" not in t.cells[("32.01", 3)]


@given(st.lists(st.tuples(st.integers(-3, 12), st.integers(-3, 12)), max_size=12))
def test_merge_covers_exactly_the_union(spans):
    covered = {i for a, b in spans for i in range(a, b + 1)}
    merged = merge(spans)
    assert {i for a, b in merged for i in range(a, b + 1)} == covered
    assert all(merged[k][1] + 1 < merged[k + 1][0] for k in range(len(merged) - 1))


def test_arithmetic():
    assert math.median([3, None, 1, 2]) == 2 and math.median([1, 4]) == 2.5 and math.median([None]) is None
    assert math.growth(0, 5) is None and math.growth(None, 5) is None and math.growth(200, 100) == -50.0
    assert math.ratio(1, 0) is None and math.ratio(None, 4) is None and math.ratio(1, 4, 100) == 25.0
    assert math.months_after(D(2025, 8, 31), 6) == D(2026, 2, 28) and math.add_months(D(2026, 12, 1), 1) == D(2027, 1, 1)
    # Survival is judged on its due day: stopped that very day still counts as running then.
    assert math.survived(D(2026, 1, 15), D(2026, 7, 15), 6, D(2026, 8, 1)) is True
    assert math.survived(D(2026, 1, 15), D(2026, 7, 14), 6, D(2026, 8, 1)) is False
    assert math.survived(D(2026, 1, 15), None, 6, D(2026, 7, 14)) is None
    assert math.survived(None, None, 6, D(2026, 7, 14)) is None

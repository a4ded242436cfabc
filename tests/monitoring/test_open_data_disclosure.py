"""Small-count suppression (engines.disclosure): hand-made tables and properties over random ones."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sukarela.engines.disclosure import TOTAL, Column, Row, protect

K = 10
PEOPLE = {"n", "a", "b", "t", "g"}
COUNT = Column("count", "n")                        # a people count shown as is
PLAIN = Column("plain", "v")                        # visits: not people, never hidden
SHARE = Column("share", "a", "b")                   # a part of a whole, both people counts
RATE = Column("rate", "v", "t")                     # visits per TKS: only the denominator is people
MEDIAN = Column("median", "med", guard="g")         # a median over g groups
COLUMNS = [COUNT, PLAIN, SHARE, RATE, MEDIAN]


def ratio(num, den, scale=100.0):
    return None if num is None or not den else num / den * scale


def row(**parts) -> Row:
    """A row whose figures are computed from its components as indicators.py would."""
    values = {"count": parts.get("n"), "plain": parts.get("v"), "share": ratio(parts.get("a"), parts.get("b")),
              "rate": ratio(parts.get("v"), parts.get("t"), 1.0), "median": parts.get("med")}
    return Row(components=parts, values=values)


def counts(**by_province) -> tuple[dict, Row]:
    """Rows with only the people count `n`, and their total (the sum)."""
    rows = {code: row(n=n) for code, n in by_province.items()}
    return rows, row(n=sum(n for n in by_province.values() if n is not None))


# --- hand-made tables -------------------------------------------------------------------

def test_small_count_hidden_and_the_smallest_other_cell_with_it():
    # 32: 12 groups, 33: 11, 52: 3; total 26. 52 hides (3 < 10); with the total shown,
    # 26 − 12 − 11 would give it back, so the smallest other cell (33: 11) hides too.
    rows, total = counts(**{"32": 12, "33": 11, "52": 3})
    table = protect(rows, total, [COUNT], PEOPLE, K)
    assert table.rows == {"32": {"count": 12}, "33": {"count": None}, "52": {"count": None}}
    assert table.total == {"count": 26}
    assert table.suppressed == {("52", "count"), ("33", "count")}
    assert table.primary == {("52", "count")}


def test_zero_is_shown_and_never_the_second_hidden_cell():
    # 33 has nobody: 0 is shown. Hiding it would not help (a reader sees 33 runs nothing), so
    # the cell that hides with 52 is 32's, the only other with people.
    rows, total = counts(**{"32": 12, "33": 0, "52": 3})
    table = protect(rows, total, [COUNT], PEOPLE, K)
    assert table.rows == {"32": {"count": None}, "33": {"count": 0}, "52": {"count": None}}
    assert table.total == {"count": 15}


def test_no_data_is_neither_hidden_nor_chosen():
    rows, total = counts(**{"32": 40, "33": None, "52": 9})
    table = protect(rows, total, [COUNT], PEOPLE, K)
    assert table.rows == {"32": {"count": None}, "33": {"count": None}, "52": {"count": None}}
    assert table.suppressed == {("52", "count"), ("32", "count")}  # 33 stays "no data"


def test_two_small_cells_need_no_third():
    rows, total = counts(**{"32": 12, "33": 4, "52": 3})
    table = protect(rows, total, [COUNT], PEOPLE, K)
    assert table.suppressed == {("33", "count"), ("52", "count")}
    assert table.rows["32"] == {"count": 12} and table.total == {"count": 19}


def test_a_small_total_hides_itself_and_needs_no_second_cell():
    rows, total = counts(**{"32": 0, "52": 3})
    table = protect(rows, total, [COUNT], PEOPLE, K)
    assert table.suppressed == {("52", "count"), (TOTAL, "count")}
    assert table.rows["32"] == {"count": 0}


def test_with_no_other_cell_to_hide_the_total_hides():
    # Survival: 52 has 2 of 12 groups surviving (2 < 10 hides it); 32 aided none (no ratio).
    # The national 2 of 12 would give 52 away: the total hides.
    rows = {"32": row(a=0, b=0), "52": row(a=2, b=12)}
    table = protect(rows, row(a=2, b=12), [SHARE], PEOPLE, K)
    assert table.suppressed == {("52", "share"), (TOTAL, "share")}
    assert table.total == {"share": None}


def test_ratio_rules():
    cases = {
        "num-small": row(a=9, b=40),     # 9 of 40: the 9 is a small count
        "num-zero": row(a=0, b=40),      # none of 40: says something about every one
        "den-small": row(a=5, b=9),
        "rest-small": row(a=38, b=40),   # 2 of 40 did not
        "all": row(a=40, b=40),          # every one did
        "fine": row(a=30, b=40),
        "fine-too": row(a=10, b=20),
    }
    table = protect(cases, row(a=162, b=229), [SHARE], PEOPLE, K)
    assert table.primary == {(key, "share") for key in ("num-small", "num-zero", "den-small", "rest-small", "all")}
    assert table.rows["fine"] == {"share": 75.0} and table.rows["fine-too"] == {"share": 50.0}


def test_rate_hides_on_a_small_denominator_only():
    rows = {"32": row(v=3, t=12), "33": row(v=50, t=9), "52": row(v=0, t=20)}
    table = protect(rows, row(v=53, t=41), [RATE, PLAIN], PEOPLE, K)
    assert table.primary == {("33", "rate")}
    # Secondary: the smallest other denominator with a published rate is 32's 12 TKS.
    assert table.suppressed == {("33", "rate"), ("32", "rate")}
    assert table.rows["52"] == {"rate": 0.0, "plain": 0}  # visits are not people: shown, 0 too
    assert table.rows["33"]["plain"] == 50


def test_a_guarded_zero_over_nobody_shows():
    # Credit accessed is guarded by the realised linkages: Rp 0 from none is no one's loan.
    rows = {"32": row(med=0, g=0), "52": row(med=5_000_000, g=0), "33": row(med=0, g=3)}
    table = protect(rows, row(med=5_000_000, g=3), [MEDIAN], PEOPLE, K)
    assert table.primary == {("52", "median"), ("33", "median"), (TOTAL, "median")}
    assert table.rows["32"] == {"median": 0}


def test_median_needs_its_groups():
    rows = {"32": row(med=12.5, g=10), "33": row(med=40.0, g=9), "52": row(med=5.0, g=30)}
    table = protect(rows, row(med=14.0, g=49), [MEDIAN], PEOPLE, K)
    assert table.primary == {("33", "median")}
    assert table.suppressed == {("33", "median"), ("32", "median")}  # 10 groups < 30 groups
    assert table.rows["52"] == {"median": 5.0}


# --- properties over random tables ------------------------------------------------------

small = st.one_of(st.none(), st.integers(0, 40))


@st.composite
def tables(draw):
    keys = draw(st.lists(st.sampled_from(["11", "12", "31", "32", "33", "52", "91"]), min_size=1, max_size=7,
                         unique=True))
    rows = {}
    for key in keys:
        b = draw(small)
        a = None if b is None else draw(st.integers(0, b))
        rows[key] = row(n=draw(small), v=draw(small), a=a, b=b, t=draw(small), g=draw(small),
                        med=draw(st.one_of(st.none(), st.floats(-100, 500))))

    def add(name):
        present = [r.components[name] for r in rows.values() if r.components.get(name) is not None]
        return sum(present) if present else None

    # The total is usually the sum; sometimes less (a TKS active in two provinces counts once).
    total = {name: add(name) for name in ("n", "v", "a", "b", "t", "g")}
    if draw(st.booleans()) and total["n"]:
        total["n"] = draw(st.integers(0, total["n"]))
    total["med"] = draw(st.one_of(st.none(), st.floats(-100, 500)))
    return rows, row(**total)


PROPS = settings(max_examples=400, deadline=None)


@PROPS
@given(tables())
def test_no_published_people_count_is_small(data):
    rows, total = data
    table = protect(rows, total, COLUMNS, PEOPLE, K)
    for values in [*table.rows.values(), table.total]:
        assert values["count"] is None or not 1 <= values["count"] < K


@PROPS
@given(tables())
def test_never_exactly_one_hidden_cell_in_a_column_while_the_total_shows(data):
    rows, total = data
    table = protect(rows, total, COLUMNS, PEOPLE, K)
    for c in COLUMNS:
        hidden = [key for key in rows if table.hidden(key, c.code)]
        if len(hidden) == 1:
            assert table.total[c.code] is None, (c.code, hidden)


@PROPS
@given(tables())
def test_ratios_of_small_counts_are_never_published(data):
    rows, total = data
    table = protect(rows, total, COLUMNS, PEOPLE, K)
    for key, source in [*rows.items(), (TOTAL, total)]:
        shown = table.total if key == TOTAL else table.rows[key]
        parts = source.components
        if shown["share"] is not None:
            assert parts["a"] >= K and parts["b"] >= K and parts["b"] - parts["a"] >= K
        if shown["rate"] is not None:
            assert parts["t"] >= K
        if shown["median"] is not None:
            assert parts["g"] is not None and (parts["g"] >= K or parts["g"] == shown["median"] == 0)


@PROPS
@given(tables())
def test_published_cells_are_the_figures_unchanged_and_at_most_one_more_per_column(data):
    rows, total = data
    table = protect(rows, total, COLUMNS, PEOPLE, K)
    assert table.primary <= table.suppressed
    for key, source in [*rows.items(), (TOTAL, total)]:
        shown = table.total if key == TOTAL else table.rows[key]
        for c in COLUMNS:
            expected = None if table.hidden(key, c.code) else source.values[c.code]
            assert shown[c.code] == expected
            if table.hidden(key, c.code):
                assert source.values[c.code] is not None  # only a figure can hide
    for c in COLUMNS:
        added = {cell for cell in table.suppressed - table.primary if cell[1] == c.code}
        assert len(added) <= 1
    assert not any(code == "plain" for _, code in table.suppressed)  # not people: never hidden

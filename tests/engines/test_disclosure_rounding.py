"""Rounding of published people counts (engines.disclosure, `rounding`): hand-made tables and a property."""

from hypothesis import given
from hypothesis import strategies as st

from sukarela.engines.disclosure import Column, Row, protect, round_to
from tests.monitoring.test_open_data_disclosure import COLUMNS, PEOPLE, PROPS, SHARE, row, tables

K = 10
APPLIED = Column("applied", "n")
ELIGIBLE = Column("eligible", "e")
CREDIT = Column("credit", "money", guard="loans")


def test_round_to_the_nearest_multiple():
    assert [round_to(n, 5) for n in (0, 10, 11, 12, 13, 14, 15, 17, 18, 26)] == [0, 10, 10, 10, 15, 15, 15, 15, 20, 25]
    assert round_to(None, 5) is None and round_to(13, 1) == 13


def test_a_rounded_count_never_falls_under_the_threshold():
    # k = 12: 12 would round to 10 and, as the reader knows 10 … 12 but nothing under 12 shows,
    # give "exactly 12" away. The smallest published count is 15 (12 … 17).
    rows = {str(code): Row({"n": n}, {"applied": n}) for code, n in zip(range(30, 37), (12, 13, 17, 18, 0, 11, 2))}
    table = protect(rows, Row({"n": 73}, {"applied": 73}), [APPLIED], {"n"}, 12, rounding=5)
    assert [table.rows[str(code)]["applied"] for code in range(30, 37)] == [15, 15, 15, 20, 0, None, None]
    assert table.total == {"applied": 75}


def test_nested_counts_no_longer_give_the_small_difference():
    # 40 applied, 37 eligible: exact, the 3 who were not eligible could be read off; rounded to 40
    # and 35, the difference 5 only says 1 to 9 (each count is off by at most 2).
    rows = {"32": Row({"n": 40, "e": 37}, {"applied": 40, "eligible": 37})}
    table = protect(rows, Row({"n": 40, "e": 37}, {"applied": 40, "eligible": 37}), [APPLIED, ELIGIBLE],
                    {"n", "e"}, K, rounding=5)
    assert table.rows["32"] == {"applied": 40, "eligible": 35}


def test_only_people_counts_round():
    # A share of 33 of 47 stays 70.2 % (not 35 of 45); visits and a guarded credit total stay exact.
    rows = {"32": row(n=13, v=43, a=33, b=47), "33": Row({"money": 52_300_000, "loans": 12},
                                                         {"credit": 52_300_000})}
    total = Row({"n": 13, "v": 43, "a": 33, "b": 47, "money": 52_300_000, "loans": 12},
                {**row(n=13, v=43, a=33, b=47).values, "credit": 52_300_000})
    table = protect(rows, total, [*COLUMNS, CREDIT], PEOPLE, K, rounding=5)
    assert table.rows["32"]["count"] == 15 and table.rows["32"]["plain"] == 43
    assert table.rows["32"]["share"] == 33 / 47 * 100
    assert table.rows["33"]["credit"] == 52_300_000 and table.total["credit"] == 52_300_000
    assert table.total["count"] == 15
    assert SHARE.counts_people(PEOPLE) is False and CREDIT.counts_people(PEOPLE | {"money"}) is False


@PROPS
@given(tables(), st.sampled_from([5, 3]))
def test_published_people_counts_are_multiples_near_the_truth(data, base):
    rows, total = data
    exact = protect(rows, total, COLUMNS, PEOPLE, K)
    rounded = protect(rows, total, COLUMNS, PEOPLE, K, rounding=base)
    assert rounded.suppressed == exact.suppressed  # rounding never changes what hides
    for key, source in [*rows.items(), ("", total)]:
        shown = rounded.total if key == "" else rounded.rows[key]
        same = exact.total if key == "" else exact.rows[key]
        for c in COLUMNS:
            if c.code == "count" and shown["count"] is not None:
                assert shown["count"] % base == 0 and abs(shown["count"] - source.values["count"]) < base
                assert shown["count"] == 0 or shown["count"] >= K  # never a count under k, rounded or not
            else:
                assert shown[c.code] == same[c.code]

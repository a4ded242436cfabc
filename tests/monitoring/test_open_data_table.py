"""The open data table (selectors/open_data.py) on hand-written RegionMonth rows: which indicators
are published, how a period combines its months, which cells hide (threshold 10) and how people
counts are rounded (to the nearest multiple of 5).

Provinces in the test slice: 32 (Jawa Barat), 33 (Jawa Tengah, loaded here) and 52 (NTB)."""

import datetime as dt

import pytest
from django.utils import timezone

from sukarela.monitoring.indicators import INDICATORS
from sukarela.monitoring.models import RefreshState, RegionMonth
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors.figures import STATE
from sukarela.monitoring.selectors.open_data import OPEN, province_table
from sukarela.regions.services import load_regions

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
Q1 = Period(JAN, dt.date(2025, 3, 1))


@pytest.fixture
def three_provinces(regions):
    load_regions(within=["33.01.01"])
    return regions


def month(code: str, when: dt.date, **values):
    level = 0 if code == "" else len(code.split("."))
    RegionMonth.objects.create(region_code=code, level=level, month=when, values=values)


def cells(table, code):
    row = table.total if code == "" else next(r for r in table.rows if r.code == code)
    return row.values, set(row.suppressed)


def test_the_published_indicators_are_the_open_data_ones():
    assert [i.code for i in OPEN] == [i.code for i in INDICATORS if i.open_data]
    assert "cost_per_job" not in {i.code for i in OPEN}  # budgets are not open data
    assert {"groups_registered", "visits", "survival_12m", "jobs_created"} <= {i.code for i in OPEN}


def test_rows_for_every_active_province_and_the_nation(three_provinces):
    table = province_table(Q1)
    assert [(r.code, r.name) for r in table.rows] == [("32", "Jawa Barat"), ("33", "Jawa Tengah"),
                                                      ("52", "Nusa Tenggara Barat")]
    assert table.total.code == "" and table.total.name == "Indonesia"
    assert table.threshold == 10 and table.refreshed_at is None
    # No data anywhere: every value is "no data", nothing is hidden.
    assert all(v is None for r in [*table.rows, table.total] for v in r.values.values())
    assert not table.any_hidden


def test_flows_sum_over_the_period_stocks_come_from_its_last_month(three_provinces):
    # 32: 20 + 15 new workers (flow) = 35; groups registered (stock) 30 in January, 31 in February
    # (published as 30: people counts are rounded to the nearest multiple of 5).
    # 33: 7 + 6 = 13 new workers, 12 then 14 groups. 52: 4 new workers, 5 groups. Nation: the sums.
    month("32", JAN, new_workers=20, groups_registered=30, visits=40)
    month("32", FEB, new_workers=15, groups_registered=31, visits=41)
    month("33", JAN, new_workers=7, groups_registered=12, visits=3)
    month("33", FEB, new_workers=6, groups_registered=14, visits=2)
    month("52", FEB, new_workers=4, groups_registered=5, visits=6)
    month("", JAN, new_workers=27, groups_registered=42, visits=43)
    month("", FEB, new_workers=25, groups_registered=50, visits=49)
    table = province_table(Period(JAN, FEB))
    values, hidden = cells(table, "32")
    assert (values["jobs_created"], values["groups_registered"], values["visits"]) == (35, 30, 81)
    assert hidden == set()
    # 52's 4 workers and 5 groups are small: hidden. With the nation's shown, 33 (the next smallest
    # in both columns) hides as well. Visits are not people: shown everywhere.
    values, hidden = cells(table, "52")
    assert (values["jobs_created"], values["groups_registered"], values["visits"]) == (None, None, 6)
    assert hidden == {"jobs_created", "groups_registered"}
    values, hidden = cells(table, "33")
    assert (values["jobs_created"], values["groups_registered"], values["visits"]) == (None, None, 5)
    assert hidden == {"jobs_created", "groups_registered"}
    assert (table.total.values["jobs_created"], table.total.values["groups_registered"]) == (50, 50)  # 52 → 50
    # A stock needs the period's last month: over January–March (no March rows) it is unknown.
    assert cells(province_table(Q1), "32")[0]["groups_registered"] is None


def test_secondary_suppression_hides_the_next_smallest_province(three_provinces):
    month("32", JAN, groups_registered=40)
    month("33", JAN, groups_registered=12)
    month("52", JAN, groups_registered=3)
    month("", JAN, groups_registered=55)
    table = province_table(Period.month(JAN))
    # 52's 3 hides; 55 − 40 − 12 would give it back, so 33's 12 (the smaller of the rest) hides too.
    assert cells(table, "32") == ({**cells(table, "32")[0], "groups_registered": 40}, set())
    for code in ("33", "52"):
        values, hidden = cells(table, code)
        assert values["groups_registered"] is None and hidden == {"groups_registered"}
    assert table.total.values["groups_registered"] == 55


def test_ratios_medians_and_money_hide_with_few_behind_them(three_provinces):
    common = {"groups_registered": 50}
    # Survival at 12 months: 32: 30 of 40 (75 %); 33: 19 of 20 (1 group stopped: hidden);
    # 52: 4 of 6 (hidden). Median turnover growth: 32 over 12 groups, 33 over 9 (hidden).
    # Credit: 32 from 12 realised loans; 33 from 3 loans (one could be all of it: hidden) among 30
    # realised linkages (the market links do not make the loans' total any less one group's).
    month("32", JAN, **common, survived_12m=30, aided_12m=40, turnover_growth_median=12.5, turnover_growth_groups=12,
          linkages_realised=25, loans_realised=12, credit_accessed=250_000_000)
    month("33", JAN, **common, survived_12m=19, aided_12m=20, turnover_growth_median=40.0, turnover_growth_groups=9,
          linkages_realised=30, loans_realised=3, credit_accessed=80_000_000)
    month("52", JAN, **common, survived_12m=4, aided_12m=6)
    month("", JAN, groups_registered=150, survived_12m=53, aided_12m=66, turnover_growth_median=20.0,
          turnover_growth_groups=21, linkages_realised=55, loans_realised=15, credit_accessed=330_000_000)
    table = province_table(Period.month(JAN))
    v32, h32 = cells(table, "32")
    v33, h33 = cells(table, "33")
    assert v32["survival_12m"] == 75.0 and v32["linkages_realised"] == 25
    assert {"survival_12m", "turnover_growth", "credit_accessed"} <= h33
    assert v33["linkages_realised"] == 30  # a count of linkages, not of people: shown (and not rounded)
    assert v32["linkages_realised"] == 25
    assert "survival_12m" in cells(table, "52")[1]
    # Two provinces hidden in survival: the national 53 of 66 (80.3 %) shows, so does 32's.
    assert table.total.values["survival_12m"] == 80.3
    # One province hidden in the median and the credit columns while the nation shows: the other
    # province with a figure (32) hides too, so 33's cannot be worked out from the nation's.
    assert h32 == {"turnover_growth", "credit_accessed"}
    assert (table.total.values["turnover_growth"], table.total.values["credit_accessed"]) == (20.0, 330_000_000)


def test_refresh_time_is_the_last_finished_refresh(three_provinces):
    at = timezone.now().replace(microsecond=0)
    RefreshState.objects.create(name=STATE, refreshed_at=at)
    assert province_table(Q1).refreshed_at == at


def test_only_a_primary_small_count_is_marked_small(three_provinces):
    # 52's 3 groups hide for themselves ("<10" on the page); 33's 12 hides only so 52's cannot be
    # subtracted out of the nation's 55: any size, so not marked small. Survival hides in 52 as a
    # ratio over 6 groups: not a count, not marked small either.
    month("32", JAN, groups_registered=40, survived_12m=30, aided_12m=40)
    month("33", JAN, groups_registered=12, survived_12m=30, aided_12m=40)
    month("52", JAN, groups_registered=3, survived_12m=4, aided_12m=6)
    month("", JAN, groups_registered=55, survived_12m=64, aided_12m=86)
    table = province_table(Period.month(JAN))
    row = {r.code: {c.code: c for c in r.cells} for r in table.rows}
    assert row["52"]["groups_registered"].hidden and row["52"]["groups_registered"].small
    assert row["33"]["groups_registered"].hidden and not row["33"]["groups_registered"].small
    assert row["52"]["survival_12m"].hidden and not row["52"]["survival_12m"].small
    assert not row["32"]["groups_registered"].small
    assert table.rounding == 5 and row["32"]["groups_registered"].value == 40


def test_people_counts_are_rounded_ratios_are_computed_from_the_exact_counts(three_provinces):
    # 32: 13 applicants → 15, 12 eligible → 10, 11 TKS posted → 10, 22 groups → 20, 17 new workers
    # → 15; survival: 33 of 47 = 70.21 % from the exact counts (the rounded 35 of 45 would be
    # 77.78 %). Visits (not people): 43 exactly.
    month("32", JAN, applied=13, eligible=12, tks_posted=11, groups_registered=22, new_workers=17, visits=43,
          survived_12m=33, aided_12m=47)
    month("", JAN, applied=13, eligible=12, tks_posted=11, groups_registered=22, new_workers=17, visits=43,
          survived_12m=33, aided_12m=47)
    values, hidden = cells(province_table(Period.month(JAN)), "32")
    assert hidden == set()
    assert (values["funnel_applied"], values["funnel_eligible"], values["tks_posted"]) == (15, 10, 10)
    assert (values["groups_registered"], values["jobs_created"], values["visits"]) == (20, 15, 43)
    assert values["survival_12m"] == 70.21

"""Every indicator on the hand-built programme of indicator_world.py, at regency, province and nation
level, month by month and over March–June 2026. Each expected number is worked out by hand from
the rows listed there (the comments say which rows)."""

import datetime as dt

import pytest

from sukarela.monitoring import indicators
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures as sel
from sukarela.monitoring.services.refresh import refresh
from tests.monitoring.indicator_world import TODAY, build

pytestmark = pytest.mark.django_db
D = dt.date
MONTHS = [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]
SPRING = Period(MONTHS[0], MONTHS[-1])

# Components per region, March to June (None: the component is absent that month).
EXPECTED = {
    "32.01": {
        "applied": [3, 1, 0, 0], "eligible": [2, 0, 0, 0], "selected": [2, 0, 0, 0], "trained": [2, 0, 0, 0],
        "graduated": [2, 0, 0, 0], "posted": [2, 0, 0, 0],
        "tks_posted": [1, 1, 2, 2],      # T1; T1 (P2 ended 20 Apr); T1 + T2 (P3 from 10 May)
        "tks_active": [1, 1, 2, 1],
        "visits": [2, 2, 2, 1], "activities": [0, 0, 0, 0],
        "role_motivator": [1, 1, 1, 1], "role_fasilitator": [1, 1, 1, 0], "role_mediator": [1, 1, 0, 0],
        "role_inovator": [0, 0, 0, 1],
        "task_usaha": [1, 2, 1, 1], "task_kemitraan": [1, 1, 1, 0], "task_kapasitas": [0, 0, 0, 0],
        "task_akses": [0, 0, 0, 0],
        "groups_registered": [2, 1, 2, 2],  # G1 G2; G2 stopped 20 Apr; G3 from 5 May
        "groups_mentored": [2, 2, 2, 2], "groups_visited_30d": [2, 2, 2, 2],
        "aided_6m": [2, 2, 2, 2], "survived_6m": [2, 2, 2, 2],  # G2 stopped after its 6 months
        "aided_12m": [1, 1, 1, 1], "survived_12m": [1, 1, 1, 1], "aided_24m": [0, 0, 0, 0],
        "survived_24m": [0, 0, 0, 0],
        "turnover_growth_median": [50.0, 50.0, 100.0, 100.0], "turnover_growth_groups": [1, 1, 1, 1],
        "new_workers": [3, 0, 4, 0],
        "linkages_realised": [0, 1, 0, 0], "credit_accessed": [0, 10_000_000, 0, 0],
        "loans_realised": [0, 1, 0, 0],
        "alumni": [1, 1, 1, 2], "alumni_known": [1, 1, 1, 2], "alumni_working": [1, 1, 0, 1],
        "budget": [10_000_000] * 4,
    },
    "32.02": {
        "applied": [0, 1, 1, 0], "eligible": [0, 0, 1, 0], "selected": [0, 0, 1, 0], "trained": [0, 0, 1, 0],
        "graduated": [0, 0, 0, 0], "posted": [0, 0, 0, 0],
        "tks_posted": [1, 1, 1, 1], "tks_active": [1, 1, 1, 0],
        "visits": [0, 1, 1, 0], "activities": [1, 0, 0, 0],
        "role_motivator": [0, 1, 0, 0], "role_mediator": [0, 0, 1, 0], "role_inovator": [1, 0, 0, 0],
        "task_usaha": [0, 0, 1, 0], "task_kapasitas": [1, 0, 0, 0], "task_akses": [1, 1, 0, 0],
        "groups_registered": [1, 1, 1, 1],  # G4; G5 stopped without a day counts as never running
        "groups_mentored": [1, 1, 1, 1], "groups_visited_30d": [1, 1, 1, 0],  # G4's 16 May is a day too early
        "aided_6m": [1, 2, 2, 2], "survived_6m": [1, 1, 1, 1],  # G5's 6 months fell due 30 Apr
        "aided_12m": [1, 1, 1, 1], "aided_24m": [0, 1, 1, 1], "survived_24m": [0, 1, 1, 1],
        "turnover_growth_median": [None, -50.0, -50.0, -50.0], "turnover_growth_groups": [0, 1, 1, 1],
        "new_workers": [0, 3, 0, 0],
        "linkages_realised": [0, 0, 1, 0], "credit_accessed": [0, 0, 0, 0], "loans_realised": [0, 0, 0, 0],
        "alumni": [1, 1, 1, 1], "alumni_known": [0, 1, 1, 1], "alumni_working": [0, 0, 0, 1],
        "budget": [None] * 4,
    },
    "52.03": {
        "applied": [0, 1, 0, 0], "eligible": [0, 1, 0, 0], "selected": [0, 0, 0, 0],
        "tks_posted": [1, 1, 1, 0], "tks_active": [0, 1, 0, 1],
        "visits": [0, 0, 0, 1], "activities": [0, 1, 0, 0], "role_motivator": [0, 1, 0, 1],
        "task_kapasitas": [0, 1, 0, 0], "task_akses": [0, 0, 0, 1],
        "groups_registered": [1, 1, 1, 0], "groups_mentored": [1, 1, 1, 1], "groups_visited_30d": [0, 1, 0, 1],
        "aided_6m": [0, 0, 0, 0],  # G6's 6 months fall due 30 June, after today
        "turnover_growth_median": [None, None, None, 50.0], "turnover_growth_groups": [0, 0, 0, 1],
        "new_workers": [0, 2, 0, 1], "linkages_realised": [0, 0, 0, 1], "credit_accessed": [0, 0, 0, 5_000_000],
        "loans_realised": [0, 0, 0, 1],
        "alumni": [0, 0, 1, 1], "alumni_known": [0, 0, 0, 0], "budget": [None] * 4,
    },
    "32": {
        "applied": [3, 2, 1, 0], "eligible": [2, 0, 1, 0], "trained": [2, 0, 1, 0], "graduated": [2, 0, 0, 0],
        "tks_posted": [2, 2, 2, 2],   # T2 posted in 32.01 and 32.02 in May and June counts once
        "tks_active": [2, 2, 2, 1],   # T1 + T2 in May, though T2 visited both regencies
        "visits": [2, 3, 3, 1], "activities": [1, 0, 0, 0],
        "groups_registered": [3, 2, 3, 3], "groups_mentored": [3, 3, 3, 3], "groups_visited_30d": [3, 3, 3, 2],
        "aided_6m": [3, 4, 4, 4], "survived_6m": [3, 3, 3, 3], "aided_24m": [0, 1, 1, 1],
        "turnover_growth_median": [50.0, 0.0, 25.0, 25.0],  # even counts: the mean of the middle two
        "turnover_growth_groups": [1, 2, 2, 2],
        "new_workers": [3, 3, 4, 0],
        "linkages_realised": [1, 1, 1, 0],  # March: the BLK registered at province level only
        "credit_accessed": [0, 10_000_000, 0, 0], "loans_realised": [0, 1, 0, 0],
        "alumni": [2, 2, 2, 3], "alumni_known": [1, 2, 2, 3], "alumni_working": [1, 1, 0, 2],
        "budget": [None] * 4,
    },
    "": {
        "applied": [3, 3, 1, 0], "eligible": [2, 1, 1, 0], "selected": [2, 0, 1, 0], "trained": [2, 0, 1, 0],
        "graduated": [2, 0, 0, 0], "posted": [2, 0, 0, 0],
        "tks_posted": [3, 3, 3, 2], "tks_active": [2, 3, 2, 2],
        "visits": [2, 3, 3, 2], "activities": [1, 1, 0, 0],
        "groups_registered": [4, 3, 4, 3], "groups_mentored": [4, 4, 4, 4], "groups_visited_30d": [3, 4, 3, 3],
        "aided_6m": [3, 4, 4, 4], "survived_6m": [3, 3, 3, 3], "aided_12m": [2, 2, 2, 2], "survived_12m": [2, 2, 2, 2],
        "turnover_growth_median": [50.0, 0.0, 25.0, 50.0], "turnover_growth_groups": [1, 2, 2, 3],
        "new_workers": [3, 5, 4, 1],
        "linkages_realised": [1, 1, 1, 1], "credit_accessed": [0, 10_000_000, 0, 5_000_000],
        "loans_realised": [0, 1, 0, 1],
        "alumni": [2, 2, 3, 4], "alumni_known": [1, 2, 2, 3], "alumni_working": [1, 1, 0, 2],
        "budget": [100_000_000] * 4,
    },
}
EXPECTED["52"] = {k: v for k, v in EXPECTED["52.03"].items()}


@pytest.fixture
def programme(world):
    made = build(world)
    refresh(full=True, today=TODAY)
    made.world = world
    return made


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_components_month_by_month(programme, code):
    got = sel.region_months([code], SPRING)[code]
    for name, expected in EXPECTED[code].items():
        assert [m.get(name) for m in got] == expected, f"{code or 'ID'} {name}"


def test_every_component_is_checked_somewhere():
    checked = set().union(*EXPECTED.values())
    assert set(indicators.COMPONENTS) <= checked


def approx(value):
    return pytest.approx(value, rel=1e-9, abs=1e-9)


SPRING_FIGURES = {
    "": {
        "funnel_applied": 7, "funnel_eligible": 4, "funnel_selected": 3, "funnel_trained": 3,
        "funnel_graduated": 2, "funnel_posted": 2, "tks_posted": 2, "tks_active": 2,
        "visit_frequency": 12 / 9,  # (10 visits + 2 activities) ÷ (2 + 3 + 2 + 2 active TKS)
        "visits": 10, "groups_registered": 3, "groups_mentored": 4, "visited_30d": 75.0,
        "role_motivator": 700 / 12, "role_fasilitator": 25.0, "role_mediator": 25.0, "role_inovator": 200 / 12,
        "task_usaha": 50.0, "task_kemitraan": 25.0, "task_kapasitas": 200 / 12, "task_akses": 25.0,
        "survival_6m": 75.0, "survival_12m": 100.0, "survival_24m": 100.0, "turnover_growth": 50.0,
        "jobs_created": 13, "linkages_realised": 4, "credit_accessed": 15_000_000,
        "alumni_working": 200 / 3, "cost_per_job": 400_000_000 / 13,
    },
    "32": {
        "funnel_applied": 6, "funnel_eligible": 3, "funnel_selected": 3, "funnel_trained": 3,
        "funnel_graduated": 2, "funnel_posted": 2, "tks_posted": 2, "tks_active": 1,
        "visit_frequency": 10 / 7, "visits": 9, "groups_registered": 3, "groups_mentored": 3,
        "visited_30d": 200 / 3, "survival_6m": 75.0, "survival_12m": 100.0, "survival_24m": 100.0,
        "turnover_growth": 25.0, "jobs_created": 10, "linkages_realised": 3, "credit_accessed": 10_000_000,
        "alumni_working": 200 / 3, "cost_per_job": None,  # no budget entered for the province
    },
    "32.01": {
        "funnel_applied": 4, "funnel_eligible": 2, "funnel_selected": 2, "funnel_trained": 2,
        "funnel_graduated": 2, "funnel_posted": 2, "tks_posted": 2, "tks_active": 1,
        "visit_frequency": 7 / 5, "visits": 7, "groups_registered": 2, "groups_mentored": 2, "visited_30d": 100.0,
        "role_motivator": 400 / 7, "role_fasilitator": 300 / 7, "role_mediator": 200 / 7, "role_inovator": 100 / 7,
        "task_usaha": 500 / 7, "task_kemitraan": 300 / 7, "task_kapasitas": 0.0, "task_akses": 0.0,
        "survival_6m": 100.0, "survival_12m": 100.0, "survival_24m": None,  # nothing aided 24 months ago
        "turnover_growth": 100.0, "jobs_created": 7, "linkages_realised": 1, "credit_accessed": 10_000_000,
        "alumni_working": 50.0, "cost_per_job": 40_000_000 / 7,
    },
    "52.03": {
        "funnel_applied": 1, "funnel_selected": 0, "tks_posted": 0, "tks_active": 1, "visit_frequency": 2 / 2,
        "groups_registered": 0, "visited_30d": 100.0, "survival_6m": None, "turnover_growth": 50.0,
        "jobs_created": 3, "credit_accessed": 5_000_000, "alumni_working": None, "cost_per_job": None,
    },
}


def _user_for(world, code):
    return {"": world.national, "32": world.provincial, "32.01": world.district, "52.03": world.national}[code]


@pytest.mark.parametrize("code", sorted(SPRING_FIGURES))
def test_figures_over_four_months(programme, code):
    fig = sel.figures(_user_for(programme.world, code), code, SPRING)
    assert set(fig.values) == {i.code for i in indicators.INDICATORS}
    for name, expected in SPRING_FIGURES[code].items():
        assert fig.values[name] == (None if expected is None else approx(expected)), f"{code or 'ID'} {name}"
    assert fig.refreshed_at is not None


def test_single_months(programme):
    national = programme.world.national
    april = sel.figures(national, "", Period.month(D(2026, 4, 1))).values
    assert april["visited_30d"] == 100.0 and april["tks_active"] == 3 and april["turnover_growth"] == 0.0
    assert april["jobs_created"] == 5 and april["cost_per_job"] == approx(100_000_000 / 5)
    may = sel.figures(programme.world.provincial, "32", Period.month(D(2026, 5, 1))).values
    assert may["tks_active"] == 2 and may["tks_posted"] == 2 and may["turnover_growth"] == 25.0
    assert may["visit_frequency"] == approx(3 / 2)
    march = sel.figures(national, "", Period.month(D(2026, 3, 1))).values
    assert march["survival_24m"] is None and march["survival_6m"] == 100.0 and march["alumni_working"] == 100.0


def test_trend_is_month_by_month(programme):
    trend = sel.trend(programme.world.national, "", 4, end=TODAY)
    assert [m for m, _ in trend] == MONTHS
    assert [v["visited_30d"] for _, v in trend] == [75.0, 100.0, 75.0, 75.0]
    assert [v["tks_active"] for _, v in trend] == [2, 3, 2, 2]
    assert [v["turnover_growth"] for _, v in trend] == [50.0, 0.0, 25.0, 50.0]


def test_children_fill_regions_without_data(programme):
    kids = sel.children(programme.world.national, "", SPRING)
    by_code = {k.region.code: k for k in kids}
    assert [k.region.code for k in kids] == sorted(by_code)
    assert {"32", "52"} <= set(by_code)
    assert by_code["32"].values["jobs_created"] == 10 and by_code["52"].values["jobs_created"] == 3
    regencies = {k.region.code: k for k in sel.children(programme.world.provincial, "32", SPRING)}
    assert set(regencies) >= {"32.01", "32.02"}
    assert regencies["32.02"].values["survival_6m"] == 50.0
    empty = [k for code, k in regencies.items() if code not in ("32.01", "32.02")]
    assert all(v is None for k in empty for v in k.values.values())
    assert sel.children(programme.world.district, "32.01", SPRING) == []


def test_a_later_today_closes_june_and_reaches_g6_due_day(programme):
    """On 15 July, June is read at its last day: G3's visit of 17 May is out of June's 30-day
    window (1–30 June) and G6's 6 months fell due on 30 June, after it stopped on 10 June."""
    refresh(full=True, today=D(2026, 7, 15))
    june = sel.region_months(["32.01", "52.03", ""], Period.month(D(2026, 6, 1)))
    assert june["32.01"][0]["groups_visited_30d"] == 1
    assert june["52.03"][0]["aided_6m"] == 1 and june["52.03"][0]["survived_6m"] == 0
    july = sel.figures(programme.world.national, "", Period.month(D(2026, 7, 1))).values
    assert july["survival_6m"] == approx(300 / 5)  # G1 G2 G4 survived; G5 and G6 did not
    assert july["visits"] == 0 and july["visited_30d"] == 0.0


def test_no_data_is_none_not_zero(world):
    refresh(full=True, today=TODAY)
    fig = sel.figures(world.national, "", SPRING)
    assert all(v is None for v in fig.values.values())
    assert fig.components == {}


def test_cost_per_job_needs_a_budget_for_every_month_of_the_period():
    """Jobs of a month without a budget must not share the budget of another month (review finding)."""
    from sukarela.monitoring.indicators import figures

    budgeted = {"budget": 10_000_000, "new_workers": 10}
    unbudgeted = {"new_workers": 10}
    assert figures([budgeted, budgeted])["cost_per_job"] == approx(1_000_000)
    assert figures([unbudgeted, budgeted])["cost_per_job"] is None
    assert figures([budgeted, {}])["cost_per_job"] is None

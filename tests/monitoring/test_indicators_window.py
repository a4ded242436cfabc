""""Visited in the last 30 days" is one window (monitoring/window.py) for the refresh's figure and the
group table: on 1 March of a common year it reaches back to 31 January, two months before."""

import datetime as dt
from types import SimpleNamespace

import pytest

from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.monitoring import window
from sukarela.monitoring.models import RegionMonth
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures as sel
from sukarela.monitoring.services.refresh import refresh
from tests.conftest import make_user
from tests.groups.conftest import ensure_sectors
from tests.monitoring.indicator_world import at, group, visit

D = dt.date


@pytest.mark.parametrize("as_of, since, months", [
    (D(2026, 3, 1), D(2026, 1, 31), [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]),  # 28-day February
    (D(2024, 3, 1), D(2024, 2, 1), [D(2024, 2, 1), D(2024, 3, 1)]),                   # leap year
    (D(2026, 3, 30), D(2026, 3, 1), [D(2026, 3, 1)]),
    (D(2026, 6, 15), D(2026, 5, 17), [D(2026, 5, 1), D(2026, 6, 1)]),
])
def test_the_window_and_the_months_it_touches(as_of, since, months):
    assert window.since(as_of) == since
    assert window.months(as_of) == months
    assert window.inside(since, as_of) and window.inside(as_of, as_of)
    assert not window.inside(since - dt.timedelta(days=1), as_of) and not window.inside(None, as_of)


@pytest.mark.django_db
def test_a_visit_on_31_january_counts_on_1_march_in_the_figure_and_the_table(world, monkeypatch):
    from sukarela.monitoring.selectors import groups

    today = D(2026, 3, 1)
    monkeypatch.setattr(groups, "timezone", SimpleNamespace(localdate=lambda: today))
    ensure_sectors()
    tks = make_user("tks-maret", Role.TKS, world.village_in.code)
    visited, other = group("G Januari", world.village_in, D(2025, 1, 1)), group("G Lama", world.village_in,
                                                                                   D(2025, 1, 1))
    for g in (visited, other):
        Posting.objects.create(group=g, mentor=tks, starts_on=D(2025, 6, 1))
    visit(tks, visited, at(2026, 1, 31), ["motivator"], ["usaha"])   # day 30 of the window: inside
    visit(tks, other, at(2026, 1, 30), ["motivator"], ["usaha"])     # day 31: outside
    refresh(full=True, today=today)
    march = RegionMonth.objects.get(region_code="32.01", month=D(2026, 3, 1)).values
    assert (march["groups_mentored"], march["groups_visited_30d"]) == (2, 1)
    rows = {r.name: r for r in sel.group_rows(world.national, "32.01", Period.month(today))}
    assert (rows["G Januari"].last_visit_on, rows["G Januari"].visited_30d) == (D(2026, 1, 31), True)
    assert (rows["G Lama"].last_visit_on, rows["G Lama"].visited_30d) == (D(2026, 1, 30), False)

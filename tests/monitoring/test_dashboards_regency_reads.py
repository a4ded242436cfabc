"""The regency page's tables read the refreshed aggregates, not the raw history: the TKS table comes
from GroupMonth (its `tks` lists) and the open postings, touching raw visits only to split the rare
months two TKS shared; the group table reads the period's months and GroupTurnover, never a group's
whole history as ORM objects. The numbers below are worked out by hand from the rows made here."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.monitoring.models import GroupMonth
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures as sel
from sukarela.monitoring.selectors.tks import regency_tks
from sukarela.monitoring.services.refresh import refresh
from tests.conftest import make_user
from tests.groups.conftest import ensure_sectors
from tests.monitoring.indicator_world import at, group, snapshot, visit

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 5, 10)
SPRING = Period(D(2026, 2, 1), D(2026, 3, 1))  # February and March


@pytest.fixture
def regency(world, monkeypatch):
    """Kab. Bogor (32.01): A mentors G1, B mentors G2; A and B shared G2 in February; C (living there)
    last visited in 2025; tks_in (living there) never did. A also visits Kab. Sukabumi's G9."""
    from sukarela.monitoring.selectors import groups

    monkeypatch.setattr(groups, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    ensure_sectors()
    v = world.village_in
    a, b, c = (make_user(f"tks-{x}", Role.TKS, v.code, full_name=f"TKS {x.upper()}") for x in "abc")
    g1, g2 = group("G1", v, D(2024, 1, 1)), group("G2", v, D(2024, 1, 1))
    g9 = group("G9", world.village_out, D(2024, 1, 1))
    Posting.objects.create(group=g1, mentor=a, starts_on=D(2025, 1, 1))
    Posting.objects.create(group=g2, mentor=b, starts_on=D(2025, 1, 1))
    visit(a, g1, at(2026, 1, 20), ["motivator"], ["usaha"])                      # before the period
    visit(a, g1, at(2026, 3, 3), ["motivator"], ["usaha"])                       # March: 1
    visit(a, g1, at(2026, 3, 17), ["motivator"], ["usaha"], kind="kegiatan")     # March: 2 (an activity)
    visit(a, g1, at(2026, 4, 2), ["motivator"], ["usaha"])                       # after the period
    visit(a, g2, at(2026, 2, 10), ["motivator"], ["usaha"])                      # shared February: A 1
    visit(b, g2, at(2026, 2, 5), ["motivator"], ["usaha"])                       # shared February: B 2,
    visit(b, g2, at(2026, 2, 20), ["motivator"], ["usaha"])                      # last on 20 February
    visit(a, g9, at(2026, 3, 25), ["motivator"], ["usaha"])                      # another regency
    visit(c, g1, at(2025, 6, 7), ["motivator"], ["usaha"])                       # C: long ago
    for day, turnover in ((D(2025, 1, 15), 1_000_000), (D(2026, 1, 15), 1_500_000), (D(2026, 4, 15), 3_000_000)):
        snapshot(g1, day, turnover, 1)
    refresh(full=True, today=TODAY)
    return SimpleNamespace(world=world, a=a, b=b, c=c)


def test_the_tks_table_from_the_group_months(regency):
    listing = regency_tks(regency.world.district, "32.01", SPRING)
    got = {r.name: (r.groups, r.visits, r.last_visit_on) for r in listing.rows}
    assert got == {
        "TKS A": (1, 1 + 2, D(2026, 3, 17)),   # April's visit is after the period's end
        "TKS B": (1, 2, D(2026, 2, 20)),
        "TKS C": (0, 0, D(2025, 6, 7)),
        regency.world.tks_in.full_name: (0, 0, None),
    }
    assert not listing.capped


def test_the_tks_table_reads_raw_visits_only_for_shared_months(regency):
    """The one read of raw visits is G2's shared February (B's counts in spring; B's last visit in
    March, since B visited only then), by group and month, never per TKS over their history."""
    for period in (SPRING, Period.month(D(2026, 3, 1))):
        with CaptureQueriesContext(connection) as ctx:
            listing = regency_tks(regency.world.district, "32.01", period)
        raw = [q["sql"] for q in ctx.captured_queries if "mentoring_visit" in q["sql"]]
        assert len(raw) == 1 and raw[0].count("group_id =") == 1 and "core_user" not in raw[0]
        assert {r.name: r.last_visit_on for r in listing.rows}["TKS B"] == D(2026, 2, 20)


def test_the_group_table_loads_no_group_month_objects(regency, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a GroupMonth row loaded as an object")

    monkeypatch.setattr(GroupMonth, "from_db", classmethod(refuse))
    rows = {r.name: r for r in sel.group_rows(regency.world.district, "32.01", SPRING)}
    g1, g2 = rows["G1"], rows["G2"]
    # G1: 2 in March; turnover up to March: 1.0 M then 1.5 M = +50 % (April's 3.0 M comes later);
    # no snapshot in February or March, so no new workers.
    assert (g1.visits, g1.last_visit_on, g1.turnover, g1.turnover_growth, g1.new_workers) == (
        2, D(2026, 3, 17), Decimal(1_500_000), 50.0, 0)
    assert (g2.visits, g2.last_visit_on, g2.turnover, g2.turnover_growth) == (3, D(2026, 2, 20), None, None)
    # Read on 10 May, March's window ended on 31 March: 17 March is inside, 20 February is not.
    assert g1.visited_30d and not g2.visited_30d
    april = {r.name: r for r in sel.group_rows(regency.world.district, "32.01", Period.month(D(2026, 4, 1)))}
    assert (april["G1"].turnover, april["G1"].turnover_growth, april["G1"].last_visit_on, april["G1"].new_workers) \
        == (Decimal(3_000_000), 200.0, D(2026, 4, 2), 1)


def test_a_group_last_visited_long_before_the_period(regency):
    """The last visit comes from the group's history, not only from the months read for the sums."""
    may = {r.name: r for r in sel.group_rows(regency.world.district, "32.01", Period.month(D(2026, 5, 1)))}
    assert (may["G1"].visits, may["G1"].last_visit_on, may["G1"].visited_30d) == (0, D(2026, 4, 2), False)
    assert may["G2"].last_visit_on == D(2026, 2, 20)

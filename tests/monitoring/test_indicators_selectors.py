"""The figure selectors: who may read which region (404 otherwise, like core.scope), the group rows
of a regency worked out by hand from indicator_world.py, a group's months, a TKS's own groups,
and a dashboard's query count that does not grow with the data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from sukarela.core.roles import Role
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures as sel
from sukarela.monitoring.services.refresh import refresh
from tests.conftest import make_user
from tests.monitoring.indicator_world import TODAY, build

pytestmark = pytest.mark.django_db
D = dt.date
SPRING = Period(D(2026, 3, 1), D(2026, 6, 1))


@pytest.fixture
def programme(world, monkeypatch):
    """The hand-built programme, refreshed and read as on TODAY (15 June 2026, June running)."""
    from types import SimpleNamespace

    from sukarela.monitoring.selectors import groups

    monkeypatch.setattr(groups, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    made = build(world)
    refresh(full=True, today=TODAY)
    made.world = world
    return made


def test_dashboard_root(world):
    assert sel.dashboard_root(world.national) == ""
    assert sel.dashboard_root(world.provincial) == "32"
    assert sel.dashboard_root(world.district) == "32.01"
    assert sel.dashboard_root(world.tks_in) is None
    trainer = make_user("pelatih-x", Role.TRAINER, "32.01")
    assert sel.dashboard_root(trainer) is None


@pytest.mark.parametrize("who, code, ok", [
    ("national", "", True), ("national", "52", True), ("national", "32.02", True),
    ("provincial", "32", True), ("provincial", "32.01", True), ("provincial", "", False),
    ("provincial", "52", False), ("provincial", "52.03", False),
    ("district", "32.01", True), ("district", "32", False), ("district", "32.02", False), ("district", "", False),
    ("district_other", "32.01", False), ("provincial_other", "32.01", False),
    ("national", "99", False), ("national", "32.01.01", False), ("national", "32.01.01.2001", False),
    ("national", "3", False), ("district", "32.01.", False), ("tks_in", "32.01", False), ("tks_in", "", False),
])
def test_region_ref_scope(world, who, code, ok):
    user = getattr(world, who)
    if ok:
        ref = sel.region_ref(user, code)
        assert ref.code == code and ref.level == (0 if not code else 1 if len(code) == 2 else 2)
        assert ref.parent == (None if not code else "" if len(code) == 2 else code[:2])
    else:
        with pytest.raises(Http404):
            sel.region_ref(user, code)
        with pytest.raises(Http404):
            sel.figures(user, code, SPRING)


def test_anonymous_reads_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        sel.region_ref(AnonymousUser(), "")


def test_group_rows_of_a_regency(programme):
    p = programme
    rows = {r.name: r for r in sel.group_rows(p.world.district, "32.01", SPRING)}
    assert list(rows) == ["G1 Boga", "G2 Tenun", "G3 Kopi"]
    g1, g2, g3 = rows["G1 Boga"], rows["G2 Tenun"], rows["G3 Kopi"]
    # G1: 5 Mar, 1 Apr, 10 May, 2 Jun; turnover 1.0 M (Dec) → 2.0 M (May); workers 2 (Mar) + 0 + 0.
    assert (g1.visits, g1.last_visit_on, g1.turnover, g1.new_workers) == (4, D(2026, 6, 2), Decimal(2_000_000), 2)
    assert g1.turnover_growth == 100.0 and g1.visited_30d and g1.mentor == "TKS Satu"
    assert (g1.tier, g1.status, g1.sector) == ("pemula", "active", "Jasa boga / makanan")
    # G2: 20 Mar, 15 Apr; its first turnover was 0: no growth; posting ended, group stopped.
    assert (g2.visits, g2.last_visit_on, g2.turnover, g2.turnover_growth) == (2, D(2026, 4, 15), Decimal(800_000), None)
    assert (g2.mentor, g2.visited_30d, g2.status, g2.new_workers) == ("", False, "stopped", 1)
    # G3: 17 May (the window's first day); one turnover only.
    assert (g3.visits, g3.visited_30d, g3.turnover_growth, g3.new_workers, g3.mentor) == (1, True, None, 4, "TKS Dua")


def test_group_rows_once_june_is_over(programme, monkeypatch):
    """Read on 1 July, June's window is 1–30 June: G3's 17 May no longer counts."""
    from types import SimpleNamespace

    from sukarela.monitoring.selectors import groups

    monkeypatch.setattr(groups, "timezone", SimpleNamespace(localdate=lambda: D(2026, 7, 1)))
    rows = {r.name: r for r in sel.group_rows(programme.world.district, "32.01", SPRING)}
    assert rows["G1 Boga"].visited_30d and not rows["G3 Kopi"].visited_30d


def test_group_rows_of_march_only(programme):
    rows = {r.name: r for r in sel.group_rows(programme.world.provincial, "32.01", Period.month(D(2026, 3, 1)))}
    g1 = rows["G1 Boga"]
    assert (g1.visits, g1.last_visit_on, g1.turnover, g1.turnover_growth) == (1, D(2026, 3, 5), Decimal(1_500_000), 50.0)
    assert g1.visited_30d and rows["G3 Kopi"].visits == 0


@pytest.mark.parametrize("who, code", [("district_other", "32.01"), ("district", "32"), ("national", ""),
                                       ("national", "32"), ("tks_in", "32.01")])
def test_group_rows_only_of_a_regency_in_scope(programme, who, code):
    with pytest.raises(Http404):
        sel.group_rows(getattr(programme.world, who), code, SPRING)


def test_group_detail(programme):
    p = programme
    detail = sel.group_detail(p.world.district, p.g1.pk, SPRING)
    assert detail.row.name == "G1 Boga" and detail.regency.code == "32.01" and detail.regency.parent == "32"
    assert len(detail.months) == 24 and detail.months[-1][0] == D(2026, 6, 1) and detail.months[0][0] == D(2024, 7, 1)
    months = dict(detail.months)
    assert months[D(2026, 3, 1)] == {"visits": 1, "activities": 0, "turnover": Decimal(1_500_000), "new_workers": 2,
                                     "roles": {"motivator": 1, "fasilitator": 1}, "tasks": {"usaha": 1}}
    assert months[D(2026, 6, 1)]["roles"] == {"motivator": 1, "inovator": 1}
    assert months[D(2026, 6, 1)]["turnover"] is None  # June's snapshot recorded no turnover
    assert months[D(2025, 12, 1)]["turnover"] == Decimal(1_000_000)
    assert months[D(2026, 2, 1)] == {"visits": 0, "activities": 0, "turnover": None, "new_workers": 0,
                                     "roles": {}, "tasks": {}}


def test_group_detail_scope(programme):
    p = programme
    assert sel.group_detail(p.t1, p.g1.pk, SPRING).row.id == p.g1.pk  # T1's open posting
    for user, group in [(p.world.district_other, p.g1), (p.t1, p.g2), (p.t3, p.g4), (p.world.provincial_other, p.g1)]:
        with pytest.raises(Http404):
            sel.group_detail(user, group.pk, SPRING)
    with pytest.raises(Http404):
        sel.group_detail(p.world.national, 999_999, SPRING)
    with pytest.raises(Http404):
        sel.group_detail(p.world.national, "x", SPRING)


def test_my_groups(programme):
    p = programme
    assert [r.name for r in sel.my_groups(p.t2, SPRING)] == ["G3 Kopi", "G4 Batik"]
    assert [r.name for r in sel.my_groups(p.t1, SPRING)] == ["G1 Boga"]
    assert sel.my_groups(p.t3, SPRING) == []  # their posting ended
    assert sel.my_groups(p.world.national, SPRING) == []


def test_a_dashboard_costs_a_few_queries(programme, django_assert_max_num_queries):
    user = programme.world.provincial
    with django_assert_max_num_queries(10):
        sel.figures(user, "32", SPRING)
        sel.children(user, "32", SPRING)
        sel.trend(user, "32", 24, TODAY)
    with django_assert_max_num_queries(5):
        sel.group_rows(user, "32.01", SPRING)
    with django_assert_max_num_queries(3):
        sel.region_months(["", "32", "52"], SPRING)


def test_never_refreshed(world):
    fig = sel.figures(world.national, "", SPRING)
    assert fig.refreshed_at is None and all(v is None for v in fig.values.values())

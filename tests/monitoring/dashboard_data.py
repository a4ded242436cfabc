"""Aggregates written directly for the dashboard tests: RegionMonth rows with hand-chosen
components, so a page's figure is checked against a number worked out by hand (the refresh itself
is tested by tests/monitoring/test_refresh_*.py; test_dashboards_end_to_end.py runs it)."""

import datetime as dt

from django.utils import timezone

from sukarela.engines.indicators import add_months
from sukarela.monitoring.models import RefreshState, RegionMonth
from sukarela.monitoring.periods import month_start


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def months_ago(n: int) -> dt.date:
    return add_months(this_month(), -n)


def level_of(code: str) -> int:
    return 0 if code == "" else len(code.split("."))


def put(code: str, month: dt.date, **values) -> RegionMonth:
    row, _ = RegionMonth.objects.update_or_create(region_code=code, month=month,
                                                  defaults={"level": level_of(code), "values": values})
    return row


def refreshed(at=None) -> None:
    RefreshState.objects.update_or_create(name="regions", defaults={"refreshed_at": at or timezone.now()})


def small_programme() -> None:
    """This month and the one before, for the nation, Jawa Barat (32), NTB (52), Kab. Bogor (32.01),
    Kab. Sukabumi (32.02) and Lombok Timur (52.03). The sums are consistent from the regencies up.

    Kab. Bogor, last month: 6 visits, 2 activities, 3 active TKS, 4 groups mentored, 3 visited in 30
    days, 2 new workers; this month: 4 visits, 0 activities, 2 active TKS, 4 mentored, 2 visited, 3 new
    workers, funnel 20 applied → 15 eligible → 8 selected.
    Kab. Sukabumi, this month: 1 visit, 1 active TKS, 2 mentored, 1 visited; last month nothing.
    Lombok Timur, this month: 9 visits, 3 active TKS, 3 mentored, 3 visited.
    So over the two months: Bogor visited_30d = 2/4 = 50 %, Sukabumi 1/2 = 50 %, Lombok 3/3 = 100 %;
    Jawa Barat 3/6 = 50 %; nation 6/9 = 66.7 %. Visits: Bogor 10, Jawa Barat 11, nation 20.
    """
    last, now = months_ago(1), this_month()
    bogor_last = dict(visits=6, activities=2, tks_active=3, groups_mentored=4, groups_visited_30d=3, new_workers=2,
                      role_motivator=8, task_usaha=6, task_kemitraan=2)
    bogor_now = dict(visits=4, activities=0, tks_active=2, groups_mentored=4, groups_visited_30d=2, new_workers=3,
                     applied=20, eligible=15, selected=8, role_motivator=2, role_fasilitator=4, task_usaha=4)
    sukabumi_now = dict(visits=1, activities=0, tks_active=1, groups_mentored=2, groups_visited_30d=1,
                        role_motivator=1, task_usaha=1)
    lombok_now = dict(visits=9, activities=0, tks_active=3, groups_mentored=3, groups_visited_30d=3,
                      role_motivator=9, task_akses=9)
    put("32.01", last, **bogor_last)
    put("32.01", now, **bogor_now)
    put("32.02", now, **sukabumi_now)
    put("52.03", now, **lombok_now)
    put("32", last, **bogor_last)
    put("32", now, **_sum(bogor_now, sukabumi_now))
    put("52", now, **lombok_now)
    put("", last, **bogor_last)
    put("", now, **_sum(bogor_now, sukabumi_now, lombok_now))
    refreshed()


def _sum(*dicts) -> dict:
    out: dict = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def real_programme(world):
    """Raw rows folded in by the real refresh (services/refresh.py, full), relative to today so the
    default period (the 12 months to this month) holds them all:

    Kab. Bogor: TKS tks_in mentors G1 "Kelompok Melati" and G2 "Kelompok Mawar" (postings from 90 days
    ago); G3 "Kelompok Kenanga" has no TKS. tks_in visits G1 40 days ago and 2 days ago (visits, roles
    motivator; the second also inovator; task usaha) and holds an activity with G2 40 days ago
    (fasilitator, kemitraan). G1's snapshots: 40 days ago Rp 1.000.000 and 2 new workers, 2 days ago
    Rp 1.500.000 and 1 new worker.
    Kab. Sukabumi: tks_out mentors G4 "Kelompok Anggrek" and visits it 40 days ago.

    By hand: Bogor visits 2, activities 1, jobs 3; groups mentored 2, visited in 30 days 1 (G1) →
    50,0 %; roles motivator 2 of 3 → 66,7 %, fasilitator and inovator 1 of 3 → 33,3 %; G1's turnover
    growth (1.500.000 − 1.000.000) ÷ 1.000.000 = 50,0 %. Sukabumi 0 of 1 visited → 0,0 %; Jawa Barat
    1 of 3 → 33,3 %; visits nationally 3.
    """
    import uuid
    from decimal import Decimal
    from types import SimpleNamespace

    from sukarela.assignments.models import Posting
    from sukarela.groups.models import IndicatorSnapshot
    from sukarela.mentoring.models import Visit
    from sukarela.monitoring.services.refresh import refresh
    from tests.groups.conftest import make_group

    today = timezone.localdate()
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)

    def ago(days):
        return now - dt.timedelta(days=days)

    def visit(tks, group, days, roles, tasks, kind="kunjungan"):
        Visit.objects.create(id=uuid.uuid4(), tks=tks, group=group, kind=kind, started_at=ago(days),
                             duration_minutes=60, roles=roles, tasks=tasks, digest="uji")

    def snapshot(group, days, turnover, workers):
        IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, recorded_on=today - dt.timedelta(days=days),
                                         turnover=Decimal(turnover), new_workers=workers)

    g1 = make_group(world, "in", name="Kelompok Melati")
    g2 = make_group(world, "in", name="Kelompok Mawar")
    g3 = make_group(world, "in", name="Kelompok Kenanga")
    g4 = make_group(world, "out", name="Kelompok Anggrek")
    for group, tks in ((g1, world.tks_in), (g2, world.tks_in), (g4, world.tks_out)):
        Posting.objects.create(group=group, mentor=tks, starts_on=today - dt.timedelta(days=90))
    visit(world.tks_in, g1, 40, ["motivator"], ["usaha"])
    visit(world.tks_in, g1, 2, ["motivator", "inovator"], ["usaha"])
    visit(world.tks_in, g2, 40, ["fasilitator"], ["kemitraan"], kind="kegiatan")
    visit(world.tks_out, g4, 40, ["motivator"], ["usaha"])
    snapshot(g1, 40, 1_000_000, 2)
    snapshot(g1, 2, 1_500_000, 1)
    refresh(full=True)
    return SimpleNamespace(g1=g1, g2=g2, g3=g3, g4=g4, world=world, two_days_ago=today - dt.timedelta(days=2))

"""The incremental refresh gives exactly what a full one gives: after new, back-dated and moved
visits, new snapshots, a posting ended late, a late commit inside the safety margin, a new month;
and on random small histories (hypothesis). The margin is 0 here unless a test says otherwise, so
only what the watermark rules pick up is rebuilt."""

import datetime as dt
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.assignments.models import Posting
from sukarela.core import audit
from sukarela.mentoring.models import Visit
from sukarela.mentoring.services.visits import AUDITED
from sukarela.monitoring.models import GroupMonth, RefreshState, RegionMonth
from sukarela.monitoring.services import refresh as refreshing
from sukarela.monitoring.services.refresh import refresh
from tests.monitoring.indicator_world import TODAY, at, build, snapshot, visit

pytestmark = pytest.mark.django_db
D = dt.date


def state() -> tuple[dict, dict]:
    regions = {(r.region_code, r.month): r.values for r in RegionMonth.objects.all()}
    groups = {(g["group_id"], g["month"]): {k: v for k, v in g.items() if k not in ("id", "group_id", "month")}
              for g in GroupMonth.objects.values()}
    return regions, groups


def assert_same_as_full(today=TODAY):
    incremental = state()
    refresh(full=True, today=today)
    full = state()
    assert incremental[1] == full[1]
    assert set(incremental[0]) == set(full[0])
    for key, values in full[0].items():
        assert incremental[0][key] == values, key


def move(v: Visit, group=None, started_at=None, actor=None):
    """What the edit service does to a moved visit: new values, a new updated_at, and its audit diff."""
    before = audit.snapshot(v, AUDITED)
    v.group = group or v.group
    v.started_at = started_at or v.started_at
    v.updated_at = timezone.now()
    v.save()
    audit.record(actor or v.tks, "edit_visit", v, audit.diff(Visit, before, audit.snapshot(v, AUDITED)))


@pytest.fixture
def no_margin(monkeypatch):
    monkeypatch.setattr(refreshing, "MARGIN", dt.timedelta(0))


@pytest.fixture
def programme(world, no_margin):
    made = build(world)
    refresh(full=True, today=TODAY)
    return made


def test_changes_anywhere_in_time(programme):
    p = programme
    before = state()[0]
    visit(p.t1, p.g1, at(2026, 6, 14), ["mediator"], ["akses"])          # today's work
    visit(p.t2, p.g3, at(2026, 3, 3), ["inovator"], ["usaha"])           # entered late, back in March
    visit(p.t3, p.g4, at(2026, 1, 31), ["motivator"], ["usaha"])         # counts in February's 30 days
    snapshot(p.g4, D(2026, 1, 10), 4_000_000, 5, created=timezone.now())  # stored today, back in January
    moved = Visit.objects.get(group=p.g1, started_at=at(2026, 5, 10))
    move(moved, group=p.g4, started_at=at(2026, 3, 25))                 # May in 32.01 → March in 32.02
    Posting.objects.filter(group=p.g3).update(ends_on=D(2026, 5, 31))   # a posting ended late
    result = refresh(today=TODAY)
    assert 0 < result.groups <= 7 and result.regions > 0
    after = state()[0]
    assert after[("32.01", D(2026, 5, 1))]["visits"] == 1  # the moved visit left May
    assert after[("32.02", D(2026, 3, 1))]["visits"] == 1
    assert after[("32.02", D(2026, 2, 1))]["groups_visited_30d"] == 1  # 31 Jan is in 31 Jan – 28 Feb
    assert after[("", D(2026, 1, 1))]["new_workers"] == before[("", D(2026, 1, 1))]["new_workers"] + 5
    assert_same_as_full()


def test_a_visit_moved_twice_between_runs(programme):
    """Each edit's trail keeps only what it changed: the pairs before each edit come from undoing
    them newest first (the first edit here moved the month only, in the group it had then)."""
    v = Visit.objects.get(group=programme.g4, started_at=at(2026, 5, 16))
    move(v, started_at=at(2026, 6, 5))       # G4: May → June
    move(v, group=programme.g2, started_at=at(2026, 5, 27))  # → G2, May
    refresh(today=TODAY)
    assert not GroupMonth.objects.filter(group=programme.g4, month=D(2026, 5, 1)).exists()
    assert_same_as_full()


def test_nothing_changed_writes_nothing(programme):
    result = refresh(today=TODAY)
    assert (result.groups, result.regions) == (0, 0)


def test_a_late_commit_inside_the_margin_is_read(programme, monkeypatch):
    """A visit stamped before the watermark but committed after the refresh read: the next run
    re-reads MARGIN before the watermark and finds it."""
    monkeypatch.setattr(refreshing, "MARGIN", dt.timedelta(minutes=10))
    mark = RefreshState.objects.get(name="groups").watermark
    late = visit(programme.t1, programme.g2, at(2026, 4, 2), ["motivator"], ["usaha"])
    Visit.objects.filter(pk=late.pk).update(updated_at=mark - dt.timedelta(minutes=5))
    refresh(today=TODAY)
    assert GroupMonth.objects.get(group=programme.g2, month=D(2026, 4, 1)).visits == 2
    assert_same_as_full()


def test_a_new_month(programme):
    visit(programme.t4, programme.g6, at(2026, 7, 2), ["motivator"], ["usaha"])
    refresh(today=D(2026, 7, 15))
    assert_same_as_full(D(2026, 7, 15))


def test_the_first_run_is_full(world, no_margin):
    build(world)
    first = refresh(today=TODAY)
    assert first.groups == GroupMonth.objects.count() > 0
    assert_same_as_full()


def test_the_command(world, no_margin):
    build(world)
    out = __import__("io").StringIO()
    call_command("refresh-monitoring", "--full", "--today", "2026-06-15", stdout=out)
    assert "full refresh" in out.getvalue() and "region months written" in out.getvalue()
    call_command("refresh-monitoring", "--today", "2026-06-15", stdout=out)
    assert "incremental refresh" in out.getvalue()
    with pytest.raises(CommandError, match="--today"):
        call_command("refresh-monitoring", "--today", "15/06/2026")


# --- random small histories -------------------------------------------------------------------------

ROLES = ["motivator", "fasilitator", "mediator", "inovator"]
TASKS = ["usaha", "kemitraan", "kapasitas", "akses"]
days = st.dates(D(2026, 1, 1), TODAY)  # from January: February's 30-day window reaches back into it
add_visit = st.tuples(st.just("visit"), st.integers(0, 5), st.integers(0, 4), days, st.integers(0, 23),
                      st.sampled_from(["kunjungan", "kegiatan"]), st.sets(st.sampled_from(ROLES), min_size=1),
                      st.sets(st.sampled_from(TASKS), min_size=1))
add_snapshot = st.tuples(st.just("snapshot"), st.integers(0, 5), days,
                         st.one_of(st.none(), st.integers(0, 5).map(lambda n: n * 500_000)),
                         st.one_of(st.none(), st.integers(0, 3)))
move_visit = st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 5), days)
end_posting = st.tuples(st.just("end"), st.integers(0, 5), days)
step = st.lists(st.one_of(add_visit, add_visit, add_snapshot, move_visit), max_size=4)
history = st.lists(st.tuples(step, st.one_of(st.none(), end_posting)), min_size=1, max_size=4)


def _apply(p, op):
    groups = [p.g1, p.g2, p.g3, p.g4, p.g5, p.g6]
    tks = [p.t1, p.t2, p.t3, p.t4, p.t5]
    if op[0] == "visit":
        _, g, t, day, hour, kind, roles, tasks = op
        visit(tks[t], groups[g], at(day.year, day.month, day.day, hour), sorted(roles), sorted(tasks), kind=kind)
    elif op[0] == "snapshot":
        _, g, day, turnover, workers = op
        snapshot(groups[g], day, turnover, workers, created=timezone.now())
    elif op[0] == "move":
        visits = list(Visit.objects.order_by("started_at", "id"))
        v = visits[op[1] % len(visits)]
        move(v, group=groups[op[2]], started_at=at(op[3].year, op[3].month, op[3].day, 9))
    else:
        posting = Posting.objects.filter(group=groups[op[1]]).order_by("-starts_on").first()
        if posting is not None and op[2] >= posting.starts_on:
            Posting.objects.filter(pk=posting.pk).update(ends_on=op[2])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=history)
def test_incremental_equals_full_on_random_histories(world, no_margin, steps):
    for cached in ("alumni_cohort_in", "campaign"):  # made by build() and rolled back with each example
        world.__dict__.pop(cached, None)
    with transaction.atomic():
        p = build(world)
        refresh(full=True, today=TODAY)
        for ops, posting_change in steps:
            for op in ops:
                _apply(p, op)
            if posting_change:
                _apply(p, posting_change)
            refresh(today=TODAY)
        assert_same_as_full()
        transaction.set_rollback(True)


def test_ids_are_uuid_strings_in_the_audit_trail(programme):
    """The edit trail keeps the visit's id as text: the refresh reads it back as a UUID."""
    v = Visit.objects.filter(group=programme.g2).first()
    move(v, started_at=at(2026, 6, 1))
    assert isinstance(uuid.UUID(str(v.pk)), uuid.UUID)
    refresh(today=TODAY)
    assert GroupMonth.objects.get(group=programme.g2, month=D(2026, 6, 1)).visits == 1
    assert_same_as_full()

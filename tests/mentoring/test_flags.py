"""Automatic flags on a small hand-built dataset with known dates: every date is fixed relative to
TODAY, which the selectors take as an argument, so nothing here depends on the clock."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from sukarela.core.roles import Role
from sukarela.mentoring.models import ReviewStatus
from sukarela.mentoring.selectors.flags import flagged_visit_counts, quiet_groups, quiet_tks
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post
from tests.mentoring.test_review import make_visit

TODAY = dt.date(2025, 6, 30)
_n = itertools.count(1)


def at(days_ago: int, hour: int = 10) -> dt.datetime:
    """A moment `days_ago` days before TODAY, at `hour` local time."""
    return timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour)))


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def tks(world, where="in"):
    village = world.village_in if where == "in" else world.village_out
    return make_user(f"tks-tanda-{next(_n)}", Role.TKS, village.code, full_name=f"Pendamping Tanda {next(_n)}")


@pytest.fixture
def thresholds(settings):
    settings.SUKARELA_FIELD = {**settings.SUKARELA_FIELD, "group_quiet_weeks": 4, "tks_quiet_days": 14}


def _group(world, mentor, posted_days_ago, where="in"):
    g = field_group(world, where, members=0)
    post(g, mentor, starts_on=ago(posted_days_ago))
    return g


def test_quiet_groups_by_last_visit_and_posting_start(world, thresholds):
    t = tks(world)
    quiet = _group(world, t, 60)            # last visit 40 days ago
    make_visit(t, quiet, at(40))
    edge = _group(world, t, 60)             # last visit exactly 4 weeks ago: 28 days without one
    make_visit(t, edge, at(28, hour=23))
    fresh = _group(world, t, 60)            # a visit 27 days ago breaks the quiet
    make_visit(t, fresh, at(40))
    make_visit(t, fresh, at(27, hour=1))
    never = _group(world, t, 28)            # never visited, posted 4 weeks ago
    new = _group(world, t, 27)              # never visited, but posted only 27 days ago
    ended = field_group(world, members=0)   # no open posting: nobody is expected there
    ended.postings.create(mentor=t, starts_on=ago(90), ends_on=ago(50))
    # A visit by the previous mentor counts: the group was visited.
    handed_over = _group(world, t, 60)
    make_visit(tks(world), handed_over, at(3))
    outside = _group(world, tks(world, "out"), 60, where="out")

    rows = list(quiet_groups(world.district, TODAY))
    assert [g.pk for g in rows] == [never.pk, quiet.pk, edge.pk]  # never visited first, then longest quiet
    by_pk = {g.pk: g for g in rows}
    assert by_pk[never.pk].last_visit is None and by_pk[never.pk].posted_since == ago(28)
    assert by_pk[quiet.pk].mentor_name == t.full_name and by_pk[quiet.pk].mentor_id == t.pk
    assert timezone.localdate(by_pk[quiet.pk].last_visit) == ago(40)
    assert {fresh.pk, new.pk, ended.pk, handed_over.pk, outside.pk}.isdisjoint(by_pk)
    # The national officer sees both regencies' quiet groups; Sukabumi's officer only theirs.
    assert outside.pk in {g.pk for g in quiet_groups(world.national, TODAY)}
    assert [g.pk for g in quiet_groups(world.district_other, TODAY)] == [outside.pk]


def test_quiet_groups_threshold_comes_from_settings(world, settings):
    settings.SUKARELA_FIELD = {**settings.SUKARELA_FIELD, "group_quiet_weeks": 2}
    t = tks(world)
    g = _group(world, t, 30)
    make_visit(t, g, at(15))
    assert [r.pk for r in quiet_groups(world.district, TODAY)] == [g.pk]
    settings.SUKARELA_FIELD = {**settings.SUKARELA_FIELD, "group_quiet_weeks": 3}
    assert list(quiet_groups(world.district, TODAY)) == []


def test_quiet_tks_any_group_counts(world, thresholds):
    busy, idle, edge, fresh_start, never = (tks(world) for _ in range(5))
    a, b = _group(world, busy, 60), _group(world, busy, 60)
    make_visit(busy, a, at(40))
    make_visit(busy, b, at(5))              # one recent visit to either group keeps a TKS off the list
    make_visit(idle, _group(world, idle, 60), at(20))
    make_visit(edge, _group(world, edge, 60), at(14, hour=8))   # exactly 14 days ago
    make_visit(edge, _group(world, edge, 60), at(30))
    _group(world, fresh_start, 13)          # posted 13 days ago, no visit yet: not yet
    _group(world, never, 14)                # posted 14 days ago, no visit: flagged
    outsider = tks(world, "out")
    _group(world, outsider, 60, where="out")

    rows = list(quiet_tks(world.district, TODAY))
    assert [r.pk for r in rows] == [never.pk, idle.pk, edge.pk]
    by_pk = {r.pk: r for r in rows}
    assert by_pk[edge.pk].n_groups == 2 and by_pk[edge.pk].posted_since == ago(60)
    assert by_pk[never.pk].last_visit is None
    assert timezone.localdate(by_pk[idle.pk].last_visit) == ago(20)
    assert [r.pk for r in quiet_tks(world.district_other, TODAY)] == [outsider.pk]


def test_a_tks_whose_postings_ended_is_not_flagged(world, thresholds):
    t = tks(world)
    g = field_group(world, members=0)
    g.postings.create(mentor=t, starts_on=ago(90), ends_on=ago(30))
    assert list(quiet_tks(world.district, TODAY)) == []


def test_far_and_overlapping_visits_are_counted_in_scope(world):
    t, other = tks(world), tks(world, "out")
    g, g_out = _group(world, t, 60), _group(world, other, 60, where="out")
    make_visit(t, g, at(1), flags=["jauh"])
    make_visit(t, g, at(2), flags=["jauh", "tumpang"], status=ReviewStatus.APPROVED)
    make_visit(t, g, at(3), flags=["tumpang"], status=ReviewStatus.RETURNED)
    make_visit(t, g, at(4), flags=[])
    make_visit(other, g_out, at(1), flags=["jauh", "tumpang"])

    counts = {c.flag: (c.total, c.waiting) for c in flagged_visit_counts(world.district)}
    assert counts == {"jauh": (2, 1), "tumpang": (2, 0)}
    counts = {c.flag: (c.total, c.waiting) for c in flagged_visit_counts(world.national)}
    assert counts == {"jauh": (3, 2), "tumpang": (3, 1)}
    assert all(c.total == 0 for c in flagged_visit_counts(tks(world)))  # a TKS with no visits sees none


def test_each_flag_is_a_fixed_number_of_queries(world, thresholds, django_assert_num_queries):
    """No per-row query: the same count for three groups as for thirty."""
    for n in (3, 30):
        for _ in range(n if n == 3 else n - 3):
            t = tks(world)
            g = _group(world, t, 60)
            make_visit(t, g, at(40), flags=["jauh"])
        with django_assert_num_queries(1):
            assert len(list(quiet_groups(world.district, TODAY))) == n
        with django_assert_num_queries(1):
            assert len(list(quiet_tks(world.district, TODAY))) == n
        with django_assert_num_queries(1):
            assert flagged_visit_counts(world.district)[0].total == n

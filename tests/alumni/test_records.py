"""Alumni records: made when a TKS's last posting ends (through the assignments signal), once; a
bulk publication costs a fixed number of statements; an officer records history by hand."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sukarela.alumni.models import AlumniRecord
from sukarela.alumni.services import records
from sukarela.assignments.models import Posting
from sukarela.assignments.services import matching, publishing
from sukarela.core.models import AuditEvent
from sukarela.groups.models import GroupStatus
from sukarela.groups.services import groups as group_services
from tests.alumni.conftest import cohort_of, graduated_tks
from tests.assignments.conftest import BOGOR, graduated_cohort, near, placed_group
from tests.mentoring.conftest import field_group, post


def test_a_tks_with_two_groups_becomes_an_alumnus_when_the_second_posting_ends(world):
    tks = graduated_tks(world)
    first, second = field_group(world, members=0), field_group(world, members=0)
    post(first, tks), post(second, tks)
    today = timezone.localdate()
    group_services.change_status(world.district, first, GroupStatus.STOPPED, on=today)
    assert not AlumniRecord.objects.filter(tks=tks).exists()  # still mentors the second group
    group_services.change_status(world.district, second, GroupStatus.GRADUATED, on=today)
    record = AlumniRecord.objects.get(tks=tks)
    assert record.posting_ended_on == today and record.cohort == cohort_of(world)
    event = AuditEvent.objects.get(action="create_alumni", target_id=str(record.pk))
    assert event.actor == world.district and event.changes["tks"] == [None, str(tks.pk)]
    assert event.changes["posting_ended_on"] == [None, today.isoformat()]
    # The same signal again (or any later ending) adds nothing: once per TKS.
    assert records.on_postings_ended(world.district, [tks.pk], today + dt.timedelta(days=1)) == 0
    assert AlumniRecord.objects.filter(tks=tks).count() == 1
    assert AlumniRecord.objects.get(tks=tks).posting_ended_on == today
    assert AuditEvent.objects.filter(action="create_alumni").count() == 1


def test_a_tks_who_never_graduated_gets_a_record_without_cohort(world):
    group = field_group(world, members=0)
    post(group, world.tks_in)
    publishing.end_postings_of(group, timezone.localdate(), world.district)
    record = AlumniRecord.objects.get(tks=world.tks_in)
    assert record.cohort is None


def _publish_with_leavers(world, n_mentors):
    """Publish a run for `n_mentors` mentors with one group each, then a rerun after all but one
    left: the leavers' postings end in one publication. Returns (leavers, queries of the rerun)."""
    cohort = graduated_cohort(world, n=n_mentors, capacity=1)
    for km in range(1, n_mentors + 1):
        placed_group(world, at=near(BOGOR, km))
    publishing.publish(world.district, matching.run(world.district, cohort), today=dt.date(2026, 12, 1))
    leavers = cohort.mentors[1:]
    for user in leavers:
        user.is_active = False  # their accounts close: their groups lose them
        user.save(update_fields=["is_active"])
    rerun = matching.run(world.district, cohort)
    with CaptureQueriesContext(connection) as queries:
        publishing.publish(world.district, rerun, today=dt.date(2026, 12, 15))
    return cohort, leavers, queries


@pytest.mark.parametrize("n", [3, 8])
def test_a_bulk_publication_records_its_leavers_in_a_fixed_number_of_statements(world, n):
    cohort, leavers, queries = _publish_with_leavers(world, n)
    made = AlumniRecord.objects.filter(tks__in=leavers)
    assert made.count() == n - 1
    assert {r.posting_ended_on for r in made} == {dt.date(2026, 12, 15)}
    assert {r.cohort_id for r in made} == {cohort.pk}
    stayed = cohort.mentors[0]
    assert Posting.objects.filter(mentor=stayed, ends_on__isnull=True).exists()
    assert not AlumniRecord.objects.filter(tks=stayed).exists()
    # The alumni part: one read of who is left without a posting, one insert, one read of the keys
    # (plus one insert of the audit events), whatever the count.
    alumni_sql = [q["sql"] for q in queries.captured_queries if "alumni_alumnirecord" in q["sql"]]
    assert len(alumni_sql) == 3, alumni_sql
    assert AuditEvent.objects.filter(action="create_alumni").count() == n - 1


def test_the_publication_costs_the_same_for_few_and_many_leavers(world):
    _c, _l, few = _publish_with_leavers(world, 3)
    AlumniRecord.objects.all().delete()
    _c, _l, many = _publish_with_leavers(world, 9)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_moved_mentor_is_not_an_alumnus(world):
    """A publication that moves a mentor to another group ends a posting of theirs, but they hold a
    new open one: no record."""
    tks = graduated_tks(world)
    old = field_group(world, members=0)
    post(old, tks)
    posting = Posting.objects.get(mentor=tks)
    new = field_group(world, members=0)
    Posting.objects.create(group=new, mentor=tks, starts_on=timezone.localdate())
    assert records.on_postings_ended(world.district, [tks.pk], timezone.localdate()) == 0
    posting.ends_on = timezone.localdate()
    posting.save()
    assert records.on_postings_ended(world.district, [tks.pk], timezone.localdate()) == 0


# --- by hand ----------------------------------------------------------------------------------------

def test_an_officer_records_history_by_hand(world):
    tks = graduated_tks(world)
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, tks.username)  # no posting in the system: the date is needed
    assert "posting_ended_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, tks.username, timezone.localdate() + dt.timedelta(days=1))
    assert "posting_ended_on" in err.value.message_dict
    record = records.create_record(world.district, tks.username.upper(), dt.date(2023, 6, 30))
    assert record.cohort == cohort_of(world) and record.posting_ended_on == dt.date(2023, 6, 30)
    event = AuditEvent.objects.get(action="create_alumni")
    assert event.actor == world.district and event.changes["posting_ended_on"] == [None, "2023-06-30"]
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, tks.username, dt.date(2023, 6, 30))
    assert "sudah tercatat" in err.value.message_dict["tks"][0]


def test_by_hand_the_date_defaults_to_the_last_posting_and_may_not_precede_it(world):
    tks = graduated_tks(world)
    group = field_group(world, members=0)
    Posting.objects.create(group=group, mentor=tks, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    open_one = Posting.objects.create(group=field_group(world, members=0), mentor=tks, starts_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, tks.username)
    assert "masih bertugas" in err.value.message_dict["tks"][0]
    open_one.delete()
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, tks.username, dt.date(2025, 12, 1))
    assert "posting_ended_on" in err.value.message_dict
    assert records.create_record(world.district, tks.username).posting_ended_on == dt.date(2025, 12, 31)


def test_by_hand_outside_the_scope_or_not_an_officer_is_refused(world):
    outside = graduated_tks(world, "out")
    with pytest.raises(ValidationError) as err:
        records.create_record(world.district, outside.username, dt.date(2024, 1, 1))
    assert err.value.message_dict["tks"] == ["Tidak ada TKS dengan nama pengguna ini di wilayah Anda."]
    with pytest.raises(ValidationError):
        records.create_record(world.district, world.district_other.username, dt.date(2024, 1, 1))  # not a TKS
    with pytest.raises(PermissionDenied):
        records.create_record(world.tks_in, outside.username, dt.date(2024, 1, 1))
    assert not AlumniRecord.objects.exists() and not AuditEvent.objects.filter(action="create_alumni").exists()

"""Running the matching for a cohort, hand rules, publishing, stability when a mentor leaves."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sukarela.assignments.models import MatchRun, Posting, Rule, RunStatus
from sukarela.assignments.services import matching, publishing
from sukarela.core.models import AuditEvent
from sukarela.groups.models import GroupStatus
from sukarela.groups.services import groups as group_services
from tests.assignments.conftest import BOGOR, graduated_cohort, near, placed_group


def _proposals(run):
    return {p.group_id: (p.mentor_id, p.reason) for p in run.proposals.all()}


def test_every_active_group_of_the_region_gets_a_mentor_or_a_reason(world, cohort2):
    a, b = placed_group(world, at=near(BOGOR, 2)), placed_group(world, at=near(BOGOR, 5))
    far = placed_group(world, at=near(BOGOR, 300))  # inside the region by village, but 300 km off
    outside = placed_group(world, "out")  # Kab. Sukabumi: not the cohort's region
    run = matching.run(world.district, cohort2)
    got = _proposals(run)
    assert set(got) == {a.pk, b.pk, far.pk} and outside.pk not in got
    assert got[a.pk][0] in {m.pk for m in cohort2.mentors} and got[b.pk][0] is not None
    assert got[far.pk] == (None, "no_mentor_in_reach")
    assert run.summary["covered"] == 2 and run.summary["groups"] == 3 and run.status == RunStatus.DRAFT
    assert AuditEvent.objects.filter(action="match_run", target_id=str(run.pk)).exists()


def test_capacity_leaves_groups_unassigned_with_the_reason(world):
    cohort = graduated_cohort(world, n=1, capacity=1)
    first, second = placed_group(world, at=near(BOGOR, 1)), placed_group(world, at=near(BOGOR, 3))
    got = _proposals(matching.run(world.district, cohort))
    assert got[first.pk][0] == cohort.mentors[0].pk  # the nearer one
    assert got[second.pk] == (None, "all_in_reach_full")


def test_the_sector_penalty_decides_between_a_near_mentor_and_a_skilled_one(world):
    from sukarela.groups.models import Sector

    cohort = graduated_cohort(world, n=2, capacity=1)
    near_one, skilled = cohort.mentors
    at_1km, at_30km = near(BOGOR, 1), near(BOGOR, 30)
    matching.set_profile(world.district, near_one, sectors=list(Sector.objects.filter(code="usaha-kreatif")),
                         lat=at_1km[0], lon=at_1km[1])
    matching.set_profile(world.district, skilled, sectors=list(Sector.objects.filter(code="jasa-boga")),
                         lat=at_30km[0], lon=at_30km[1])
    group = placed_group(world, at=BOGOR, sector="jasa-boga")
    run = matching.run(world.district, cohort, sector_penalty_km=50)  # 1 + 50 km against 30 km
    chosen = run.proposals.get(group=group)
    assert chosen.mentor == skilled and chosen.sector_fit and 29 < chosen.km < 31
    run = matching.run(world.district, cohort, sector_penalty_km=10)  # 1 + 10 km against 30 km
    chosen = run.proposals.get(group=group)
    assert chosen.mentor == near_one and not chosen.sector_fit and 0.5 < chosen.km < 1.5


def test_pins_and_forbids_are_respected(world):
    cohort = graduated_cohort(world, n=2)
    one, two = cohort.mentors
    group = placed_group(world, at=near(BOGOR, 1))
    best = _proposals(matching.run(world.district, cohort))[group.pk][0]
    other = two if best == one.pk else one
    matching.set_rule(world.district, cohort, group, other, Rule.Kind.PIN)
    assert _proposals(matching.run(world.district, cohort))[group.pk][0] == other.pk
    matching.set_rule(world.district, cohort, group, other, Rule.Kind.FORBID)
    assert _proposals(matching.run(world.district, cohort))[group.pk][0] != other.pk
    with pytest.raises(ValidationError):
        matching.set_rule(world.district, cohort, group, world.tks_out, Rule.Kind.PIN)  # not a graduate
    with pytest.raises(PermissionDenied):
        matching.set_rule(world.district_other, cohort, group, one, Rule.Kind.PIN)


def test_publishing_makes_dated_postings_and_a_rerun_moves_only_what_must(world):
    cohort = graduated_cohort(world, n=2, capacity=2)
    groups = [placed_group(world, at=near(BOGOR, km)) for km in (1, 2, 3, 4)]
    run = matching.run(world.district, cohort)
    changes = publishing.preview(run)
    assert len(changes.added) == 4 and not changes.moved
    publishing.publish(world.district, run, today=dt.date(2026, 12, 1))
    current = dict(Posting.objects.filter(ends_on__isnull=True).values_list("group_id", "mentor_id"))
    assert set(current) == {g.pk for g in groups}
    assert AuditEvent.objects.filter(action="start_posting").count() == 4
    with pytest.raises(ValidationError):
        publishing.publish(world.district, run)  # published already
    # One mentor leaves (their account closes): only their groups move, to the other mentor.
    leaving = cohort.mentors[0]
    leaving.is_active = False
    leaving.save()
    stayed = {g for g, m in current.items() if m != leaving.pk}
    rerun = matching.run(world.district, cohort)
    preview = publishing.preview(rerun)
    assert set(preview.kept) == stayed
    assert {g for g, _new in preview.added} | {g for g, _old in preview.dropped} | {
        g for g, _o, _n in preview.moved} == set(current) - stayed
    publishing.publish(world.district, rerun, today=dt.date(2026, 12, 15))
    ended = Posting.objects.filter(mentor=leaving)
    assert ended.count() == 2 and all(p.ends_on == dt.date(2026, 12, 15) for p in ended)
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.SUPERSEDED


def test_a_stale_run_cannot_be_published(world):
    cohort = graduated_cohort(world, n=1)
    placed_group(world, at=near(BOGOR, 1))
    old, new = matching.run(world.district, cohort), None
    new = matching.run(world.district, cohort)
    publishing.publish(world.district, new)
    with pytest.raises(ValidationError) as err:
        publishing.publish(world.district, old)
    assert "lebih baru" in err.value.messages[0]


def test_a_stopped_group_is_not_matched(world):
    cohort = graduated_cohort(world, n=1)
    group = placed_group(world, at=near(BOGOR, 1))
    group_services.change_status(world.district, group, GroupStatus.STOPPED)
    assert group.pk not in _proposals(matching.run(world.district, cohort))


def test_the_command_dry_run_writes_nothing_and_the_real_run_publishes(world, capsys):
    cohort = graduated_cohort(world, n=1)
    placed_group(world, at=near(BOGOR, 1))
    call_command("match", str(cohort.pk), "--dry-run", "--as", world.district.username)
    out = capsys.readouterr().out
    assert "covered 1" in out and "dry run" in out
    assert not MatchRun.objects.exists() and not Posting.objects.exists()
    call_command("match", str(cohort.pk), "--as", world.district.username)
    assert Posting.objects.filter(ends_on__isnull=True).count() == 1


def test_a_mentor_profile_is_checked_and_audited(world, cohort2):
    mentor = cohort2.mentors[0]
    with pytest.raises(ValidationError):
        matching.set_profile(world.district, mentor, capacity=0)
    with pytest.raises(ValidationError):
        matching.set_profile(world.district, mentor, lat=50.0, lon=10.0)
    with pytest.raises(PermissionDenied):
        matching.set_profile(world.district_other, mentor, capacity=5)
    matching.set_profile(world.district, mentor, capacity=5, lat=BOGOR[0], lon=BOGOR[1])
    assert AuditEvent.objects.filter(action="update", target_type="assignments.mentorprofile").exists()


def test_publishing_refuses_when_the_world_changed_since_the_run(world):
    cohort = graduated_cohort(world, n=2)
    group = placed_group(world, at=near(BOGOR, 1))
    placed_group(world, at=near(BOGOR, 2))
    run = matching.run(world.district, cohort)
    group_services.change_status(world.district, group, GroupStatus.STOPPED)
    with pytest.raises(ValidationError) as err:
        publishing.publish(world.district, run)
    assert "jalankan ulang" in err.value.messages[0]
    run = matching.run(world.district, cohort)
    leaving = cohort.mentors[0]
    leaving.is_active = False
    leaving.save()
    with pytest.raises(ValidationError):
        publishing.publish(world.district, run)
    assert not Posting.objects.exists()


def test_a_run_does_not_take_groups_mentored_by_another_cohort(world):
    first = graduated_cohort(world, n=1)
    group = placed_group(world, at=near(BOGOR, 1))
    publishing.publish(world.district, matching.run(world.district, first))
    second = graduated_cohort(world, n=1, at=near(BOGOR, 0.5))
    run = matching.run(world.district, second)
    assert not run.proposals.filter(group=group).exists() and run.summary["other_cohorts"] == 1
    publishing.publish(world.district, run)
    assert Posting.objects.get(group=group, ends_on__isnull=True).mentor == first.mentors[0]


def test_a_new_pin_replaces_the_old_one_and_pins_stop_at_capacity(world):
    cohort = graduated_cohort(world, n=2, capacity=1)
    one, two = cohort.mentors
    g1, g2 = placed_group(world, at=near(BOGOR, 1)), placed_group(world, at=near(BOGOR, 2))
    matching.set_rule(world.district, cohort, g1, one, Rule.Kind.PIN)
    matching.set_rule(world.district, cohort, g1, two, Rule.Kind.PIN)
    assert list(Rule.objects.filter(group=g1, kind="pin").values_list("mentor", flat=True)) == [two.pk]
    with pytest.raises(ValidationError) as err:
        matching.set_rule(world.district, cohort, g2, two, Rule.Kind.PIN)
    assert "kapasitas" in err.value.messages[0]


def test_a_pin_on_a_group_that_stopped_is_skipped_not_fatal(world):
    cohort = graduated_cohort(world, n=1)
    pinned, other = placed_group(world, at=near(BOGOR, 1)), placed_group(world, at=near(BOGOR, 2))
    matching.set_rule(world.district, cohort, pinned, cohort.mentors[0], Rule.Kind.PIN)
    group_services.change_status(world.district, pinned, GroupStatus.STOPPED)
    run = matching.run(world.district, cohort)
    assert run.summary["skipped_rules"] == 1 and run.proposals.get(group=other).mentor == cohort.mentors[0]


def test_editing_a_mentor_keeps_their_point_unless_given(world, cohort2):
    mentor = cohort2.mentors[0]
    matching.set_profile(world.district, mentor, capacity=4)
    mentor.mentor_profile.refresh_from_db()
    assert (mentor.mentor_profile.lat, mentor.mentor_profile.lon) == BOGOR
    matching.set_profile(world.district, mentor, lat=None, lon=None)
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.lat is None


def test_points_fall_back_to_the_district_never_the_regency(world):
    from sukarela.regions.models import Region

    village = world.village_in
    district = Region.objects.get(code=".".join(village.code.split(".")[:3]))
    Region.objects.filter(code="32.01").update(lat=-6.48, lon=106.83)  # the regency capital
    assert matching._point_lookup([village.code]) == {}  # no village or district point: none
    Region.objects.filter(pk=district.pk).update(lat=-6.60, lon=106.70)
    assert matching._point_lookup([village.code]) == {village.code: (-6.60, 106.70)}


def test_a_group_that_stops_or_moves_up_ends_its_posting(world):
    cohort = graduated_cohort(world, n=1)
    stopping, rising = placed_group(world, at=near(BOGOR, 1)), placed_group(world, at=near(BOGOR, 2))
    publishing.publish(world.district, matching.run(world.district, cohort))
    group_services.change_status(world.district, stopping, GroupStatus.STOPPED)
    group_services.change_status(world.district, rising, GroupStatus.GRADUATED)
    today = timezone.localdate()
    assert dict(Posting.objects.values_list("group_id", "ends_on")) == {stopping.pk: today, rising.pk: today}
    event = AuditEvent.objects.filter(action="end_posting").order_by("id").last()
    assert event.actor == world.district
    # The mentor's place is free for the next run, and nothing is left to publish for those groups.
    assert not matching.run(world.district, cohort).proposals.exists()


def test_publishing_refuses_a_group_that_left_the_region_since_the_run(world):
    cohort = graduated_cohort(world, n=1)
    group = placed_group(world, at=near(BOGOR, 1))
    run = matching.run(world.district, cohort)
    type(group).objects.filter(pk=group.pk).update(village=world.village_out)  # moved to another regency
    with pytest.raises(ValidationError) as err:
        publishing.publish(world.district, run)
    assert "berhenti" in err.value.messages[0] and not Posting.objects.exists()


def test_every_posting_started_or_ended_is_audited_with_its_label(world):
    cohort = graduated_cohort(world, n=2, capacity=2)
    groups = [placed_group(world, at=near(BOGOR, km)) for km in (1, 2)]
    publishing.publish(world.district, matching.run(world.district, cohort), today=dt.date(2026, 12, 1))
    posted = {p.pk: p for p in Posting.objects.all()}
    started = AuditEvent.objects.filter(action="start_posting")
    assert {int(e.target_id) for e in started} == set(posted) and len(posted) == len(groups)
    for event in started:
        posting = posted[int(event.target_id)]
        assert event.actor == world.district and event.target_label == str(posting)
        assert event.changes == {"mentor": [None, posting.mentor_id], "group": [None, posting.group_id]}
        assert abs((timezone.now() - event.at).total_seconds()) < 60
    leaving = Posting.objects.get(group=groups[0]).mentor
    leaving.is_active = False
    leaving.save()
    publishing.publish(world.district, matching.run(world.district, cohort), today=dt.date(2026, 12, 15))
    ended = AuditEvent.objects.get(action="end_posting", target_id=str(Posting.objects.get(mentor=leaving,
                                                                                         group=groups[0]).pk))
    assert ended.changes == {"ends_on": [None, "2026-12-15"]} and ended.target_label.endswith("2026-12-15)")
    assert AuditEvent.objects.filter(action="publish").count() == 2


def test_a_graduate_without_a_profile_takes_the_default_capacity_and_their_village_point(world):
    from sukarela.assignments.models import MentorProfile
    from sukarela.regions.models import Region

    cohort = graduated_cohort(world, n=1)
    mentor = cohort.mentors[0]
    MentorProfile.objects.filter(user=mentor).delete()
    Region.objects.filter(code=mentor.region_id).update(lat=BOGOR[0], lon=BOGOR[1])
    groups = [placed_group(world, at=near(BOGOR, 1 + i / 10), sector="perdagangan") for i in range(12)]
    mentors, _groups = matching._engine_input(cohort, cohort.region_id)
    assert [(m.id, m.capacity, m.lat, m.lon, m.sectors) for m in mentors] == [
        (mentor.pk, 10, BOGOR[0], BOGOR[1], frozenset())]
    run = matching.run(world.district, cohort)
    assert run.summary["covered"] == 10 and run.proposals.filter(mentor=mentor, sector_fit=False).count() == 10
    assert len(groups) - 10 == run.proposals.filter(mentor__isnull=True, reason="all_in_reach_full").count()

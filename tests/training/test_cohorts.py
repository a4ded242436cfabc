"""Cohorts and their schedule: modules copied, sessions only on working days, clashes refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sukarela.core.models import AuditEvent
from sukarela.engines.schedule import indonesian_days_off
from sukarela.training.models import Attendance, Mark, Session
from sukarela.training.services import cohorts, curricula, participants, sessions, venues
from tests.training.conftest import make_cohort

IDUL_FITRI_2026 = [dt.date(2026, 3, d) for d in (20, 21, 22, 23, 24)]
IDUL_FITRI_2027 = [dt.date(2027, 3, d) for d in (9, 10, 11, 12, 15)]


def _big_curriculum(world, hours=(120, 120, 120, 120)):
    c = curricula.create_curriculum(world.national, name=f"Kurikulum padat {sum(hours)}")
    for order, h in enumerate(hours, start=1):
        curricula.add_module(world.national, c, order=order, code=f"m{order}", title=f"Modul {order}",
                             planned_hours=h, mode="classroom", pass_mark=70)
    return c


def test_a_cohort_copies_its_modules_and_runs_five_months(world, cohort, curriculum):
    assert cohort.ends_on == dt.date(2027, 1, 31)
    copied = list(cohort.modules.values_list("code", "planned_hours", "pass_mark"))
    assert copied == list(curriculum.modules.values_list("code", "planned_hours", "pass_mark"))
    module = curriculum.modules.get(code="orientasi")
    curricula.update_module(world.national, module, planned_hours=40, pass_mark=90)
    assert cohort.modules.get(code="orientasi").planned_hours == 16  # the running cohort keeps its copy
    assert AuditEvent.objects.filter(action="create", target_type="training.cohort", target_id=str(cohort.pk)).exists()


def test_a_cohort_is_made_only_inside_the_officers_region(world, curriculum, campaign):
    with pytest.raises(PermissionDenied):
        cohorts.create_cohort(world.district_other, name="X", campaign=campaign, curriculum=curriculum,
                              region_id="32.01", starts_on=dt.date(2026, 9, 1))


def test_bad_cohort_settings_name_their_field(world, curriculum, campaign):
    with pytest.raises(ValidationError) as err:
        cohorts.create_cohort(world.district, name="X", campaign=campaign, curriculum=curriculum, region_id="32.01",
                              starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 8, 1), session_hours=6,
                              sessions_per_day=2, min_attendance=120)
    assert set(err.value.message_dict) >= {"ends_on", "sessions_per_day", "min_attendance"}
    with pytest.raises(ValidationError) as err:
        cohorts.create_cohort(world.district, name="X", campaign=campaign, curriculum=curriculum, region_id="32.01",
                              starts_on=dt.date(2026, 9, 1), extra_days_off="31-12-2026 libur")
    assert "extra_days_off" in err.value.message_dict


def test_generated_sessions_skip_weekends_and_holidays_across_idul_fitri_2026(world, campaign):
    curriculum = _big_curriculum(world)
    cohort = make_cohort(world, curriculum, campaign, starts_on=dt.date(2026, 1, 5), sessions_per_day=2)
    made = sessions.generate_schedule(world.district, cohort)
    assert len(made) == 4 * 30  # 480 hours in 4-hour sessions
    holidays = indonesian_days_off(cohort.starts_on, cohort.ends_on, cuti_bersama=True)
    dates = {s.date for s in Session.objects.filter(cohort=cohort)}
    assert all(d.weekday() < 5 for d in dates)
    assert not dates & set(holidays)
    assert not dates & set(IDUL_FITRI_2026)
    assert min(dates) == cohort.starts_on and max(dates) <= cohort.ends_on
    # Modules follow each other; classroom sessions sit in the cohort's venue.
    order = [s.module.order for s in Session.objects.filter(cohort=cohort).select_related("module")]
    assert order == sorted(order)
    assert set(Session.objects.filter(cohort=cohort).values_list("venue", flat=True)) == {cohort.venue_id}


def test_cuti_bersama_is_worked_when_the_cohort_says_so(world, campaign):
    curriculum = _big_curriculum(world, hours=(200, 200, 200))
    cohort = make_cohort(world, curriculum, campaign, starts_on=dt.date(2026, 1, 5), sessions_per_day=2,
                         skip_cuti_bersama=False)
    sessions.generate_schedule(world.district, cohort)
    dates = set(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert dt.date(2026, 3, 23) in dates or dt.date(2026, 3, 24) in dates  # cuti bersama Idulfitri, Mon–Tue
    assert dt.date(2026, 3, 19) not in dates  # Nyepi is a national holiday (a Thursday): still off


def test_a_schedule_over_idul_fitri_2027_and_an_extra_day_off(world, campaign, curriculum):
    cohort = make_cohort(world, _big_curriculum(world), campaign, starts_on=dt.date(2027, 1, 4),
                         sessions_per_day=2, extra_days_off="2027-04-01 Rapat kantor")
    sessions.generate_schedule(world.district, cohort)
    dates = set(Session.objects.filter(cohort=cohort).values_list("date", flat=True))
    assert not dates & set(IDUL_FITRI_2027)
    assert dt.date(2027, 4, 1) not in dates


def test_too_much_curriculum_for_the_period_says_how_much_fits(world, campaign):
    cohort = make_cohort(world, _big_curriculum(world, hours=(900,)), campaign)
    with pytest.raises(ValidationError) as err:
        sessions.generate_schedule(world.district, cohort)
    assert "225" in err.value.messages[0]  # 900 hours / 4 = 225 sessions needed
    assert not Session.objects.filter(cohort=cohort).exists()


def test_a_period_without_holiday_data_is_refused_not_guessed(world, campaign, curriculum):
    cohort = make_cohort(world, curriculum, campaign, starts_on=dt.date(2027, 10, 1))
    with pytest.raises(ValidationError) as err:
        sessions.generate_schedule(world.district, cohort)
    assert "2028" in err.value.messages[0]


def test_regeneration_is_refused_once_attendance_exists(world, cohort, enrolled):
    made = sessions.generate_schedule(world.district, cohort)
    assert len(sessions.generate_schedule(world.district, cohort)) == len(made)  # before attendance: replaced
    first = Session.objects.filter(cohort=cohort).first()
    Attendance.objects.create(session=first, participant=enrolled[0], mark=Mark.PRESENT)
    with pytest.raises(ValidationError):
        sessions.generate_schedule(world.district, cohort)
    with pytest.raises(ValidationError):
        sessions.delete_session(world.district, first)


def test_a_hand_moved_session_must_land_on_a_working_day(world, cohort):
    module = cohort.modules.first()
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, cohort, module=module, date=dt.date(2026, 12, 25),
                             starts_at=dt.time(8), ends_at=dt.time(12))
    assert "Kelahiran Yesus Kristus" in err.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, cohort, module=module, date=dt.date(2026, 9, 5),
                             starts_at=dt.time(8), ends_at=dt.time(12))
    assert "akhir pekan" in err.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, cohort, module=module, date=dt.date(2026, 8, 31),
                             starts_at=dt.time(8), ends_at=dt.time(12))
    assert "periode" in err.value.message_dict["date"][0]
    session = sessions.add_session(world.district, cohort, module=module, date=dt.date(2026, 9, 1),
                                   starts_at=dt.time(8), ends_at=dt.time(12))
    with pytest.raises(ValidationError) as err:
        sessions.update_session(world.district, session, date=dt.date(2026, 12, 24))  # cuti bersama, a Thursday
    assert "Kelahiran Yesus Kristus" in err.value.message_dict["date"][0]
    assert Session.objects.get(pk=session.pk).date == dt.date(2026, 9, 1)


def test_trainer_and_room_clashes_are_refused_naming_the_other_session(world, cohort, curriculum, campaign, trainer):
    other = make_cohort(world, curriculum, campaign, name="Angkatan Kedua")
    module, other_module = cohort.modules.first(), other.modules.first()
    day, start, end = dt.date(2026, 9, 2), dt.time(8), dt.time(12)
    sessions.add_session(world.district, cohort, module=module, date=day, starts_at=start, ends_at=end,
                         trainer=trainer, venue=cohort.venue)
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, other, module=other_module, date=day, starts_at=dt.time(10),
                             ends_at=dt.time(14), trainer=trainer)
    assert "Pelatih sudah mengajar" in err.value.messages[0] and "Angkatan Uji 32.01" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, other, module=other_module, date=day, starts_at=start, ends_at=end,
                             venue=cohort.venue)
    assert "Tempat sudah dipakai" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, cohort, module=module, date=day, starts_at=dt.time(11),
                             ends_at=dt.time(13))
    assert "Angkatan ini sudah ada sesi" in err.value.messages[0]
    online = venues.create_venue(world.district, name="Zoom", kind="online", region_id="32.01")
    sessions.add_session(world.district, cohort, module=module, date=day, starts_at=dt.time(13),
                         ends_at=dt.time(15), venue=online)
    sessions.add_session(world.district, other, module=other_module, date=day, starts_at=dt.time(13),
                         ends_at=dt.time(15), venue=online)  # an online room holds both
    # Back to back is not a clash.
    sessions.add_session(world.district, other, module=other_module, date=day, starts_at=end,
                         ends_at=dt.time(13), trainer=trainer)


def test_generation_avoids_the_trainers_sessions_in_other_cohorts(world, cohort, curriculum, campaign, trainer):
    other = make_cohort(world, curriculum, campaign, name="Angkatan Kedua")
    for c in (cohort, other):
        for m in c.modules.all():
            cohorts.set_module_trainer(world.district, m, trainer)
    first = sessions.generate_schedule(world.district, cohort)
    second = sessions.generate_schedule(world.district, other)
    busy = {(s.date, s.starts_at) for s in first}
    assert not busy & {(s.date, s.starts_at) for s in second}
    assert all(s.trainer_id == trainer.pk for s in second)


def test_only_trainer_accounts_teach(world, cohort):
    with pytest.raises(ValidationError):
        cohorts.set_module_trainer(world.district, cohort.modules.first(), world.tks_in)


def test_enrolment_takes_active_tks_of_the_region_once(world, cohort, curriculum, campaign, make_tks):
    tks = make_tks()
    participants.enrol(world.district, cohort, [tks])
    other = make_cohort(world, curriculum, campaign, name="Angkatan Kedua")
    with pytest.raises(ValidationError):
        participants.enrol(world.district, other, [tks])  # already training
    with pytest.raises(ValidationError):
        participants.enrol(world.district, cohort, [world.district])  # not a TKS
    with pytest.raises(ValidationError):
        participants.enrol(world.district, cohort, [world.tks_out])  # lives in Kab. Sukabumi
    with pytest.raises(PermissionDenied):
        participants.enrol(world.district_other, cohort, [make_tks()])


def test_a_dropped_out_tks_may_join_another_cohort(world, cohort, curriculum, campaign, enrolled):
    with pytest.raises(ValidationError) as err:
        participants.drop_out(world.district, enrolled[0], "  ")
    assert "reason" in err.value.message_dict
    participants.drop_out(world.district, enrolled[0], "Diterima bekerja", dt.date(2026, 10, 1))
    event = AuditEvent.objects.filter(action="drop_out").get()
    assert event.changes["status"] == ["active", "dropped"]
    other = make_cohort(world, curriculum, campaign, name="Angkatan Kedua")
    participants.enrol(world.district, other, [enrolled[0].volunteer])


def test_enrol_selected_takes_the_campaigns_selectees_in_the_region(world, cohort, make_tks):
    from sukarela.recruitment.models import Application, Decision
    from sukarela.recruitment.services import applications
    from tests.recruitment.conftest import applicant

    inside, _t = applications.submit(cohort.campaign, applicant(world.village_in.code))
    outside, _t = applications.submit(cohort.campaign, applicant(world.village_out.code))
    waiting, _t = applications.submit(cohort.campaign, applicant(world.village_in.code))
    for app, decision in ((inside, Decision.SELECTED), (outside, Decision.SELECTED), (waiting, Decision.WAITLISTED)):
        # The account lives where the applicant does, as recruitment's announcement makes it.
        account = make_tks(region=app.domicile_id, full_name=f"TKS {app.pk}")
        Application.objects.filter(pk=app.pk).update(decision=decision, volunteer=account)
    made = participants.enrol_selected(world.district, cohort)
    inside.refresh_from_db()
    # The waitlisted one's account is in the region too, so only the decision told them apart.
    assert [p.volunteer_id for p in made] == [inside.volunteer_id]


def test_a_trainer_or_room_from_another_province_is_refused(world, cohort, make_tks):
    from sukarela.core.roles import Role
    from tests.conftest import make_user

    lombok = make_user("pelatih-ntb", Role.TRAINER, "52", full_name="Pelatih NTB")
    with pytest.raises(ValidationError) as err:
        cohorts.set_module_trainer(world.district, cohort.modules.first(), lombok)
    assert "provinsi lain" in err.value.message_dict["trainer"][0]
    room = venues.create_venue(world.national, name="BLK Lombok", kind="blk_uptp", region_id="52.03")
    with pytest.raises(ValidationError) as err:
        sessions.add_session(world.district, cohort, module=cohort.modules.first(), date=dt.date(2026, 9, 1),
                             starts_at=dt.time(8), ends_at=dt.time(12), trainer=lombok, venue=room)
    assert set(err.value.message_dict) == {"trainer", "venue"}
    with pytest.raises(ValidationError):
        cohorts.update_cohort(world.district, cohort, venue=room)


def test_a_day_that_runs_past_midnight_or_a_far_year_is_refused(world, curriculum, campaign):
    with pytest.raises(ValidationError) as err:
        make_cohort(world, curriculum, campaign, day_starts_at=dt.time(18), sessions_per_day=2)
    assert "tengah malam" in err.value.message_dict["day_starts_at"][0]
    with pytest.raises(ValidationError) as err:
        make_cohort(world, curriculum, campaign, starts_on=dt.date(9999, 9, 1))
    assert "starts_on" in err.value.message_dict


def test_an_edit_that_would_strand_sessions_is_refused(world, cohort):
    sessions.generate_schedule(world.district, cohort)
    first = Session.objects.filter(cohort=cohort).first()
    with pytest.raises(ValidationError) as err:
        cohorts.update_cohort(world.district, cohort, starts_on=dt.date(2026, 10, 1))
    assert "di luar periode baru" in err.value.messages[0]
    with pytest.raises(ValidationError):
        cohorts.update_cohort(world.district, cohort, extra_days_off=f"{first.date.isoformat()} Rapat")
    cohorts.update_cohort(world.district, cohort, name="Nama baru", extra_days_off="2026-09-05 Sabtu libur")


def test_a_late_joiner_is_enrolled_from_a_day_inside_the_period(world, cohort, make_tks):
    with pytest.raises(ValidationError) as err:
        participants.enrol(world.district, cohort, [make_tks()], joined_on=dt.date(2027, 6, 1))
    assert "joined_on" in err.value.message_dict
    (late,) = participants.enrol(world.district, cohort, [make_tks()], joined_on=dt.date(2026, 11, 2))
    (early,) = participants.enrol(world.district, cohort, [make_tks()], joined_on=dt.date(2026, 8, 1) + dt.timedelta(31))
    assert late.joined_on == dt.date(2026, 11, 2) and early.joined_on is None  # the first day is "from the start"


def test_a_drop_out_date_lies_between_the_start_and_today(world, cohort, enrolled):
    with pytest.raises(ValidationError) as err:
        participants.drop_out(world.district, enrolled[0], "Pindah", dt.date(2031, 1, 1))
    assert "on" in err.value.message_dict


def test_a_lead_trainer_sees_and_records_for_their_cohort(world, cohort, enrolled, trainer):
    from sukarela.training import selectors
    from sukarela.training.permissions import may_record

    assert not may_record(trainer, cohort)
    assert not selectors.cohorts_for(trainer).exists()
    cohorts.set_module_trainer(world.district, cohort.modules.first(), trainer)
    assert may_record(trainer, cohort)
    assert list(selectors.cohorts_for(trainer)) == [cohort]
    assert selectors.participants_for(trainer, cohort).count() == 3

"""Attendance rates, assessment attempts (remedial kept, not overwritten), graduation rules."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sukarela.core.models import AuditEvent
from sukarela.engines.tabular import write_csv
from sukarela.training.models import Assessment, Attendance, Certificate, Mark, ParticipantStatus, Session
from sukarela.training.results import below_threshold, cohort_results
from sukarela.training.services import assessments, graduation, participants, sessions

AFTER = dt.date(2027, 2, 1)  # the fixture cohort has ended


@pytest.fixture
def scheduled(world, cohort, enrolled):
    sessions.generate_schedule(world.district, cohort)
    return cohort


def _mark(cohort, participant, marks):
    """Marks for the first sessions in order (test data, set directly)."""
    for session, mark in zip(Session.objects.filter(cohort=cohort), marks):
        Attendance.objects.create(session=session, participant=participant, mark=mark)


def _pass_all(world, cohort, participant, score=80):
    for module in cohort.modules.all():
        assessments.record_score(world.district, participant, module, score, dt.date(2026, 11, 2))


def test_attendance_rate_leaves_excused_out_and_counts_unmarked_held_sessions_as_absent(world, scheduled, enrolled):
    a, b, c = enrolled
    n = scheduled.sessions.count()
    assert n == 8
    _mark(scheduled, a, [Mark.PRESENT] * 6 + [Mark.LATE, Mark.EXCUSED])
    _mark(scheduled, b, [Mark.PRESENT] * 4)  # the other four were held, unmarked
    results = {r.participant.pk: r for r in cohort_results(scheduled, today=AFTER)}
    assert results[a.pk].rate == 100.0  # 7 attended of 8 - 1 excused
    assert results[b.pk].rate == 50.0
    assert results[c.pk].rate == 0.0
    assert [r.participant.pk for r in below_threshold(scheduled, list(results.values()))] == [b.pk, c.pk]
    first = scheduled.modules.get(code="orientasi")  # 16 hours: the first four sessions
    assert results[b.pk].module_rates[first.pk] == 100.0


def test_before_any_session_nothing_is_held(world, scheduled, enrolled):
    result = cohort_results(scheduled, today=dt.date(2026, 8, 1))[0]
    assert result.held == 0 and result.rate is None
    assert "Kehadiran belum tercatat" in result.reasons[0]


def test_remedial_attempts_are_new_rows_and_stop_once_passed(world, scheduled, enrolled):
    p = enrolled[0]
    module = scheduled.modules.get(code="peran")
    first = assessments.record_score(world.district, p, module, "60", dt.date(2026, 10, 1))
    second = assessments.record_score(world.district, p, module, "75,5", dt.date(2026, 10, 8))
    assert (first.attempt, second.attempt, second.is_remedial) == (1, 2, True)
    assert list(Assessment.objects.filter(participant=p, module=module).values_list("score", flat=True)) == [60, 75.5]
    with pytest.raises(ValidationError) as err:
        assessments.record_score(world.district, p, module, 90)
    assert "Sudah lulus" in err.value.message_dict["score"][0]
    events = AuditEvent.objects.filter(action="assess", target_type="training.assessment")
    assert events.count() == 2 and events.first().changes["attempt"] == [None, 2]


def test_attempts_stop_at_the_cohorts_maximum(world, scheduled, enrolled):
    p, module = enrolled[0], scheduled.modules.first()
    for score in (10, 20, 30):
        assessments.record_score(world.district, p, module, score)
    with pytest.raises(ValidationError) as err:
        assessments.record_score(world.district, p, module, 40)
    assert "3 kali" in err.value.message_dict["score"][0]


def test_scores_are_refused_when_out_of_range_in_the_future_or_by_an_outsider(world, scheduled, enrolled):
    p, module = enrolled[0], scheduled.modules.first()
    for bad in ("101", "-1", "abc", "NaN", "69.995"):
        with pytest.raises(ValidationError):
            assessments.record_score(world.district, p, module, bad)
    with pytest.raises(ValidationError):
        assessments.record_score(world.district, p, module, 80, dt.date(2099, 1, 1))
    with pytest.raises(ValidationError) as err:
        assessments.record_score(world.district, p, module, 80, dt.date(1, 1, 1))  # before the cohort began
    assert "awal angkatan" in err.value.message_dict["assessed_on"][0]
    with pytest.raises(PermissionDenied):
        assessments.record_score(world.district_other, p, module, 80)
    with pytest.raises(ValidationError):
        assessments.record_score(world.district, p, None, 80)  # this cohort has no final assessment
    assert not Assessment.objects.exists()


def test_the_trainer_of_the_cohort_records_scores(world, scheduled, enrolled, trainer):
    with pytest.raises(PermissionDenied):
        assessments.record_score(trainer, enrolled[0], scheduled.modules.first(), 80)
    Session.objects.filter(cohort=scheduled).update(trainer=trainer)
    assert assessments.record_score(trainer, enrolled[0], scheduled.modules.first(), 80).recorded_by == trainer


def _scores_file(rows):
    buffer = io.BytesIO()
    write_csv(buffer, [c.header for c in assessments.IMPORT_COLUMNS], rows)
    return SimpleUploadedFile("nilai.csv", buffer.getvalue(), content_type="text/csv")


def test_score_import_all_or_nothing_and_valid_rows(world, scheduled, enrolled):
    a, b, _c = (p.volunteer.username for p in enrolled)
    data = _scores_file([[a, "orientasi", "80", "2026-10-01", ""], [b, "tidak-ada", "70", "", ""],
                         [b, "peran", "seratus", "", ""], ["orang-lain", "peran", "70", "", ""]])
    result = assessments.import_scores(world.district, scheduled, data, "all")
    assert not result.applied and result.stored == 0 and not Assessment.objects.exists()
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "Kode Modul", "tidak-ada"), (4, "Nilai", "seratus"), (5, "Nama Pengguna", "orang-lain")]
    result = assessments.import_scores(world.district, scheduled, data, "valid")
    assert result.applied and result.stored == 1 and result.rejected == 3
    assert Assessment.objects.get().participant == enrolled[0]


def test_score_import_rows_in_order_make_the_remedial_attempt(world, scheduled, enrolled):
    a = enrolled[0].volunteer.username
    data = _scores_file([[a, "peran", "50", "2026-10-01", ""], [a, "peran", "72", "2026-10-08", "Remedial"],
                         [a, "peran", "90", "", ""]])
    result = assessments.import_scores(world.district, scheduled, data, "valid")
    assert result.stored == 2 and [e.row for e in result.errors] == [4]
    assert "Sudah lulus" in result.errors[0].reason
    assert list(Assessment.objects.order_by("attempt").values_list("attempt", "score")) == [(1, 50), (2, 72)]


def test_score_import_refuses_a_file_without_the_required_columns(world, scheduled, enrolled):
    upload = SimpleUploadedFile("nilai.csv", b"nama,nilai\nx,1\n", content_type="text/csv")
    with pytest.raises(ValidationError) as err:
        assessments.import_scores(world.district, scheduled, upload, "valid")
    assert "Kolom wajib" in err.value.message_dict["file"][0]


def test_graduation_names_the_unmet_rule_and_refuses_all_when_one_fails(world, scheduled, enrolled):
    a, b, c = enrolled
    _mark(scheduled, a, [Mark.PRESENT] * 8)
    _mark(scheduled, b, [Mark.PRESENT] * 8)
    _mark(scheduled, c, [Mark.PRESENT] * 5 + [Mark.ABSENT] * 3)
    _pass_all(world, scheduled, a)
    _pass_all(world, scheduled, c)
    module = scheduled.modules.get(code="lapangan")
    for m in scheduled.modules.exclude(pk=module.pk):
        assessments.record_score(world.district, b, m, 90)
    assessments.record_score(world.district, b, module, 55)
    reasons = {r.participant.pk: r.reasons for r in cohort_results(scheduled, today=AFTER)}
    assert reasons[a.pk] == []
    assert reasons[b.pk] == ["Modul lapangan (Praktik lapangan) belum lulus: nilai 55,00, lulus 70,00."]
    assert reasons[c.pk] == ["Kehadiran 62,5% di bawah minimum 80,0%."]
    with pytest.raises(ValidationError) as err:
        graduation.confirm(world.district, scheduled, [a, b], today=AFTER)
    assert "lapangan" in err.value.messages[0]
    assert not Certificate.objects.exists()
    a.refresh_from_db()
    assert a.status == ParticipantStatus.ACTIVE


def test_graduation_waits_for_the_last_session(world, scheduled, enrolled):
    with pytest.raises(ValidationError) as err:
        graduation.confirm(world.district, scheduled, [enrolled[0]], today=dt.date(2026, 10, 1))
    assert "belum selesai" in err.value.messages[0]


def test_graduation_with_a_final_assessment(world, curriculum, campaign, make_tks):
    from tests.training.conftest import make_cohort

    cohort = make_cohort(world, curriculum, campaign, final_pass_mark=75)
    (p,) = participants.enrol(world.district, cohort, [make_tks()])
    sessions.generate_schedule(world.district, cohort)
    _mark(cohort, p, [Mark.PRESENT] * 8)
    _pass_all(world, cohort, p)
    assert cohort_results(cohort, today=AFTER)[0].reasons == ["Ujian akhir belum dinilai."]
    assessments.record_score(world.district, p, None, 70)
    assert "Ujian akhir belum lulus" in cohort_results(cohort, today=AFTER)[0].reasons[0]
    assessments.record_score(world.district, p, None, 80)  # remedial final
    graduation.confirm(world.district, cohort, [p], today=AFTER)
    p.refresh_from_db()
    assert p.status == ParticipantStatus.GRADUATED and p.graduated_by == world.district
    assert Certificate.objects.get(participant=p).is_valid


def test_graduates_are_the_mentors_matching_may_post(world, scheduled, enrolled):
    from sukarela.training import selectors

    a = enrolled[0]
    _mark(scheduled, a, [Mark.PRESENT] * 8)
    _pass_all(world, scheduled, a)
    assert not selectors.graduates().exists()
    graduation.confirm(world.district, scheduled, [a], today=AFTER)
    assert list(selectors.graduates_for(world.district)) == [a]
    assert not selectors.graduates_for(world.district_other).exists()
    assert AuditEvent.objects.filter(action="graduate", target_id=str(a.pk)).exists()

"""Attendance services (issue 4 item 3): the trainer's marks, self check-in with the session
code and its time window, and the file import in both modes with its error report.

Sessions are on Tuesday 1 September 2026, 08:00–12:00 (Asia/Jakarta); check-in times are
passed as `now=` so nothing depends on today's date.
"""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.engines.tabular import write_xlsx
from sukarela.training.models import Attendance, Mark, MarkSource, Participant, ParticipantStatus
from sukarela.core import importing
from sukarela.training.services import attendance, participants, sessions
from tests.conftest import make_user
from tests.training.conftest import START, make_cohort

WIB = ZoneInfo("Asia/Jakarta")
HEADERS = ("tanggal", "jam_mulai", "nama_pengguna", "status")
HYPERLINK = '=HYPERLINK("http://contoh.invalid/curi","klik")'


def at(hour, minute=0, second=0, day=START):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=WIB)


def add(world, cohort, trainer=None, day=START, start="08:00", end="12:00"):
    return sessions.add_session(world.district, cohort, module=cohort.modules.first(), date=day,
                                starts_at=dt.time.fromisoformat(start), ends_at=dt.time.fromisoformat(end),
                                trainer=trainer)


@pytest.fixture
def session(world, cohort, trainer, enrolled):
    return add(world, cohort, trainer)


def events(action):
    return AuditEvent.objects.filter(action=action)


def upload(rows, name="presensi.csv", headers=HEADERS):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


# ----------------------------------------------------------------------------- marks

def test_mark_creates_then_changes_the_one_row_and_audits_each_change(world, session, enrolled, trainer):
    p = enrolled[0]
    row = attendance.mark(trainer, session, p, Mark.PRESENT)
    assert (row.mark, row.source, row.recorded_by) == ("present", MarkSource.TRAINER, trainer)
    assert events("mark").get().changes == {"mark": [None, "present"]}
    attendance.mark(world.district, session, p, Mark.ABSENT)
    assert Attendance.objects.get(session=session, participant=p).mark == "absent"
    assert events("mark").order_by("-id").first().changes == {"mark": ["present", "absent"]}
    assert Attendance.objects.count() == 1


def test_an_unchanged_mark_writes_nothing(world, session, enrolled):
    first = attendance.mark(world.district, session, enrolled[0], Mark.LATE)
    before = AuditEvent.objects.count()
    again = attendance.mark(world.district, session, enrolled[0], Mark.LATE)
    assert AuditEvent.objects.count() == before
    assert again.recorded_at == first.recorded_at == Attendance.objects.get().recorded_at


def test_who_may_mark(world, session, enrolled):
    other_trainer = make_user("pelatih-lain", Role.TRAINER, "32.01")  # teaches no session of this cohort
    for actor in (other_trainer, world.district_other, world.provincial_other, enrolled[1].volunteer, None):
        with pytest.raises(PermissionDenied):
            attendance.mark(actor, session, enrolled[0], Mark.PRESENT)
    attendance.mark(world.provincial, session, enrolled[0], Mark.PRESENT)  # Jawa Barat covers Kab. Bogor
    assert Attendance.objects.count() == 1


def test_dropped_graduated_and_foreign_participants_are_refused(world, session, enrolled, campaign, curriculum,
                                                                make_tks):
    dropped, graduated = enrolled[0], enrolled[1]
    participants.drop_out(world.district, dropped, "Pindah domisili")
    Participant.objects.filter(pk=graduated.pk).update(status=ParticipantStatus.GRADUATED)  # as graduation leaves it
    for p in (dropped, graduated):
        with pytest.raises(ValidationError) as exc:
            attendance.mark(world.district, session, p, Mark.PRESENT)
        assert p.volunteer.full_name in exc.value.message_dict["participant"][0]
    other = make_cohort(world, curriculum, campaign, "out")
    foreign = participants.enrol(world.district_other, other, [make_tks(world.village_out.code)])[0]
    with pytest.raises(ValidationError, match="bukan peserta angkatan"):
        attendance.mark(world.district, session, foreign, Mark.PRESENT)
    with pytest.raises(ValidationError) as exc:
        attendance.mark(world.district, session, enrolled[2], "hadir")
    assert "mark" in exc.value.message_dict
    assert not Attendance.objects.exists() and not events("mark").exists()


def test_mark_many_is_all_or_nothing_and_names_the_item(world, session, enrolled):
    participants.drop_out(world.district, enrolled[2], "Sakit berkepanjangan")
    items = [(enrolled[0].pk, "present"), (enrolled[1].pk, "maybe"), (enrolled[2].pk, "late"), (999999, "late")]
    with pytest.raises(ValidationError) as exc:
        attendance.mark_many(world.district, session, items)
    found = {(e.params["index"], e.params["field"]) for e in exc.value.error_dict["marks"]}
    assert found == {(1, "mark"), (2, "participant"), (3, "participant")}
    assert not Attendance.objects.exists()
    rows = attendance.mark_many(world.district, session, [(enrolled[0].pk, "present"), (enrolled[1].pk, "excused")])
    assert [r.mark for r in rows] == ["present", "excused"]
    assert events("mark").count() == 2


def test_mark_unmarked_present_leaves_marked_ones(world, session, enrolled, trainer):
    attendance.mark(trainer, session, enrolled[0], Mark.ABSENT)
    assert attendance.mark_unmarked_present(trainer, session) == 2
    marks = dict(Attendance.objects.values_list("participant_id", "mark"))
    assert marks == {enrolled[0].pk: "absent", enrolled[1].pk: "present", enrolled[2].pk: "present"}
    assert attendance.mark_unmarked_present(trainer, session) == 0


# ----------------------------------------------------------------------------- check-in

@pytest.mark.parametrize("now, expected", [
    (at(7, 0), "present"),          # opens 60 minutes before the start
    (at(8, 15), "present"),         # up to 15 minutes after the start is on time
    (at(8, 15, 1), "late"),
    (at(12, 0), "late"),            # until the end
])
def test_check_in_inside_the_window(session, enrolled, now, expected):
    tks = enrolled[0].volunteer
    row = attendance.check_in(tks, session.check_in_code, now=now)
    assert (row.mark, row.source, row.recorded_by) == (expected, MarkSource.SELF, tks)
    event = events("check_in").get()
    assert event.actor == tks and event.changes == {"mark": [None, expected]}


@pytest.mark.parametrize("now, words", [
    (at(6, 59, 59), "belum dibuka"),
    (at(9, 0, day=START - dt.timedelta(days=1)), "belum dibuka"),
    (at(12, 0, 1), "sudah ditutup"),
    (at(9, 0, day=START + dt.timedelta(days=1)), "sudah ditutup"),
])
def test_check_in_outside_the_window_says_which(session, enrolled, now, words):
    with pytest.raises(ValidationError) as exc:
        attendance.check_in(enrolled[0].volunteer, session.check_in_code, now=now)
    assert words in exc.value.message_dict["code"][0]
    assert not Attendance.objects.exists()


def test_check_in_code_is_forgiving_about_case_and_spaces(session, enrolled):
    code = session.check_in_code
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    assert attendance.check_in(enrolled[0].volunteer, typed, now=at(8)).mark == "present"


def test_wrong_code_and_other_cohort_say_which(world, session, enrolled, campaign, curriculum, make_tks):
    with pytest.raises(ValidationError, match="Kode presensi salah"):
        attendance.check_in(enrolled[0].volunteer, "ZZZZZZ" if session.check_in_code != "ZZZZZZ" else "YYYYYY",
                            now=at(8))
    with pytest.raises(ValidationError, match="Kode presensi salah"):
        attendance.check_in(enrolled[0].volunteer, "   ", now=at(8))
    other = make_cohort(world, curriculum, campaign, "out")
    stranger = participants.enrol(world.district_other, other, [make_tks(world.village_out.code)])[0].volunteer
    with pytest.raises(ValidationError, match="angkatan lain"):
        attendance.check_in(stranger, session.check_in_code, now=at(8))
    assert not Attendance.objects.exists()


def test_dropped_tks_and_other_roles_cannot_check_in(world, session, enrolled, trainer):
    participants.drop_out(world.district, enrolled[0], "Mengundurkan diri")
    with pytest.raises(ValidationError, match="tidak lagi"):
        attendance.check_in(enrolled[0].volunteer, session.check_in_code, now=at(8))
    for user in (trainer, world.district):
        with pytest.raises(PermissionDenied):
            attendance.check_in(user, session.check_in_code, now=at(8))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("set_by_trainer", [Mark.PRESENT, Mark.LATE, Mark.EXCUSED])
def test_check_in_never_downgrades_the_trainers_mark(session, enrolled, trainer, set_by_trainer):
    attendance.mark(trainer, session, enrolled[0], set_by_trainer)
    before = AuditEvent.objects.count()
    row = attendance.check_in(enrolled[0].volunteer, session.check_in_code, now=at(11))
    assert (row.mark, row.source) == (set_by_trainer, MarkSource.TRAINER)
    assert AuditEvent.objects.count() == before


def test_check_in_corrects_absent_and_a_second_check_in_keeps_the_first(session, enrolled, trainer):
    attendance.mark(trainer, session, enrolled[0], Mark.ABSENT)
    assert attendance.check_in(enrolled[0].volunteer, session.check_in_code, now=at(9)).mark == "late"
    assert attendance.check_in(enrolled[1].volunteer, session.check_in_code, now=at(8)).mark == "present"
    assert attendance.check_in(enrolled[1].volunteer, session.check_in_code, now=at(10)).mark == "present"
    assert events("check_in").count() == 2


# ----------------------------------------------------------------------------- import

@pytest.fixture
def two_a_day(world, cohort, enrolled):
    """Two sessions on 1 September (so jam_mulai matters) and one on 2 September."""
    return (add(world, cohort, start="08:00", end="12:00"), add(world, cohort, start="13:00", end="17:00"),
            add(world, cohort, day=START + dt.timedelta(days=1)))


def _names(enrolled):
    return [p.volunteer.username for p in enrolled]


def test_import_valid_mode_stores_good_rows_and_names_row_and_column(world, cohort, enrolled, two_a_day):
    morning, afternoon, next_day = two_a_day
    a, b, c = _names(enrolled)
    participants.drop_out(world.district, enrolled[2], "Pindah kerja")
    rows = [
        ("2026-09-01", "08:00", a, "hadir"),          # 2 stored
        ("01/09/2026", "13.00", a.upper(), "Late"),    # 3 stored: DD/MM/YYYY, HH.MM, English, any case
        ("2026-09-02", "", b, "izin"),                 # 4 stored: one session that day, no time needed
        ("2026-09-01", "", b, "hadir"),                # 5 two sessions that day
        ("2026-09-01", "10:00", b, "hadir"),           # 6 no session starts then
        ("2026-09-05", "", b, "hadir"),                # 7 a Saturday: no session
        ("1 Sept", "", b, "hadir"),                    # 8 not a date
        ("2026-09-02", "", "orang-asing", "hadir"),    # 9 not in the cohort
        ("2026-09-02", "", c, "hadir"),                # 10 dropped out
        ("2026-09-02", "", a, "mungkin"),              # 11 unknown status
        ("2026-09-02", "", b, "alpa"),                 # 12 same person and session as row 4
    ]
    result = attendance.import_attendance(world.district, cohort, upload(rows), "valid")
    assert (result.total, result.stored, result.unchanged, result.rejected) == (11, 3, 0, 8)
    got = {(e.row, e.column) for e in result.errors}
    assert got == {(5, "jam_mulai"), (6, "jam_mulai"), (7, "tanggal"), (8, "tanggal"), (9, "nama_pengguna"),
                   (10, "nama_pengguna"), (11, "status"), (12, "nama_pengguna")}
    by_row = {e.row: e for e in result.errors}
    assert "08:00, 13:00" in by_row[5].reason and "baris 4" in by_row[12].reason
    assert by_row[9].value == "orang-asing"
    marks = {(r.session_id, r.participant_id): (r.mark, r.source) for r in Attendance.objects.all()}
    assert marks == {(morning.pk, enrolled[0].pk): ("present", "import"),
                     (afternoon.pk, enrolled[0].pk): ("late", "import"),
                     (next_day.pk, enrolled[1].pk): ("excused", "import")}
    assert events("import_mark").count() == 3
    assert all(e.actor == world.district for e in events("import_mark"))


def test_import_all_mode_stores_nothing_when_a_row_is_wrong(world, cohort, enrolled, two_a_day):
    a, b, _c = _names(enrolled)
    rows = [("2026-09-02", "", a, "hadir"), ("2026-09-02", "", b, "kabur")]
    before = AuditEvent.objects.count()
    result = attendance.import_attendance(world.district, cohort, upload(rows), "all")
    assert not result.applied and result.stored == 0 and [(e.row, e.column) for e in result.errors] == [(3, "status")]
    assert not Attendance.objects.exists() and AuditEvent.objects.count() == before
    result = attendance.import_attendance(world.district, cohort, upload(rows[:1]), "all")
    assert result.applied and result.stored == 1


def test_reimport_changes_only_what_differs(world, cohort, enrolled, two_a_day):
    a, b, _c = _names(enrolled)
    attendance.import_attendance(world.district, cohort, upload([("2026-09-02", "", a, "hadir"),
                                                                 ("2026-09-02", "", b, "hadir")]), "all")
    before = AuditEvent.objects.count()
    result = attendance.import_attendance(world.district, cohort, upload([("2026-09-02", "", a, "hadir"),
                                                                          ("2026-09-02", "", b, "alpa")]), "all")
    assert (result.stored, result.unchanged) == (1, 1)
    assert AuditEvent.objects.count() == before + 1
    assert events("import_mark").order_by("-id").first().changes == {"mark": ["present", "absent"]}


def test_import_reads_xlsx_with_english_headers(world, cohort, enrolled, two_a_day, tmp_path):
    buffer = io.BytesIO()
    write_xlsx(buffer, ["Date", "Start time", "Username", "Attendance"],
               [[dt.date(2026, 9, 1), dt.time(13, 0), enrolled[1].volunteer.username, "absent"]])
    result = attendance.import_attendance(world.district, cohort, SimpleUploadedFile("p.xlsx", buffer.getvalue()),
                                          "all")
    assert result.stored == 1 and not result.errors
    row = Attendance.objects.get()
    assert (row.session_id, row.participant_id, row.mark) == (two_a_day[1].pk, enrolled[1].pk, "absent")


def test_error_report_names_row_column_reason_and_neutralises_formulas(world, cohort, enrolled, two_a_day):
    result = attendance.import_attendance(world.district, cohort, upload([("2026-09-02", "", HYPERLINK, "hadir")]),
                                          "valid")
    text = importing.error_report(result.errors).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Baris", "Kolom", "Alasan", "Nilai"]
    assert lines[1][:3] == ["2", "nama_pengguna", "Bukan peserta angkatan ini."]
    assert lines[1][3] == "'" + HYPERLINK


def test_import_refuses_bad_files_modes_and_people(world, cohort, enrolled, two_a_day, trainer):
    with pytest.raises(ValidationError) as exc:
        attendance.import_attendance(world.district, cohort, upload([("x",)], headers=("tanggal",)), "valid")
    assert "nama_pengguna" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        attendance.import_attendance(world.district, cohort, upload([]), "sebagian")
    assert "mode" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        attendance.import_attendance(world.district, cohort, SimpleUploadedFile("kosong.csv", b""), "valid")
    assert "file" in exc.value.message_dict
    for actor in (world.district_other, trainer, world.tks_in):
        with pytest.raises(PermissionDenied):
            attendance.import_attendance(actor, cohort, upload([("2026-09-02", "", "x", "hadir")]), "valid")
    assert not Attendance.objects.exists()


# ----------------------------------------------------------------------------- sessions still to come

THE_DAY_BEFORE = at(12, 0, day=START - dt.timedelta(days=1))  # 31 August 2026, noon WIB


def test_no_mark_for_a_session_still_to_come(world, session, enrolled, trainer):
    p = enrolled[0]
    with pytest.raises(ValidationError) as exc:
        attendance.mark(trainer, session, p, Mark.PRESENT, now=THE_DAY_BEFORE)
    assert "belum berlangsung (tanggal 1 September 2026)" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="belum berlangsung"):
        attendance.mark_many(world.district, session, [(p.pk, "present")], now=THE_DAY_BEFORE)
    with pytest.raises(ValidationError, match="belum berlangsung"):
        attendance.mark_unmarked_present(trainer, session, now=THE_DAY_BEFORE)
    assert not Attendance.objects.exists() and not events("mark").exists()
    # On the day itself (from midnight) and after it, marks are taken.
    assert attendance.mark(trainer, session, p, Mark.PRESENT, now=at(0, 0)).mark == "present"
    assert attendance.mark_unmarked_present(trainer, session, now=at(9, day=START + dt.timedelta(days=30))) == 2


def test_import_names_the_date_of_a_session_still_to_come(world, cohort, enrolled, two_a_day):
    a, b, _c = _names(enrolled)
    rows = [("2026-09-01", "08:00", a, "hadir"), ("2026-09-02", "", b, "hadir")]
    result = attendance.import_attendance(world.district, cohort, upload(rows), "valid", now=at(18))
    assert result.stored == 1 and [(e.row, e.column) for e in result.errors] == [(3, "tanggal")]
    assert "belum berlangsung (tanggal 2 September 2026)" in result.errors[0].reason
    assert Attendance.objects.get().session == two_a_day[0]


# ----------------------------------------------------------------------------- time zones

@pytest.fixture
def lombok(world, curriculum, campaign, make_tks):
    """A cohort in Kab. Lombok Timur (52.03, Nusa Tenggara Barat: WITA) with one TKS and a session at 08:00."""
    from sukarela.training.services import cohorts, venues
    from tests.conftest import first_village

    officer = world.provincial_other
    venue = venues.create_venue(officer, name="BLK UPTP Lombok Timur", kind="blk_uptp", region_id="52.03")
    cohort = cohorts.create_cohort(officer, name="Angkatan Uji NTB", campaign=campaign, curriculum=curriculum,
                                   region_id="52.03", venue=venue, starts_on=START)
    person = participants.enrol(officer, cohort, [make_tks(first_village("52.03.01").code)])[0]
    session = sessions.add_session(officer, cohort, module=cohort.modules.first(), date=START,
                                   starts_at=dt.time(8), ends_at=dt.time(12))
    return session, person


WITA = ZoneInfo("Asia/Makassar")


def test_check_in_window_is_in_the_cohorts_time_zone(lombok):
    session, person = lombok
    # 07:30 WITA is 06:30 WIB: half an hour before an 08:00 session in Lombok, so the window is open.
    row = attendance.check_in(person.volunteer, session.check_in_code,
                              now=dt.datetime.combine(START, dt.time(7, 30), tzinfo=WITA))
    assert (row.mark, row.source) == ("present", MarkSource.SELF)
    assert attendance.window(session)[0] == dt.datetime.combine(START, dt.time(7), tzinfo=WITA)


def test_check_in_refusal_names_the_local_time(lombok):
    session, person = lombok
    with pytest.raises(ValidationError) as exc:
        attendance.check_in(person.volunteer, session.check_in_code,
                            now=dt.datetime.combine(START, dt.time(6, 59), tzinfo=WITA))
    assert exc.value.message_dict["code"][0].endswith("dibuka 1 September 2026 07:00 WITA.")
    with pytest.raises(ValidationError) as exc:  # 12:30 WIB is 13:30 WITA: after the end in Lombok
        attendance.check_in(person.volunteer, session.check_in_code, now=at(12, 30))
    assert "sejak 1 September 2026 12:00 WITA" in exc.value.message_dict["code"][0]


def test_today_is_taken_where_the_cohort_trains(world, lombok, session, enrolled):
    late_evening_in_jakarta = at(23, 30, day=START - dt.timedelta(days=1))  # already 00:30 on 1 September in Lombok
    ntb_session, person = lombok
    assert attendance.mark(world.provincial_other, ntb_session, person, Mark.PRESENT,
                           now=late_evening_in_jakarta).mark == "present"
    with pytest.raises(ValidationError, match="belum berlangsung"):
        attendance.mark(world.district, session, enrolled[0], Mark.PRESENT, now=late_evening_in_jakarta)

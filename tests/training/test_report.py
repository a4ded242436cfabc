"""The cohort report (XLSX) on a small cohort whose numbers are worked out by hand below."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sukarela.engines.graduation import Unmet
from sukarela.training.report import cohort_report, legend
from sukarela.training.results import describe
from sukarela.training.services import assessments, attendance, participants, sessions
from tests.training.conftest import make_cohort

TODAY = dt.date(2026, 11, 1)  # sessions before it have been held; 15 December has not
EVIL = '=HYPERLINK("http://contoh.invalid","klik")'


def _sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _by_username(rows) -> dict:
    return {row[1]: row for row in rows[1:] if row and row[0] is not None and len(row) > 1 and row[1]}


@pytest.fixture
def small(world, cohort, make_tks):
    """Two TKS (one with a name that is a spreadsheet formula), four held sessions and one to come.

    Attendance (held: 1-4 Sep):   1 Sep   2 Sep   3 Sep   4 Sep
        ani                        H       T       A       -      -> (1 + 1) / 4       = 50.0 %
        evil                       I       -       H       -      -> 1 / (4 - 1 excused) = 33.3 %
    Scores: ani orientasi 60 then 85 (remedial), peran 90; evil orientasi 70, peran 50.
    """
    officer = world.district
    ani = participants.enrol(officer, cohort, [make_tks(full_name="Ani Lestari")])[0]
    evil = participants.enrol(officer, cohort, [make_tks(full_name=EVIL)])[0]
    orientasi, peran, lapangan = cohort.modules.all()
    plan = [(dt.date(2026, 9, 1), orientasi), (dt.date(2026, 9, 2), peran), (dt.date(2026, 9, 3), lapangan),
            (dt.date(2026, 9, 4), lapangan), (dt.date(2026, 12, 15), orientasi)]
    made = [sessions.add_session(officer, cohort, module=m, date=d, starts_at=dt.time(8), ends_at=dt.time(12))
            for d, m in plan]
    for session, mark in zip(made, ["present", "late", "absent"]):
        attendance.mark(officer, session, ani, mark)
    attendance.mark(officer, made[0], evil, "excused")
    attendance.mark(officer, made[2], evil, "present")
    for who, module, score in [(ani, orientasi, 60), (ani, orientasi, 85), (ani, peran, 90), (evil, orientasi, 70),
                               (evil, peran, 50)]:
        assessments.record_score(officer, who, module, score)
    return ani, evil


def test_summary_sheet(cohort, small):
    ani, evil = small
    sheets = _sheets(cohort_report(cohort, today=TODAY))
    assert list(sheets) == ["Ringkasan", "Kehadiran", "Nilai"]
    summary = sheets["Ringkasan"]
    assert summary[0] == ["Nama", "Nama pengguna", "Status", "Kehadiran (%)", "Modul lulus", "Jumlah modul",
                          "Nilai ujian akhir", "Kelulusan"]
    rows = _by_username(summary)
    assert len(rows) == 2
    lapangan = Unmet("module", code="lapangan", title="Praktik lapangan", needed=70.0, actual=None)
    assert rows[ani.volunteer.username] == [
        "Ani Lestari", ani.volunteer.username, "Sedang pelatihan", 50.0, 2, 3, None,
        "; ".join([describe(Unmet("attendance", needed=80.0, actual=50.0)), describe(lapangan)])]
    assert rows[evil.volunteer.username] == [
        "'" + EVIL, evil.volunteer.username, "Sedang pelatihan", 33.3, 1, 3, None,
        "; ".join([describe(Unmet("attendance", needed=80.0, actual=100 / 3)),
                   describe(Unmet("module", code="peran", title="Empat peran TKS", needed=70.0, actual=50.0)),
                   describe(lapangan)])]


def test_attendance_sheet(cohort, small):
    ani, evil = small
    sheet = _sheets(cohort_report(cohort, today=TODAY))["Kehadiran"]
    assert sheet[0] == ["Nama", "Nama pengguna", "2026-09-01 08:00 orientasi", "2026-09-02 08:00 peran",
                        "2026-09-03 08:00 lapangan", "2026-09-04 08:00 lapangan"]
    rows = _by_username(sheet)
    assert rows[ani.volunteer.username][2:] == ["H", "T", "A", None]
    assert rows[evil.volunteer.username][2:] == ["I", None, "H", None]
    assert rows[evil.volunteer.username][0] == "'" + EVIL, "a name that is a formula stays text"
    assert sheet[-1][0] == legend()


def test_scores_sheet(cohort, small):
    ani, evil = small
    sheet = _sheets(cohort_report(cohort, today=TODAY))["Nilai"]
    assert sheet[0] == ["Nama", "Nama pengguna", "orientasi nilai", "orientasi percobaan", "orientasi lulus",
                        "peran nilai", "peran percobaan", "peran lulus", "lapangan nilai", "lapangan percobaan",
                        "lapangan lulus"]
    rows = _by_username(sheet)
    assert rows[ani.volunteer.username][2:] == [85, 2, "Ya", 90, 1, "Ya", None, 0, None]
    assert rows[evil.volunteer.username][2:] == [70, 1, "Ya", 50, 1, "Tidak", None, 0, None]


def test_final_assessment_columns(world, curriculum, campaign, make_tks):
    cohort = make_cohort(world, curriculum, campaign, name="Angkatan Ujian Akhir", final_pass_mark=75)
    officer = world.district
    budi, sari = participants.enrol(officer, cohort, [make_tks(full_name="Budi"), make_tks(full_name="Sari")])
    assessments.record_score(officer, budi, None, 60)
    assessments.record_score(officer, budi, None, 80)
    sheets = _sheets(cohort_report(cohort, today=TODAY))
    summary = _by_username(sheets["Ringkasan"])
    assert summary[budi.volunteer.username][6] == 80 and summary[sari.volunteer.username][6] is None
    assert describe(Unmet("final", needed=75.0, actual=None)) in summary[sari.volunteer.username][7]
    assert describe(Unmet("final", needed=75.0, actual=80.0)) not in summary[budi.volunteer.username][7]
    scores = sheets["Nilai"]
    assert scores[0][-3:] == ["Ujian akhir nilai", "Ujian akhir percobaan", "Ujian akhir lulus"]
    assert _by_username(scores)[budi.volunteer.username][-3:] == [80, 2, "Ya"]
    assert _by_username(scores)[sari.volunteer.username][-3:] == [None, 0, None]
    # No session held yet: no attendance columns, and no rate.
    assert sheets["Kehadiran"][0] == ["Nama", "Nama pengguna"]
    assert summary[budi.volunteer.username][3] is None

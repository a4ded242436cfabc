"""Attendance rates count only the sessions held while a participant was in the cohort: a late
joiner from the day they joined, a drop-out until the day they left (training.results).

Five sessions, 1–7 September 2026; "today" is 1 October, so all five have been held.
               1 Sep  2 Sep  3 Sep  4 Sep  7 Sep
    from start   H      H      A      H      H    -> 4 of 5          = 80 %
    late (3 Sep) .      .      H      H      H    -> 3 of 3          = 100 %
    drop (3 Sep) H      A      .      .      .    -> 1 of 2          = 50 %
"""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sukarela.training.models import Participant
from sukarela.training.report import NOT_COUNTED, cohort_report
from sukarela.training.results import cohort_results
from sukarela.training.services import attendance, participants, sessions

DAYS = [dt.date(2026, 9, d) for d in (1, 2, 3, 4, 7)]
JOINED = DROPPED = dt.date(2026, 9, 3)
TODAY = dt.date(2026, 10, 1)


@pytest.fixture
def three(world, cohort, make_tks):
    officer = world.district
    orientasi, peran = list(cohort.modules.all())[:2]
    made = [sessions.add_session(officer, cohort, module=orientasi if day < JOINED else peran, date=day,
                                 starts_at=dt.time(8), ends_at=dt.time(12)) for day in DAYS]
    regular, late, leaver = participants.enrol(officer, cohort, [make_tks(), make_tks(), make_tks()])
    # Test data: the late joiner's day, as enrolling into a running cohort records it.
    Participant.objects.filter(pk=late.pk).update(joined_on=JOINED)
    for session, mark in zip(made, ["present", "present", "absent", "present", "present"]):
        attendance.mark(officer, session, regular, mark)
    for session in made[2:]:
        attendance.mark(officer, session, late, "present")
    attendance.mark(officer, made[0], leaver, "present")
    attendance.mark(officer, made[1], leaver, "absent")
    participants.drop_out(officer, leaver, "Pindah domisili", DROPPED)
    return regular, late, leaver


def test_rates_count_from_joining_and_until_dropping_out(cohort, three):
    regular, late, leaver = three
    got = {r.participant.pk: r for r in cohort_results(cohort, today=TODAY)}
    assert (got[regular.pk].held, got[regular.pk].rate) == (5, 80.0)
    assert (got[late.pk].held, got[late.pk].rate) == (3, 100.0)
    assert (got[leaver.pk].held, got[leaver.pk].rate) == (2, 50.0)
    orientasi, peran = list(cohort.modules.all())[:2]
    assert got[late.pk].module_rates[orientasi.pk] is None  # none of its sessions was held after they joined
    assert got[late.pk].module_rates[peran.pk] == 100.0
    assert (got[leaver.pk].module_rates[orientasi.pk], got[leaver.pk].module_rates[peran.pk]) == (50.0, None)
    assert not any(u.rule == "attendance" for u in got[late.pk].unmet)


def test_report_marks_the_sessions_that_do_not_count(cohort, three):
    regular, late, leaver = three
    book = load_workbook(io.BytesIO(cohort_report(cohort, today=TODAY)))
    rows = {row[1]: row for row in book["Kehadiran"].iter_rows(values_only=True) if row and row[1]}
    assert list(rows[regular.volunteer.username][2:]) == ["H", "H", "A", "H", "H"]
    assert list(rows[late.volunteer.username][2:]) == [NOT_COUNTED, NOT_COUNTED, "H", "H", "H"]
    assert list(rows[leaver.volunteer.username][2:]) == ["H", "A", NOT_COUNTED, NOT_COUNTED, NOT_COUNTED]
    summary = {row[1]: row for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[1]}
    assert [summary[p.volunteer.username][3] for p in three] == [80.0, 100.0, 50.0]

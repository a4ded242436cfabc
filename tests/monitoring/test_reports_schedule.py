"""The schedule: what is due when (a table, no clock, no sleep), `sukarela monthly-reports` (builds
every region's PDF and XLSX, skips what is built, --force builds again, --region one region) and
one round of `sukarela scheduler`."""

import datetime as dt
import importlib
import io
import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sukarela.core.models import AuditEvent, Session
from sukarela.core.sessions import SessionStore
from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.reports.due import Due, due, is_final, report_month
from tests.monitoring.reports_fixtures import last_month, programme, tmp_media


@pytest.fixture
def media(settings, tmp_path):
    return tmp_media(settings, tmp_path)

scheduler = importlib.import_module("sukarela.monitoring.management.commands.scheduler")


def at(day, hour=12, minute=0, month=11):
    return dt.datetime(2026, month, day, hour, minute)


OCT = dt.date(2026, 10, 1)
CONFIG = {"refresh_minutes": 15, "reports_hour": 2, "retry_minutes": 60}


@pytest.mark.parametrize("now, last_refresh, last_run, done, expected", [
    # Never refreshed: refresh now. Mid-month with October's national report built: nothing else.
    (at(14), None, None, True, Due(True, None)),
    (at(14, 12, 14), at(14, 12, 0), None, True, Due(False, None)),
    (at(14, 12, 15), at(14, 12, 0), None, True, Due(True, None)),
    # The 1st of November: before 02:00 not yet, from 02:00 October's reports.
    (at(1, 1, 59), at(1, 1, 50), None, False, Due(False, None)),
    (at(1, 2, 0), at(1, 1, 50), None, False, Due(False, OCT)),
    # Later in the month, still missing (the server was off on the 1st): due.
    (at(20, 0, 5), at(20, 0, 0), None, False, Due(False, OCT)),
    # A run that failed is tried again an hour after it started, not every round.
    (at(1, 2, 30), at(1, 2, 20), at(1, 2, 0), False, Due(False, None)),
    (at(1, 3, 0), at(1, 2, 50), at(1, 2, 0), False, Due(False, OCT)),
    # January reports on December of the year before.
    (dt.datetime(2027, 1, 1, 2, 0), None, None, False, Due(True, dt.date(2026, 12, 1))),
])
def test_what_is_due(now, last_refresh, last_run, done, expected):
    # (today's full refresh done: test_when_the_full_refresh_is_due covers it)
    assert due(now, last_refresh=last_refresh, last_full_refresh=now, last_reports_run=last_run,
               national_report_done=done, config=CONFIG) == expected


@pytest.mark.parametrize("now, last_full, expected", [
    # Once a day from reports_hour (02:00), in place of that round's incremental refresh.
    (at(14, 1, 59), at(13, 2, 0), Due(True, None, False)),
    (at(14, 2, 0), at(13, 2, 0), Due(False, None, True)),
    (at(14, 2, 0), at(13, 23, 59), Due(False, None, True)),
    (at(14, 2, 30), at(14, 2, 0), Due(True, None, False)),
    (at(14, 23, 59), at(14, 2, 0), Due(True, None, False)),
    (at(15, 0, 30), at(14, 2, 0), Due(True, None, False)),
    # Never done (a scheduler just started): not before 02:00, at once after it.
    (at(14, 1, 0), None, Due(True, None, False)),
    (at(14, 15, 0), None, Due(False, None, True)),
    # The 1st at 02:00: the full refresh and last month's reports in the same round (the
    # scheduler runs the refresh first).
    (at(1, 2, 0), at(30, 2, 0, month=10), Due(False, OCT, True)),
])
def test_when_the_full_refresh_is_due(now, last_full, expected):
    done = now.day != 1
    assert due(now, last_refresh=None, last_full_refresh=last_full, last_reports_run=None,
               national_report_done=done, config=CONFIG) == expected


@pytest.mark.parametrize("month, built_at, final", [
    (OCT, None, False),
    (OCT, dt.datetime(2026, 10, 15, 9, 0), False),       # an officer's mid-month report
    (OCT, dt.datetime(2026, 10, 31, 23, 59), False),
    (OCT, dt.datetime(2026, 11, 1, 0, 0), True),         # the month has ended
    (OCT, dt.datetime(2027, 3, 2, 8, 0), True),
    (dt.date(2026, 12, 1), dt.datetime(2026, 12, 31, 23, 0), False),
    (dt.date(2026, 12, 1), dt.datetime(2027, 1, 1, 2, 0), True),
])
def test_a_report_is_final_once_built_after_its_month(month, built_at, final):
    assert is_final(month, built_at) is final


def test_report_month_is_the_previous_one():
    assert report_month(at(1, 0, 0)) == OCT
    assert report_month(dt.datetime(2026, 3, 31, 23, 59)) == dt.date(2026, 2, 1)


def run(*args) -> str:
    out = io.StringIO()
    call_command("monthly-reports", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_monthly_reports_builds_skips_and_rebuilds(world, media):
    made = programme(world)
    month = f"{made.month:%Y-%m}"
    out = run("--month", month)
    # Regencies with groups (32.01, 32.02), every province loaded (32, 52), the nation: 5 × 2 formats.
    assert "10 built, 0 skipped" in out, out
    reports = Report.objects.filter(month=made.month)
    assert reports.count() == 10 and set(reports.values_list("state", flat=True)) == {ReportState.DONE}
    assert set(reports.values_list("region_id", flat=True)) == {"32.01", "32.02", "32", "52", None}
    assert all(r.scheduled and r.requested_by is None for r in reports)
    assert AuditEvent.objects.filter(action="report_scheduled").count() == 10
    built_at = dict(reports.values_list("pk", "built_at"))
    assert "0 built, 10 skipped" in run("--month", month)
    assert dict(reports.values_list("pk", "built_at")) == built_at
    assert "10 built, 0 skipped" in run("--month", month, "--force")
    assert all(built_at[pk] < when for pk, when in reports.values_list("pk", "built_at"))
    out = run("--month", month, "--region", "32.01", "--force")
    assert "2 built, 0 skipped" in out and "[2/2] 32.01 xlsx: built" in out


def test_monthly_reports_defaults_to_last_month_and_takes_the_nation(world, media):
    assert "2 built" in run("--region", "ID")
    assert set(Report.objects.values_list("region_id", "month")) == {(None, last_month())}


@pytest.mark.parametrize("args", [("--month", "2026-13"), ("--month", "2999-01"), ("--region", "32.01.01"),
                                  ("--region", "99")])
def test_monthly_reports_refuses_bad_arguments(world, args):
    with pytest.raises(CommandError):
        run(*args)


def test_a_failed_report_fails_the_command(world, media, monkeypatch):
    from sukarela.monitoring.services import reports as service

    monkeypatch.setitem(service.RENDERERS, "xlsx", lambda content: 1 / 0)
    with pytest.raises(CommandError, match="1 report"):
        run("--region", "32.01")
    assert Report.objects.get(fmt="xlsx").state == ReportState.FAILED
    assert Report.objects.get(fmt="pdf").state == ReportState.DONE


def test_scheduler_round_refreshes_and_builds_what_is_due(world, media, monkeypatch):
    made = programme(world)
    monkeypatch.setattr(scheduler, "due", lambda now, **kw: Due(True, made.month))
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out, stderr=io.StringIO())
    assert "refreshed" in out.getvalue() and "10 built" in out.getvalue(), out.getvalue()
    assert Report.objects.filter(month=made.month, state=ReportState.DONE).count() == 10


def test_scheduler_survives_a_failing_round(world, monkeypatch):
    def boom(now, **kw):
        raise RuntimeError("database away")

    monkeypatch.setattr(scheduler, "due", boom)
    err = io.StringIO()
    call_command("scheduler", "--once", stdout=io.StringIO(), stderr=err)
    assert "round failed" in err.getvalue()


def test_the_parent_check():
    assert scheduler.alive(os.getppid(), was_parent=True)
    assert not scheduler.alive(os.getpid(), was_parent=True)  # not our parent: it is gone for us
    assert scheduler.alive(os.getpid(), was_parent=False)
    assert not scheduler.alive(2**22 + 12345, was_parent=False)


def test_scheduler_round_runs_the_full_refresh_before_the_reports(world, media, monkeypatch):
    calls = []
    monkeypatch.setattr(scheduler.refresh_service, "refresh",
                        lambda full=False: calls.append(("refresh", full)) or SimpleNamespace(seconds=0.0))
    monkeypatch.setattr(scheduler.report_schedule, "run_monthly", lambda month, refresh=True: calls.append(
        ("reports", month, refresh)) or SimpleNamespace(built=0, skipped=0, failed=[]))
    monkeypatch.setattr(scheduler, "due", lambda now, **kw: Due(False, OCT, True))
    stale, fresh = SessionStore(), SessionStore()
    for store, age in ((stale, -60), (fresh, 3600)):
        store.set_expiry(age)
        store["lain"] = 1
        store.save()
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out, stderr=io.StringIO())
    assert calls == [("refresh", True), ("reports", OCT, False)], out.getvalue()
    assert "full refresh" in out.getvalue() and "1 expired sessions removed" in out.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]


def test_scheduler_remembers_the_full_refresh_of_the_day(world, media, monkeypatch):
    seen, calls = [], []
    monkeypatch.setattr(scheduler.refresh_service, "refresh",
                        lambda full=False: calls.append(full) or SimpleNamespace(seconds=0.0))
    real_due = scheduler.due

    def spy(now, **kw):
        seen.append(kw["last_full_refresh"])
        return real_due(now, **kw)

    monkeypatch.setattr(scheduler, "due", spy)
    monkeypatch.setattr(scheduler.report_schedule, "run_monthly", lambda month, refresh=True: SimpleNamespace(
        built=0, skipped=0, failed=[]))
    command = scheduler.Command(stdout=io.StringIO(), stderr=io.StringIO())
    command.last_refresh = command.last_full_refresh = command.last_reports = None
    config = scheduler.DEFAULTS | {"reports_hour": 0}
    command._round(config)
    command._round(config)
    assert calls == [True] and seen[0] is None and seen[1] is not None  # the second round: nothing due

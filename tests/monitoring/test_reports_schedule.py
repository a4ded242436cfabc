"""The schedule: what is due when (a table, no clock, no sleep), `sukarela monthly-reports` (builds
every region's PDF and XLSX, skips what is built, --force builds again, --region one region) and
one round of `sukarela scheduler`."""

import datetime as dt
import importlib
import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sukarela.core.models import AuditEvent
from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.reports.due import Due, due, report_month
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
    assert due(now, last_refresh=last_refresh, last_reports_run=last_run, national_report_done=done,
               config=CONFIG) == expected


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

"""A report built before its month ended is partial: it does not count as the month's report for
the schedule (which builds it again once the month is over) and says "sementara" in its title
and in the list. The reviewer's case: an officer builds November's national report on 15
November; on 1 December the schedule must still build November."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.reports import content as report_content
from sukarela.monitoring.reports.due import due
from sukarela.monitoring.services import report_schedule
from tests.monitoring.reports_fixtures import last_month, make_report, tmp_media

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def media(settings, tmp_path):
    return tmp_media(settings, tmp_path)


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def built(report: Report, when: dt.datetime) -> Report:
    Report.objects.filter(pk=report.pk).update(built_at=when)
    report.refresh_from_db()
    return report


def national(month: dt.date, when: dt.datetime) -> list[Report]:
    return [built(make_report("", month=month, fmt=fmt), when) for fmt in ("pdf", "xlsx")]


def test_a_mid_month_national_report_leaves_the_month_end_run_due(world, media):
    national(NOV, local(2026, 11, 15, 10, 0))
    assert not report_schedule.national_done(NOV)
    todo = due(dt.datetime(2026, 12, 1, 3, 0), last_refresh=None, last_full_refresh=None, last_reports_run=None,
               national_report_done=report_schedule.national_done(NOV))
    assert todo.reports_for == NOV


@pytest.mark.parametrize("when, done", [
    ((2026, 11, 30, 23, 59), False),
    ((2026, 12, 1, 0, 0), True),     # local midnight starting December
    ((2026, 12, 1, 2, 5), True),
])
def test_only_a_report_built_after_the_month_counts(world, media, when, done):
    national(NOV, local(*when))
    assert report_schedule.national_done(NOV) is done


def test_the_schedule_builds_a_partial_report_again_and_skips_a_final_one(world, media):
    month = last_month()
    old, final = local(month.year, month.month, 10, 9, 0), local(*month_after_noon(month))
    national(month, old)
    [built(make_report("32.01", month=month, fmt=fmt), final) for fmt in ("pdf", "xlsx")]
    result = report_schedule.run_monthly(month, regions=["32.01", ""], refresh=False)
    assert (result.built, result.skipped, result.failed) == (2, 2, [])
    nation = Report.objects.filter(region__isnull=True, month=month)
    assert all(r.state == ReportState.DONE and r.built_at > old for r in nation)
    assert set(Report.objects.filter(region_id="32.01").values_list("built_at", flat=True)) == {final}
    assert report_schedule.national_done(month)


def month_after_noon(month: dt.date) -> tuple:
    after = (month + dt.timedelta(days=31)).replace(day=1)
    return after.year, after.month, 1, 12, 0


def test_the_title_says_partial_while_the_month_runs(world):
    during = report_content.build("32.01", NOV, now=local(2026, 11, 15, 10, 0))
    after = report_content.build("32.01", NOV, now=local(2026, 12, 1, 2, 0))
    assert during.title == "Laporan Bulanan Program TKS (sementara)" and during.partial
    assert after.title == "Laporan Bulanan Program TKS" and not after.partial


def test_the_list_marks_a_partial_report(client, world, media):
    month = last_month()
    partial = built(make_report("32.01", month=month, fmt="pdf"), local(month.year, month.month, 10, 9, 0))
    final = make_report("32.01", month=month, fmt="xlsx")  # built now, after last month ended
    client.force_login(world.district)
    html = client.get(reverse("monitoring:report_list")).content.decode()
    row = html.split(f'id="report-{partial.pk}"')[1].split("</tr>")[0]
    assert "(sementara)" in row
    row = html.split(f'id="report-{final.pk}"')[1].split("</tr>")[0]
    assert "sementara" not in row

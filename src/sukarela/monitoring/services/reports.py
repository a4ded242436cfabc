"""Monthly reports: an officer requests one (a region in scope, a month, PDF or XLSX), `build`
writes it. One row and one file per region, month and format: building again replaces both.

The file is written to a temporary name beside its final one and renamed over it, so a reader
never sees half a file. A build that fails ends "failed" with the error, and the previous file of
the same key is removed too: a file exists exactly when its row says "done", so nobody downloads
last week's figures believing they are today's. Progress goes to the row itself (`progress`, in
percent), which the status page polls; a build holds no transaction, so each update is visible.

Builds requested from the browser or the API run on a small pool (BUILD_WORKERS threads, each with
one database connection), in the order asked; the rest wait "queued". An officer has at most
PER_USER_BUILDS builds waiting or running: one more is refused with a message, so nobody fills
the pool (or the database's connections) for everyone else.
"""

import datetime as dt
import logging
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_officer
from sukarela.monitoring.models import Report, ReportFormat, ReportState
from sukarela.monitoring.periods import EARLIEST_YEAR, month_start
from sukarela.monitoring.reports import content as report_content
from sukarela.monitoring.reports import due
from sukarela.monitoring.reports import pdf, xlsx
from sukarela.monitoring.selectors import figures as figure_selectors

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(hours=1)
REGION_CODE = re.compile(r"^(\d{2}(\.\d{2})?)?$")  # "" the nation, "32" a province, "32.01" a regency
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RENDERERS = {ReportFormat.PDF: pdf.render, ReportFormat.XLSX: xlsx.render}
BUILD_WORKERS = 2
PER_USER_BUILDS = 4
ACTIVE = (ReportState.QUEUED, ReportState.RUNNING)
_pool = ThreadPoolExecutor(max_workers=BUILD_WORKERS, thread_name_prefix="report")


def relative_path(code: str, month: dt.date, fmt: str) -> str:
    return f"reports/{month:%Y-%m}/laporan-tks-{code or 'nasional'}-{month:%Y-%m}.{fmt}"


def file_name(report: Report) -> str:
    return Path(report.path).name


def parse_month(value, today: dt.date) -> dt.date:
    """A report month from "YYYY-MM" (or a date); ValueError says what is wrong in Indonesian."""
    if isinstance(value, dt.date):
        month = month_start(value)
    else:
        match = MONTH.match(str(value or "").strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < EARLIEST_YEAR:
            raise ValueError(_("Bulan harus berbentuk TTTT-BB, misalnya 2026-10."))
        month = dt.date(int(match[1]), int(match[2]), 1)
    if month > month_start(today):
        raise ValueError(_("Bulan laporan tidak boleh setelah bulan ini."))
    return month


def _key(code: str, month: dt.date, fmt: str) -> dict:
    region = {"region_id": code} if code else {"region__isnull": True}
    return region | {"month": month, "fmt": fmt}


def existing(code: str, month: dt.date, fmt: str) -> Report | None:
    return Report.objects.filter(**_key(code, month, fmt)).first()


def is_stale(report: Report) -> bool:
    return report.state in ACTIVE and report.requested_at < timezone.now() - STALE_AFTER


def is_partial(report: Report) -> bool:
    """A built report of a month that had not ended yet (marked "sementara")."""
    return (report.state == ReportState.DONE and report.built_at is not None
            and not due.is_final(report.month, timezone.localtime(report.built_at)))


def _check_builds_limit(actor, code: str, month: dt.date, fmt: str) -> None:
    """Refuse a new build when `actor` has PER_USER_BUILDS waiting or running (stale ones, which
    will never end by themselves, do not count; asking again for one under way starts nothing)."""
    if not getattr(actor, "pk", None):
        return
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one request of theirs at a time
    active = Report.objects.filter(requested_by=actor, state__in=ACTIVE,
                                   requested_at__gte=timezone.now() - STALE_AFTER)
    if active.filter(**_key(code, month, fmt)).exists():
        return
    if active.count() >= PER_USER_BUILDS:
        raise ValidationError(_("Anda sudah meminta %(n)d laporan yang belum selesai dibuat. Tunggu sampai "
                                "salah satunya selesai, lalu minta lagi.") % {"n": PER_USER_BUILDS})


def end_if_stale(report: Report) -> Report:
    """A build cut short by a server restart would keep its page polling for ever: past
    STALE_AFTER it ends as failed, and asking again starts it anew."""
    if not is_stale(report):
        return report
    error = _("Pembuatan laporan terhenti sebelum selesai (server dimulai ulang?). Minta laporan lagi.")
    if Report.objects.filter(pk=report.pk, state__in=ACTIVE).update(
            state=ReportState.FAILED, progress=0, error=error, path="", size=0):
        _remove(report.path)  # as after any failure: no file without a "done" row
    report.refresh_from_db()
    return report


def queue(code: str, month: dt.date, fmt: str, *, actor=None, scheduled: bool = False) -> tuple[Report, bool]:
    """The row of this region, month and format, set to be built; (report, False) when a build of
    it is already under way (nothing changes then). Call inside a transaction."""
    created = False
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(**_key(code, month, fmt)).first()
            if report is None:
                report, created = Report.objects.create(region_id=code or None, month=month, fmt=fmt), True
    except IntegrityError:  # another request created it a moment ago
        report = Report.objects.select_for_update().get(**_key(code, month, fmt))
    if not created and report.state in ACTIVE and not is_stale(report):
        return report, False
    report.state, report.progress, report.error = ReportState.QUEUED, 0, ""
    report.requested_by = actor if getattr(actor, "pk", None) else None
    report.requested_at, report.scheduled = timezone.now(), scheduled
    report.save(update_fields=["state", "progress", "error", "requested_by", "requested_at", "scheduled"])
    return report, True


def request_report(actor, region_code, month, fmt, *, today: dt.date | None = None,
                   scheduled: bool = False) -> Report:
    """An officer asks for a region's report. 403 for other roles, 404 for a region out of their
    scope (or unknown), ValidationError naming `region`, `month` or `format` for bad input. The
    caller starts the build (`start_in_background`, or `build` inline) when the returned report
    is queued. `scheduled` marks a report the programme makes anyway (the demo's)."""
    require_officer(actor)
    today = today or timezone.localdate()
    code = (region_code or "").strip()
    errors = {}
    if not REGION_CODE.match(code):
        errors["region"] = _("Wilayah harus nasional (kosong), provinsi (mis. 32) atau kabupaten/kota (mis. 32.01).")
    try:
        month = parse_month(month, today)
    except ValueError as exc:
        errors["month"] = str(exc)
    if fmt not in ReportFormat.values:
        errors["format"] = _("Format laporan harus pdf atau xlsx.")
    if errors:
        raise ValidationError(errors)
    figure_selectors.region_ref(actor, code)  # Http404 when unknown or outside the actor's scope
    with transaction.atomic():
        _check_builds_limit(actor, code, month, fmt)
        report, queued = queue(code, month, fmt, actor=actor, scheduled=scheduled)
        if queued:
            audit.record(actor, "report_request", report, {
                "region": [None, code or "ID"], "month": [None, f"{month:%Y-%m}"], "format": [None, fmt]})
    return report


def start_in_background(report: Report) -> None:
    """The browser's path: the request returns at once, the build waits for a thread of the pool,
    and the status page polls the progress."""
    _pool.submit(_work, report)


def _work(report: Report) -> None:
    close_old_connections()
    try:
        build(report)
    except Exception:  # build ends the row itself; this is a failure to even reach it
        log.exception("report %s: build not started", report.pk)
    finally:
        connection.close()  # the pool's thread lives on: hold no connection between builds


def _remove(relative: str) -> None:
    if relative:
        Path(settings.MEDIA_ROOT, relative).unlink(missing_ok=True)


def build(report: Report, progress=None) -> Report:
    """Build a queued report's file now, in the caller's thread; the row ends "done" or "failed".
    A report that is not queued (another thread took it) is returned as it is."""
    code, fmt = report.region_id or "", report.fmt
    rows = Report.objects.filter(pk=report.pk)

    def step(name, done, total, start=0, span=100):
        pct = start + (span * done // total if total else span)
        rows.update(progress=min(pct, 99))
        if progress:
            progress(name, done, total)

    # Claim the row: a second thread started for the same request finds it running and leaves.
    if not rows.filter(state=ReportState.QUEUED).update(state=ReportState.RUNNING, progress=0, error=""):
        report.refresh_from_db()
        return report
    relative = relative_path(code, report.month, fmt)
    final = Path(settings.MEDIA_ROOT, relative)
    temporary = None
    try:
        content = report_content.build(code, report.month, progress=lambda n, d, t: step(n, d, t, 0, 60))
        step("render", 0, 1, 60, 30)
        data, built_at = RENDERERS[fmt](content), content.built_at
        step("write", 0, 1, 90, 10)
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
        temporary = None
    except Exception as exc:  # the row must end in a state the officer can read, whatever happened
        log.exception("report %s failed", report.pk)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        _remove(relative)
        _remove(report.path)
        rows.update(state=ReportState.FAILED, progress=0, path="", size=0,
                    error=(_("Laporan gagal dibuat: %(e)s") % {"e": f"{type(exc).__name__}: {exc}"})[:2000])
    else:
        rows.update(state=ReportState.DONE, progress=100, path=relative, size=len(data), built_at=built_at, error="")
    if progress:
        progress("done", 1, 1)
    report.refresh_from_db()
    return report

"""`sukarela scheduler [--parent PID]`: refresh the monitoring aggregates every
SUKARELA_SCHEDULE["refresh_minutes"] (a full refresh once a day from "reports_hour", which corrects
what the incremental one does not follow, and then removes the expired sessions) and build last
month's reports once they are due (monitoring/reports/due.py decides). `sukarela serve` starts it
beside the web server with --parent: it exits when that process is gone. A failing round is logged
and tried again later; the scheduler itself keeps running. --once runs one round and exits (for
cron and tests)."""

import logging
import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from sukarela.core import services as core_services
from sukarela.monitoring.reports.due import DEFAULTS, due, report_month
from sukarela.monitoring.services import refresh as refresh_service
from sukarela.monitoring.services import report_schedule

log = logging.getLogger(__name__)
TICK_SECONDS = 30  # how often the clock is read; the parent is checked every second


def alive(pid: int, was_parent: bool) -> bool:
    """Whether the serving process still runs. A child is re-parented the moment its parent dies
    (even before the parent is reaped), so for our own parent that is the sure test."""
    if was_parent:
        return os.getppid() == pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Command(BaseCommand):
    help = "Refresh the monitoring figures on a schedule and build the monthly reports when due."

    def add_arguments(self, parser):
        parser.add_argument("--parent", type=int, default=None, help="exit when this process is gone")
        parser.add_argument("--once", action="store_true", help="run one round now and exit")

    def handle(self, *args, parent=None, once=False, **options):
        config = DEFAULTS | getattr(settings, "SUKARELA_SCHEDULE", {})
        self.stopping = False
        self.last_refresh = self.last_full_refresh = self.last_reports = None
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        was_parent = parent is not None and os.getppid() == parent
        hour = f"{config['reports_hour']:02d}:00"
        self.stdout.write(f"scheduler: refresh every {config['refresh_minutes']} min (a full one daily from {hour}), "
                          f"monthly reports from {hour} on the 1st" + (f", parent {parent}" if parent else ""))
        self.stdout.flush()
        # Let the web server come up before the first round competes with it for the database.
        wait = 0 if once else config["first_run_after_seconds"]
        while not self.stopping:
            if not self._sleep(wait, parent, was_parent):
                break
            self._round(config)
            if once:
                break
            wait = TICK_SECONDS
        self.stdout.write("scheduler: stopped")

    def _stop(self, *args):
        self.stopping = True

    def _sleep(self, seconds: float, parent, was_parent) -> bool:
        end = time.monotonic() + seconds
        while True:
            if self.stopping or (parent is not None and not alive(parent, was_parent)):
                return False
            left = end - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(1.0, left))

    def _round(self, config) -> None:
        if not connection.in_atomic_block:
            close_old_connections()
        try:
            now = timezone.localtime()
            todo = due(now, last_refresh=self.last_refresh, last_full_refresh=self.last_full_refresh,
                       last_reports_run=self.last_reports,
                       national_report_done=report_schedule.national_done(report_month(now)), config=config)
            if todo.full_refresh:  # before the reports of the same round
                self.last_full_refresh = self.last_refresh = now
                result = refresh_service.refresh(full=True)
                gone = core_services.clear_expired_sessions()  # daily housekeeping rides on the daily refresh
                self.stdout.write(f"scheduler: full refresh ({result.seconds:.1f} s); {gone} expired sessions removed")
            elif todo.refresh:
                self.last_refresh = now
                result = refresh_service.refresh()
                self.stdout.write(f"scheduler: refreshed ({result.seconds:.1f} s)")
            if todo.reports_for:
                self.last_reports = now
                result = report_schedule.run_monthly(todo.reports_for, refresh=False)
                self.stdout.write(f"scheduler: reports {todo.reports_for:%Y-%m}: {result.built} built, "
                                  f"{result.skipped} skipped, {len(result.failed)} failed")
        except Exception:  # a bad round (database away, a bug) must not end the schedule
            log.exception("scheduler round failed")
            self.stderr.write("scheduler: round failed; trying again later")
        finally:
            self.stdout.flush()
            if not connection.in_atomic_block:  # (a test's transaction is not ours to end)
                connection.close()  # hold no connection (nor SQLite lock) between rounds

"""What the scheduler should do now: a pure function of the clock and what has been done, so
it is tested as a table and no test sleeps.

- The aggregates are refreshed every `refresh_minutes` (and at once when never refreshed).
- Last month's reports are due from `reports_hour` (local time) on the 1st of the month, and on
  every later day of the month, as long as last month's national report is missing; a run that
  left it missing (a failure) is tried again `retry_minutes` after its start, not in a loop.
"""

import datetime as dt
from dataclasses import dataclass

DEFAULTS = {"refresh_minutes": 15, "reports_hour": 2, "retry_minutes": 60, "first_run_after_seconds": 60}


@dataclass(frozen=True)
class Due:
    refresh: bool
    reports_for: dt.date | None  # the month whose reports should be built now


def report_month(now: dt.datetime) -> dt.date:
    """The month the schedule reports on: the one before `now`'s."""
    first = now.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def due(now: dt.datetime, *, last_refresh: dt.datetime | None, last_reports_run: dt.datetime | None,
        national_report_done: bool, config: dict | None = None) -> Due:
    """`now` and the other times in local time; `national_report_done`: whether last month's
    national reports (every format) are built."""
    c = DEFAULTS | (config or {})
    refresh = last_refresh is None or now - last_refresh >= dt.timedelta(minutes=c["refresh_minutes"])
    opened = now.day > 1 or now.hour >= c["reports_hour"]
    retry = last_reports_run is None or now - last_reports_run >= dt.timedelta(minutes=c["retry_minutes"])
    reports = report_month(now) if opened and retry and not national_report_done else None
    return Due(refresh, reports)

"""What the scheduler should do now: a pure function of the clock and what has been done, so
it is tested as a table and no test sleeps.

- The aggregates are refreshed every `refresh_minutes` (and at once when never refreshed).
- Once a day, from `reports_hour`, a full refresh instead: the incremental one does not follow a
  group moved to another village or a change committed later than its margin, and this corrects
  them. It comes before the reports of that round, so the 1st's reports count the corrected figures.
  A scheduler started later in the day (a restart) does it at once: it cannot know it was done.
- Last month's reports are due from `reports_hour` (local time) on the 1st of the month, and on
  every later day of the month, as long as last month's national report is missing; a run that
  left it missing (a failure) is tried again `retry_minutes` after its start, not in a loop.
- A report counts as its month's only when built after that month ended (`is_final`): one an
  officer built mid-month is partial ("sementara") and the schedule builds it again.
"""

import datetime as dt
from dataclasses import dataclass

DEFAULTS = {"refresh_minutes": 15, "reports_hour": 2, "retry_minutes": 60, "first_run_after_seconds": 60}


@dataclass(frozen=True)
class Due:
    refresh: bool
    reports_for: dt.date | None  # the month whose reports should be built now
    full_refresh: bool = False   # the daily full refresh (instead of the incremental one)


def report_month(now: dt.datetime) -> dt.date:
    """The month the schedule reports on: the one before `now`'s."""
    first = now.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def month_after(month: dt.date) -> dt.date:
    """The first day of the month after `month`'s."""
    return (month.replace(day=1) + dt.timedelta(days=31)).replace(day=1)


def is_final(month: dt.date, built_at: dt.datetime | None) -> bool:
    """Whether a report of `month` built at `built_at` (local time) is the month's report: built
    once the month had ended, so it counts every day of it. Never built: not final."""
    return built_at is not None and built_at.date() >= month_after(month)


def due(now: dt.datetime, *, last_refresh: dt.datetime | None, last_full_refresh: dt.datetime | None,
        last_reports_run: dt.datetime | None, national_report_done: bool, config: dict | None = None) -> Due:
    """`now` and the other times in local time; `national_report_done`: whether last month's
    national reports (every format) are built after that month ended."""
    c = DEFAULTS | (config or {})
    refresh = last_refresh is None or now - last_refresh >= dt.timedelta(minutes=c["refresh_minutes"])
    full = now.hour >= c["reports_hour"] and (last_full_refresh is None or last_full_refresh.date() < now.date())
    opened = now.day > 1 or now.hour >= c["reports_hour"]
    retry = last_reports_run is None or now - last_reports_run >= dt.timedelta(minutes=c["retry_minutes"])
    reports = report_month(now) if opened and retry and not national_report_done else None
    return Due(refresh and not full, reports, full)

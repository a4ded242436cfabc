"""The arithmetic behind the programme indicators (monitoring/indicators.py), free of Django."""

import calendar
import datetime as dt
from statistics import median as _median


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_after(day: dt.date, n: int) -> dt.date:
    """The same day `n` months later (the month's last day when it is shorter: 31 Aug + 6 = 28/29 Feb)."""
    first = add_months(day, n)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


def ratio(numerator, denominator, scale: float = 1.0):
    """numerator ÷ denominator × scale, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator) * scale


def growth(first, last):
    """Relative change in percent from `first` to `last`; None when `first` is missing or not positive."""
    if first is None or last is None or first <= 0:
        return None
    return (float(last) - float(first)) / float(first) * 100.0


def median(values):
    """The median of the values that are not None; None when there are none."""
    present = [float(v) for v in values if v is not None]
    return _median(present) if present else None


def survived(aid_on, stopped_on, months: int, as_of) -> bool | None:
    """Whether a group that got its aid on `aid_on` was still running `months` months later, judged
    on day `as_of`: None when the time has not come yet (not in the denominator)."""
    if aid_on is None:
        return None
    due = months_after(aid_on, months)
    if due > as_of:
        return None
    return stopped_on is None or stopped_on >= due

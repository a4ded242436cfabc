"""A reporting period: one calendar month, a run of months, or a year ("2026-10", "2026-01..2026-06", "2026")."""

import datetime as dt
import re
from dataclasses import dataclass

from sukarela.engines.indicators import add_months

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
EARLIEST_YEAR = 2000


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def _month(text: str) -> dt.date:
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a month (YYYY-MM)")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < EARLIEST_YEAR:
        raise ValueError(f"'{text}' is not a month between {EARLIEST_YEAR}-01 and today")
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day of the first month
    end: dt.date    # first day of the last month (inclusive)

    @classmethod
    def month(cls, day: dt.date) -> "Period":
        return cls(month_start(day), month_start(day))

    @classmethod
    def parse(cls, text: str, today: dt.date) -> "Period":
        """Read a period; ValueError names what is wrong. Months after today's are refused."""
        text = (text or "").strip()
        if _YEAR.match(text):
            start, end = dt.date(int(text), 1, 1), dt.date(int(text), 12, 1)
            if int(text) < EARLIEST_YEAR:
                raise ValueError(f"'{text}' is before {EARLIEST_YEAR}")
            end = min(end, month_start(today))
        elif ".." in text:
            first, _, last = text.partition("..")
            start, end = _month(first.strip()), _month(last.strip())
        else:
            start = end = _month(text)
        if start > end:
            raise ValueError(f"period '{text}' ends before it starts")
        if start > month_start(today):
            raise ValueError(f"period '{text}' lies in the future")
        if (end.year - start.year) * 12 + end.month - start.month >= 120:
            raise ValueError(f"period '{text}' is longer than ten years")
        return cls(start, min(end, month_start(today)))

    @property
    def months(self) -> list[dt.date]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month)
            month = add_months(month, 1)
        return out

    @property
    def last_day(self) -> dt.date:
        return month_end(self.end)

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.start:%Y-%m}"
        if self.start.month == 1 and self.end.month == 12 and self.start.year == self.end.year:
            return f"{self.start.year}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

"""Training sessions placed onto Indonesian working days.

Days off
    Saturdays and Sundays (``WEEKEND``) plus the national holidays (libur
    nasional) of the SKB 3 Menteri, read from the ``lokal-id`` package; the
    collective leave days (cuti bersama) count as days off unless the caller
    asks otherwise. A year the package has no data for is an error
    (``no_holiday_data``), never an empty holiday list.

Course length
    ``five_months_after(start)`` is the last day of a five-month course: the
    same day-of-month five months later, clamped to that month's last day when
    the month is shorter, minus one day. So 2026-01-05 -> 2026-06-04,
    2026-09-30 -> 2027-02-27 (Feb 2027 has 28 days) and 2026-01-31 -> 2026-06-29.

Slots and placement (``generate``)
    A slot is (working day, slot index), in time order over [start, end]; with
    T slots and n sessions in all, the i-th session (0-based, modules in order,
    each module's sessions one after the other) targets slot
    ``floor(i * T / n)`` so the course spreads over the whole period. It takes
    the first slot at or after max(target, previous session's slot + 1) that is
    neither ``taken`` (already used by this cohort) nor blocked for its module.
    The target is capped at the latest slot that still leaves room for every
    later session, so skipping free slots to spread out never makes a
    placeable plan fail; without taken or blocked slots the cap never bites.
    If the sessions cannot all be placed in order, ``too_few_slots`` reports
    how many could (the longest prefix placed as early as possible).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import lokal

WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday

_ONE_DAY = timedelta(days=1)


class ScheduleError(ValueError):
    """Raised with a clear English message; attributes give the numbers for a translated message.

    ``code`` is "no_holiday_data" (with ``year``), "too_few_slots" (with
    ``needed`` and ``available``) or "bad_period".
    """

    def __init__(self, message: str, *, code: str, year: int | None = None,
                 needed: int | None = None, available: int | None = None):
        super().__init__(message)
        self.code = code
        self.year = year
        self.needed = needed
        self.available = available


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ScheduleError(f"The period starts ({start}) after it ends ({end}).", code="bad_period")


def indonesian_days_off(start: date, end: date, *, cuti_bersama: bool = True) -> dict[date, str]:
    """National holidays (and cuti bersama when asked) in [start, end], date -> name."""
    _check_period(start, end)
    kinds = {"libur_nasional", "cuti_bersama"} if cuti_bersama else {"libur_nasional"}
    days: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        try:
            holidays = lokal.get_holidays(year).holidays
        except ValueError:
            raise ScheduleError(
                f"No Indonesian holiday data for {year}; sessions cannot be scheduled in that year yet.",
                code="no_holiday_data", year=year) from None
        for holiday in holidays:
            day = date.fromisoformat(holiday.date)
            if holiday.type in kinds and start <= day <= end:
                # Two holidays on one date keep both names rather than losing one.
                days[day] = f"{days[day]} / {holiday.name}" if day in days else holiday.name
    return dict(sorted(days.items()))


def five_months_after(start: date) -> date:
    """The last day of a five-month course starting on ``start`` (see the module docstring)."""
    month0 = start.month - 1 + 5
    year, month = start.year + month0 // 12, month0 % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - _ONE_DAY


def day_off_reason(day: date, days_off: Mapping[date, str], weekend=WEEKEND) -> str | None:
    """Why ``day`` is not a working day: the holiday name, else "weekend"; None if it is one.

    A holiday on a weekend reports the holiday: the name says more, and it
    stays a day off for a cohort whose ``weekend`` leaves that day out.
    """
    if day in days_off:
        return days_off[day]
    if day.weekday() in weekend:
        return "weekend"
    return None


def working_days(start: date, end: date, days_off: Mapping[date, str], weekend=WEEKEND) -> list[date]:
    """Every working day in [start, end], in order."""
    _check_period(start, end)
    days = []
    day = start
    while day <= end:
        if day_off_reason(day, days_off, weekend) is None:
            days.append(day)
        day += _ONE_DAY
    return days


def sessions_needed(planned_hours: int, session_hours: int) -> int:
    """Sessions to cover ``planned_hours``: rounded up, so a partial session is still a session."""
    if session_hours <= 0:
        raise ValueError(f"Session length must be positive, not {session_hours}.")
    if planned_hours < 0:
        raise ValueError(f"Planned hours cannot be negative ({planned_hours}).")
    return -(-planned_hours // session_hours)


@dataclass(frozen=True)
class ModuleNeed:
    key: str                            # module code
    sessions: int                       # sessions it needs
    blocked: frozenset = frozenset()    # {(date, slot_index)}: trainer or venue busy elsewhere


@dataclass(frozen=True)
class Placed:
    key: str
    date: date
    slot: int  # 0 .. sessions_per_day-1


def generate(start: date, end: date, modules: Sequence[ModuleNeed], days_off: Mapping[date, str], *,
             sessions_per_day: int = 1, weekend=WEEKEND, taken: frozenset = frozenset()) -> list[Placed]:
    """Place every module's sessions in [start, end]; see the module docstring for the rules."""
    _check_period(start, end)
    if sessions_per_day < 1:
        raise ValueError(f"Sessions per day must be at least 1, not {sessions_per_day}.")
    for module in modules:
        if module.sessions < 0:
            raise ValueError(f"Module {module.key} cannot need {module.sessions} sessions.")
    slots = [(day, s) for day in working_days(start, end, days_off, weekend)
             for s in range(sessions_per_day)]
    owners = [module for module in modules for _ in range(module.sessions)]
    n, total = len(owners), len(slots)
    if n == 0:
        return []

    def usable(index: int, module: ModuleNeed) -> bool:
        return slots[index] not in taken and slots[index] not in module.blocked

    latest = _latest_slots(slots, owners, usable)
    if latest is None:
        available = _earliest_prefix(len(slots), owners, usable)
        raise ScheduleError(
            f"{n - available} of {n} sessions do not fit: only {available} can be placed "
            f"between {start} and {end}.", code="too_few_slots", needed=n, available=available)

    placed = []
    previous = -1
    for i, module in enumerate(owners):
        index = max(min(i * total // n, latest[i]), previous + 1)
        # Stops by latest[i] at the latest: that slot is usable and previous < latest[i].
        while not usable(index, module):
            index += 1
        day, slot = slots[index]
        placed.append(Placed(module.key, day, slot))
        previous = index
    return placed


def _latest_slots(slots, owners, usable) -> list[int] | None:
    # The latest slot each session can take with all later sessions still placed
    # after it (filled from the end); None when the sessions cannot all be placed.
    latest = [0] * len(owners)
    index = len(slots)
    for i in range(len(owners) - 1, -1, -1):
        index -= 1
        while index >= 0 and not usable(index, owners[i]):
            index -= 1
        if index < 0:
            return None
        latest[i] = index
    return latest


def _earliest_prefix(total: int, owners, usable) -> int:
    # Placing each session as early as possible places the longest possible prefix.
    index = 0
    for i, module in enumerate(owners):
        while index < total and not usable(index, module):
            index += 1
        if index == total:
            return i
        index += 1
    return len(owners)

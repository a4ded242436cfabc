"""Month grids and region roll-ups for the monitoring refresh, free of Django.

A *grid* is the run of calendar months a refresh computes, each with its as-of day: the month's
last day, or today for the current month (a stock is read at that day). A *leaf* is the finest
region a row belongs to: the regency (first 5 characters of a region code: "32.01" of
"32.01.01.2001"), or the province when the code stops there, or "" (the nation only) when there
is no code. Additive components of a leaf count at its regency, its province and the nation;
distinct counts and medians are computed per level on their own (never summed from below).
"""

import bisect
import datetime as dt
from collections import defaultdict

from sukarela.engines.indicators import add_months

DAY = dt.timedelta(days=1)


def leaf(code: str | None) -> str:
    """The regency of a region code, else its province, else "" (the nation)."""
    if not code or len(code) < 2:
        return ""
    return code[:5] if len(code) >= 5 else code[:2]


def levels(leaf_code: str) -> tuple[str, ...]:
    """The codes a leaf counts at: itself, its province, the nation."""
    if not leaf_code:
        return ("",)
    if len(leaf_code) == 2:
        return (leaf_code, "")
    return (leaf_code, leaf_code[:2], "")


def level_of(code: str) -> int:
    return 0 if not code else 1 if len(code) == 2 else 2


class Grid:
    """Months `first`..`last` (first days); `as_ofs[i]` is month i's last day, or `today` when sooner."""

    def __init__(self, first: dt.date, last: dt.date, today: dt.date):
        self.months, month = [], first
        while month <= last:
            self.months.append(month)
            month = add_months(month, 1)
        self.as_ofs = [min(add_months(m, 1) - DAY, today) for m in self.months]
        self.today = today
        self.n = len(self.months)
        self._index = {m: i for i, m in enumerate(self.months)}

    def index(self, month: dt.date) -> int | None:
        return self._index.get(month)

    def month_of(self, day: dt.date) -> int | None:
        """The index of the month holding `day`, None outside the grid."""
        return self._index.get(day.replace(day=1))

    def first_as_of(self, day: dt.date) -> int:
        """The first month whose as-of day is on or after `day` (n: none)."""
        return bisect.bisect_left(self.as_ofs, day)

    def last_as_of(self, day: dt.date) -> int:
        """The last month whose as-of day is on or before `day` (-1: none)."""
        return bisect.bisect_right(self.as_ofs, day) - 1

    def last_starting(self, day: dt.date) -> int:
        """The last month that starts on or before `day` (-1: none)."""
        return bisect.bisect_right(self.months, day) - 1


def merge(spans) -> list[tuple[int, int]]:
    """Union of inclusive index spans (empty ones dropped), as sorted disjoint spans."""
    out: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[0] <= s[1]):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


class Table:
    """Components by (region code, month index) at every level.

    `add` counts at a leaf and its province and the nation at once; `add_span` counts a run of
    months at a leaf (rolled up to the province and the nation by `finish()`); `add_span_at`
    counts at one code only (per-level distinct counts); `put` sets a value. Spans go through
    difference arrays (with a weight: many rows share a span) and are folded in by `finish()`."""

    def __init__(self, n: int):
        self.n = n
        self.cells: dict[tuple[str, int], dict] = defaultdict(dict)
        self._diffs: dict[tuple[str, str], list[int]] = {}
        self._leaf_diffs: dict[tuple[str, str], list[int]] = {}

    def add(self, leaf_code: str, i: int, name: str, amount) -> None:
        for code in levels(leaf_code):
            cell = self.cells[(code, i)]
            cell[name] = cell.get(name, 0) + amount

    def put(self, code: str, i: int, name: str, value) -> None:
        self.cells[(code, i)][name] = value

    def add_span(self, leaf_code: str, first: int, last: int, name: str, weight: int = 1) -> None:
        self._span(self._leaf_diffs, leaf_code, first, last, name, weight)

    def add_span_at(self, code: str, first: int, last: int, name: str, weight: int = 1) -> None:
        self._span(self._diffs, code, first, last, name, weight)

    def _span(self, diffs: dict, code: str, first: int, last: int, name: str, weight: int) -> None:
        first, last = max(first, 0), min(last, self.n - 1)
        if first > last:
            return
        diff = diffs.get((code, name))
        if diff is None:
            diff = diffs[(code, name)] = [0] * (self.n + 1)
        diff[first] += weight
        diff[last + 1] -= weight

    def finish(self) -> "Table":
        for (leaf_code, name), diff in self._leaf_diffs.items():
            for code in levels(leaf_code):
                total = self._diffs.get((code, name))
                if total is None:
                    self._diffs[(code, name)] = list(diff)
                else:
                    for i, d in enumerate(diff):
                        total[i] += d
        for (code, name), diff in self._diffs.items():
            running = 0
            for i in range(self.n):
                running += diff[i]
                if running:
                    cell = self.cells[(code, i)]
                    cell[name] = cell.get(name, 0) + running
        self._diffs, self._leaf_diffs = {}, {}
        return self

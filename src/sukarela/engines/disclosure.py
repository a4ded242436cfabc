"""Small-count suppression for a published table of aggregates (statistical disclosure control),
free of Django. monitoring.selectors.open_data feeds it the open data table: one row per province,
a national total row, one column per published indicator.

Each cell is a figure made from *components* (counts and sums). A component is a people count
when it counts persons or groups of persons (TKS, applicants, TKM groups, workers); those are what
can point at a person. With threshold k:

Primary suppression (a cell hides because of its own numbers):
- a count column hides a people count of 1 … k−1. A 0 is shown: "nobody" says nothing about any
  one person, and hiding zeros would hide where the programme does not run at all;
- a ratio column hides when its numerator or denominator is a people count under k (0 included:
  0 % or 100 % of a group says something about every member), and, when both are people counts
  (a part of a whole: groups that survived of groups aided), when the rest (denominator −
  numerator) is under k, since "2 of 40 groups stopped" is the small count 2;
- a guarded column (a median, a sum of money) hides unless its guard, the number of people or
  groups behind the figure, reaches k (or both are 0: Rp 0 from no loans says nothing).

Secondary suppression (so no subtraction recovers a hidden cell): in each column, when exactly
one row's cell is hidden and the total is published, the smallest other published cell of that
column is hidden too: "smallest" by the number of people behind it (the count itself, a ratio's
denominator, the guard), and never a cell of 0 people, since a reader can often tell a region
where the programme has nobody from the rest of its row and would subtract it anyway. When no
such cell exists the column's total is hidden instead. Two hidden cells leave the reader with
one equation and two unknowns.

Rounding (`rounding`, 5 for open data): every published people count (a count column whose
numerator is a people count) is rounded to the nearest multiple of `rounding`, and never below the
smallest multiple that reaches k (with k = 12, a 12 rounded to 10 would tell the reader "exactly
12": the counts from 12 to 17 show as 15). Ratios, medians and guarded sums stay computed from the
exact numbers and follow the rules above on the exact numbers. Rounded cells need not add up to
the rounded total.

What differencing can and cannot reveal. Cell suppression protects one table only: two tables of
overlapping periods (January and January–February), two nested columns (applicants − eligible
applicants) or the same year to date read one month apart are two tables whose difference is a
small count. The caller therefore publishes only calendar years (no two published periods overlap
except the current year to date, which grows) and rounds the counts. The difference of two rounded
counts is then the hidden count give or take 4 (each count is off by at most 2): a reader learns a
range of nine values, which can contain 0, but not the count itself. Repeated readings of the
growing year, or a ratio published from exact numbers over the same people, can narrow that range
(a count rounded to 15 in one month and 20 the next says 1 to 9 were added); this is a known limit
of cell suppression with rounding, not a guarantee.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

TOTAL = ""  # the key of the total row in `Table.suppressed` (the nation's region code)


@dataclass(frozen=True)
class Column:
    code: str
    numerator: str
    denominator: str | None = None
    guard: str | None = None  # a people count that must reach k for the figure to show

    def counts_people(self, people: Collection[str]) -> bool:
        """A plain count of people (no denominator, no guard): the cells that are rounded."""
        return self.denominator is None and self.guard is None and self.numerator in people


@dataclass(frozen=True)
class Row:
    components: Mapping   # {component name: number}; absent: no data
    values: Mapping       # {column code: the figure or None}


@dataclass(frozen=True)
class Table:
    rows: dict            # {row key: {column code: value, None when hidden or unknown}}
    total: dict
    suppressed: frozenset  # {(row key or TOTAL, column code)}
    primary: frozenset     # the part of `suppressed` hidden for its own numbers

    def hidden(self, key: str, code: str) -> bool:
        return (key, code) in self.suppressed


def _small(value, k: int, *, zero: bool) -> bool:
    """Under k; a 0 counts as small only where `zero` says so (ratios)."""
    if value is None:
        return False
    return (0 if zero else 1) <= value < k


def primary_hidden(column: Column, row: Row, people: Collection[str], k: int) -> bool:
    """Whether the cell hides for its own numbers (see the module's rules)."""
    if row.values.get(column.code) is None:
        return False  # nothing to show, nothing to hide
    parts = row.components
    num, den = parts.get(column.numerator), parts.get(column.denominator) if column.denominator else None
    if column.guard is not None:
        guard = parts.get(column.guard)
        if (guard is None or guard < k) and not (guard == 0 and row.values[column.code] == 0):
            return True  # (nobody behind a figure of 0, a credit total of no loans: nothing to hide)
    if column.denominator is None:
        return column.numerator in people and _small(num, k, zero=False)
    if any(name in people and _small(parts.get(name), k, zero=True)
           for name in (column.numerator, column.denominator)):
        return True
    if column.numerator in people and column.denominator in people and num is not None and den is not None:
        return _small(den - num, k, zero=True)
    return False


def weight(column: Column, row: Row):
    """How many people stand behind a published cell (secondary suppression hides the smallest)."""
    name = column.denominator or column.guard or column.numerator
    return row.components.get(name)


def round_to(value, base: int):
    """`value` to the nearest multiple of `base` (halves up; a people count never has one when base is odd)."""
    if value is None or base <= 1:
        return value
    return int((value + base / 2) // base * base)


def protect(rows: Mapping[str, Row], total: Row, columns: Sequence[Column], people: Collection[str],
            k: int, rounding: int = 1) -> Table:
    """The table as it may be published: hidden cells are None and listed in `suppressed`; the
    published people counts rounded to multiples of `rounding` (1: exact)."""
    if TOTAL in rows:
        raise ValueError("a row may not use the total's key")
    primary = {(key, c.code) for c in columns for key, row in [*rows.items(), (TOTAL, total)]
               if primary_hidden(c, row, people, k)}
    suppressed = set(primary)
    for c in columns:
        hidden = [key for key in rows if (key, c.code) in suppressed]
        if len(hidden) != 1 or (TOTAL, c.code) in suppressed or total.values.get(c.code) is None:
            continue
        candidates = [(weight(c, row), key) for key, row in rows.items()
                      if (key, c.code) not in suppressed and row.values.get(c.code) is not None
                      and (weight(c, row) or 0) > 0]
        suppressed.add((min(candidates)[1] if candidates else TOTAL, c.code))

    least = -(-k // rounding) * rounding  # the smallest multiple of `rounding` that reaches k

    def value(c: Column, row: Row):
        figure = row.values.get(c.code)
        if not c.counts_people(people) or not figure:
            return figure
        return max(round_to(figure, rounding), least)

    def published(key: str, row: Row) -> dict:
        return {c.code: None if (key, c.code) in suppressed else value(c, row) for c in columns}

    return Table(rows={key: published(key, row) for key, row in rows.items()}, total=published(TOTAL, total),
                 suppressed=frozenset(suppressed), primary=frozenset(primary))

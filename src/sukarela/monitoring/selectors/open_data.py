"""The public open data table: the open_data indicators of every active province and the nation over
a calendar year (the current one to date), with small counts suppressed and people counts rounded
to multiples of ROUNDING (engines.disclosure) so no cell points at a person. Only whole years are
published: two overlapping periods (a month and a run of months) would give a hidden count back
by subtraction (see engines.disclosure on what differencing can still reveal).

Public: no user, no scope. It reads only the precomputed RegionMonth values (selectors.figures.
region_months) and computes every figure with indicators.combine/figures, as the dashboards do:
aggregates only, never a personal table.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from sukarela.engines import disclosure
from sukarela.monitoring import indicators
from sukarela.monitoring.indicators import COMPONENTS, COUNT, INDICATORS, RUPIAH, Indicator
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors.figures import RegionRef, child_regions, nation, refreshed_at, region_months

OPEN = [i for i in INDICATORS if i.open_data]

# People counts (disclosure suppresses them when small): the components that count persons or
# groups, and tks_active_last, which combine() derives from tks_active (the last month's TKS).
PEOPLE = frozenset({name for name, c in COMPONENTS.items() if c.people} | {"tks_active_last"})

# Figures that are not counts but still stand for few people when few are behind them: a median
# of group growth over fewer than k groups, and a region's credit total when it holds few realised
# loans (one loan's amount would be one group's; other linkages do not dilute it). The guard must
# reach k for the figure to show.
GUARDS = {"turnover_growth_median": "turnover_growth_groups", "credit_accessed": "loans_realised"}

ROUNDING = 5  # published people counts are multiples of this (engines.disclosure, "Rounding")


@dataclass(frozen=True)
class Cell:
    code: str            # the indicator's
    value: object        # int | float | None (None: hidden or no data)
    hidden: bool         # suppressed: too few people behind it, or to protect such a cell
    unit: str            # the indicator's (indicators.COUNT, PERCENT, ...)
    small: bool = False  # hidden because it is itself a people count under the threshold (shown "<k");
                         # other hidden cells (secondary, ratios, medians, money) may be any size


@dataclass(frozen=True)
class OpenRow:
    code: str            # "" for the nation
    name: str
    cells: tuple         # Cell per open indicator, in OPEN's order

    @property
    def values(self) -> dict:
        return {c.code: c.value for c in self.cells}

    @property
    def suppressed(self) -> list[str]:
        return [c.code for c in self.cells if c.hidden]


@dataclass(frozen=True)
class OpenTable:
    period: Period       # a calendar year, or the current year to date
    threshold: int
    rounding: int        # people counts are rounded to multiples of this
    refreshed_at: dt.datetime | None
    indicators: list[Indicator]
    rows: list[OpenRow]  # every active province, by code
    total: OpenRow       # the nation

    @property
    def year(self) -> int:
        return self.period.start.year

    @property
    def any_hidden(self) -> bool:
        return any(c.hidden for r in [*self.rows, self.total] for c in r.cells)


def column_of(indicator: Indicator) -> disclosure.Column:
    return disclosure.Column(indicator.code, indicator.numerator, indicator.denominator,
                             GUARDS.get(indicator.numerator))


def rounded(indicator: Indicator, value):
    """A count or rupiah as a whole number, a percentage or rate to two places (no false precision)."""
    if value is None:
        return None
    if indicator.unit in (COUNT, RUPIAH):
        return int(round(value))
    return round(float(value), 2)


def _row(months: list[dict]) -> disclosure.Row:
    values = indicators.figures(months)
    return disclosure.Row(indicators.combine(months), {i.code: rounded(i, values[i.code]) for i in OPEN})


def _cell(i: Indicator, key: str, values: dict, table: disclosure.Table) -> Cell:
    small = (key, i.code) in table.primary and column_of(i).counts_people(PEOPLE)
    return Cell(i.code, values[i.code], table.hidden(key, i.code), i.unit, small)


def _open_row(ref: RegionRef, values: dict, table: disclosure.Table) -> OpenRow:
    return OpenRow(ref.code, ref.name, tuple(_cell(i, ref.code, values, table) for i in OPEN))


def threshold() -> int:
    return int(settings.SUKARELA_OPEN_DATA_MIN_COUNT)


def province_table(period: Period) -> OpenTable:
    """The open data table of `period` (a calendar year: views.open_data.read_period): rows for
    every active province, the national total."""
    provinces, country = child_regions(nation()), nation()
    months = region_months([country.code, *(p.code for p in provinces)], period)
    rows = {p.code: _row(months[p.code]) for p in provinces}
    k = threshold()
    table = disclosure.protect(rows, _row(months[country.code]), [column_of(i) for i in OPEN], PEOPLE, k,
                               rounding=ROUNDING)
    return OpenTable(
        period=period, threshold=k, rounding=ROUNDING, refreshed_at=refreshed_at(), indicators=OPEN,
        rows=[_open_row(p, table.rows[p.code], table) for p in provinces],
        total=_open_row(country, table.total, table))

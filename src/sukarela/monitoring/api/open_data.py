"""The public open data as JSON: the open_data indicators of every active province and the nation
over a calendar year (the current one to date), small counts suppressed and people counts rounded
to multiples of 5 (selectors/open_data.py); a month or a run of months is refused like any bad period. No login (auth=None); requests are
counted per address with the page's and the CSV's (views/open_data.py) and answer 429 past the limit.
A bad period is a 422 at loc ["query", "period"]."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import Field

from sukarela.monitoring.api import router
from sukarela.monitoring.selectors.open_data import OpenRow, province_table
from sukarela.monitoring.views.open_data import read_period, too_many


class OpenFilter(Schema):
    period: str = Field("", max_length=40, description="a calendar year, YYYY (the current year: to date); empty: "
                                                        "this year to date. Months and runs of months are refused "
                                                        "(422): overlapping periods would give hidden counts back")


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    unit: str = Field(..., description="count, percent, rupiah or per_tks")
    source: str


class RowOut(Schema):
    code: str = Field(..., description='the Kemendagri province code; "" for the nation')
    name: str
    values: dict[str, int | float | None] = Field(..., description="{indicator code: value}; null when hidden "
                                                                   "(listed in suppressed) or when there is no data")
    suppressed: list[str] = Field(..., description="codes of the values hidden because too few people stand behind "
                                                   "them (or to keep such a value from being subtracted out)")


class OpenOut(Schema):
    period: str = Field(..., description="the calendar year, YYYY")
    months: str = Field(..., description="the months it covers: YYYY-MM..YYYY-MM (the current year: to this month)")
    threshold: int = Field(..., description="counts of people or groups under this are never published")
    rounding: int = Field(..., description="published counts of people or groups are rounded to the nearest multiple "
                                           "of this (ratios and medians are computed from the exact counts)")
    refreshed_at: dt.datetime | None
    indicators: list[IndicatorOut]
    rows: list[RowOut]
    total: RowOut


class Message(Schema):
    detail: str


def _row(row: OpenRow) -> dict:
    return {"code": row.code, "name": str(row.name), "values": row.values, "suppressed": row.suppressed}


@router.get("/open/provinces", response={200: OpenOut, 429: Message}, auth=None, tags=["open data"],
            summary="Open data: programme indicators per province and for the nation per calendar year (public, small "
                    "counts hidden, counts of people rounded to 5)")
def open_provinces(request, filters: Query[OpenFilter]):
    if too_many(request):
        return Status(429, {"detail": _("Terlalu banyak permintaan data terbuka dari alamat ini; coba lagi nanti.")})
    try:
        period = read_period(filters.period)
    except ValueError as exc:
        raise SchemaValidationError([{"loc": ["query", "period"], "msg": str(exc), "type": "value_error"}]) from None
    table = province_table(period)
    months = f"{table.period.start:%Y-%m}..{table.period.end:%Y-%m}"
    return {"period": str(table.year), "months": months, "threshold": table.threshold, "rounding": table.rounding,
            "refreshed_at": table.refreshed_at,
            "indicators": [{"code": i.code, "name": str(i.name), "formula": str(i.formula), "unit": i.unit,
                            "source": str(i.source)} for i in table.indicators],
            "rows": [_row(r) for r in table.rows], "total": _row(table.total)}

""""Visited in the last 30 days": the one definition the refresh (groups_visited_30d) and the group
tables (GroupRow.visited_30d) share, so a figure and a table never disagree on a group."""

import datetime as dt

from sukarela.engines.indicators import add_months

DAYS = 30  # the as-of day and the 29 before it


def since(as_of: dt.date) -> dt.date:
    """The first day of the window that ends on `as_of`."""
    return as_of - dt.timedelta(days=DAYS - 1)


def months(as_of: dt.date) -> list[dt.date]:
    """The months (first days) the window touches, oldest first: up to three (1 March of a common
    year reaches back to 31 January)."""
    out, month = [], since(as_of).replace(day=1)
    while month <= as_of:
        out.append(month)
        month = add_months(month, 1)
    return out


def inside(day: dt.date | None, as_of: dt.date) -> bool:
    return day is not None and since(as_of) <= day <= as_of

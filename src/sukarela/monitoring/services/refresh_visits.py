"""The components counted from GroupMonth, for the months a refresh marks dirty (services/refresh.py):
visits, activities, roles and tasks, new workers (sums at the regency, rolled up), active TKS
(distinct per level), groups visited in the last 30 days, and the median turnover growth (per level).
"""

import datetime as dt
from array import array
from collections import defaultdict

from django.db import connection
from django.db.models import IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from sukarela.engines.indicators import growth, median
from sukarela.engines.rollup import Grid, Table, leaf, levels
from sukarela.monitoring.indicators import ROLES, TASKS
from sukarela.monitoring import window
from sukarela.monitoring.models import GroupMonth, GroupTurnover

SUMMED = ("visits", "activities", "new_workers", *[f"role_{r}" for r in ROLES], *[f"task_{t}" for t in TASKS])
COMPONENTS = (*SUMMED, "tks_active", "groups_visited_30d")
TURNOVER = ("turnover_growth_median", "turnover_growth_groups")


def _int(path: str):
    return Sum(Cast(KT(path), IntegerField()))


def count_visits(table: Table, grid: Grid, dirty: list[int], groups: dict, mentored: dict) -> None:
    """COMPONENTS of the months `dirty` (grid indexes)."""
    months = [grid.months[i] for i in dirty]
    sums = {f"role_{r}": _int(f"roles__{r}") for r in ROLES}
    sums.update({f"task_{t}": _int(f"tasks__{t}") for t in TASKS})
    for r in GroupMonth.objects.filter(month__in=months).order_by().values("month", "regency_code").annotate(
            visits=Sum("visits"), activities=Sum("activities"), new_workers=Sum("new_workers"), **sums):
        i, lf = grid.index(r["month"]), leaf(r["regency_code"])
        for name in SUMMED:
            table.add(lf, i, name, r[name] or 0)
    for month, code, count in _distinct_tks(months):
        table.put(code, grid.index(month), "tks_active", count)
    for i in dirty:
        _visited(table, grid, i, groups, mentored)


def _distinct_tks(months: list[dt.date]):
    """(month, region code, distinct TKS) at the regency, province and nation level: the TKS lists of
    GroupMonth expanded by the database's JSON table function, never summed from a lower level."""
    table = connection.ops.quote_name(GroupMonth._meta.db_table)
    if connection.vendor == "postgresql":
        source = f"{table} g CROSS JOIN LATERAL jsonb_array_elements_text(g.tks) AS t(value)"
    else:
        source = f"{table} g, json_each(g.tks) AS t"
    marks = ", ".join(["%s"] * len(months))
    with connection.cursor() as cursor:
        for code, by in (("g.regency_code", ", g.regency_code"), ("SUBSTR(g.regency_code, 1, 2)", ", 2"),
                         ("''", "")):
            cursor.execute(f"SELECT g.month, {code}, COUNT(DISTINCT t.value) FROM {source} "
                           f"WHERE g.month IN ({marks}) GROUP BY g.month{by}", months)
            for month, region, count in cursor.fetchall():
                yield _date(month), region, count


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _visited(table: Table, grid: Grid, i: int, groups: dict, mentored: dict) -> None:
    """groups_visited_30d: groups mentored in month i with a visit or activity in the 30 days to its
    as-of day. A group's month holds its last visit: the months the window touches decide (up to
    three: on 1 March of a common year it starts on 31 January)."""
    as_of = grid.as_ofs[i]
    for group in GroupMonth.objects.filter(month__in=window.months(as_of), last_visit_on__gte=window.since(as_of),
                                           last_visit_on__lte=as_of) \
            .order_by().values_list("group_id", flat=True).distinct():
        if group in groups and any(a <= i <= b for a, b in mentored.get(group, ())):
            table.add(groups[group][0], i, "groups_visited_30d", 1)


def count_turnover(table: Table, grid: Grid, dirty: list[int], groups: dict) -> None:
    """TURNOVER of the months `dirty`: per group, the growth from its first turnover ever recorded
    to the latest recorded up to the month's end, when it has at least two and the first is above
    0; the median over groups and their number, at each level. The current month reads the
    GroupTurnover summary (its latest is the latest up to now) unless a group has a turnover in a
    later month; earlier months read every group's months up to the last of them."""
    if not dirty:
        return
    dirty, current = sorted(dirty), grid.n - 1
    found: dict = defaultdict(lambda: array("d"))  # compact: a full run holds groups × months × levels
    summary = current in dirty and not GroupTurnover.objects.filter(latest_month__gt=grid.months[current]).exists()
    scan = [i for i in dirty if i != current] if summary else dirty
    if scan:
        _scan(found, grid, scan, groups)
    if summary:
        _from_summary(found, current, groups)
    for (code, i), values in found.items():
        table.put(code, i, "turnover_growth_median", median(values))
        table.put(code, i, "turnover_growth_groups", len(values))


def _from_summary(found: dict, i: int, groups: dict) -> None:
    table_name = connection.ops.quote_name(GroupTurnover._meta.db_table)
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT group_id, regency_code, first, latest FROM {table_name} WHERE count >= 2")
        while rows := cursor.fetchmany(20000):
            for group, regency, first, latest in rows:
                value = growth(first, latest)
                if value is not None:
                    for code in levels(groups[group][0] if group in groups else leaf(regency)):
                        found[(code, i)].append(value)


def _scan(found: dict, grid: Grid, dirty: list[int], groups: dict) -> None:
    table_name = connection.ops.quote_name(GroupMonth._meta.db_table)
    history, current = [], None
    # A plain (server-side on PostgreSQL) cursor: a million rows at the 10x programme, read once
    # without the ORM's per-value conversion.
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT group_id, month, regency_code, turnover_first, turnover, turnover_count "
                       f"FROM {table_name} WHERE turnover IS NOT NULL AND month <= %s ORDER BY group_id, month",
                       [grid.months[dirty[-1]]])
        while rows := cursor.fetchmany(20000):
            for row in rows:
                if row[0] != current:
                    _group_growth(found, grid, dirty, history, groups)
                    history, current = [], row[0]
                history.append((row[0], _date(row[1]), row[2], row[3], row[4], row[5]))
    _group_growth(found, grid, dirty, history, groups)


def _group_growth(found: dict, grid: Grid, dirty: list[int], history: list, groups: dict) -> None:
    if not history:
        return
    group = history[0][0]
    codes = levels(groups[group][0] if group in groups else leaf(history[-1][2]))
    first, latest, count, j = history[0][3], None, 0, 0
    for i in dirty:
        month = grid.months[i]
        while j < len(history) and history[j][1] <= month:
            latest, count, j = history[j][4], count + history[j][5], j + 1
        if count >= 2:
            value = growth(first, latest)
            if value is not None:
                for code in codes:
                    found[(code, i)].append(value)

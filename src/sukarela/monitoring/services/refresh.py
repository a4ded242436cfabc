"""Refresh the precomputed monitoring aggregates: GroupMonth, then RegionMonth at every level.

One transaction per refresh (readers see the old figures or the new, never half), serialised by a
lock on the RefreshState rows. What is recomputed:

- GroupMonth (services/refresh_groups.py): in a full run every pair; otherwise the (group, month)
  pairs of visits changed (`updated_at`) and snapshots added (`created_at`) since the watermark,
  re-reading a safety margin (MARGIN) before it so a row committed late, after a later-stamped
  one, is not skipped; plus the pairs edits moved a visit out of (from the audit trail). Then
  GroupTurnover (services/refresh_turnover.py) for the groups whose snapshots changed.
- RegionMonth, the stage-table components (services/refresh_sources.py: funnel, postings,
  group stocks and survival, linkages and credit, alumni, budget): every month of the grid on
  every refresh. They change anywhere in time (a funnel step months after the application, a
  posting ended late) and each is one read of a table far smaller than the visits (seconds at
  the 10x programme), so recounting beats tracking their changes.
- RegionMonth, the visit components (services/refresh_visits.py: visits, roles, tasks, new
  workers, active TKS, groups visited in 30 days), for the *dirty* months: those of the rebuilt
  pairs and the month after each (its 30-day window reaches back), every month from the last
  run's month to the current one (the current month's stocks move daily; a month that was
  current at the last run is closed now), and any month whose groups_mentored changed (a
  posting edited late changes which groups the 30-day share counts).
- RegionMonth, the turnover components: every month from the earliest month of a new snapshot
  (a group's growth to a month's end depends on all its turnovers before) or from the last
  run's month, to the current one. The current month reads GroupTurnover (one row per group);
  earlier months scan every group's turnover months once.
- Everything, in a full run. The grid runs from the earliest month of any source to the current.

Rows are compared with the stored ones and only the changed ones written (most months of most
regions do not change in a day). A RegionMonth row exists for the nation, each province and each
regency with any data that month; counts are 0 in it rather than absent, while the budget and
the turnover median are absent when they cannot be computed (no budget entered, no group with two
turnovers), so a figure built on them shows "—", not 0. Months are calendar months in
settings.TIME_ZONE; a stock is read at the month's last day, or today for the current month.
Not followed incrementally (a full run corrects them): a group moved to another village keeps
its old regency in the GroupMonth rows not rebuilt since; a visit row committed more than MARGIN
after its updated_at was stamped; two postings changed in one run so that one group gains and
another loses a month in the same region (groups_mentored unchanged, the 30-day share not
recounted for that past month). Measured (PostgreSQL, 1/10 of the 10x programme: 11,000 groups,
500,000 visits): a full run 13 s, a run after one day of visits (685) 1.3 s.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from sukarela.core import bulk
from sukarela.engines.indicators import add_months
from sukarela.engines.rollup import Grid, Table, level_of
from sukarela.monitoring import indicators
from sukarela.monitoring.models import GroupMonth, RefreshState, RegionMonth
from sukarela.monitoring.periods import EARLIEST_YEAR
from sukarela.monitoring.services import refresh_groups as gm
from sukarela.monitoring.services import refresh_sources as src
from sukarela.monitoring.services import refresh_turnover as turnover_summary
from sukarela.monitoring.services import refresh_visits as rv

MARGIN = dt.timedelta(minutes=10)
GROUPS, REGIONS = "groups", "regions"  # RefreshState rows: the change watermark; the last run's day
OPTIONAL = ("budget", "turnover_growth_median")
ZERO = [c for c in indicators.COMPONENTS if c not in OPTIONAL]
CHUNK = 5000


@dataclass(frozen=True)
class RefreshResult:
    months: int    # months whose visit components were recomputed
    regions: int   # RegionMonth rows written (inserted, changed or removed)
    groups: int    # (group, month) pairs rebuilt
    seconds: float


def _states():
    for name in (GROUPS, REGIONS):
        RefreshState.objects.get_or_create(name=name)
    states = {s.name: s for s in RefreshState.objects.select_for_update().filter(name__in=(GROUPS, REGIONS))}
    return states[GROUPS], states[REGIONS]


def _span(grid: Grid, first: dt.date) -> set[int]:
    """Grid indexes from `first`'s month to the end."""
    i = grid.index(max(first, grid.months[0]))
    return set(range(i if i is not None else grid.n, grid.n))


def refresh(full: bool = False, today: dt.date | None = None, progress=None) -> RefreshResult:
    """Bring GroupMonth and RegionMonth up to date (see the module's docstring). Idempotent."""
    started, now = time.monotonic(), timezone.now()
    today = today or timezone.localdate()
    current = today.replace(day=1)
    with transaction.atomic():
        gstate, rstate = _states()
        full = full or gstate.watermark is None or rstate.watermark is None
        visit_months = snapshot_months = set()
        if full:
            pairs = gm.rebuild_all(progress)
            turnover_summary.summarise()
        else:
            by_visits, by_snapshots = gm.changed_pairs(gstate.watermark - MARGIN)
            pairs = gm.rebuild_pairs(by_visits | by_snapshots, progress)
            turnover_summary.summarise({g for g, _ in by_snapshots})
            visit_months = {m for _, m in by_visits | by_snapshots}
            snapshot_months = {m for _, m in by_snapshots}
        if progress:
            progress("stage tables", 1, 4)
        groups, postings, linkages = src.load_groups(), src.load_postings(), src.load_linkages()
        funnel, (alumni, outcomes), budgets = src.load_funnel(gm.tz()), src.load_alumni(), src.load_budgets()
        firsts = src.earliest(groups, postings, funnel, linkages, alumni, budgets)
        first_gm = GroupMonth.objects.aggregate(m=Min("month"))["m"]
        first = min([*firsts, *([first_gm] if first_gm else []), current])
        grid = Grid(max(first.replace(day=1), dt.date(EARLIEST_YEAR, 1, 1)), current, today)

        table = Table(grid.n)
        mentored = src.mentored_spans(grid, groups, postings)
        src.count_groups(table, grid, groups)
        src.count_postings(table, grid, groups, postings, mentored)
        src.count_funnel(table, grid, funnel)
        src.count_linkages(table, grid, linkages)
        src.count_alumni(table, grid, alumni, outcomes)
        src.count_budgets(table, grid, budgets)
        table.finish()
        stored = {(code, month): (pk, values) for pk, code, month, values in
                  RegionMonth.objects.values_list("pk", "region_code", "month", "values")}

        if full:
            dirty = turnover = set(range(grid.n))
        else:
            last_run = timezone.localtime(rstate.watermark, gm.tz()).date().replace(day=1)
            since_last = _span(grid, min(last_run, current))
            dirty = since_last | {i for m in visit_months for i in (grid.index(m), grid.index(add_months(m, 1)))
                                  if i is not None}
            dirty |= _mentoring_moved(table, grid, stored)
            turnover = since_last | (_span(grid, min(snapshot_months)) if snapshot_months else set())
        if progress:
            progress("visits and turnover", 2, 4)
        rv.count_visits(table, grid, sorted(dirty), groups, mentored)
        rv.count_turnover(table, grid, sorted(turnover), groups)
        if progress:
            progress("region months", 3, 4)
        written = _write(table, grid, stored, dirty, turnover, now)
        if progress:
            progress("done", 4, 4)

        finished = timezone.now()
        seconds = time.monotonic() - started
        gstate.watermark, gstate.refreshed_at, gstate.seconds = now, finished, seconds
        rstate.watermark = dt.datetime.combine(today, dt.time(), tzinfo=gm.tz())  # the day the run counted as today
        rstate.refreshed_at, rstate.seconds = finished, seconds
        gstate.save()
        rstate.save()
    return RefreshResult(months=len(dirty), regions=written, groups=pairs, seconds=round(seconds, 3))


def _mentoring_moved(table: Table, grid: Grid, stored: dict) -> set[int]:
    """Months whose groups_mentored differs from the stored figure in some region."""
    moved = {i for (code, i), cell in table.cells.items()
             if cell.get("groups_mentored", 0) != stored.get((code, grid.months[i]), (0, {}))[1].get("groups_mentored", 0)}
    for (code, month), (_pk, old) in stored.items():
        i = grid.index(month)
        if i is not None and old.get("groups_mentored", 0) and (code, i) not in table.cells:
            moved.add(i)
    return moved


def _values(cell: dict, old: dict, keep_visits: bool, keep_turnover: bool) -> dict | None:
    """A row's new values, or None when the region had no data that month."""
    values = dict(cell)
    if keep_visits:
        values.update({k: old[k] for k in rv.COMPONENTS if k in old})
    if keep_turnover:
        values.update({k: old[k] for k in rv.TURNOVER if k in old})
    if not any(values.values()) and not any(k in values for k in OPTIONAL):
        return None
    for name in ZERO:
        values.setdefault(name, 0)
    return values


def _write(table: Table, grid: Grid, stored: dict, dirty: set, turnover: set, now) -> int:
    """Insert, change or remove the RegionMonth rows whose values differ; returns how many."""
    inserts, updates, deletes = [], [], []
    keys = {(code, grid.months[i]) for code, i in table.cells} | set(stored)
    for code, month in keys:
        i = grid.index(month)
        pk, old = stored.get((code, month), (None, {}))
        values = None if i is None else _values(table.cells.get((code, i), {}), old, i not in dirty,
                                                i not in turnover)
        if values is None:
            if pk is not None:
                deletes.append(pk)
        elif pk is None:
            inserts.append((code, level_of(code), month, values, now))
        elif values != old:
            updates.append((pk, values, now))
    for i in range(0, len(deletes), CHUNK):
        RegionMonth.objects.filter(pk__in=deletes[i:i + CHUNK]).delete()
    if updates:
        field = RegionMonth._meta.get_field("values")
        bulk.update_rows(RegionMonth, ["values", "refreshed_at"],
                         [(pk, _json(field, v), at) for pk, v, at in updates])
    bulk.insert_rows(RegionMonth, ["region_code", "level", "month", "values", "refreshed_at"], inserts)
    return len(inserts) + len(updates) + len(deletes)


def _json(field, value) -> str:
    import json

    return json.dumps(value, cls=field.encoder)

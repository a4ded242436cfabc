"""GroupMonth: what each group did in each month, rebuilt from the raw visits and indicator snapshots.

A (group, month) pair is always rebuilt whole from its raw rows (delete + insert), never patched,
so rebuilding a pair twice is harmless. Which pairs: every pair in a full rebuild; otherwise the
pairs of visits whose `updated_at` and snapshots whose `created_at` lie after the watermark (less
a safety margin for late commits), plus the pairs edits moved a visit *out of* (each
`edit_visit` audit event keeps the old group and start it changed: undone newest first from the
visit's current pair). Months are calendar months in settings.TIME_ZONE (a visit's local start
date). Every visit and activity stored counts, whatever its review status: a returned visit
happened and comes back corrected.
"""

import datetime as dt
import json
import uuid
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateField, Max, Min, Q, TextField
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from sukarela.core import bulk
from sukarela.core.models import AuditEvent
from sukarela.engines.indicators import add_months
from sukarela.engines.rollup import leaf
from sukarela.groups.models import Group, IndicatorSnapshot
from sukarela.mentoring.models import Kind, Task, TksRole, Visit
from sukarela.monitoring.models import GroupMonth

CHUNK = 5000  # groups per query: bounded memory, and under SQLite's bound-parameter limit
BATCH = 50_000  # rows per COPY of a full rebuild (the streams are read between two COPYs)
FIELDS = ["group", "month", "regency_code", "visits", "activities", "roles", "tasks", "last_visit_on", "tks",
          "turnover", "turnover_first", "turnover_count", "new_workers"]
JSON_AT = (5, 6, 8)  # roles, tasks, tks
ROLES, TASKS = tuple(TksRole.values), tuple(Task.values)


def tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, tz()).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the month and of the next, in local time."""
    nxt = add_months(month, 1)
    return (dt.datetime(month.year, month.month, 1, tzinfo=tz()), dt.datetime(nxt.year, nxt.month, 1, tzinfo=tz()))


# --- which pairs changed ----------------------------------------------------------------------------

def changed_pairs(since: dt.datetime) -> tuple[set, set]:
    """(pairs touched by visits, pairs touched by snapshots) since `since`."""
    visits = {pk: (g, s) for pk, g, s in Visit.objects.filter(updated_at__gte=since)
              .values_list("pk", "group_id", "started_at").order_by()}
    by_visits = {(g, local_month(s)) for g, s in visits.values()}
    edits: dict = defaultdict(list)
    for target, changes in AuditEvent.objects.filter(at__gte=since, action="edit_visit").order_by(
            "-at", "-id").values_list("target_id", "changes"):
        edits[_uuid(target)].append(changes)
    for pk, newest_first in edits.items():
        by_visits |= _moved_from(visits.get(pk), newest_first)
    snapshots = {(g, d.replace(day=1)) for g, d in IndicatorSnapshot.objects.filter(created_at__gte=since)
                 .values_list("group_id", "recorded_on").order_by()}
    return by_visits, snapshots


def _uuid(text):
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _moved_from(current, newest_first: list) -> set:
    """The pairs a visit was in before each of its edits: from its current group and start, undo the
    edits newest first with the old values their audit diffs keep."""
    out: set = set()
    if current is None:
        return out
    group, start = current
    for changes in newest_first:
        if not isinstance(changes, dict):
            continue
        try:
            if "group" in changes:
                group = int(changes["group"][0])
            if "started_at" in changes:
                start = dt.datetime.fromisoformat(changes["started_at"][0])
                if timezone.is_naive(start):
                    start = timezone.make_aware(start, dt.timezone.utc)
        except (TypeError, ValueError, IndexError):
            continue
        out.add((group, local_month(start)))
    return out


# --- rebuilding -------------------------------------------------------------------------------------

def _has(field: str, value: str) -> Q:
    """`value` is one of the JSON list's strings: jsonb containment on PostgreSQL; on SQLite the
    stored JSON text holds the quoted word (the values are fixed choices, none inside another)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}_text__contains": f'"{value}"'})


def _visit_rows(q: Q):
    """(group, month), [visits, activities, roles, tasks, last_visit_on, tks] of the visits matching q,
    ordered by group and month, streamed."""
    qs = Visit.objects.filter(q).order_by()
    if connection.vendor != "postgresql":
        qs = qs.annotate(roles_text=Cast("roles", TextField()), tasks_text=Cast("tasks", TextField()))
    counts = {f"r_{r}": Count("id", filter=_has("roles", r)) for r in ROLES}
    counts.update({f"t_{t}": Count("id", filter=_has("tasks", t)) for t in TASKS})
    rows = qs.annotate(m=TruncMonth("started_at", tzinfo=tz(), output_field=DateField())).values(
        "group_id", "m").annotate(
        visits=Count("id", filter=Q(kind=Kind.VISIT)), activities=Count("id", filter=Q(kind=Kind.ACTIVITY)),
        last=Max("started_at"), tks_min=Min("tks_id"), tks_max=Max("tks_id"), tks_n=Count("tks_id", distinct=True),
        **counts).order_by("group_id", "m")
    zone = tz()
    for r in rows.iterator(chunk_size=20000):
        key = (r["group_id"], r["m"])
        tks = [r["tks_min"]] if r["tks_min"] == r["tks_max"] else [r["tks_min"], r["tks_max"]]
        if r["tks_n"] > 2:  # more than two TKS in one group's month: rare, read them exactly
            tks = _all_tks(*key)
        yield key, [r["visits"], r["activities"], {k: r[f"r_{k}"] for k in ROLES if r[f"r_{k}"]},
                    {k: r[f"t_{k}"] for k in TASKS if r[f"t_{k}"]}, r["last"].astimezone(zone).date(), tks]


def _all_tks(group: int, month: dt.date) -> list[int]:
    start, end = month_bounds(month)
    return sorted(set(Visit.objects.filter(group_id=group, started_at__gte=start, started_at__lt=end)
                      .values_list("tks_id", flat=True)))


def _snapshot_rows(q: Q):
    """(group, month), [turnover (latest), turnover_first, turnover_count, new_workers], ordered, streamed."""
    key, row = None, None
    for group, day, turnover, new_workers in IndicatorSnapshot.objects.filter(q).order_by(
            "group_id", "recorded_on", "created_at", "id").values_list(
            "group_id", "recorded_on", "turnover", "new_workers").iterator(chunk_size=20000):
        here = (group, day.replace(day=1))
        if here != key:
            if key is not None:
                yield key, row
            key, row = here, [None, None, 0, 0]
        if turnover is not None:
            row[0] = turnover
            row[1] = turnover if row[1] is None else row[1]
            row[2] += 1
        row[3] += new_workers or 0
    if key is not None:
        yield key, row


def _rows(visit_q: Q, snapshot_q: Q, regency: dict):
    """GroupMonth rows (FIELDS order): the two ordered streams merged on (group, month)."""
    visits, snapshots = _visit_rows(visit_q), _snapshot_rows(snapshot_q)
    v, s = next(visits, None), next(snapshots, None)
    while v is not None or s is not None:
        key = min(x[0] for x in (v, s) if x is not None)
        vis = v[1] if v is not None and v[0] == key else [0, 0, {}, {}, None, []]
        snap = s[1] if s is not None and s[0] == key else [None, None, 0, 0]
        if v is not None and v[0] == key:
            v = next(visits, None)
        if s is not None and s[0] == key:
            s = next(snapshots, None)
        yield (key[0], key[1], regency.get(key[0], ""), *vis, *snap)


def copy_rows(rows, model=GroupMonth, fields=FIELDS, json_at=JSON_AT) -> int:
    """COPY the rows in (PostgreSQL: JSON as text, no per-value field preparation); SQLite: bulk.insert_rows."""
    if connection.vendor != "postgresql":
        return bulk.insert_rows(model, fields, rows)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = json.dumps(row[i])
            copy.write_row(row)
            count += 1
    return count


def _regencies(**filters) -> dict:
    return {pk: leaf(v) for pk, v in Group.objects.filter(**filters).order_by().values_list("pk", "village_id")}


def rebuild_pairs(pairs: set, progress=None) -> int:
    """Rebuild these (group, month) pairs from raw rows; returns how many were rebuilt."""
    by_month: dict = defaultdict(list)
    for group, month in pairs:
        by_month[month].append(group)
    done = 0
    for month, groups in sorted(by_month.items()):
        start, end = month_bounds(month)
        last = add_months(month, 1) - dt.timedelta(days=1)
        groups.sort()
        for i in range(0, len(groups), CHUNK):
            chunk = groups[i:i + CHUNK]
            rows = list(_rows(Q(group_id__in=chunk, started_at__gte=start, started_at__lt=end),
                              Q(group_id__in=chunk, recorded_on__gte=month, recorded_on__lte=last),
                              _regencies(pk__in=chunk)))
            GroupMonth.objects.filter(month=month, group_id__in=chunk).delete()
            copy_rows(rows)
            done += len(chunk)
            if progress:
                progress("group months", done, len(pairs))
    return done


def rebuild_all(progress=None) -> int:
    """Every GroupMonth row again: one aggregate of all visits and one pass over all snapshots,
    both ordered by group and month and merged as they stream, written in batches."""
    GroupMonth.objects.all().delete()
    regency = _regencies()
    written, batch = 0, []
    for row in _rows(Q(), Q(), regency):
        batch.append(row)
        if len(batch) >= BATCH:
            written += copy_rows(batch)
            batch = []
            if progress:
                progress("group months", written, written)
    return written + copy_rows(batch)


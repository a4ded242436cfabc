"""The TKS table of a regency's dashboard: each TKS who lives in the regency, holds an open posting to
one of its groups, or visited one of them in the period; with the groups they mentor there, their
visits and activities there in the period, and their last visit there up to the period's end.

Read from the GroupMonth rows of the last refresh (their `tks` lists, counts and last visit) and
the open postings, in four or five queries whatever the size: never a scan of the raw visits per
request. A group's month names its TKS but counts its visits as a whole: when one TKS made them
all (over 99 % of the months at the bench) they are theirs, summed by the database per TKS; the
few months two or more TKS shared are split by one more query over the raw visits of just those
(group, month) pairs, by the (group, started_at) index. The database still reads every group
month of the regency up to the period's end (about 21 000 in the largest regency of the bench's
programme; about 45 ms there), so the cost grows with the regency's history, not with its visits.
At most CAP rows by name: a
regency has some tens of TKS, and a cap keeps a mistaken import from making the page unbounded.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.mentoring.models import Visit
from sukarela.monitoring.models import GroupMonth
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures
from sukarela.monitoring.services.refresh_groups import month_bounds, tz
from sukarela.regions.models import Level, subtree_q

CAP = 500


@dataclass(frozen=True)
class TksRow:
    id: int
    name: str
    groups: int                # open postings to groups of the regency
    visits: int                # visits + activities to groups of the regency in the period
    last_visit_on: dt.date | None


@dataclass(frozen=True)
class TksListing:
    rows: list
    capped: bool               # more TKS than CAP: only the first CAP by name are listed


def _rows(code: str, period: Period) -> list:
    """One query over the regency's group months up to the period's end: per TKS of the months they
    made alone, (tks, None, their newest month, their last visit day, their visits + activities in
    the period, None); and each month two or more TKS shared as (None, group, month, None, 0, its tks
    list as JSON text).
    A month's last visit lies inside it, so the newest of a TKS's days is their last visit."""
    table = connection.ops.quote_name(GroupMonth._meta.db_table)
    if connection.vendor == "postgresql":
        length, first, text = "jsonb_array_length(g.tks)", "(g.tks->>0)::integer", "g.tks::text"
    else:
        length, first, text = "json_array_length(g.tks)", "CAST(json_extract(g.tks, '$[0]') AS INTEGER)", "g.tks"
    where = "g.regency_code = %s AND g.month <= %s"
    if connection.vendor == "postgresql":
        # The index is (month, regency_code): probing it month by month (from the earliest month
        # stored) reads the regency's entries only, where a range on month reads every regency's.
        where = (f"g.regency_code = %s AND g.month = ANY(ARRAY(SELECT generate_series((SELECT MIN(month) "
                 f"FROM {table}), %s::date, interval '1 month')::date))")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {first}, NULL, MAX(g.month), MAX(g.last_visit_on), "
            f"SUM(CASE WHEN g.month >= %s THEN g.visits + g.activities ELSE 0 END), NULL FROM {table} g "
            f"WHERE {where} AND {length} = 1 GROUP BY {first} "
            f"UNION ALL SELECT NULL, g.group_id, g.month, NULL, 0, {text} FROM {table} g WHERE {where} AND {length} > 1",
            [period.start, code, period.end, code, period.end])
        return cursor.fetchall()


def _date(value) -> dt.date | None:
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _shared(pairs: set) -> dict:
    """{(group, month, tks): (visits + activities, last visit day)} for months two or more TKS shared:
    the raw visits of just those pairs (a few per pair), by the (group, started_at) index. Plain SQL:
    the ORM takes longer to compile a hundred alternatives than the database to answer them."""
    if not pairs:
        return {}
    zone, params = tz(), []
    for group, month in sorted(pairs):
        params += [group, *(connection.ops.adapt_datetimefield_value(b) for b in month_bounds(month))]
    table = connection.ops.quote_name(Visit._meta.db_table)
    alternatives = " OR ".join(["(group_id = %s AND started_at >= %s AND started_at < %s)"] * len(pairs))
    out: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT group_id, tks_id, started_at FROM {table} WHERE {alternatives}", params)
        for group, tks, started in cursor.fetchall():
            if isinstance(started, str):
                started = dt.datetime.fromisoformat(started)
            if timezone.is_naive(started):  # SQLite keeps UTC without the zone
                started = started.replace(tzinfo=dt.timezone.utc)
            day = timezone.localtime(started, zone).date()
            key = (group, day.replace(day=1), tks)
            n, last = out.get(key, (0, day))
            out[key] = (n + 1, max(last, day))
    return out


def _visits(code: str, period: Period) -> tuple[dict, dict]:
    """({tks: visits + activities in the period}, {tks: last visit day up to the period's end})."""
    visits: dict = defaultdict(int)
    last: dict = {}
    newest: dict = {}   # {tks: the newest month they shared}
    shared = []
    for t, group, month, day, n, tks in _rows(code, period):
        month = _date(month)
        if t is not None:
            visits[t] += int(n or 0)
            last[t] = _date(day)
            continue
        tks = json.loads(tks) if isinstance(tks, str) else tks
        shared.append((group, month, tks))
        for one in tks:
            newest[one] = max(newest.get(one, month), month)
    # Split the shared months of the period, and each TKS's newest shared month when it is not
    # older than the last visit of their own months.
    split = {(g, m) for g, m, tks in shared if m >= period.start
             or any(newest[t] == m and (last.get(t) is None or m >= last[t].replace(day=1)) for t in tks)}
    for (group, month, t), (n, day) in _shared(split).items():
        if month >= period.start:
            visits[t] += n
        if newest.get(t) == month and (last.get(t) is None or day > last[t]):
            last[t] = day
    return visits, last


def regency_tks(user, code: str, period: Period) -> TksListing:
    """Http404 unless `code` is a regency inside the user's scope (selectors.figures.region_ref)."""
    if figures.region_ref(user, code).level != Level.REGENCY:
        raise Http404("Not a regency")
    visits, last = _visits(code, period)
    postings: dict = defaultdict(int)
    for mentor in Posting.objects.filter(ends_on__isnull=True, group__village__code__startswith=code + ".") \
            .values_list("mentor_id", flat=True):
        postings[mentor] += 1
    in_period = {t for t, n in visits.items() if n}
    who = subtree_q("region__code", code) | Q(pk__in=set(postings) | in_period)
    found = list(User.objects.filter(who, role=Role.TKS).order_by("full_name", "pk")
                 .values_list("pk", "full_name")[:CAP + 1])
    rows = [TksRow(pk, name, postings.get(pk, 0), visits.get(pk, 0), last.get(pk)) for pk, name in found[:CAP]]
    return TksListing(rows, len(found) > CAP)

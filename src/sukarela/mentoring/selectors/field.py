"""Reads for the field app: a TKS's currently posted groups (with their members and latest
indicators), their own visits and photos. Own means own: the field API answers 404 for anybody
else's visit, whatever their role (officers read visits through the review's selectors)."""

import datetime as dt
import uuid
from collections import namedtuple

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from sukarela.assignments.models import Posting
from sukarela.core import batch
from sukarela.engines import visit_rules
from sukarela.groups.models import Group, IndicatorSnapshot, Member
from sukarela.mentoring.models import Photo, Visit


def _posted(user) -> Q:
    return Q(postings__mentor=user, postings__ends_on__isnull=True)


def posted_group_ids(user, ids) -> set[int]:
    """Which of `ids` the TKS mentors now (an open posting)."""
    return set(Group.objects.filter(_posted(user), pk__in=list(ids)).values_list("pk", flat=True))


def group_info(user, group_id, attendance, on: dt.date | None) -> dict[int, visit_rules.GroupInfo]:
    """The rules' context for a visit to `group_id`: {} when the group is not posted to `user`.
    Only the members named in `attendance` matter (who was present: active ones or those who left
    on or after the visit's day). The hot path reads the group and how many of those are its
    members in one query; only when some are not does a second read name which are."""
    return submission_context(user, group_id, attendance, on)[0]


def submission_context(user, group_id, attendance, on: dt.date | None, window=None):
    """(group_info's answer, the user's visits overlapping `window`) with one round trip: `window`
    is (start, minutes) as the payload gives them, and the overlap list is None without one."""
    if not isinstance(group_id, int) or isinstance(group_id, bool) or not 0 < group_id < 2**63:
        return {}, None
    ids = _ids(attendance)
    statements = [_point_and_present(user.pk, group_id, ids, on)]
    if window is not None:
        statements.append(_overlap_read(user.pk, *window))
    rows = batch.fetch(statements)
    partners = _overlapping_rows(rows[1], *window) if window is not None else None
    if not rows[0]:
        return {}, partners
    row = rows[0][0]
    members = frozenset(ids) if row[2] == len(ids) else _members(group_id, ids, on)
    return {group_id: visit_rules.GroupInfo(row[0], row[1], members)}, partners


def _point_and_present(user_id: int, group_id: int, ids: list[int], on: dt.date | None) -> batch.Statement:
    """(lat, lon, members of `ids` present) of a group posted to the user, or no row. Plain SQL:
    this runs on every submission, and compiling the same query through the ORM cost more than
    running it (about 1.8 ms against 0.1 ms, measured on PostgreSQL). There, one prepared
    statement serves every count of ids (an array); elsewhere the ids are listed."""
    tail = (f" FROM {Group._meta.db_table} g WHERE g.id = %s AND EXISTS ("
            f"SELECT 1 FROM {Posting._meta.db_table} p WHERE p.group_id = g.id AND p.mentor_id = %s "
            f"AND p.ends_on IS NULL)")
    members = f"SELECT COUNT(*) FROM {Member._meta.db_table} m WHERE m.group_id = g.id AND "
    if batch.preparing():
        # A NULL day leaves `m.active OR NULL`: only the active members count, as below.
        sql = f"SELECT g.lat, g.lon, ({members}m.id = ANY(%s) AND (m.active OR m.left_on >= %s)){tail}"
        return batch.statement("sukarela_group_point", sql, ("bigint[]", "date", "bigint", "bigint"),
                               [ids, on, group_id, user_id])
    present = "0"
    params: list = []
    if ids:
        left = " OR m.left_on >= %s" if on else ""
        present = f"({members}m.id IN ({', '.join(['%s'] * len(ids))}) AND (m.active{left}))"
        params = [*ids, *([on] if on else [])]
    return f"SELECT g.lat, g.lon, {present}{tail}", _adapt([*params, group_id, user_id])


def stored_group_info(group_id: int, attendance, on: dt.date | None) -> dict[int, visit_rules.GroupInfo]:
    """As group_info, for a group the visit already has (an edit or a replay may outlive the posting)."""
    point = Group.objects.filter(pk=group_id).values_list("lat", "lon").first()
    if point is None:
        return {}
    return {group_id: visit_rules.GroupInfo(point[0], point[1], _members(group_id, _ids(attendance), on))}


def _ids(attendance) -> list[int]:
    """The distinct well-formed ids (the rules name the malformed ones)."""
    return list(dict.fromkeys(a for a in attendance or () if isinstance(a, int) and not isinstance(a, bool)
                              and 0 < a < 2**63)) if isinstance(attendance, (list, tuple)) else []


def _present(ids: list[int], on: dt.date | None):
    present = Q(active=True) | Q(left_on__gte=on) if on else Q(active=True)
    return Member.objects.filter(present, pk__in=ids)


def _members(group_id: int, ids: list[int], on: dt.date | None) -> frozenset[int]:
    if not ids:
        return frozenset()
    return frozenset(_present(ids, on).filter(group_id=group_id).values_list("pk", flat=True))


def bootstrap_groups(user) -> list[Group]:
    """The TKS's posted groups with active members (chair first) and `last_indicators` (or None)."""
    groups = list(Group.objects.filter(_posted(user)).select_related("sector", "village")
                  .prefetch_related(Prefetch("members", Member.objects.filter(active=True).only(
                      "id", "group_id", "full_name", "is_chair"), to_attr="active_members"))
                  .order_by("name", "id"))
    latest = (IndicatorSnapshot.objects.filter(group=OuterRef("group"))
              .order_by("-recorded_on", "-created_at").values("pk")[:1])
    snapshots = {s.group_id: s for s in IndicatorSnapshot.objects.filter(
        group__in=[g.pk for g in groups], pk=Subquery(latest))}
    for g in groups:
        g.last_indicators = snapshots.get(g.pk)
    return groups


def _own(user):
    return Visit.objects.filter(tks=user) if getattr(user, "is_authenticated", False) else Visit.objects.none()


def own_visit(user, pk) -> Visit:
    """The caller's visit with what GET answers (follow-ups, indicators, photos), else 404."""
    try:
        return (_own(user).select_related("indicators").prefetch_related("follow_ups", "photos").get(pk=pk))
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def own_visits_since(user, since: dt.datetime | None, after: tuple[dt.datetime, uuid.UUID] | None = None):
    """The phone's history, oldest change first: (updated_at, id) is a total order, so the phone
    pages through it by the last row read (`after`: its exact time and id) and misses nothing,
    even when a row already read changes meanwhile (it moves to the end, where it is read again).
    A visit's updated_at is set with its received_at and only moves forward (every edit, review
    and confirmation sets it), so it alone says "changed since"."""
    qs = _own(user).select_related("indicators").prefetch_related("follow_ups", "photos")
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    if after is not None:
        qs = qs.filter(Q(updated_at__gt=after[0]) | Q(updated_at=after[0], id__gt=after[1]))
    return qs.order_by("updated_at", "id")


def own_photo(user, pk) -> Photo:
    try:
        return Photo.objects.get(pk=pk, visit__tks=user)
    except (Photo.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


Row = namedtuple("Row", "pk started_at duration_minutes flags")


def overlapping(tks_id: int, start: dt.datetime, minutes: int, exclude=None) -> list[Row]:
    """The TKS's other visits sharing a moment with [start, start + minutes). One range read on the
    (tks, started_at) index: a visit lasts at most the rules' longest duration, so earlier starts
    are bounded; the exact test is then made here. Plain SQL, as _point_and_present."""
    return _overlapping_rows(batch.fetch([_overlap_read(tks_id, start, minutes, exclude)])[0], start, minutes)


def _overlap_read(tks_id: int, start: dt.datetime, minutes: int, exclude=None) -> batch.Statement:
    longest = dt.timedelta(minutes=visit_rules.DURATION_RANGE[1])
    sql = (f"SELECT id, started_at, duration_minutes, flags FROM {Visit._meta.db_table} "
           f"WHERE tks_id = %s AND started_at > %s AND started_at < %s")
    params = [tks_id, start - longest, start + dt.timedelta(minutes=minutes)]
    if exclude is None:
        return batch.statement("sukarela_overlaps", sql, ("bigint", "timestamptz", "timestamptz"), _adapt(params))
    return sql + " AND id <> %s", _adapt([*params, exclude])


def _overlapping_rows(rows, start: dt.datetime, minutes: int) -> list[Row]:
    fields = Visit._meta
    converters = {f: fields.get_field(f) for f in ("id", "started_at", "flags")}
    out = []
    for pk, started, duration, flags in rows:
        started = batch.from_db(converters["started_at"], started)
        if visit_rules.overlaps(start, minutes, started, duration):
            out.append(Row(batch.from_db(converters["id"], pk), started, duration,
                           batch.from_db(converters["flags"], flags)))
    return out


def _adapt(params: list) -> list:
    """Values as the database backend wants them (UUIDs and aware times differ by backend)."""
    ops = connection.ops
    out = []
    for value in params:
        if isinstance(value, dt.datetime):
            value = ops.adapt_datetimefield_value(value)
        elif isinstance(value, uuid.UUID):
            value = Visit._meta.pk.get_db_prep_value(value, connection)
        out.append(value)
    return out

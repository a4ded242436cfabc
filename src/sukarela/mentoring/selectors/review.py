"""Reads for the supervisors' review: the filtered list of visits, one visit with everything it
recorded, its review history, and a group's indicator trend. All through the scope (core.scope):
officers by the group's village, a TKS their own visits, a group chair the visits to their group."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core.models import AuditEvent
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.engines import visit_rules
from sukarela.groups.models import IndicatorSnapshot, Member
from sukarela.mentoring.models import Flag, FollowUp, Photo, Visit
from sukarela.mentoring.selectors import field as field_selectors
from sukarela.mentoring.selectors import visits_for


def json_list_has(field: str, value: str) -> Q:
    """Rows whose JSON list `field` holds `value`. PostgreSQL answers with jsonb containment; SQLite
    has no containment operator, so it matches the quoted value in the stored JSON text (values are
    choice codes without quotes, so a match cannot straddle two items)."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": f'"{value}"'})


@dataclass(frozen=True)
class VisitFilters:
    tks: int | None = None
    group: int | None = None
    tks_name: str = ""  # part of the TKS's name (wide scopes search rather than pick)
    group_name: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    role: str = ""
    task: str = ""
    status: str = ""
    flag: str = ""
    overdue: bool = False  # only visits with a follow-up past its due day and not done


# Filter days are clamped to these: 0001-01-01 or 9999-12-31 in local time has no UTC instant.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9000, 1, 1)


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the programme's time zone: bounds on started_at keep its index usable."""
    day = min(max(day, FIRST_DAY), LAST_DAY)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def review_visits(user, filters: VisitFilters = VisitFilters()):
    """The visits the user may see, filtered, newest first."""
    qs = visits_for(user)
    f = filters
    if f.tks:
        qs = qs.filter(tks_id=f.tks)
    if f.group:
        qs = qs.filter(group_id=f.group)
    if f.date_from:
        qs = qs.filter(started_at__gte=_day_start(f.date_from))
    if f.tks_name:
        qs = qs.filter(tks__full_name__icontains=f.tks_name)
    if f.group_name:
        qs = qs.filter(group__name__icontains=f.group_name)
    if f.date_to:
        qs = qs.filter(started_at__lt=_day_start(min(f.date_to, LAST_DAY) + dt.timedelta(days=1)))
    if f.role:
        qs = qs.filter(json_list_has("roles", f.role))
    if f.task:
        qs = qs.filter(json_list_has("tasks", f.task))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.flag:
        qs = qs.filter(json_list_has("flags", f.flag))
    if f.overdue:
        qs = qs.filter(pk__in=overdue_follow_ups().values("visit"))
    return qs.order_by("-started_at", "id")


def overdue_follow_ups(today: dt.date | None = None):
    """Follow-ups past their due day (before today) and not done; unscoped (callers scope them)."""
    return FollowUp.objects.filter(due_on__lt=today or timezone.localdate(), done_on__isnull=True)


def visit_detail(user, pk) -> Visit:
    """One visit with its follow-ups, photos, indicators and reviewer, read in a fixed few queries."""
    qs = (Visit.objects.select_related("tks", "group", "group__village", "indicators", "reviewed_by")
          .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "id")),
                            Prefetch("photos", queryset=Photo.objects.order_by("id"))))
    return get_scoped_or_404(user, qs, pk=pk)


def attendance_of(visit: Visit) -> list:
    """The members present, by name; ids no longer in the group are left out (the service checked
    them when the visit was stored, so a gap means a member record was removed since)."""
    ids = [i for i in visit.attendance if isinstance(i, int)]
    return list(Member.objects.filter(group_id=visit.group_id, pk__in=ids).order_by("full_name", "id"))


# What each recorded action means to a reader of the visit's history; an action not named here
# is shown by its code.
ACTION_LABELS = {
    "approve_visit": gettext_lazy("disetujui"),
    "return_visit": gettext_lazy("dikembalikan"),
    "confirm_visit": gettext_lazy("dikonfirmasi ketua kelompok"),
    "submit_visit": gettext_lazy("dikirim"),
    "edit_visit": gettext_lazy("diubah oleh TKS"),
    "follow_up_done": gettext_lazy("tindak lanjut ditandai selesai"),
}


def review_history(visit: Visit) -> list:
    """The visit's trail, oldest first: stored, edited, approved, returned, confirmed; each event
    with `label` and, for a return, the `comment` given."""
    events = list(AuditEvent.objects.filter(target_type=Visit._meta.label_lower, target_id=str(visit.pk))
                  .select_related("actor").order_by("at", "id"))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)
        changes = event.changes or {}
        comment = changes.get("review_comment", changes.get("follow_up"))  # what was said, or which action
        event.comment = comment[1] if isinstance(comment, list) and len(comment) == 2 else ""
    return events


def overlapping_visits(user, visit: Visit) -> list:
    """The same TKS's other visits sharing a moment with this one, those the user may see."""
    if Flag.OVERLAP.value not in visit.flags:
        return []
    others = field_selectors.overlapping(visit.tks_id, visit.started_at, visit.duration_minutes, exclude=visit.pk)
    return list(visits_for(user).filter(pk__in=[v.pk for v in others]).order_by("started_at"))


def distance_km(visit: Visit) -> float | None:
    """How far the visit's point is from the group's: as stored with the visit, else computed."""
    if visit.km_from_group is not None:
        return visit.km_from_group
    return visit_rules.km_from_group(visit.lat, visit.lon, visit.group.lat, visit.group.lon)


def indicator_trend(user, group) -> list:
    """The group's indicator snapshots, oldest first; a correction is a newer snapshot of the same
    date, so every row is kept (the sparkline takes the latest of each date)."""
    return list(scoped(user, IndicatorSnapshot.objects.filter(group=group)).order_by("recorded_on", "created_at"))


def latest_per_date(snapshots) -> list:
    """One snapshot per date, the latest recorded (input oldest first, as indicator_trend gives)."""
    by_date = {}
    for snap in snapshots:
        by_date[snap.recorded_on] = snap
    return [by_date[d] for d in sorted(by_date)]


@dataclass(frozen=True)
class TaskSection:
    value: str
    label: str
    fields: list  # [(label, shown value)]


def _shown(spec, value):
    if spec.type == "choice":
        return _(dict(spec.choices).get(value, value))
    if spec.type == "int" and isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if spec.type == "date":
        try:
            return formats.date_format(dt.date.fromisoformat(value), "j M Y")
        except (TypeError, ValueError):
            return value
    return value


def task_sections(visit: Visit) -> list[TaskSection]:
    """The visit's tasks with their structured fields, labelled from the catalogue (engines/visit_rules)
    in the catalogue's order; a stored field the catalogue no longer knows is shown by its name."""
    details = visit.details if isinstance(visit.details, dict) else {}
    sections = []
    for task in visit.tasks:
        spec = visit_rules.TASK_BY_VALUE.get(task)
        given = details.get(task) or {}
        if spec is None:
            sections.append(TaskSection(task, task, [(k, v) for k, v in given.items()]))
            continue
        known = {f.name for f in spec.fields}
        rows = [(_(f.label), _shown(f, given[f.name])) for f in spec.fields if given.get(f.name) not in (None, "")]
        rows += [(k, v) for k, v in given.items() if k not in known]
        sections.append(TaskSection(task, _(spec.label), rows))
    return sections


def role_labels(visit: Visit) -> list[str]:
    labels = dict(visit_rules.ROLES)
    return [_(labels.get(r, r)) for r in visit.roles]


def far_km() -> float:
    return settings.SUKARELA_FIELD["far_km"]


def thresholds() -> dict:
    f = settings.SUKARELA_FIELD
    return {"group_weeks": f["group_quiet_weeks"], "tks_days": f["tks_quiet_days"], "far_km": f["far_km"]}


@dataclass(frozen=True)
class AidPart:
    """One part of the group's aid plan (60% tools, 40% materials) against what the latest snapshot
    says was spent: `percent` of the plan (None when either is unknown), `over` when spent > planned."""

    part: str  # "tools" | "materials"
    label: str
    spent: Decimal | None
    planned: Decimal | None
    percent: int | None
    over: bool


@dataclass(frozen=True)
class Trend:
    rows: list  # every snapshot, oldest first
    spark: str  # SVG polyline points of the monthly turnover (latest per date), "" under two points
    spark_width: int = 160
    spark_height: int = 32
    aid: tuple = ()  # AidPart of tools and materials, from the latest snapshot; () when none
    aid_on: dt.date | None = None  # the latest snapshot's date
    record_form: object = None  # a blank indicator form when the viewer may record a snapshot here


def aid_spending(group, latest) -> tuple:
    """Tools and materials spent (the latest snapshot, cumulative) against the group's plan."""
    if latest is None:
        return ()
    parts = []
    for part, label, spent, planned in (
            ("tools", _("Alat"), latest.aid_spent_tools, group.aid_tools),
            ("materials", _("Bahan"), latest.aid_spent_materials, group.aid_materials)):
        known = spent is not None and planned is not None
        percent = round(spent * 100 / planned) if known and planned > 0 else None
        parts.append(AidPart(part, label, spent, planned, percent, known and spent > planned))
    return tuple(parts)


def sparkline_points(values, width: int = 160, height: int = 32, pad: int = 2) -> str:
    """Points of a polyline drawing `values` left to right in a width x height box (y grows down)."""
    values = [float(v) for v in values]
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = (width - 2 * pad) / (len(values) - 1)
    return " ".join(f"{pad + i * step:.1f},{height - pad - (v - lo) / span * (height - 2 * pad):.1f}"
                    for i, v in enumerate(values))


def group_trend(user, group) -> Trend:
    """The group detail page's indicator section: the table, the turnover sparkline, the aid spent
    against the 60/40 plan, and the form to record a snapshot for whoever may (its TKS, its officers)."""
    from sukarela.mentoring.forms import IndicatorForm  # forms import this module's filters
    from sukarela.mentoring.services.indicators import may_record

    rows = indicator_trend(user, group)
    latest = rows[-1] if rows else None  # oldest first: the last is the newest record
    turnover = [s.turnover for s in latest_per_date(rows) if s.turnover is not None]
    return Trend(rows=rows, spark=sparkline_points(turnover), aid=aid_spending(group, latest),
                 aid_on=latest.recorded_on if latest else None,
                 record_form=IndicatorForm() if may_record(user, group) else None)

"""Group indicators: dated snapshots of how a group is doing, recorded at a visit or monthly.

A snapshot is never updated: a correction is a newer snapshot, so trends keep every value that
was ever reported. The id is made by the phone (recorded offline) or the page's form, so sending
one again stores nothing new. Outside a visit, the group's TKS or an officer of its region records.
"""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import is_officer
from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.engines import visit_rules
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.selectors import field as field_selectors

FIELDS = ("turnover", "capital", "active_members", "new_workers", "products", "price", "aid_spent_tools",
          "aid_spent_materials", "lpj_done")


def translated(problems) -> dict:
    """{path: message} for a ValidationError, the engine's Indonesian templates run through gettext
    (the visit service uses it too)."""
    return {p.path: (_(p.template) % p.params) if p.params else _(p.template) for p in problems}


def build(actor, group_id: int, clean: dict, recorded_on: dt.date) -> IndicatorSnapshot:
    """An unsaved snapshot from the rules' clean indicator values (visit_rules._indicators)."""
    return IndicatorSnapshot(id=uuid.UUID(clean["id"]), group_id=group_id, recorded_on=recorded_on,
                             recorded_by=actor, **{k: clean[k] for k in FIELDS})


def same(snapshot: IndicatorSnapshot, clean: dict) -> bool:
    """Whether a stored snapshot holds exactly these values (a replay, not a correction)."""
    return all(_plain(getattr(snapshot, k)) == _plain(clean[k]) for k in FIELDS)


def _plain(value):
    return int(value) if value is not None and not isinstance(value, (bool, str)) else value


class Conflict(Exception):
    """The snapshot's id is stored with other values; `snapshot` is the stored one."""

    def __init__(self, message: str, snapshot: IndicatorSnapshot):
        super().__init__(message)
        self.message, self.snapshot = message, snapshot


def may_record(user, group) -> bool:
    """The group's TKS (an open posting) or an officer whose region holds the group."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_officer(user):
        return in_scope(user, group.village_id)
    return user.role == Role.TKS and bool(field_selectors.posted_group_ids(user, [group.pk]))


def record(actor, group, values: dict, *, recorded_on: dt.date | None = None) -> tuple[IndicatorSnapshot, bool]:
    """A snapshot outside a visit (monthly), by the group's TKS or an officer of its region: `values`
    as a visit's `indicators` (with the id its recorder made). Returns (snapshot, created). The same
    id again answers the stored snapshot when its values (and day, when given) are the same; other
    values are a Conflict (snapshots are never rewritten: a correction is a new snapshot)."""
    if group is None or not may_record(actor, group):
        raise PermissionDenied(_("Kelompok ini tidak sedang Anda dampingi."))
    clean, problems = visit_rules.validate_indicators(values)
    today = timezone.localdate()
    given_day = recorded_on is not None
    recorded_on = recorded_on or today
    if not visit_rules.EARLIEST_DATE <= recorded_on <= today:
        problems = [*problems, visit_rules.Problem("recorded_on", visit_rules.M["date_range"], {
            "min": visit_rules.EARLIEST_DATE.isoformat(), "max": today.isoformat()})]
    if problems:
        raise ValidationError(translated(problems))
    snapshot = build(actor, group.pk, clean, recorded_on)
    try:
        with transaction.atomic():
            snapshot.save(force_insert=True)
            audit.record(actor, "record_indicators", snapshot,
                         audit.diff(IndicatorSnapshot, {}, audit.snapshot(snapshot, ("group", "recorded_on", *FIELDS))))
    except IntegrityError:
        stored = IndicatorSnapshot.objects.filter(pk=snapshot.pk).first()
        if stored is None or stored.group_id != group.pk:
            raise ValidationError({"indicators.id": _("ID indikator ini sudah dipakai; buat ID baru.")}) from None
        if not same(stored, clean) or (given_day and stored.recorded_on != recorded_on):
            raise Conflict(_("Indikator dengan ID ini sudah tercatat dengan isi lain; kirim koreksinya sebagai "
                             "catatan baru (ID baru)."), stored) from None
        return stored, False
    return snapshot, True

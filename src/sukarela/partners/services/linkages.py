"""Linkages: create one (for a group or a centre), move it along its status pipeline, and create
one from a visit. Each write is one transaction with one audit event; each status it reaches is a
LinkageStep.

Rules (tests/partners/test_linkages.py):
- Who: officers whose region holds the group's village (or the centre's region); the TKS posted
  to the group now (a TKS never writes a centre's linkage). Anyone else is refused.
- The partner is one the actor may name (selectors.linkages.partner_choices) and active.
- The broker: a TKS creating it brokers it; an officer names a TKS posted to the group (default:
  the group's current mentor); a centre's linkage may have no broker.
- Pipeline: proposed → contacted → agreed → realised, forward only (a step may be skipped: a bank
  may agree at the first call), or failed with a reason from any open step. Realised and failed
  are final. Realised needs what was realised: an amount for a loan, market or equipment linkage,
  the people trained for a training linkage.
- Dates: proposed_on not in the future; a status date not before proposed_on nor the previous
  status date, and not in the future.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.partners.linkage_rules import (
    MAX_NOTES, MAX_REASON, OUTCOME_STATUS, check_broker, check_outcome, check_partner, check_status_date,
    check_target, clean_text, require_mover, require_writer_for_centre, require_writer_for_group, to_amount,
    to_people)
from sukarela.partners.models import Linkage, LinkageStatus, LinkageStep, Purpose
from sukarela.partners.rules import to_date
from sukarela.partners.selectors import linkages as selectors

SNAPSHOT = ("group", "centre", "partner", "purpose", "broker", "visit", "status", "proposed_on", "status_on",
            "failed_reason", "value_amount", "people_trained", "notes")


def _step(linkage: Linkage, status: str, on: dt.date, note: str, by) -> LinkageStep:
    return LinkageStep.objects.create(linkage=linkage, status=status, on=on, note=note[:MAX_REASON], by=by)


def prepare(actor, *, group=None, centre=None, partner=None, purpose="", broker=None, proposed_on=None, notes="",
            errors=None) -> dict:
    """A new linkage's values, checked; `errors` collects {field: reason} (raised by the caller)."""
    errors = {} if errors is None else errors
    if (group is None) == (centre is None):
        errors["group"] = _("Pilih satu: kelompok TKM atau BLK.")
    elif group is not None:
        require_writer_for_group(actor, group)
    else:
        require_writer_for_centre(actor, centre)
    if purpose not in Purpose.values:
        errors["purpose"] = _("Pilih tujuan: %(p)s.") % {"p": ", ".join(str(x) for x in Purpose.labels)}
    region = group.village_id if group is not None else centre.region_id if centre is not None else None
    values = {"group": group, "centre": centre, "purpose": purpose,
              "partner": check_partner(actor, partner, region, errors),
              "broker": check_broker(actor, broker, group, errors),
              "notes": clean_text(notes, MAX_NOTES, "notes", errors),
              "proposed_on": to_date(proposed_on, "proposed_on", errors) or timezone.localdate()}
    if "proposed_on" not in errors and values["proposed_on"] > timezone.localdate():
        errors["proposed_on"] = _("Tanggal usulan tidak boleh di masa depan.")
    return values


def _created_changes(linkage: Linkage) -> dict:
    return audit.diff(Linkage, {}, audit.snapshot(linkage, SNAPSHOT))


@transaction.atomic
def create_linkage(actor, **data) -> Linkage:
    values = prepare(actor, **data, errors=(errors := {}))
    if errors:
        raise ValidationError(errors)
    linkage = Linkage.objects.create(status=LinkageStatus.PROPOSED, status_on=values["proposed_on"], created_by=actor,
                                     **values)
    _step(linkage, LinkageStatus.PROPOSED, linkage.proposed_on, "", actor)
    audit.record(actor, "create_linkage", linkage, _created_changes(linkage))
    return linkage


def check_move(linkage: Linkage, *, status="", on=None, note="", failed_reason="", value_amount=None,
               people_trained=None) -> dict:
    """A move's values, checked against the pipeline; ValidationError naming each wrong field."""
    errors = {}
    why = check_target(linkage.status, status)
    if why:
        errors["status"] = why
    values = {"status": status, "note": clean_text(note, MAX_REASON, "note", errors),
              "failed_reason": clean_text(failed_reason, MAX_REASON, "failed_reason", errors),
              "value_amount": to_amount(value_amount, errors), "people_trained": to_people(people_trained, errors),
              "on": to_date(on, "status_on", errors) or timezone.localdate()}
    if status == LinkageStatus.FAILED and not values["failed_reason"]:
        values["failed_reason"] = values["note"]
    if not why:
        check_outcome(linkage.purpose, status, values, errors)
        check_status_date(values["on"], linkage.proposed_on, linkage.status_on, errors)
    if errors:
        raise ValidationError(errors)
    return values


def _apply(actor, linkage: Linkage, values: dict) -> None:
    linkage.status, linkage.status_on = values["status"], values["on"]
    if values["status"] == LinkageStatus.FAILED:
        linkage.failed_reason = values["failed_reason"]
    for name in ("value_amount", "people_trained"):
        if values[name] is not None:
            setattr(linkage, name, values[name])
    linkage.save()
    note = values["failed_reason"] if values["status"] == LinkageStatus.FAILED else values["note"]
    _step(linkage, values["status"], values["on"], note, actor)


@transaction.atomic
def move_linkage(actor, linkage: Linkage, **data) -> Linkage:
    linkage = Linkage.objects.select_for_update(of=("self",)).select_related("group", "centre").get(pk=linkage.pk)
    require_mover(actor, linkage)
    values = check_move(linkage, **data)
    before = audit.snapshot(linkage, SNAPSHOT)
    _apply(actor, linkage, values)
    audit.record(actor, "move_linkage", linkage, audit.diff(Linkage, before, audit.snapshot(linkage, SNAPSHOT)))
    return linkage


def visit_outcome(visit) -> dict:
    """The kemitraan task of a visit: {partner, partner_type, purpose, outcome, note} (empty if none)."""
    details = visit.details or {}
    found = details.get("kemitraan")
    return found if isinstance(found, dict) else {}


@transaction.atomic
def from_visit(actor, visit, partner, purpose, *, value_amount=None, people_trained=None, failed_reason="",
               notes="") -> Linkage:
    """A linkage made during a visit: the visit's group, its TKS as broker, the visit's day as its
    dates, and the status its kemitraan outcome says (dihubungi → contacted, sepakat → agreed,
    terealisasi → realised, which needs a value; gagal → failed, the reason taken from the visit's
    note unless given). Steps: proposed, then the outcome's status, both on the visit's day."""
    if not selectors.may_link_visit(actor, visit):
        raise PermissionDenied(_("Hanya petugas wilayah kelompok atau TKS kunjungan ini yang dapat mencatatnya."))
    errors = {}
    day = timezone.localtime(visit.started_at).date()
    outcome = visit_outcome(visit)
    values = prepare(actor, group=visit.group, partner=partner, purpose=purpose, proposed_on=day, notes=notes,
                     errors=errors)
    errors.pop("broker", None)
    values["broker"] = visit.tks  # the visit's TKS brokers it, even when an officer records it afterwards
    target = OUTCOME_STATUS.get(str(outcome.get("outcome") or ""), LinkageStatus.PROPOSED)
    reason = clean_text(failed_reason or outcome.get("note") or "", MAX_REASON, "failed_reason", errors)
    move = {"status": target, "on": day, "note": _("Dari kunjungan %(d)s") % {"d": day.isoformat()},
            "failed_reason": reason,
            "value_amount": to_amount(value_amount, errors), "people_trained": to_people(people_trained, errors)}
    if values["partner"] is not None and Linkage.objects.filter(
            visit=visit, partner=values["partner"], purpose=purpose).exists():
        errors["partner"] = _("Keterkaitan dengan mitra ini untuk tujuan ini sudah dibuat dari kunjungan ini.")
    if purpose in Purpose.values:
        check_outcome(purpose, target, move, errors)
    if errors:
        raise ValidationError(errors)
    linkage = Linkage.objects.create(status=LinkageStatus.PROPOSED, status_on=day, created_by=actor, visit=visit,
                                     **values)
    _step(linkage, LinkageStatus.PROPOSED, day, move["note"], actor)
    if target != LinkageStatus.PROPOSED:
        _apply(actor, linkage, move)
    audit.record(actor, "create_linkage_from_visit", linkage, _created_changes(linkage))
    return linkage

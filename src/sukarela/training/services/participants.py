"""Who trains in a cohort: TKS accounts (made for selectees when recruitment announces, or
by staff), enrolled by the cohort's officers, and dropped out with a reason."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.recruitment.models import Application, Decision
from sukarela.regions.models import subtree_q
from sukarela.training.models import Cohort, Participant, ParticipantStatus
from sukarela.training.permissions import require_manager


def enrollable(cohort: Cohort):
    """Active TKS of the cohort's region not training elsewhere: the campaign's selectees
    (by domicile) and TKS that staff registered in the region (by their account's region)."""
    selected = Application.objects.filter(campaign_id=cohort.campaign_id, decision=Decision.SELECTED,
                                          volunteer__isnull=False).filter(subtree_q("domicile__code", cohort.region_id))
    busy = Participant.objects.exclude(status=ParticipantStatus.DROPPED).values("volunteer")
    return (User.objects.filter(role=Role.TKS, is_active=True)
            .filter(Q(pk__in=selected.values("volunteer")) | subtree_q("region__code", cohort.region_id))
            .exclude(pk__in=busy).order_by("full_name", "username"))


@transaction.atomic
def enrol(actor, cohort: Cohort, volunteers, joined_on: dt.date | None = None) -> list[Participant]:
    """`joined_on`: the day a TKS joins a cohort already running; their attendance counts from then."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_manager(actor, cohort)
    if joined_on is not None and not cohort.starts_on <= joined_on <= cohort.ends_on:
        raise ValidationError({"joined_on": _("Tanggal bergabung harus dalam periode angkatan.")})
    joined_on = joined_on if joined_on and joined_on > cohort.starts_on else None
    # Locked so two officers enrolling the same TKS at once meet here, not in a database error.
    list(User.objects.select_for_update().filter(pk__in=[v.pk for v in volunteers]).order_by("pk"))
    allowed = set(enrollable(cohort).values_list("pk", flat=True))
    refused = [v for v in volunteers if v.pk not in allowed]
    if refused:
        raise ValidationError({"volunteers": [
            _("%(name)s bukan TKS aktif di wilayah angkatan ini atau sedang mengikuti pelatihan lain.")
            % {"name": v.full_name} for v in refused]})
    made = []
    for volunteer in volunteers:
        participant = Participant.objects.create(cohort=cohort, volunteer=volunteer, joined_on=joined_on)
        audit.record(actor, "enrol", participant, {"cohort": [None, cohort.pk], "volunteer": [None, volunteer.pk],
                                                   "joined_on": [None, joined_on and joined_on.isoformat()]})
        made.append(participant)
    return made


def enrol_selected(actor, cohort: Cohort) -> list[Participant]:
    """Every selectee of the cohort's campaign in its region who is not training yet."""
    selected = Application.objects.filter(campaign_id=cohort.campaign_id, decision=Decision.SELECTED)
    return enrol(actor, cohort, list(enrollable(cohort).filter(pk__in=selected.values("volunteer"))))


@transaction.atomic
def drop_out(actor, participant: Participant, reason: str, on: dt.date | None = None) -> Participant:
    participant = Participant.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=participant.pk)
    require_manager(actor, participant.cohort)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan keluar wajib diisi.")})
    if participant.status != ParticipantStatus.ACTIVE:
        raise ValidationError(_("Hanya peserta yang sedang pelatihan yang dapat dikeluarkan."))
    on = on or timezone.localdate()
    if not participant.cohort.starts_on <= on <= timezone.localdate():
        raise ValidationError({"on": _("Tanggal keluar antara awal angkatan dan hari ini.")})
    before = audit.snapshot(participant, ["status", "dropped_on", "drop_reason"])
    participant.status = ParticipantStatus.DROPPED
    participant.dropped_on = on
    participant.drop_reason = reason[:250]
    participant.save(update_fields=["status", "dropped_on", "drop_reason"])
    after = audit.snapshot(participant, ["status", "dropped_on", "drop_reason"])
    audit.record(actor, "drop_out", participant, audit.diff(Participant, before, after))
    return participant

"""Graduation: officers confirm the participants who meet every rule of their cohort; each
graduate gets a certificate and becomes available to the matching stage."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.training.models import Cohort, Participant, ParticipantStatus
from sukarela.training.permissions import require_manager
from sukarela.training.results import cohort_results


def pending_sessions(cohort: Cohort, today: dt.date | None = None) -> int:
    return cohort.sessions.filter(date__gte=today or timezone.localdate(), attendance__isnull=True).distinct().count()


@transaction.atomic
def confirm(actor, cohort: Cohort, participants, today: dt.date | None = None) -> list[Participant]:
    """All or nothing: every chosen participant (objects or keys) must be in training and meet every rule now."""
    from sukarela.training.services.certificates import issue

    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_manager(actor, cohort)
    ids = {getattr(p, "pk", p) for p in participants}
    chosen = list(Participant.objects.select_for_update(of=("self",)).select_related("volunteer", "cohort")
                  .filter(cohort=cohort, pk__in=ids))
    if not ids:
        raise ValidationError(_("Pilih peserta yang akan diluluskan."))
    if len(chosen) != len(ids):
        raise ValidationError(_("Sebagian peserta yang dipilih bukan peserta angkatan ini."))
    left = pending_sessions(cohort, today)
    if left:
        raise ValidationError(_("Pelatihan belum selesai: masih ada %(n)s sesi yang belum berlangsung.") % {"n": left})
    errors = []
    for result in cohort_results(cohort, chosen, today):
        name = result.participant.volunteer.full_name
        if result.participant.status != ParticipantStatus.ACTIVE:
            errors.append(_("%(name)s: tidak sedang mengikuti pelatihan.") % {"name": name})
        elif result.unmet:
            errors.append(f"{name}: " + " ".join(result.reasons))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for participant in chosen:
        participant.status = ParticipantStatus.GRADUATED
        participant.graduated_at = now
        participant.graduated_by = actor
        participant.save(update_fields=["status", "graduated_at", "graduated_by"])
        audit.record(actor, "graduate", participant, {"status": [ParticipantStatus.ACTIVE, participant.status]})
        issue(actor, participant)
    return chosen

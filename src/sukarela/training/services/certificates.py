"""Certificates: issued at graduation as a snapshot, revoked with a reason, checked in public.

`issue` is called by the graduation service inside its transaction, right after the
participant became GRADUATED. What the certificate says (name, cohort, period, hours,
modules and scores) is copied onto it, so the PDF and the public check tell the same
story years later whatever happens to the cohort's data afterwards.

A participant has at most one certificate in force. A revoked one stays on record (the
public check says it was revoked), and an officer may issue a corrected one in its place:
a new code, audited as "reissue_certificate" with the code it replaces.

The public check (`find`) needs no login. Codes are 10 characters from a 31-letter
alphabet, so guessing one is hopeless; still, each address may miss only
SUKARELA_PUBLIC_POSTS_PER_HOUR times an hour. The code is looked up first and a hit is
always answered (an employer checking many real certificates is never stopped); only
misses count, and only a miss past the limit is refused (a script walking codes is).
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.throttle import over_limit
from sukarela.training import results
from sukarela.training.models import CODE_ALPHABET, Certificate, Participant, ParticipantStatus, new_code
from sukarela.training.permissions import require_manager

PREFIX = "TKS-"
CODE_LENGTH = 10
_SNAPSHOT = ["code", "holder_name", "cohort_name", "starts_on", "ends_on", "hours"]


class TooManyLookups(Exception):
    """This address missed too often in the last hour; the caller answers 429."""


def _unique_code() -> str:
    while True:
        code = PREFIX + new_code(CODE_LENGTH)
        if not Certificate.objects.filter(code=code).exists():
            return code


def _modules(participant: Participant) -> list[dict]:
    cohort = participant.cohort
    [result] = results.cohort_results(cohort, participants=[participant])
    latest = {m.code: m.latest for m in result.modules}
    return [{"code": m.code, "title": m.title, "hours": m.planned_hours, "score": latest.get(m.code)}
            for m in cohort.modules.all()]


@transaction.atomic
def issue(actor, participant: Participant) -> Certificate:
    """The graduate's certificate; a new one (new code) when every earlier one was revoked."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("cohort", "volunteer")
                   .get(pk=participant.pk))
    require_manager(actor, participant.cohort)
    name = participant.volunteer.full_name
    if participant.status != ParticipantStatus.GRADUATED:
        raise ValidationError(_("%(name)s belum dinyatakan lulus; sertifikat hanya untuk lulusan.") % {"name": name})
    if participant.certificates.filter(revoked_at__isnull=True).exists():
        raise ValidationError(_("%(name)s sudah memiliki sertifikat yang berlaku.") % {"name": name})
    previous = participant.certificates.order_by("-issued_at", "-pk").first()
    if previous is not None and not participant.volunteer.is_active:
        # An erased holder's account is blanked and closed: a new certificate would carry no one's name.
        raise ValidationError(_("Akun %(name)s tidak aktif lagi; sertifikat tidak dapat diterbitkan ulang.")
                              % {"name": name})
    cohort = participant.cohort
    modules = _modules(participant)
    certificate = Certificate(
        participant=participant, code=_unique_code(), holder_name=name,
        cohort_name=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on,
        hours=Decimal(sum(m["hours"] for m in modules)), modules=modules,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None)
    certificate.full_clean()
    certificate.save()
    changes = audit.diff(Certificate, {}, audit.snapshot(certificate, _SNAPSHOT))
    if previous is None:
        audit.record(actor, "issue_certificate", certificate, changes)
    else:
        audit.record(actor, "reissue_certificate", certificate, changes | {"replaces": [None, previous.code]})
    return certificate


@transaction.atomic
def reissue(actor, participant: Participant) -> Certificate:
    """The officer's "Terbitkan ulang": only in place of a revoked certificate."""
    participant = Participant.objects.select_for_update(of=("self",)).select_related("cohort", "volunteer").get(pk=participant.pk)
    require_manager(actor, participant.cohort)
    if not participant.certificates.exists():
        raise ValidationError(_("%(name)s belum pernah memiliki sertifikat; sertifikat terbit saat kelulusan.")
                              % {"name": participant.volunteer.full_name})
    return issue(actor, participant)


@transaction.atomic
def revoke(actor, certificate: Certificate, reason: str) -> Certificate:
    certificate = (Certificate.objects.select_for_update(of=("self",)).select_related("participant__cohort")
                   .get(pk=certificate.pk))
    require_manager(actor, certificate.participant.cohort)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Alasan pencabutan wajib diisi.")})
    if len(reason) > 250:
        raise ValidationError({"reason": _("Alasan pencabutan paling banyak 250 karakter.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("Sertifikat %(code)s sudah dicabut.") % {"code": certificate.code})
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(actor, "revoke_certificate", certificate,
                 {"revoked_at": [None, certificate.revoked_at.isoformat()], "revoke_reason": [None, reason]})
    return certificate


def erase_holder(sender, user, label: str, **kwargs) -> None:
    """The person erased their data: their certificates lose the name and stop verifying, and the
    trail forgets what it recorded of them. The rows stay, so graduate counts stay right; the
    trail keeps that a certificate in force was revoked by the erasure, and when (no name)."""
    for certificate in Certificate.objects.select_for_update().filter(participant__volunteer=user):
        certificate.holder_name = label
        revoked_now = certificate.revoked_at is None
        if revoked_now:
            certificate.revoked_at = timezone.now()
            certificate.revoke_reason = _("Data pribadi pemegang dihapus atas permintaannya (UU PDP).")
        certificate.save(update_fields=["holder_name", "revoked_at", "revoke_reason"])
        target_label = f"{label} ({certificate.code})"
        audit.scrub(certificate, target_label)
        if revoked_now:  # recorded after the scrub, which would blank it
            audit.record(None, "revoke_certificate_on_erasure", certificate,
                         {"revoked_at": [None, certificate.revoked_at.isoformat()]}, target_label=target_label)


# --------------------------------------------------------------------- public check

_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(text: str) -> str:
    """'tks 7k3m-9q2w xyz' -> 'TKS-7K3M9Q2WXY': case, spaces and hyphens do not matter, and
    the prefix may be left off. Anything else comes back cleaned for an honest miss."""
    plain = _NOT_CODE.sub("", (text or "").upper())
    if len(plain) == CODE_LENGTH + 3 and plain.startswith(PREFIX[:-1]):
        plain = plain[3:]
    if len(plain) == CODE_LENGTH and all(c in CODE_ALPHABET for c in plain):
        return PREFIX + plain
    return plain[:40]


def find(code: str, *, client: str | None = None) -> Certificate | None:
    """The certificate with this code (in force or revoked), or None. With `client` (the caller's
    address) a miss is counted, and a miss past the hourly limit raises TooManyLookups; a hit
    is always answered."""
    normal = normalise_code(code)
    found = Certificate.objects.filter(code=normal).first() if normal.startswith(PREFIX) else None
    if found is None and client is not None and over_limit("certificate_lookup", client):
        raise TooManyLookups
    return found

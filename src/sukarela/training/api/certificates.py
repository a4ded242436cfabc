"""Training API: the public certificate check, a cohort's certificates, revocation.

The check needs no login. A certificate in force answers with what it certifies. A revoked
one answers 200 too (valid false, revoked true) with its code and the date it was revoked,
and nothing else: the officer's reason and the modules and scores are for the holder and
the cohort's officers (the list below), not for whoever holds the code. An unknown code is
404; an address whose misses pass the hourly limit gets 429 for its further misses.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import is_officer
from sukarela.core.schema_types import Text
from sukarela.training import selectors
from sukarela.training.api import router
from sukarela.training.models import Certificate
from sukarela.training.services import certificates as service


class CertificateModuleOut(Schema):
    code: str
    title: str
    hours: int
    score: float | None = None


class VerifyOut(Schema):
    """The public answer. For a revoked certificate only code, valid, revoked and revoked_at are
    filled; the other fields are null."""

    code: str
    valid: bool
    revoked: bool
    revoked_at: datetime | None = None
    holder_name: str | None = None
    cohort: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    hours: Decimal | None = None
    modules: list[CertificateModuleOut] | None = None
    issued_at: datetime | None = None


def public_answer(certificate: Certificate) -> dict:
    answer = {"code": certificate.code, "valid": certificate.is_valid, "revoked": not certificate.is_valid,
              "revoked_at": certificate.revoked_at}
    if certificate.is_valid:
        answer |= {"holder_name": certificate.holder_name, "cohort": certificate.cohort_name,
                   "starts_on": certificate.starts_on, "ends_on": certificate.ends_on, "hours": certificate.hours,
                   "modules": certificate.modules, "issued_at": certificate.issued_at}
    return answer


class CertificateOut(Schema):
    """What the cohort's officers see, the reason of a revocation included."""

    id: int
    participant_id: int
    username: str
    code: str
    valid: bool
    revoked: bool
    holder_name: str
    cohort: str = Field(..., alias="cohort_name")
    starts_on: date
    ends_on: date
    hours: Decimal
    modules: list[CertificateModuleOut]
    issued_at: datetime
    revoked_at: datetime | None
    reason: str = Field(..., alias="revoke_reason")

    @staticmethod
    def resolve_valid(obj):
        return obj.is_valid

    @staticmethod
    def resolve_revoked(obj):
        return not obj.is_valid

    @staticmethod
    def resolve_username(obj):
        return obj.participant.volunteer.username


class Message(Schema):
    detail: str


class RevokeIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=250)


@router.get("/training/certificates/verify/{code}", response={200: VerifyOut, 404: Message, 429: Message},
            auth=None, summary="Check a certificate code (public; case, spaces and hyphens do not matter)")
def verify_certificate(request, code: str):
    try:
        certificate = service.find(code, client=request.META.get("REMOTE_ADDR", "-"))
    except service.TooManyLookups:
        return Status(429, {"detail": _("Terlalu banyak kode yang tidak ditemukan dari alamat ini; coba lagi nanti.")})
    if certificate is None:
        return Status(404, {"detail": _("Kode sertifikat tidak ditemukan.")})
    return public_answer(certificate)


def _officer(request):
    if not is_officer(request.auth):
        raise PermissionDenied("Officers only")
    return request.auth


@router.get("/training/cohorts/{cohort_id}/certificates", response=list[CertificateOut],
            summary="The certificates issued in a cohort (officers in scope)")
@paginate(Pages)
def list_certificates(request, cohort_id: int):
    cohort = selectors.cohort_for(_officer(request), cohort_id)
    return selectors.certificates_for(request.auth, cohort).order_by("holder_name", "pk")


@router.post("/training/certificates/{certificate_id}/revoke", response=CertificateOut,
             summary="Revoke a certificate with a reason (the cohort's officers)")
def revoke_certificate(request, certificate_id: int, payload: RevokeIn):
    certificate = selectors.certificate_for(_officer(request), certificate_id)
    service.revoke(request.auth, certificate, payload.reason)
    return Certificate.objects.select_related("participant__volunteer").get(pk=certificate.pk)

"""Training API: the public certificate check, a cohort's certificates, revocation.

The check needs no login and answers 200 for a revoked certificate too (valid false,
revoked true, with the date and reason): the code exists and that is the answer. An
unknown code is 404; an address that misses too often in an hour gets 429.
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


class CertificateOut(VerifyOut):
    id: int
    participant_id: int
    username: str

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
    return certificate


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

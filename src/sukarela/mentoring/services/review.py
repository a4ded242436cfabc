"""The supervisors' review of visits, and a group chair's confirmation that a visit took place.

Rules (each has a test in tests/mentoring/test_review.py):
- Reviewers are officers (district, provincial, national) whose region holds the group's village.
  Pages and the API read the visit through the scope first, so an outsider learns 404; the check
  here is the service's own guard (PermissionDenied).
- Nobody reviews a visit they recorded themselves.
- Approve: a visit awaiting review, or one returned earlier (the officer may settle it after a call
  rather than wait for an edit). Approving an approved visit is refused with a clear message.
- Return: the comment is required (the TKS must learn what to fix). Returning a returned visit is
  refused. An approved visit is closed (the field API refuses edits to it); only an officer of a
  higher level than its approver (provincial over district, national over both) may reopen it by
  returning it, with the comment saying why. A peer or the approver cannot undo an approval.
- When the reviewer names the version they read, a visit the TKS edited since is refused: an
  officer never approves content they did not see.
- Review does not change `version`: that number belongs to the phone's edits (a TKS edits a returned
  visit from the version they hold). `updated_at` moves, so the phone's history sees the new status.
- Every review and confirmation is one transaction with its audit record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_in_scope
from sukarela.core.roles import Role
from sukarela.groups.models import Member
from sukarela.mentoring.models import ReviewStatus, Visit

# Who outranks whom when an approval is reopened.
LEVEL = {Role.DISTRICT: 1, Role.PROVINCIAL: 2, Role.NATIONAL: 3}
MAX_COMMENT = 2000


def _locked(visit: Visit) -> Visit:
    """The visit re-read under a row lock: two reviewers (or a review and the TKS's edit) in the same
    moment are serialised, and each decides on the state the other left."""
    return Visit.objects.select_for_update(of=("self",)).select_related("group", "reviewed_by").get(pk=visit.pk)


def _require_reviewer(actor, visit: Visit) -> None:
    require_in_scope(actor, visit.group.village_id)
    if visit.tks_id == actor.pk:
        raise PermissionDenied(_("Anda tidak dapat memeriksa kunjungan Anda sendiri."))


def _require_version(visit: Visit, version: int | None) -> None:
    if version is not None and version != visit.version:
        raise ValidationError({"version": _(
            "Kunjungan ini telah diubah oleh TKS sejak Anda membukanya (versi %(now)s, Anda membaca versi "
            "%(seen)s). Buka lagi dan periksa isinya.") % {"now": visit.version, "seen": version}})


def _decide(actor, visit: Visit, status: str, comment: str, action: str) -> Visit:
    before = audit.snapshot(visit, ["status", "review_comment", "reviewed_by"])
    now = timezone.now()
    visit.status, visit.review_comment = status, comment
    visit.reviewed_by, visit.reviewed_at, visit.updated_at = actor, now, now
    visit.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    audit.record(actor, action, visit, audit.diff(Visit, before, audit.snapshot(
        visit, ["status", "review_comment", "reviewed_by"])))
    return visit


def _approve_locked(actor, visit: Visit, version: int | None) -> Visit:
    _require_reviewer(actor, visit)
    if visit.status == ReviewStatus.APPROVED:
        raise ValidationError(_("Kunjungan ini sudah disetujui (oleh %(who)s, %(when)s).") % {
            "who": visit.reviewed_by.full_name if visit.reviewed_by else "?",
            "when": timezone.localtime(visit.reviewed_at).strftime("%d-%m-%Y %H:%M") if visit.reviewed_at else "?"})
    _require_version(visit, version)
    return _decide(actor, visit, ReviewStatus.APPROVED, "", "approve_visit")


@transaction.atomic
def approve(actor, visit: Visit, *, version: int | None = None) -> Visit:
    return _approve_locked(actor, _locked(visit), version)


@transaction.atomic
def approve_many(actor, visits, versions: dict | None = None) -> list[Visit]:
    """Approve the selected visits together: all of them or, when one is refused, none (the message
    names it), so a second click after fixing the selection does the rest. `versions` maps each
    visit's id to the version the officer's list showed: one the TKS edited since is refused, as
    on the visit's own page."""
    versions = versions or {}
    done = []
    for visit in sorted(visits, key=lambda v: str(v.pk)):  # a fixed order: two bulk runs never deadlock
        try:
            done.append(_approve_locked(actor, _locked(visit), versions.get(visit.pk)))
        except ValidationError as exc:
            raise ValidationError(_("%(visit)s: %(why)s") % {
                "visit": f"{visit.group.name} {timezone.localtime(visit.started_at):%d-%m-%Y %H:%M}",
                "why": " ".join(exc.messages)}) from None
    return done


def _may_reopen(actor, visit: Visit) -> bool:
    approver = visit.reviewed_by
    approver_level = LEVEL.get(approver.role, 0) if approver else LEVEL[Role.PROVINCIAL]
    return LEVEL.get(actor.role, 0) > approver_level


@transaction.atomic
def return_visit(actor, visit: Visit, comment: str, *, version: int | None = None) -> Visit:
    """Send the visit back to its TKS with a comment saying what to fix."""
    visit = _locked(visit)
    _require_reviewer(actor, visit)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Tulis komentar: TKS perlu tahu apa yang harus diperbaiki.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("Komentar paling panjang %(n)s karakter.") % {"n": MAX_COMMENT}})
    if "\x00" in comment:
        raise ValidationError({"comment": _("Komentar berisi karakter yang tidak sah.")})
    if visit.status == ReviewStatus.RETURNED:
        raise ValidationError(_("Kunjungan ini sudah dikembalikan dan menunggu perbaikan dari TKS."))
    if visit.status == ReviewStatus.APPROVED and not _may_reopen(actor, visit):
        raise ValidationError(_(
            "Kunjungan ini sudah disetujui. Hanya petugas di atas tingkat penyetuju yang dapat "
            "mengembalikannya."))
    _require_version(visit, version)
    return _decide(actor, visit, ReviewStatus.RETURNED, comment, "return_visit")


def chairs(user, visit: Visit) -> bool:
    """Whether `user` is the active chair's login of the visited group."""
    return bool(getattr(user, "is_authenticated", False)) and Member.objects.filter(
        group_id=visit.group_id, chair_account=user, is_chair=True, active=True).exists()


@transaction.atomic
def confirm_by_chair(actor, visit: Visit) -> Visit:
    """The group's chair confirms that the visit took place (whatever its review status)."""
    visit = _locked(visit)
    if not chairs(actor, visit):
        raise PermissionDenied(_("Hanya ketua kelompok ini yang dapat mengonfirmasi kunjungan."))
    if visit.confirmed_by_chair_at is not None:
        raise ValidationError(_("Kunjungan ini sudah dikonfirmasi pada %(when)s.") % {
            "when": timezone.localtime(visit.confirmed_by_chair_at).strftime("%d-%m-%Y %H:%M")})
    now = timezone.now()
    visit.confirmed_by_chair_at, visit.updated_at = now, now
    visit.save(update_fields=["confirmed_by_chair_at", "updated_at"])
    audit.record(actor, "confirm_visit", visit, {"confirmed_by_chair_at": [None, now.isoformat()]})
    return visit

"""The rules a linkage follows, shared by the service (pages, API, from a visit) and the import:
the status pipeline, what a realised or failed linkage must carry, dates, who may write, which
partner and broker it may name. Each check adds {field: reason} or raises PermissionDenied; none
writes anything."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core.models import User
from sukarela.core.permissions import is_officer
from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.groups.models import Group
from sukarela.partners.models import Linkage, LinkageStatus, Partner, Purpose, TrainingCentre
from sukarela.partners.rules import as_id
from sukarela.partners.selectors import linkages as selectors

PIPELINE = (LinkageStatus.PROPOSED, LinkageStatus.CONTACTED, LinkageStatus.AGREED, LinkageStatus.REALISED)
FINAL = (LinkageStatus.REALISED, LinkageStatus.FAILED)
MONEY = (Purpose.LOAN, Purpose.MARKET, Purpose.EQUIPMENT)
MAX_NOTES, MAX_REASON, MAX_AMOUNT = 2000, 300, Decimal("9" * 16)
# The kemitraan task's outcome on a visit (engines/visit_rules.py) → the linkage status it means.
OUTCOME_STATUS = {"dihubungi": LinkageStatus.CONTACTED, "sepakat": LinkageStatus.AGREED,
                  "terealisasi": LinkageStatus.REALISED, "gagal": LinkageStatus.FAILED}


def label(status: str) -> str:
    return str(LinkageStatus(status).label) if status in LinkageStatus.values else status




def to_amount(value, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors["value_amount"] = _("Nilai berupa angka rupiah tanpa titik atau koma.")
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value() or amount > MAX_AMOUNT:
        errors["value_amount"] = _("Nilai berupa rupiah bulat lebih dari 0.")
        return None
    return amount


def to_people(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        people = int(str(value).strip())
        if not 0 < people <= 1_000_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_trained"] = _("Jumlah orang terlatih berupa bilangan bulat lebih dari 0.")
        return None
    return people


def check_target(current: str, target: str) -> str | None:
    """Why the pipeline refuses current → target, or None when it allows it."""
    if target not in LinkageStatus.values:
        return _("Status tidak dikenal; pilih: %(s)s.") % {"s": ", ".join(LinkageStatus.values)}
    if current == LinkageStatus.REALISED:
        return _("Keterkaitan ini sudah terealisasi: hasilnya final, statusnya tidak dapat diubah lagi.")
    if current == LinkageStatus.FAILED:
        return _("Keterkaitan ini sudah gagal: statusnya final. Bila mitra kembali tertarik, buat keterkaitan "
                 "baru.")
    if target == current:
        return _("Keterkaitan ini sudah berstatus %(s)s.") % {"s": label(current)}
    if target != LinkageStatus.FAILED and PIPELINE.index(target) < PIPELINE.index(current):
        return _("Status tidak dapat mundur dari %(a)s ke %(b)s: tahapan keterkaitan hanya maju.") % {
            "a": label(current), "b": label(target)}
    return None


def check_outcome(purpose: str, target: str, values: dict, errors: dict) -> None:
    """What a realised or failed linkage must carry."""
    if target == LinkageStatus.REALISED:
        if purpose in MONEY and values.get("value_amount") is None and "value_amount" not in errors:
            errors["value_amount"] = _("Keterkaitan %(p)s yang terealisasi memerlukan nilai (Rp).") % {
                "p": Purpose(purpose).label.lower()}
        if purpose == Purpose.TRAINING and values.get("people_trained") is None and "people_trained" not in errors:
            errors["people_trained"] = _("Pelatihan yang terealisasi memerlukan jumlah orang terlatih.")
    if target == LinkageStatus.FAILED and not values.get("failed_reason"):
        errors["failed_reason"] = _("Tulis alasan keterkaitan ini gagal.")


def check_status_date(on: dt.date | None, proposed_on: dt.date | None, after: dt.date | None, errors: dict,
                      field: str = "status_on") -> None:
    if on is None or field in errors:
        return
    if on > timezone.localdate():
        errors[field] = _("Tanggal status tidak boleh di masa depan.")
    elif proposed_on and on < proposed_on:
        errors[field] = _("Tanggal status tidak boleh sebelum tanggal usulan (%(d)s).") % {"d": proposed_on}
    elif after and on < after:
        errors[field] = _("Tanggal status tidak boleh sebelum tanggal status sebelumnya (%(d)s).") % {"d": after}


def clean_text(value, limit: int, field: str, errors: dict) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = _("Karakter NUL tidak diperbolehkan.")
    elif len(text) > limit:
        errors[field] = _("Paling banyak %(n)d karakter.") % {"n": limit}
    return text


def require_writer_for_group(actor, group: Group) -> None:
    if is_officer(actor):
        if not in_scope(actor, group.village_id):
            raise PermissionDenied(_("Kelompok ini di luar wilayah kerja Anda."))
        return
    if getattr(actor, "role", None) == Role.TKS and selectors.mentors(actor, group.pk):
        return
    raise PermissionDenied(_("Hanya petugas wilayah kelompok atau TKS pendampingnya yang dapat mencatat "
                             "keterkaitan kelompok ini."))


def require_writer_for_centre(actor, centre: TrainingCentre) -> None:
    if not is_officer(actor):
        raise PermissionDenied(_("Keterkaitan BLK dicatat oleh petugas."))
    if not in_scope(actor, centre.region_id):
        raise PermissionDenied(_("BLK ini di luar wilayah kerja Anda."))


def require_mover(actor, linkage: Linkage) -> None:
    if not selectors.may_change(actor, linkage):
        raise PermissionDenied(_("Anda tidak dapat mengubah keterkaitan ini."))


def check_partner(actor, partner, region_code: str | None, errors: dict) -> Partner | None:
    pk = partner.pk if isinstance(partner, Partner) else partner
    pk = as_id(pk)
    found = selectors.partner_choices(actor, region_code).filter(pk=pk).first() if pk is not None else None
    if found is None:
        seen = pk is not None and Partner.objects.filter(
            pk=pk, active=False, pk__in=_visible_any(actor, region_code)).exists()
        errors["partner"] = (_("Mitra ini tidak aktif.") if seen
                             else _("Pilih mitra yang Anda lihat dan yang melayani wilayah ini."))
    return found


def _visible_any(actor, region_code):
    """The partners the actor may see, active or not (to say "inactive" rather than "unknown")."""
    from sukarela.partners.selectors import partners_for

    if is_officer(actor):
        return partners_for(actor).values("pk")
    code = region_code or getattr(actor, "region_id", None)
    return selectors.partners_serving(code).values("pk") if code else Partner.objects.none().values("pk")


def check_broker(actor, broker, group: Group | None, errors: dict) -> User | None:
    """The broker a linkage gets: the creating TKS; the one an officer names, posted to the group;
    else the group's current mentor."""
    pk = broker.pk if isinstance(broker, User) else broker
    if getattr(actor, "role", None) == Role.TKS:
        if pk not in (None, "") and str(pk) != str(actor.pk):
            errors["broker"] = _("Seorang TKS mencatat keterkaitan atas namanya sendiri.")
        return actor
    if pk in (None, ""):
        if group is None:
            return None
        current = group.postings.filter(ends_on__isnull=True).select_related("mentor").first()
        return current.mentor if current else None
    if group is not None:
        found = selectors.broker_choices(group).filter(pk=as_id(pk)).first() if as_id(pk) is not None else None
        if found is None:
            errors["broker"] = _("Pilih TKS yang ditugaskan (atau pernah ditugaskan) pada kelompok ini.")
        return found
    found = (User.objects.filter(pk=as_id(pk), role=Role.TKS, is_active=True).first()
             if as_id(pk) is not None else None)
    if found is None or not in_scope(actor, found.region_id):
        errors["broker"] = _("Pilih TKS aktif di wilayah kerja Anda.")
        return None
    return found

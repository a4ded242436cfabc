"""Training centres (BLK): register one, change it, its entrepreneurship programmes and the partners
that support it. Officers whose region holds the centre's region write; everyone else is refused.

Rules (tests/partners/test_centres.py):
- kind is BLK UPTP or BLK Komunitas; only a BLK Komunitas may be a member of the FKN BLK Komunitas
  forum; a joined date needs the membership and lies not in the future;
- the region is known and inside the actor's scope;
- an optional training venue is one the actor sees, of the same region (one region lies within
  the other), and no other centre's;
- a supporter is a partner the actor sees; a programme has a name, a plausible year and a
  participant count that is not negative.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_officer
from sukarela.core.scope import in_scope, scoped
from sukarela.partners import rules
from sukarela.partners.models import CentreKind, CentreProgramme, Partner, TrainingCentre
from sukarela.partners.selectors import partners_for
from sukarela.regions.models import within
from sukarela.training.models import Venue

FIELDS = ("name", "kind", "host_institution", "vocational_fields", "region", "fkn_member", "fkn_joined_on", "venue")
PROGRAMME_FIELDS = ("name", "year", "participants")
FIRST_YEAR = 1950


def _fields_text(value, errors: dict) -> str:
    """Vocational fields as "Las, Menjahit, Tata boga": comma-separated, each trimmed, no repeats."""
    parts = value if isinstance(value, (list, tuple)) else str(value or "").replace(";", ",").split(",")
    seen, out = set(), []
    for part in parts:
        text = " ".join(str(part).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    joined = ", ".join(out)
    if len(joined) > 300:
        errors["vocational_fields"] = _("Paling banyak %(n)d karakter.") % {"n": 300}
    return joined




def _venue(actor, value, region, current: TrainingCentre | None, errors: dict):
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Venue) else value
    pk = rules.as_id(pk)
    venue = scoped(actor, Venue.objects.select_related("region")).filter(pk=pk).first() if pk is not None else None
    if venue is None:
        errors["venue"] = _("Tempat pelatihan tidak dikenal atau di luar wilayah kerja Anda.")
        return None
    if region is not None and not (within(venue.region_id, region.code) or within(region.code, venue.region_id)):
        errors["venue"] = _("Tempat pelatihan %(v)s berada di wilayah lain (%(r)s).") % {
            "v": venue.name, "r": venue.region.name.title()}
    held = TrainingCentre.objects.filter(venue=venue).exclude(pk=getattr(current, "pk", None)).first()
    if held is not None:
        errors["venue"] = _("Tempat pelatihan ini sudah terhubung dengan BLK %(c)s.") % {"c": held.name}
    return venue


def clean(actor, data: dict, *, current: TrainingCentre | None = None) -> dict:
    """Every field of a centre checked at once; the ValidationError names each wrong field."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    merged = {name: getattr(current, name) for name in FIELDS} if current else {}
    merged.update(data)
    errors, out = {}, {}
    out["name"] = rules.clean_text(merged.get("name"), 200, "name", errors)
    if not out["name"] and "name" not in errors:
        errors["name"] = _("Nama BLK wajib diisi.")
    out["kind"] = str(merged.get("kind") or "")
    if out["kind"] not in CentreKind.values:
        errors["kind"] = _("Pilih jenis: %(k)s.") % {"k": ", ".join(str(label) for label in CentreKind.labels)}
    out["host_institution"] = rules.clean_text(merged.get("host_institution"), 200, "host_institution", errors)
    out["vocational_fields"] = _fields_text(merged.get("vocational_fields"), errors)
    region = rules.region_of(merged.get("region"))
    if region is None:
        errors["region"] = _("Pilih wilayah BLK (kode wilayah yang dikenal).")
    elif not in_scope(actor, region.code):
        errors["region"] = _("Wilayah %(r)s di luar wilayah kerja Anda.") % {"r": region.name.title()}
    out["region"] = region
    out["fkn_member"] = bool(merged.get("fkn_member"))
    out["fkn_joined_on"] = rules.to_date(merged.get("fkn_joined_on"), "fkn_joined_on", errors)
    if out["fkn_member"] and out["kind"] == CentreKind.UPTP:
        errors["fkn_member"] = _("Hanya BLK Komunitas yang dapat menjadi anggota FKN BLK Komunitas.")
    if out["fkn_joined_on"] and not out["fkn_member"]:
        errors["fkn_joined_on"] = _("Tanggal bergabung hanya diisi untuk anggota FKN.")
    elif out["fkn_joined_on"] and out["fkn_joined_on"] > timezone.localdate():
        errors["fkn_joined_on"] = _("Tanggal bergabung tidak boleh di masa depan.")
    out["venue"] = _venue(actor, merged.get("venue"), region, current, errors)
    if errors:
        raise ValidationError(errors)
    return out


def require_editor(actor, centre: TrainingCentre) -> None:
    require_officer(actor)
    if not in_scope(actor, centre.region_id):
        raise PermissionDenied(_("BLK ini di luar wilayah kerja Anda."))


@transaction.atomic
def create_centre(actor, **data) -> TrainingCentre:
    require_officer(actor)
    values = clean(actor, data)
    centre = TrainingCentre.objects.create(**values)
    audit.record(actor, "create_centre", centre, audit.diff(TrainingCentre, {}, audit.snapshot(centre, FIELDS)))
    return centre


@transaction.atomic
def update_centre(actor, centre: TrainingCentre, **data) -> TrainingCentre:
    centre = TrainingCentre.objects.select_for_update().get(pk=centre.pk)
    require_editor(actor, centre)
    values = clean(actor, data, current=centre)
    before = audit.snapshot(centre, FIELDS)
    for name, value in values.items():
        setattr(centre, name, value)
    centre.save()
    changes = audit.diff(TrainingCentre, before, audit.snapshot(centre, FIELDS))
    if changes:
        audit.record(actor, "update_centre", centre, changes)
    return centre


def _programme_values(data: dict, current: CentreProgramme | None = None) -> dict:
    unknown = sorted(set(data) - set(PROGRAMME_FIELDS))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    merged = {name: getattr(current, name) for name in PROGRAMME_FIELDS} if current else {}
    merged.update(data)
    errors, out = {}, {}
    out["name"] = rules.clean_text(merged.get("name"), 200, "name", errors)
    if not out["name"] and "name" not in errors:
        errors["name"] = _("Nama program wajib diisi.")
    last = timezone.localdate().year + 1
    try:
        out["year"] = int(merged.get("year"))
        if not FIRST_YEAR <= out["year"] <= last:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("Tahun antara %(a)d dan %(b)d.") % {"a": FIRST_YEAR, "b": last}
    participants = merged.get("participants")
    if participants in (None, ""):
        out["participants"] = None
    else:
        try:
            out["participants"] = int(participants)
            if not 0 <= out["participants"] <= 1_000_000:
                raise ValueError
        except (TypeError, ValueError):
            errors["participants"] = _("Jumlah peserta berupa bilangan 0 atau lebih.")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def add_programme(actor, centre: TrainingCentre, **data) -> CentreProgramme:
    require_editor(actor, centre)
    programme = CentreProgramme.objects.create(centre=centre, **_programme_values(data))
    audit.record(actor, "add_centre_programme", programme,
                 audit.diff(CentreProgramme, {}, audit.snapshot(programme, ("centre", *PROGRAMME_FIELDS))))
    return programme


@transaction.atomic
def update_programme(actor, programme: CentreProgramme, **data) -> CentreProgramme:
    programme = CentreProgramme.objects.select_for_update().select_related("centre").get(pk=programme.pk)
    require_editor(actor, programme.centre)
    values = _programme_values(data, programme)
    before = audit.snapshot(programme, PROGRAMME_FIELDS)
    for name, value in values.items():
        setattr(programme, name, value)
    programme.save()
    changes = audit.diff(CentreProgramme, before, audit.snapshot(programme, PROGRAMME_FIELDS))
    if changes:
        audit.record(actor, "update_centre_programme", programme, changes)
    return programme


def _visible_partner(actor, partner) -> Partner:
    pk = partner.pk if isinstance(partner, Partner) else partner
    pk = rules.as_id(pk)
    found = partners_for(actor).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({"partner": _("Mitra tidak dikenal atau di luar wilayah kerja Anda.")})
    return found


@transaction.atomic
def add_supporter(actor, centre: TrainingCentre, partner) -> Partner:
    require_editor(actor, centre)
    partner = _visible_partner(actor, partner)
    if centre.supporters.filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("%(p)s sudah tercatat sebagai mitra pendukung BLK ini.") % {
            "p": partner.name}})
    centre.supporters.add(partner)
    audit.record(actor, "add_centre_supporter", centre, {"supporters": [None, f"{partner.pk} {partner.name}"]})
    return partner


@transaction.atomic
def remove_supporter(actor, centre: TrainingCentre, partner) -> Partner:
    require_editor(actor, centre)
    partner = _visible_partner(actor, partner)
    if not centre.supporters.filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("%(p)s bukan mitra pendukung BLK ini.") % {"p": partner.name}})
    centre.supporters.remove(partner)
    audit.record(actor, "remove_centre_supporter", centre, {"supporters": [f"{partner.pk} {partner.name}", None]})
    return partner

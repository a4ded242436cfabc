"""The rules a partner's fields follow, shared by the service (form and API) and the import:
each returns clean values and {field: reason}, never half an answer."""

import datetime as dt
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
import lokal

from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.partners.models import Offer, PartnerType, Reach
from sukarela.partners.names import name_key
from sukarela.regions.models import Level, Region

# The level a home region has for each reach: a provincial partner belongs to a province.
HOME_LEVEL = {Reach.PROVINCIAL: Level.PROVINCE, Reach.DISTRICT: Level.REGENCY}
SERVED_MAX_LEVEL = Level.DISTRICT
LIMITS = {"name": 200, "address": 300, "website": 200, "notes": 5000}
CODE_SPLIT = re.compile(r"[\s,;]+")


def clean_text(value, limit: int, field: str, errors: dict) -> str:
    text = " ".join(str(value or "").split()) if field != "notes" else str(value or "").strip()
    if "\x00" in text:
        errors[field] = _("Karakter NUL tidak diperbolehkan.")
    elif len(text) > limit:
        errors[field] = _("Paling banyak %(n)d karakter.") % {"n": limit}
    return text


def clean_website(value, errors: dict) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if "://" not in text:  # offices write "www.bri.co.id"
        text = "https://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except DjangoValidationError:
        errors["website"] = _("Alamat situs web tidak valid (contoh: https://www.contoh.go.id).")
    if len(text) > LIMITS["website"]:
        errors["website"] = _("Paling banyak %(n)d karakter.") % {"n": LIMITS["website"]}
    return text


def as_id(value) -> int | None:
    """A row id as a cell or a form writes it, or None: ASCII digits only ("²" is a digit to
    str.isdigit, not to int) and fewer than 18 of them, so neither int() nor the database meets an
    absurd number."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None


def region_of(value) -> Region | None:
    if isinstance(value, Region):
        return value
    code = str(value or "").strip()
    return Region.objects.filter(code=code).first() if code and "\x00" not in code else None


def check_home(actor, reach: str, region, errors: dict):
    """The reach and home region an actor may give: national/international reach is a national
    decision and has no home region; a provincial or district partner's home region is a province or a regency inside
    the actor's scope."""
    if reach not in Reach.values:
        errors["reach"] = _("Pilih cakupan: %(c)s.") % {"c": ", ".join(str(label) for label in Reach.labels)}
        return None
    if reach in (Reach.NATIONAL, Reach.INTERNATIONAL):
        if getattr(actor, "role", None) != Role.NATIONAL:
            errors["reach"] = _("Mitra berskala nasional atau internasional hanya didaftarkan petugas nasional.")
        # No home region: one would let that region's officers edit a partner of the whole country.
        if region is not None:
            errors["region"] = _("Mitra berskala nasional atau internasional tidak memiliki wilayah asal; "
                                 "kosongkan wilayah asal.")
        return None
    if region is None:
        errors["region"] = _("Wilayah asal wajib untuk mitra provinsi atau kabupaten/kota.")
    elif region.level != HOME_LEVEL[reach]:
        errors["region"] = _("Wilayah asal mitra %(r)s harus sebuah %(l)s.") % {
            "r": Reach(reach).label.lower(), "l": Level(HOME_LEVEL[reach]).label.lower()}
    elif not in_scope(actor, region.code):
        errors["region"] = _("Wilayah %(r)s di luar wilayah kerja Anda.") % {"r": region.name.title()}
    return region


def served_codes(value) -> list[str]:
    if isinstance(value, str):
        value = CODE_SPLIT.split(value)
    return sorted({(v.code if isinstance(v, Region) else str(v)).strip() for v in value or ()} - {""})


def check_served(value, errors: dict) -> list[Region]:
    codes = served_codes(value)
    found = {r.code: r for r in Region.objects.filter(code__in=codes, level__lte=SERVED_MAX_LEVEL)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors["regions_served"] = _("Kode wilayah tidak dikenal atau terlalu dalam (paling dalam kecamatan): "
                                     "%(c)s.") % {"c": ", ".join(unknown[:10])}
    return list(found.values())


def check_kind(value, errors: dict):
    code = "" if isinstance(value, PartnerType) else str(value or "").strip()
    # PostgreSQL refuses a NUL in a query: no type has one, so it is simply unknown.
    kind = value if isinstance(value, PartnerType) else (
        PartnerType.objects.filter(pk=code).first() if code and "\x00" not in code and len(code) <= 30 else None)
    if kind is None:
        errors["kind"] = _("Pilih jenis mitra yang dikenal.")
    return kind


def check_offers(value, errors: dict) -> list[Offer]:
    codes = sorted({(o.code if isinstance(o, Offer) else str(o)).strip() for o in value or ()} - {""})
    found = list(Offer.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {o.code for o in found})
    if unknown:
        errors["offers"] = _("Bentuk dukungan tidak dikenal: %(c)s.") % {"c": ", ".join(unknown[:10])}
    return found


def check_name(value, errors: dict) -> tuple[str, str]:
    name = clean_text(value, LIMITS["name"], "name", errors)
    if not name and "name" not in errors:
        errors["name"] = _("Nama lembaga wajib diisi.")
    return name, name_key(name)


def clean_phone(value, errors: dict, field: str = "phone") -> str:
    """Normalised to E.164 by lokal-id, like recruitment's rule; an office's landline is accepted here
    (partners are institutions), but a number lokal cannot read is refused with its reason."""
    text = str(value or "").strip()
    if not text:
        return ""
    info = lokal.parse_phone(text)
    if not info.valid or not info.e164:
        reason = info.errors[0].message if info.errors else ""
        errors[field] = _("Nomor telepon tidak valid; tulis seperti 0812-3456-7890 atau (0251) 832-1234.") + (
            f" ({reason})" if reason else "")
        return text
    return info.e164


def clean_email(value, errors: dict, field: str = "email") -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except DjangoValidationError:
        errors[field] = _("Alamat surel tidak valid.")
    if len(text) > 254:
        errors[field] = _("Paling banyak %(n)d karakter.") % {"n": 254}
    return text.lower()


def to_date(value, field: str, errors: dict, *, required: bool = False) -> dt.date | None:
    """A date from a form, the API or an import cell (ISO, TTTT-BB-HH); a problem goes in `errors`."""
    if value in (None, ""):
        if required:
            errors[field] = _("Tanggal wajib diisi.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("Tanggal tidak valid (tulis TTTT-BB-HH).")
        return None

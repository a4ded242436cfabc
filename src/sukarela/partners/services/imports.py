"""Bulk import of partners from CSV/XLSX: one row per partner, optionally with one contact.

Every row is checked with the same rules as the form (partners.rules): type, reach and home region
in the importer's scope, regions served, offers, website, the contact's phone and e-mail. Duplicate
detection runs per row against the register AND against the file's earlier rows; a row marked
"Bukan Duplikat = ya" goes in anyway and the import's audit record names what it resembled.
Mode "all": one wrong row and nothing is stored; mode "valid": the right rows are stored, the
wrong ones reported (row, column, reason, value).
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.importing import ImportResult, RowError, every_column, read_upload
from sukarela.core.permissions import require_officer
from sukarela.core.pii import mask
from sukarela.engines.applicant_rows import DECLARATION_VALUES
from sukarela.engines.tabular import ROW, Column
from sukarela.partners import rules
from sukarela.partners.models import Contact, Offer, Partner, PartnerType, Reach
from sukarela.partners.services import duplicates
from sukarela.regions.models import Region

COLUMNS = (
    Column("name", "Nama Lembaga", ("nama", "nama_lembaga", "name"), required=True),
    Column("kind", "Jenis", ("jenis mitra", "jenis_mitra", "type", "kind"), required=True),
    Column("reach", "Cakupan", ("skala", "reach")),
    Column("region", "Kode Wilayah Asal", ("wilayah asal", "kode wilayah", "region")),
    Column("served", "Wilayah Layanan", ("kode wilayah layanan", "regions served")),
    Column("offers", "Dukungan", ("bentuk dukungan", "offers")),
    Column("address", "Alamat", ("address",)),
    Column("website", "Situs Web", ("website", "situs")),
    Column("notes", "Catatan", ("notes",)),
    Column("active", "Aktif", ("active",)),
    Column("allow_duplicate", "Bukan Duplikat", ("bukan_duplikat", "not a duplicate")),
    Column("contact_name", "Nama Kontak", ("kontak", "nama_kontak", "contact")),
    Column("contact_position", "Jabatan Kontak", ("jabatan", "jabatan_kontak")),
    Column("contact_phone", "Telepon Kontak", ("telepon", "telepon_kontak", "nomor hp", "phone")),
    Column("contact_email", "Surel Kontak", ("surel", "email", "email kontak", "surel_kontak")),
)
HEADER_OF = {c.key: c.header for c in COLUMNS} | {
    "regions_served": "Wilayah Layanan", "full_name": "Nama Kontak", "position": "Jabatan Kontak",
    "phone": "Telepon Kontak", "email": "Surel Kontak"}
CONTACT_KEYS = {"full_name": "contact_name", "position": "contact_position", "phone": "contact_phone",
                "email": "contact_email"}
LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
REACHES = {str(v).casefold(): v for v in Reach.values} | {str(label).casefold(): v for v, label in Reach.choices} | {
    "kabupaten": Reach.DISTRICT, "kota": Reach.DISTRICT, "kab/kota": Reach.DISTRICT, "provinsi": Reach.PROVINCIAL,
    "national": Reach.NATIONAL, "international": Reach.INTERNATIONAL}


@dataclass
class PartnerImportResult(ImportResult):
    overridden: int = 0  # rows stored although they resembled a partner ("Bukan Duplikat")


class _Lookups:
    """What every row is checked against, read once."""

    def __init__(self, frame):
        self.kinds = {}
        for k in PartnerType.objects.all():
            self.kinds[k.code.casefold()] = k
            self.kinds[k.name.casefold()] = k
        self.offers = {}
        for o in Offer.objects.all():
            self.offers[o.code.casefold()] = o
            self.offers[o.name.casefold()] = o
        codes = set(frame["region"].to_list())
        for cell in frame["served"].to_list():
            codes.update(rules.served_codes(cell))
        # No region code holds a NUL or runs past 13 characters; PostgreSQL refuses the first in a query.
        codes = sorted(c for c in codes - {""} if "\x00" not in c and len(c) <= 13)
        self.regions = {r.code: r for i in range(0, len(codes), 500)
                        for r in Region.objects.filter(code__in=codes[i:i + 500])}
        # The register of the types this file names, read once; the file's rows join it as they pass.
        named = {self.kinds.get(" ".join(v.split()).casefold()) for v in frame["kind"].to_list()}
        self.register = duplicates.Register(k.pk for k in named if k is not None)


def _yes_no(text: str, default):
    return DECLARATION_VALUES.get(text.strip().casefold(), "?") if text else default


def _row(actor, cells: dict, look: _Lookups) -> tuple[dict, dict]:
    """A row's partner (and contact) values, and {column key: reason} for what is wrong."""
    errors = {}
    data = {}
    data["name"], data["name_key"] = rules.check_name(cells["name"], errors)
    data["kind"] = look.kinds.get(" ".join(cells["kind"].split()).casefold())
    if data["kind"] is None:
        errors["kind"] = _("Jenis mitra tidak dikenal; pilih salah satu: %(k)s.") % {
            "k": ", ".join(k.name for k in PartnerType.objects.all())}
    reach_text = " ".join(cells["reach"].split()).casefold()
    region = look.regions.get(cells["region"]) if cells["region"] else None
    if cells["region"] and region is None:
        errors["region"] = _("Kode wilayah tidak dikenal (bertitik, seperti 32 atau 32.01).")
    if not reach_text:  # blank: what the home region says
        reach_text = Reach.PROVINCIAL if region and region.level == 1 else Reach.DISTRICT if region else ""
    data["reach"] = REACHES.get(reach_text, reach_text or "?")
    home_errors = {}
    data["region"] = rules.check_home(actor, data["reach"], region, home_errors)
    errors.update({k: v for k, v in home_errors.items() if k not in errors})
    served, unknown = [], []
    for code in rules.served_codes(cells["served"]):
        r = look.regions.get(code)
        (served if r is not None and r.level <= rules.SERVED_MAX_LEVEL else unknown).append(r or code)
    if unknown:
        errors["served"] = _("Kode wilayah tidak dikenal atau terlalu dalam (paling dalam kecamatan): %(c)s.") % {
            "c": ", ".join(str(getattr(u, "code", u)) for u in unknown[:10])}
    data["regions_served"] = served
    offers, bad = [], []
    for text in LIST_SPLIT.split(cells["offers"].strip()) if cells["offers"].strip() else []:
        o = look.offers.get(text.casefold())
        (offers if o else bad).append(o or text)
    if bad:
        errors["offers"] = _("Bentuk dukungan tidak dikenal: %(c)s.") % {"c": ", ".join(bad[:10])}
    data["offers"] = offers
    data["address"] = rules.clean_text(cells["address"], rules.LIMITS["address"], "address", errors)
    data["notes"] = rules.clean_text(cells["notes"], rules.LIMITS["notes"], "notes", errors)
    data["website"] = rules.clean_website(cells["website"], errors)
    data["active"] = _yes_no(cells["active"], True)
    if data["active"] == "?":
        errors["active"] = _("Isi ya atau tidak.")
    data["allow_duplicate"] = _yes_no(cells["allow_duplicate"], False)
    if data["allow_duplicate"] == "?":
        errors["allow_duplicate"] = _("Isi ya atau tidak.")
    data["contact"] = _contact(cells, errors)
    return data, errors


def _contact(cells: dict, errors: dict) -> dict | None:
    if not any(cells[k] for k in CONTACT_KEYS.values()):
        return None
    found = {}
    contact = {"full_name": rules.clean_text(cells["contact_name"], 150, "full_name", found),
               "position": rules.clean_text(cells["contact_position"], 120, "position", found),
               "phone": rules.clean_phone(cells["contact_phone"], found),
               "email": rules.clean_email(cells["contact_email"], found)}
    if not contact["full_name"] and "full_name" not in found:
        found["full_name"] = _("Nama kontak wajib diisi bila kolom kontak lain diisi.")
    if not (contact["phone"] or contact["email"]) and not ({"phone", "email"} & set(found)):
        found["phone"] = _("Isi telepon atau surel kontak.")
    errors.update({CONTACT_KEYS[k]: v for k, v in found.items()})
    return contact


def _value(key: str, cells: dict) -> str:
    value = cells.get(key, "")
    if key == "contact_phone":
        return mask("PHONE", value)
    if key == "contact_email":
        return mask("EMAIL", value)
    return value[:100]


@transaction.atomic
def import_partners(actor, upload, mode: str) -> PartnerImportResult:
    require_officer(actor)
    table = read_upload(upload, COLUMNS, mode)
    frame = every_column(table.frame, COLUMNS)
    result = PartnerImportResult(mode=mode, total=frame.height + len(table.row_errors))
    result.errors = [RowError(row, "", message) for row, message in table.row_errors]
    look = _Lookups(frame)
    good, overrides = [], []
    for cells in frame.iter_rows(named=True):
        data, problems = _row(actor, cells, look)
        if not problems:
            region = data["region"].code if data["region"] else None
            found = look.register.find(data["kind"].pk, data["name_key"], region)
            if found and data["allow_duplicate"] is not True:
                problems["name"] = duplicates.message(found)
            elif found:
                overrides.append(f"{cells[ROW]}: {data['name']} ~ {duplicates.audit_value(found)}")
            look.register.add(data["kind"].pk, duplicates.Known(
                None, data["name"], _("baris %(r)d berkas ini") % {"r": cells[ROW]}, data["name_key"], region))
        if problems:
            result.errors.extend(RowError(cells[ROW], HEADER_OF[k], reason, _value(k, cells))
                                 for k, reason in problems.items())
        else:
            good.append(data)
    result.errors.sort(key=lambda e: (e.row, e.column))
    if not result.applied or not good:
        return result
    result.stored, result.overridden = _store(actor, good), len(overrides)
    changes = {"file": [None, upload.name or ""], "partners": [None, result.stored],
               "rejected_rows": [None, result.rejected]}
    if overrides:
        changes["duplicate_override"] = [None, "; ".join(overrides)[:2000]]
    audit.record(actor, "import_partners", target_type="partners.partner", target_label=(upload.name or "")[:200],
                 changes=changes)
    return result


def _store(actor, rows: list[dict]) -> int:
    now = timezone.now()
    made = Partner.objects.bulk_create([
        Partner(name=d["name"], name_key=d["name_key"], kind=d["kind"], reach=d["reach"], region=d["region"],
                address=d["address"], website=d["website"], notes=d["notes"], active=d["active"], created_at=now,
                created_by=actor) for d in rows], batch_size=500)
    served = Partner.regions_served.through
    offered = Partner.offers.through
    served.objects.bulk_create([served(partner_id=p.pk, region_id=r.code) for p, d in zip(made, rows)
                                for r in {r.code: r for r in d["regions_served"]}.values()], batch_size=1000)
    offered.objects.bulk_create([offered(partner_id=p.pk, offer_id=o.code) for p, d in zip(made, rows)
                                 for o in {o.code: o for o in d["offers"]}.values()], batch_size=1000)
    Contact.objects.bulk_create([Contact(partner_id=p.pk, **d["contact"]) for p, d in zip(made, rows)
                                 if d["contact"]], batch_size=500)
    return len(made)

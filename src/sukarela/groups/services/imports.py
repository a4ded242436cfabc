"""Bulk import of groups with their members from CSV/XLSX: one row per member, the group's columns
repeated, rows tied together by "Kode Kelompok" (the first row of a group carries its fields).

Every row is checked with the same rules as the forms (groups.rules). Mode "all": one wrong row
and nothing is stored. Mode "valid": a group is stored whole or not at all, so a group with any
wrong row is rejected with all its rows, each of them reported. An officer imports only groups
whose village lies in their region. The clean groups and members go in with two bulk inserts
inside one transaction, and the import leaves one audit record.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.importing import ImportResult, RowError, every_column, parse_date, read_upload
from sukarela.core.permissions import require_officer
from sukarela.core.pii import mask
from sukarela.core.scope import in_scope
from sukarela.engines.applicant_rows import DECLARATION_VALUES, SEX_ALIASES
from sukarela.engines.tabular import ROW, Column, unguarded
from sukarela.groups.models import Group, GroupStatus, Member, Sector, Tier
from sukarela.groups.rules import account_digits, group_errors, member_errors, nik_digits, parse_rupiah
from sukarela.groups.services.common import CHUNK, active_memberships, conflict_message, regencies_for
from sukarela.regions.models import Level, Region

GROUP_COLUMNS = (
    Column("key", "Kode Kelompok", ("kode_kelompok", "group key"), required=True),
    Column("name", "Nama Kelompok", ("nama_kelompok", "group name")),
    Column("tier", "Tingkat", ("tingkat", "tier")),
    Column("sector", "Sektor", ("sektor", "sektor usaha", "sector")),
    Column("village", "Kode Desa/Kelurahan", ("kode desa", "desa", "village")),
    Column("address", "Alamat", ("alamat", "address")),
    Column("lat", "Lintang", ("lintang", "latitude", "lat")),
    Column("lon", "Bujur", ("bujur", "longitude", "lon")),
    Column("registered_on", "Tanggal Terdaftar", ("tanggal_terdaftar", "terdaftar")),
    Column("aid_amount", "Bantuan (Rp)", ("bantuan", "aid")),
    Column("aid_received_on", "Tanggal Bantuan", ("tanggal_bantuan", "bantuan diterima")),
    Column("aid_tools", "Rencana Alat (Rp)", ("rencana alat", "alat")),
    Column("aid_materials", "Rencana Bahan (Rp)", ("rencana bahan", "bahan")),
    Column("bank_name", "Bank", ("nama bank", "bank_name")),
    Column("bank_account", "Nomor Rekening", ("rekening", "nomor_rekening", "bank account")),
)
MEMBER_COLUMNS = (
    Column("nik", "NIK", required=True),
    Column("full_name", "Nama Lengkap", ("nama", "nama_lengkap", "full name"), required=True),
    Column("sex", "Jenis Kelamin", ("jenis_kelamin", "sex", "l/p")),
    Column("birth_date", "Tanggal Lahir", ("tanggal_lahir", "birth date")),
    Column("is_chair", "Ketua", ("ketua", "chair")),
    Column("unemployed", "Belum Bekerja", ("belum_bekerja", "menyatakan belum bekerja", "unemployed")),
)
COLUMNS = GROUP_COLUMNS + MEMBER_COLUMNS
HEADER_OF = {c.key: c.header for c in COLUMNS} | {"unemployed_declared": "Belum Bekerja", "joined_on":
                                                 "Tanggal Terdaftar"}
GROUP_KEYS = [c.key for c in GROUP_COLUMNS if c.key != "key"]
TIERS = {"pemula": Tier.PEMULA, "tkm pemula": Tier.PEMULA, "lanjutan": Tier.LANJUTAN, "tkm lanjutan": Tier.LANJUTAN}
NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


@dataclass
class GroupImportResult(ImportResult):
    groups: int = 0          # groups stored
    groups_rejected: int = 0


class _Lookups:
    """Everything a file is checked against, read once: sectors, villages, regencies, active NIKs."""

    def __init__(self, frame):
        self.sectors = {}
        for s in Sector.objects.all():
            self.sectors[s.code.casefold()] = s
            self.sectors[s.name.casefold()] = s
        codes = sorted({_village_code(v) for v in frame["village"].to_list()} - {""}) if "village" in frame.columns \
            else []
        self.villages = {}
        for i in range(0, len(codes), CHUNK):
            for r in Region.objects.filter(code__in=codes[i:i + CHUNK], level=Level.VILLAGE, active=True):
                self.villages[r.code] = r
        niks = [nik_digits(n) for n in frame["nik"].to_list()]
        self.regencies = regencies_for(niks)
        self.taken = active_memberships(niks)


def _village_code(text: str) -> str:
    text = (text or "").strip()
    if re.fullmatch(r"[0-9]{10}", text):
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    return text


def _number(text: str, key: str, errors: dict):
    if not text:
        return None
    text = unguarded(text)  # a negative latitude from a CSV we wrote comes back as '-6.5 (formula guard)
    if not NUMBER.fullmatch(text):
        errors[key] = _("Isi angka desimal, misalnya -6,5971 atau 106.8060.")
        return None
    return float(text.replace(",", "."))


def _date(text: str, key: str, errors: dict):
    if not text:
        return None
    day = parse_date(text[:10])
    if day is None:
        errors[key] = _("Isi tanggal TTTT-BB-HH atau HH/BB/TTTT.")
    return day


def _yes_no(text: str):
    return DECLARATION_VALUES.get(text.strip().casefold()) if text else None


def _group_data(cells: dict, look: _Lookups, actor, today) -> tuple[dict, dict]:
    """A group's fields from its first row, and {column key: reason} for what is wrong."""
    errors = {}
    data = {"name": cells["name"], "address": cells["address"], "bank_name": cells["bank_name"],
            "bank_account": account_digits(cells["bank_account"])}
    data["tier"] = TIERS.get(cells["tier"].casefold(), "?") if cells["tier"] else Tier.PEMULA
    data["lat"], data["lon"] = _number(cells["lat"], "lat", errors), _number(cells["lon"], "lon", errors)
    data["registered_on"] = _date(cells["registered_on"], "registered_on", errors) or today
    data["aid_received_on"] = _date(cells["aid_received_on"], "aid_received_on", errors)
    for key in ("aid_amount", "aid_tools", "aid_materials"):
        data[key] = parse_rupiah(cells[key]) if cells[key] else None
    problems = group_errors(data, today)
    problems.update(errors)
    if "tier" in problems:
        problems["tier"] = _("Tingkat harus Pemula atau Lanjutan.")
    sector = look.sectors.get(cells["sector"].casefold())
    if sector is None:
        problems["sector"] = _("Sektor tidak dikenal; pilih salah satu: %(s)s.") % {
            "s": ", ".join(s.name for s in Sector.objects.all())}
    village = look.villages.get(_village_code(cells["village"]))
    if village is None:
        problems["village"] = _("Kode desa/kelurahan tidak dikenal (10 digit atau bertitik seperti 32.01.01.2001).")
    elif not in_scope(actor, village.code):
        problems["village"] = _("Desa ini di luar wilayah kerja Anda (%(r)s).") % {"r": actor.scope_code}
    data["sector"], data["village"] = sector, village
    return data, problems


def _member_data(cells: dict, group: dict, look: _Lookups, today) -> tuple[dict, dict]:
    errors = {}
    data = {"nik": nik_digits(cells["nik"]), "full_name": " ".join(cells["full_name"].split()),
            "sex": SEX_ALIASES.get(" ".join(cells["sex"].casefold().split()), "?") if cells["sex"] else None,
            "birth_date": _date(cells["birth_date"], "birth_date", errors),
            "unemployed_declared": _yes_no(cells["unemployed"]), "joined_on": group.get("registered_on") or today}
    problems = member_errors(data, look.regencies, today)
    problems.pop("joined_on", None)  # the group's registration date, reported on its own column
    problems.update(errors)
    if cells["is_chair"] and _yes_no(cells["is_chair"]) is None:
        problems["is_chair"] = _("Isi ya atau tidak.")
    if "unemployed_declared" in problems:
        problems["unemployed"] = problems.pop("unemployed_declared") + " " + _("(isi ya)")
    if len(data["full_name"]) > 150:
        problems["full_name"] = _("Nama lengkap paling banyak 150 karakter.")
    data["is_chair"] = _yes_no(cells["is_chair"]) is True
    return data, problems


def _value(key: str, cells: dict) -> str:
    value = cells.get(key, "")
    return mask("BANK_ACCOUNT", value) if key == "bank_account" else value[:100]


@transaction.atomic
def import_groups(actor, upload, mode: str) -> GroupImportResult:
    require_officer(actor)
    table = read_upload(upload, COLUMNS, mode)
    frame = every_column(table.frame, COLUMNS)
    result = GroupImportResult(mode=mode, total=frame.height + len(table.row_errors))
    result.errors = [RowError(row, "", message) for row, message in table.row_errors]
    today = timezone.localdate()
    look = _Lookups(frame)
    rows_of = defaultdict(list)
    for cells in frame.iter_rows(named=True):
        if cells["key"]:
            rows_of[cells["key"]].append(cells)
        else:  # a member row tied to no group cannot be stored with any
            result.errors.append(RowError(cells[ROW], HEADER_OF["key"], _("Kode Kelompok wajib diisi: ia mengikat "
                                                                          "baris anggota ke kelompoknya."), ""))
    seen_nik: dict[str, int] = {}
    groups, members_of, bad_groups = [], {}, 0
    for key, rows in rows_of.items():
        errors = _check_group_rows(key, rows, look, actor, today, seen_nik)
        if errors:
            bad_groups += 1
            if mode == "valid":
                errors += _whole_group_notes(key, rows, errors)
            result.errors.extend(errors)
            continue
        groups.append(rows[0]["_group"])
        members_of[len(groups) - 1] = [r["_member"] for r in rows]
    result.errors.sort(key=lambda e: (e.row, e.column))
    result.groups_rejected = bad_groups
    if not result.applied or not groups:
        return result
    result.groups, result.stored = _store(groups, members_of)
    audit.record(actor, "import_groups", target_type="groups.group", target_label=(upload.name or "")[:200],
                 changes={"file": [None, upload.name or ""], "groups": [None, result.groups],
                          "members": [None, result.stored], "rejected_rows": [None, result.rejected]})
    return result


def _check_group_rows(key, rows, look, actor, today, seen_nik) -> list[RowError]:
    first = rows[0]
    data, problems = _group_data(first, look, actor, today)
    errors = [RowError(first[ROW], HEADER_OF[k], reason, _value(k, first)) for k, reason in problems.items()]
    label = data["name"] or key
    village_name = data["village"].name if data["village"] else "?"
    chairs = []
    for cells in rows:
        for k in GROUP_KEYS:  # later rows may leave the group's columns blank, not contradict the first
            if cells is not first and cells[k] and cells[k] != first[k]:
                errors.append(RowError(cells[ROW], HEADER_OF[k], _("Berbeda dengan baris %(r)d, baris pertama "
                                       "kelompok %(g)s.") % {"r": first[ROW], "g": key}, _value(k, cells)))
        member, problems = _member_data(cells, data, look, today)
        nik = member["nik"]
        if "nik" not in problems:
            if nik in seen_nik:
                problems["nik"] = _("NIK %(n)s sudah ada di baris %(r)d berkas ini.") % {"n": nik, "r": seen_nik[nik]}
            elif nik in look.taken:
                problems["nik"] = conflict_message(nik, look.taken[nik], label, village_name)
            seen_nik.setdefault(nik, cells[ROW])
        errors.extend(RowError(cells[ROW], HEADER_OF[k], reason, _value(k, cells)) for k, reason in problems.items())
        if member["is_chair"]:
            chairs.append(cells[ROW])
        cells["_member"] = member
    if not chairs:
        errors.append(RowError(first[ROW], HEADER_OF["is_chair"], _("Kelompok %(g)s tidak punya ketua: isi Ketua = "
                                                                   "ya di tepat satu baris.") % {"g": key}, ""))
    for row in chairs[1:]:
        errors.append(RowError(row, HEADER_OF["is_chair"], _("Kelompok %(g)s sudah punya ketua di baris %(r)d; "
                                                            "satu kelompok satu ketua.") % {"g": key, "r": chairs[0]},
                               "ya"))
    first["_group"] = data
    return errors


def _whole_group_notes(key, rows, errors) -> list[RowError]:
    """In mode "valid" a group goes in whole or not at all: its other rows say why they were not stored."""
    wrong = sorted({e.row for e in errors})
    listed = ", ".join(str(r) for r in wrong[:10]) + ("…" if len(wrong) > 10 else "")
    reason = _("Kelompok %(g)s ditolak seluruhnya karena ada baris yang salah (baris %(rows)s).") % {
        "g": key, "rows": listed}
    return [RowError(r[ROW], HEADER_OF["key"], reason, key) for r in rows if r[ROW] not in wrong]


def _store(groups: list[dict], members_of: dict) -> tuple[int, int]:
    made = Group.objects.bulk_create([Group(status=GroupStatus.ACTIVE, **g) for g in groups], batch_size=500)
    members = [Member(group=group, active=True, **m) for i, group in enumerate(made) for m in members_of[i]]
    for m in members:
        m.joined_on = m.group.registered_on
    try:
        with transaction.atomic():
            Member.objects.bulk_create(members, batch_size=500)
    except IntegrityError:  # another import or a form took one of these NIKs meanwhile
        raise ValidationError({"file": _("Sebagian NIK baru saja didaftarkan di kelompok lain; impor ulang berkas "
                                         "ini untuk melihat baris mana.")}) from None
    return len(made), len(members)

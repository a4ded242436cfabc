"""Applicant row rules: the single-row path and the frame path, held to the same answers."""

import datetime as dt
from decimal import Decimal

import lokal
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.engines import applicant_rows as rules
from sukarela.engines.applicant_rows import (
    CAPS, EDUCATION_RANK, Reference, RowError, validate_frame, validate_row, validate_score,
    validate_scores_frame,
)

TODAY = dt.date(2026, 5, 1)
REGENCIES = ("32.01", "32.02", "52.03", "11.01")
VILLAGES = ("32.01.01.2001", "32.01.01.2002", "52.03.01.2001", "11.01.02.2005")
REF = Reference(regencies=frozenset(REGENCIES), villages=frozenset(VILLAGES), today=TODAY,
                declarations=(("tidak_bekerja", "Tidak sedang bekerja"),))


def nik(born=dt.date(1999, 1, 5), sex="L", regency="32.01", district="01", serial="0001") -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{regency.replace('.', '')}{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


def person(born=dt.date(1999, 1, 5), sex="L", **cells) -> dict:
    row = {
        "nik": nik(born, sex), "full_name": "Budi Santoso", "birth_date": born.isoformat(), "sex": sex,
        "phone": "0812-3456-7890", "email": "", "education_level": "S1", "education_field": "Manajemen",
        "domicile": "32.01.01.2001", "address": "Jl. Merdeka 1, Cibinong", "motivation": "", "experience": "",
        "household_id": "", "consent": "ya", "tidak_bekerja": "",
    }
    row.update(cells)
    return row


def frame_of(rows: list[dict], rows_from: int = 2) -> pl.DataFrame:
    keys = sorted({key for row in rows for key in row})
    data = {key: [row.get(key) for row in rows] for key in keys}
    return (pl.DataFrame(data, schema={key: pl.String for key in keys})
            .with_columns(pl.Series("_row", range(rows_from, rows_from + len(rows)), dtype=pl.Int64)))


def check(row: dict, ref: Reference = REF) -> rules.RowResult:
    """Both paths on one row; they must give the same clean values and the same errors."""
    single = validate_row(row, ref, row=2)
    clean, errors = validate_frame(frame_of([row]), ref)
    assert [RowError(**e) for e in errors.to_dicts()] == single.errors
    if single.clean is None:
        assert clean.height == 0
    else:
        assert clean.height == 1
        got = clean.row(0, named=True)
        assert got.pop("_row") == 2
        assert got == single.clean
        assert clean.columns[1:] == list(single.clean)
    return single


def codes(result) -> list[tuple[str, str]]:
    return [(e.column, e.code) for e in result.errors]


def test_valid_row_cleans_every_field_in_both_paths():
    result = check(person(email=" Budi@Contoh.id ", household_id="3201-0123-4567-8901", tidak_bekerja="Ya",
                          motivation="  Membantu\nUMKM  "))
    assert result.clean == {
        "nik": "3201010501990001", "full_name": "Budi Santoso", "birth_date": dt.date(1999, 1, 5), "sex": "L",
        "phone": "+6281234567890", "email": "Budi@Contoh.id", "education_level": "S1", "education_rank": 5,
        "education_field": "Manajemen", "domicile": "32.01.01.2001", "address": "Jl. Merdeka 1, Cibinong",
        "motivation": "Membantu\nUMKM", "experience": "", "household_id": "3201012345678901", "consent": True,
        "decl_tidak_bekerja": True,
    }


def test_missing_optional_keys_are_blank():
    row = {key: value for key, value in person().items()
           if key in rules.REQUIRED}
    result = check(row)
    assert result.clean["email"] == "" and result.clean["household_id"] == "" and result.clean["motivation"] == ""
    assert result.clean["decl_tidak_bekerja"] is None


# --- NIK ------------------------------------------------------------------------------------------

WOMAN = dt.date(2000, 2, 29)


@pytest.mark.parametrize("row, expected", [
    (person(nik="3201.0105-0199 0001"), "3201010501990001"),
    (person(WOMAN, "P"), "3201016902000001"),                  # day + 40, leap day of 2000
    (person(dt.date(1926, 3, 4)), "3201010403260001"),         # lokal guesses 2026; only yy is compared
    (person(dt.date(1927, 3, 4)), "3201010403270001"),
    (person(dt.date(1900, 1, 1)), "3201010101000001"),         # lokal reads 00 as 2000
    (person(nik=nik(regency="11.01", district="02")), "1101020501990001"),
])
def test_nik_valid(row, expected):
    assert check(row).clean["nik"] == expected


@pytest.mark.parametrize("value, code", [
    ("", "required"),
    ("   ", "required"),
    ("320101050199000", "nik_format"),
    ("32010105019900011", "nik_format"),
    ("32010105019900A1", "nik_format"),
    ("3201010501990001" + "x" * 60, "too_long"),
    ("9901010501990001", "nik_province"),
    ("3200010501990001", "nik_region"),
    ("3201000501990001", "nik_region"),
    ("3299010501990001", "nik_regency"),
    ("3201013201990001", "nik_birth_date"),     # day 32
    ("3201017201990001", "nik_birth_date"),     # day 72 (woman, 32)
    ("3201010513990001", "nik_birth_date"),     # month 13
    ("3201010001990001", "nik_birth_date"),     # day 0
    ("3201012902010001", "nik_birth_date"),     # 29-02-01
    ("3201010501990000", "nik_serial"),
    ("3201010601990001", "nik_birth_date_mismatch"),
    ("3201010502990001", "nik_birth_date_mismatch"),
    ("3201010501980001", "nik_birth_date_mismatch"),
    ("3201014501990001", "nik_sex_mismatch"),
])
def test_nik_invalid(value, code):
    assert codes(check(person(nik=value))) == [("nik", code)]


def test_nik_mismatch_message_names_the_entered_date():
    result = check(person(nik="3201010601990001"))
    assert result.errors[0].message == "NIK tidak cocok dengan tanggal lahir 1999-01-05"
    assert "perempuan" in check(person(nik="3201014501990001")).errors[0].message


def test_nik_cross_checks_skip_an_invalid_birth_date_or_sex():
    assert codes(check(person(birth_date="31-02-1999"))) == [("birth_date", "date_invalid")]
    assert codes(check(person(sex="x"))) == [("sex", "sex_invalid")]


# --- other columns: (column, cell, expected clean value or error code) ----------------------------

PASS = [
    ("full_name", "  Siti \u00a0 Aminah  ", "Siti Aminah"),
    ("full_name", "A" * 150, "A" * 150),
    ("full_name", "Nguyễn Văn An", "Nguyễn Văn An"),
    ("phone", "+62 812 3456 7890", "+6281234567890"),
    ("phone", "6281234567890", "+6281234567890"),
    ("phone", "81234567890", "+6281234567890"),
    ("phone", "(0812) 3456.7890", "+6281234567890"),
    ("phone", "0812345678", "+62812345678"),
    ("phone", "0812-3456-78901", "+62812345678901"),
    ("phone", "+62 0812 3456 789", "+628123456789"),
    ("phone", "0800-1234-567", "+628001234567"),             # lokal: unknown prefix is still mobile
    ("email", "", ""),
    ("email", "nama.orang+tag@contoh.co.id", "nama.orang+tag@contoh.co.id"),
    ("education_level", "s1", "S1"),
    ("education_level", " SMK ", "SMA"),
    ("education_level", "sma / smk", "SMA"),
    ("education_level", "Slta", "SMA"),
    ("education_level", "ma", "SMA"),
    ("education_level", "D4", "D4"),
    ("education_level", "s3", "S3"),
    ("education_field", "x" * 100, "x" * 100),
    ("domicile", "3201012001", "32.01.01.2001"),
    ("domicile", " 32.01.01.2002 ", "32.01.01.2002"),
    ("address", "a" * 300, "a" * 300),
    ("motivation", "m" * 2000, "m" * 2000),
    ("experience", "e" * 2000, "e" * 2000),
    ("household_id", "", ""),
    ("household_id", "3201 0123.4567-8901", "3201012345678901"),
    *[("consent", value, True) for value in ("ya", "Y", "YES", "Setuju", "1", "true", "x", " X ")],
]

FAIL = [
    ("full_name", "", "required"),
    ("full_name", "A" * 151, "too_long"),
    ("full_name", "Siti\tAminah", "name_control"),
    ("full_name", "Siti\x00", "name_control"),
    ("phone", "", "required"),
    ("phone", "021-5551234", "phone_not_mobile"),
    ("phone", "+62 21 5551234", "phone_not_mobile"),
    ("phone", "0812-345", "phone_length"),
    ("phone", "0812-3456-7", "phone_length"),
    ("phone", "0812-3456-7890-12", "phone_length"),
    ("phone", "telepon saya", "phone_format"),
    ("phone", "+1 555 123 4567", "phone_format"),
    ("phone", "0812-3456-789x", "phone_format"),
    ("phone", "01234567", "phone_format"),
    ("email", "nama@contoh", "email_invalid"),
    ("email", "nama@@contoh.id", "email_invalid"),
    ("email", "@contoh.id", "email_invalid"),
    ("email", "nama orang@contoh.id", "email_invalid"),
    ("email", "a" * 250 + "@x.id", "too_long"),
    ("education_level", "", "required"),
    ("education_level", "SD", "education_invalid"),
    ("education_level", "S4", "education_invalid"),
    ("education_field", "x" * 101, "too_long"),
    ("domicile", "", "required"),
    ("domicile", "32.01.01.9999", "domicile_unknown"),
    ("domicile", "3201019999", "domicile_unknown"),
    ("domicile", "320101200", "domicile_format"),
    ("domicile", "32-01-01-2001", "domicile_format"),
    ("address", "", "required"),
    ("address", "a" * 301, "too_long"),
    ("motivation", "m" * 2001, "too_long"),
    ("experience", "e" * 2001, "too_long"),
    ("experience", " " * 10_001, "too_long"),                # any cell over 10,000 characters
    ("household_id", "12345", "household_format"),
    ("household_id", "3201012345678901x", "household_format"),
    ("consent", "", "required"),
    ("consent", "tidak", "consent_missing"),
    ("consent", "no", "consent_missing"),
    ("tidak_bekerja", "mungkin", "declaration_invalid"),
]


@pytest.mark.parametrize("column, cell, expected", PASS)
def test_column_accepts(column, cell, expected):
    assert check(person(**{column: cell})).clean[column] == expected


@pytest.mark.parametrize("column, cell, code", FAIL)
def test_column_rejects(column, cell, code):
    assert codes(check(person(**{column: cell}))) == [(column, code)]


def test_education_rank():
    for level, rank in EDUCATION_RANK.items():
        assert check(person(education_level=level.lower())).clean["education_rank"] == rank


@pytest.mark.parametrize("cell, sex", [
    ("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("laki  laki", "L"), ("PRIA", "L"), ("m", "L"), ("Male", "L"),
    ("P", "P"), ("Perempuan", "P"), ("wanita", "P"), ("F", "P"), ("female", "P"),
])
def test_sex_accepts(cell, sex):
    assert check(person(sex=sex) | {"sex": cell}).clean["sex"] == sex


@pytest.mark.parametrize("cell, code", [("", "required"), ("x", "sex_invalid"), ("lakilaki", "sex_invalid")])
def test_sex_rejects(cell, code):
    assert codes(check(person(sex=cell))) == [("sex", code)]


@pytest.mark.parametrize("cell, born", [
    ("1999-01-05", dt.date(1999, 1, 5)), ("05-01-1999", dt.date(1999, 1, 5)), ("5-1-1999", dt.date(1999, 1, 5)),
    ("5/1/1999", dt.date(1999, 1, 5)), ("05/01/1999", dt.date(1999, 1, 5)), (" 29-02-2000 ", dt.date(2000, 2, 29)),
    ("2026-05-01", TODAY), ("1900-01-01", dt.date(1900, 1, 1)),
])
def test_birth_date_accepts(cell, born):
    assert check(person(born) | {"birth_date": cell}).clean["birth_date"] == born


@pytest.mark.parametrize("cell, code", [
    ("", "required"), ("31-02-2000", "date_invalid"), ("29-02-2001", "date_invalid"), ("1900-02-29", "date_invalid"),
    ("2000-13-01", "date_invalid"), ("0-1-2000", "date_invalid"), ("1999/01/05", "date_format"),
    ("5-1/1999", "date_format"), ("1999-1-5", "date_format"), ("05.01.1999", "date_format"),
    ("5 Januari 1999", "date_format"), ("1-1-99", "date_format"), ("1899-12-31", "date_too_early"),
    ("2026-05-02", "date_future"),
])
def test_birth_date_rejects(cell, code):
    assert codes(check(person(birth_date=cell))) == [("birth_date", code)]


def test_birth_date_messages():
    assert check(person(birth_date="31-02-2000")).errors[0].message.startswith(
        "Tanggal lahir harus berupa tanggal nyata (format DD-MM-YYYY atau YYYY-MM-DD)")
    assert check(person(birth_date="2026-05-02")).errors[0].message == (
        "Tanggal lahir 2026-05-02 sesudah hari ini (2026-05-01)")


@pytest.mark.parametrize("cell, value", [("ya", True), ("Tidak", False), ("", None), (" N ", False), ("1", True)])
def test_declarations(cell, value):
    assert check(person(tidak_bekerja=cell)).clean["decl_tidak_bekerja"] is value


def test_declaration_message_names_the_rule():
    assert check(person(tidak_bekerja="mungkin")).errors[0].message == (
        "Tidak sedang bekerja harus diisi ya atau tidak")


def test_declaration_keys_cannot_shadow_columns():
    with pytest.raises(ValueError):
        Reference(frozenset(), frozenset(), TODAY, declarations=(("nik", "NIK"),))


def test_every_failing_column_is_reported_once_in_column_order():
    row = person(nik="3201010501990000", phone="021-5551234", consent="", full_name="",
                 birth_date="31-02-1999")
    assert codes(check(row)) == [("nik", "nik_serial"), ("full_name", "required"),
                                 ("birth_date", "date_invalid"), ("phone", "phone_not_mobile"),
                                 ("consent", "required")]


def test_too_long_names_the_length_and_value_is_truncated():
    result = check(person(motivation="m" * 12_000))
    error = result.errors[0]
    assert error.message == "Motivasi terlalu panjang: 12000 karakter (maksimal 10000)"
    assert error.value == "m" * 100
    assert check(person(full_name="A" * 151)).errors[0].message == (
        "Nama Lengkap terlalu panjang: 151 karakter (maksimal 150)")


def test_caps_cover_every_column():
    assert set(CAPS) == set(rules.COLUMNS)
    assert max(CAPS.values()) <= rules.MAX_CELL


def test_whitespace_set_is_lokals():
    from lokal._js import WS_SET
    assert set(rules.WS) == WS_SET


# --- frame-only: the file and the campaign ---------------------------------------------------------

def test_duplicate_in_file_names_the_first_row():
    rows = [person(), person(full_name="Budi Lagi"), person(), person(dt.date(1990, 3, 3))]
    clean, errors = validate_frame(frame_of(rows), REF)
    assert clean["_row"].to_list() == [2, 5]
    assert errors.select("row", "column", "code").rows() == [(3, "nik", "duplicate_in_file"),
                                                             (4, "nik", "duplicate_in_file")]
    assert errors["message"][0] == "NIK 3201010501990001 sudah ada di baris 2 berkas ini"


def test_duplicate_counts_only_rows_whose_nik_is_otherwise_valid():
    # Row 2 carries the NIK with the wrong sex, so row 3 is the first valid occurrence; row 4 is its duplicate,
    # and so is row 5 although another column of row 3 is wrong (a NIK may appear once per file).
    first = person(sex="P") | {"nik": nik()}
    rows = [first, person(phone="021-5551234"), person(), person()]
    clean, errors = validate_frame(frame_of(rows), REF)
    assert errors.select("row", "column", "code").rows() == [
        (2, "nik", "nik_sex_mismatch"), (3, "phone", "phone_not_mobile"),
        (4, "nik", "duplicate_in_file"), (5, "nik", "duplicate_in_file")]
    assert "baris 3" in errors["message"][2]
    assert clean.height == 0


def test_duplicate_uses_spreadsheet_row_not_frame_order():
    frame = frame_of([person(), person()]).with_columns(pl.Series("_row", [9, 4], dtype=pl.Int64))
    _, errors = validate_frame(frame, REF)
    assert errors.select("row", "code").rows() == [(9, "duplicate_in_file")]
    assert "baris 4" in errors["message"][0]


def test_duplicate_recognises_the_same_nik_written_differently():
    _, errors = validate_frame(frame_of([person(), person(nik="3201 0105 0199 0001")]), REF)
    assert errors.select("row", "code").rows() == [(3, "duplicate_in_file")]


def test_already_registered():
    rows = [person(), person(), person(dt.date(1990, 3, 3))]
    clean, errors = validate_frame(frame_of(rows), REF, existing_niks={"3201010501990001"})
    assert clean["_row"].to_list() == [4]
    assert errors.select("row", "code").rows() == [(2, "already_registered"), (3, "already_registered")]
    assert errors["message"][0] == "NIK 3201010501990001 sudah terdaftar di kampanye ini"


def test_single_row_path_does_not_check_the_file_or_the_campaign():
    assert validate_row(person(), REF).clean is not None


def test_frame_columns_missing_null_or_extra():
    frame = pl.DataFrame({"nik": [nik()], "full_name": [None], "extra": ["?"], "_row": [7]},
                         schema={"nik": pl.String, "full_name": pl.String, "extra": pl.String, "_row": pl.Int64})
    clean, errors = validate_frame(frame, REF)
    assert clean.height == 0
    assert errors.select("row", "column", "code").rows() == [
        (7, column, "required") for column in rules.COLUMNS if column in rules.REQUIRED and column != "nik"]


def test_frame_schemas_and_empty_frame():
    clean, errors = validate_frame(frame_of([person(tidak_bekerja="tidak")]), REF)
    assert clean.schema == {
        "_row": pl.Int64, "nik": pl.String, "full_name": pl.String, "birth_date": pl.Date, "sex": pl.String,
        "phone": pl.String, "email": pl.String, "education_level": pl.String, "education_rank": pl.Int8,
        "education_field": pl.String, "domicile": pl.String, "address": pl.String, "motivation": pl.String,
        "experience": pl.String, "household_id": pl.String, "consent": pl.Boolean,
        "decl_tidak_bekerja": pl.Boolean}
    assert errors.schema == {"row": pl.Int64, "column": pl.String, "code": pl.String, "message": pl.String,
                             "value": pl.String}
    empty = frame_of([person()]).clear()
    clean_empty, errors_empty = validate_frame(empty, REF)
    assert clean_empty.height == 0 and errors_empty.height == 0
    assert clean_empty.schema == clean.schema and errors_empty.schema == errors.schema


def test_frame_with_typed_columns_and_empty_reference_sets():
    frame = frame_of([person()]).with_columns(pl.col("nik").cast(pl.Int64))
    clean, _ = validate_frame(frame, REF)
    assert clean["nik"].to_list() == ["3201010501990001"]
    bare = Reference(frozenset(), frozenset(), TODAY)
    _, errors = validate_frame(frame_of([person()]), bare)
    assert errors.select("column", "code").rows() == [("nik", "nik_regency"), ("domicile", "domicile_unknown")]


def test_errors_ordered_by_row_then_column():
    rows = [person(phone="x", consent=""), person(dt.date(1990, 3, 3), nik="1"), person(dt.date(1991, 3, 3))]
    _, errors = validate_frame(frame_of(rows), REF)
    assert errors.select("row", "column").rows() == [(2, "phone"), (2, "consent"), (3, "nik")]


# --- property: the two paths agree -----------------------------------------------------------------

PADDING = st.sampled_from(["", "", " ", "  ", "\t", "\u00a0", "\u3000", "\ufeff", "\n", "\u2028"])
TEXT = st.text(max_size=12)


def padded(values):
    return st.tuples(PADDING, values, PADDING).map("".join)


def recased(values):
    return st.tuples(values, st.sampled_from([str, str.upper, str.lower, str.title])).map(lambda p: p[1](p[0]))


@st.composite
def base(draw):
    born = dt.date(2000, 2, 29) if draw(st.integers(0, 9)) == 0 else draw(st.dates(dt.date(1900, 1, 1), TODAY))
    sex = draw(st.sampled_from("LP"))
    regency = draw(st.sampled_from(REGENCIES))
    district = draw(st.sampled_from(["01", "02", "10"]))
    serial = draw(st.sampled_from(["0001", "0420", "9999"]))
    return born, sex, nik(born, sex, regency, district, serial)


def nik_cells(born, sex, good):
    valid = st.one_of(st.just(good), padded(st.just(good)), st.just(f"{good[:4]} {good[4:6]}.{good[6:12]}-{good[12:]}"))

    def replace(pos_and_digit):
        pos, digit = pos_and_digit
        return good[:pos] + digit + good[pos + 1:]

    other_sex = "P" if sex == "L" else "L"
    date_mismatch = st.sampled_from([
        nik(born - dt.timedelta(days=1), sex), nik(born + dt.timedelta(days=31), other_sex),
        nik(born.replace(year=born.year - 1) if (born.month, born.day) != (2, 29) else born, sex),
    ])
    other_mismatch = st.sampled_from([nik(born, other_sex), nik(born, sex, regency="32.99")])
    bad = st.one_of(date_mismatch, other_mismatch, st.one_of(
        st.tuples(st.integers(0, 15), st.sampled_from("0123456789")).map(replace),
        st.just(good[:15]), st.just(good + "1"), st.just(good[:8] + "AB" + good[10:]),
        st.just("99" + good[2:]), st.just(good[:2] + "00" + good[4:]), st.just(good[:4] + "00" + good[6:]),
        st.just(good[:12] + "0000"), st.just(good[:6] + "32" + good[8:]), st.just(good[:6] + "72" + good[8:]),
        st.just(good[:8] + "13" + good[10:]), st.just(""), TEXT,
    ))
    return valid, bad


def birth_cells(born):
    valid = st.one_of(
        st.just(born.isoformat()), st.just(born.strftime("%d-%m-%Y")), st.just(born.strftime("%d/%m/%Y")),
        st.just(f"{born.day}-{born.month}-{born.year}"), st.just(f"{born.day}/{born.month}/{born.year}"),
        padded(st.just(born.isoformat())),
    )
    bad = st.one_of(
        st.just("2026-05-02"), st.sampled_from(["31-02-2000", "29-02-2001", "1900-02-29", "2000-13-01", "1899-12-31", "2027-01-01",
                         "2000/01/02", "1-1-99", "1-1/2000", "abc", "", "00-00-0000", "0000-01-01", "2026-05-02"]),
        st.just(f"{born.year}-{born.month}-{born.day}"), TEXT,
    )
    return valid, bad


def sex_cells(sex):
    aliases = [key for key, value in rules.SEX_ALIASES.items() if value == sex]
    return (padded(recased(st.sampled_from(aliases))),
            st.one_of(st.sampled_from(["x", "laki", "", "LP"]), st.sampled_from(list(rules.SEX_ALIASES)), TEXT))


PHONES = st.one_of(
    st.sampled_from(["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890", "(0812) 3456 7890",
                     "0812345678", "+6208123456789", "021-5551234", "0812", "08123456789012", "+1 555",
                     "0812-3456-789x", "", "0062812345678", "62812345"]),
    st.text(alphabet="0123456789+()-. \u00a0", max_size=18), TEXT,
)
VALID_PHONES = padded(st.sampled_from(["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890",
                                       "(0857) 3456 7890", "0812345678", "+62 0899 1234 5678", "0812-3456-78901"]))
# Prefix, first digit after it and length around lokal's bounds (mobile 9–12 digits, landline 7–11).
SHAPED_PHONES = st.builds(
    lambda prefix, first, rest: prefix + first + rest,
    st.sampled_from(["0", "62", "+62", "+62 0", "", "00", "620", "+", "6"]), st.sampled_from("0123456789"),
    st.text(alphabet="0123456789", min_size=4, max_size=13),
)
EMAILS = st.one_of(st.sampled_from(["a@b", "a b@c.id", "@x.id", "a@@b.id", "a@b.", "a" * 250 + "@b.id"]), TEXT)
VALID_EMAILS = padded(st.sampled_from(["", "a@b.id", "Nama.Orang@Contoh.CO.ID"]))
EDUCATION = padded(recased(st.sampled_from(list(rules.EDUCATION_ALIASES) + ["sma / smk", "S 1"])))
BAD_EDUCATION = st.one_of(st.sampled_from(["SD", "S4", ""]), TEXT)
VILLAGE_CELLS = padded(st.one_of(st.sampled_from(VILLAGES), st.sampled_from([v.replace(".", "") for v in VILLAGES])))
BAD_VILLAGES = st.one_of(st.sampled_from(["32.01.01.9999", "3201019999", "320101200", "32-01-01-2001", ""]), TEXT)
NAMES = padded(st.sampled_from(["Budi Santoso", "Siti  Aminah", "Nguyễn Văn An", "A\u00a0B", "N" * 150]))
BAD_NAMES = st.one_of(st.sampled_from(["", "Siti\tAminah", "X\x00", "N" * 151, " \u2028 "]), TEXT)


def text_cells(cap, required=False):
    valid = st.one_of(padded(st.sampled_from(["teks", "dua\nbaris", "t" * cap])),
                      st.just("") if not required else st.just("alamat"))
    bad = st.one_of(st.just("t" * (cap + 1)), st.just(" " * 10_001), TEXT, st.just(""))
    return valid, bad


HOUSEHOLD = padded(st.sampled_from(["", "3201-0123-4567-8901", "3201012345678901"]))
BAD_HOUSEHOLD = st.one_of(st.sampled_from(["123", "3201012345678901x"]), TEXT)
CONSENT = padded(recased(st.sampled_from(sorted(rules.CONSENT_YES))))
BAD_CONSENT = st.one_of(st.sampled_from(["", "tidak", "no"]), TEXT)
DECLARATION = padded(recased(st.sampled_from(list(rules.DECLARATION_VALUES) + [""])))
BAD_DECLARATION = st.one_of(st.just("mungkin"), TEXT)


@st.composite
def rows(draw):
    """A row whose cells are mostly valid (odd spacing and case included) with some corrupted."""
    born, sex, good = draw(base())
    cells = {
        "nik": nik_cells(born, sex, good), "full_name": (NAMES, BAD_NAMES), "birth_date": birth_cells(born),
        "sex": sex_cells(sex), "phone": (VALID_PHONES, PHONES), "email": (VALID_EMAILS, EMAILS),
        "education_level": (EDUCATION, BAD_EDUCATION), "education_field": text_cells(100),
        "domicile": (VILLAGE_CELLS, BAD_VILLAGES), "address": text_cells(300, required=True),
        "motivation": text_cells(2000), "experience": text_cells(2000), "household_id": (HOUSEHOLD, BAD_HOUSEHOLD),
        "consent": (CONSENT, BAD_CONSENT), "tidak_bekerja": (DECLARATION, BAD_DECLARATION),
    }
    rate = draw(st.sampled_from([0, 0, 3, 10, 30, 70]))
    row = {key: draw(bad if draw(st.integers(0, 99)) < max(rate, 25 * (key == "nik")) else good)
           for key, (good, bad) in cells.items()}
    if draw(st.integers(0, 9)) == 0:
        del row[draw(st.sampled_from(sorted(row)))]
    return row


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_paths_agree_on_generated_rows(row):
    check(row)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(SHAPED_PHONES, PHONES, st.text(alphabet="0123456789+62 -", max_size=16)), min_size=1,
                max_size=30))
def test_frame_phone_agrees_with_lokal(phones):
    rows_ = [person(phone=phone) for phone in phones]
    # Distinct NIKs, so duplicate-in-file does not hide the phone results.
    for index, row in enumerate(rows_):
        row["nik"] = nik(serial=f"{index + 1:04d}")
    clean, errors = validate_frame(frame_of(rows_), REF)
    got = dict(zip(clean["_row"], clean["phone"]))
    for index, phone in enumerate(phones):
        info = lokal.parse_phone(phone)
        expected = info.e164 if info.valid and info.type == "mobile" else None
        assert got.get(index + 2) == expected, phone
        assert expected is None or expected == lokal.normalize_phone(phone)


# --- scores -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("85", Decimal("85")), ("85,5", Decimal("85.5")), ("85.25", Decimal("85.25")), (" 100 ", Decimal("100")),
    ("0", Decimal("0")), ("100,00", Decimal("100")), ("007", Decimal("7")),
])
def test_score_accepts(text, value):
    assert validate_score(text) == value
    assert validate_score(text).as_tuple().exponent == -2


@pytest.mark.parametrize("text, fragment", [
    ("101", "lebih dari 100"), ("100.01", "lebih dari 100"), ("-1", "negatif"), ("abc", "angka"),
    ("85.123", "2 angka di belakang koma"), ("", "wajib"), ("8 5", "angka"), ("85.", "angka"), (".5", "angka"),
])
def test_score_rejects(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        validate_score(text)


def test_scores_frame():
    frame = pl.DataFrame({
        "nik": [nik(), nik(serial="0002"), nik(serial="0003"), nik(), "123", nik(serial="0004")],
        "test_score": ["85,5", "101", "", "70", "80", ""],
        "interview_score": ["90", "80.123", "77", "60", "abc", " "],
        "_row": [2, 3, 4, 5, 6, 7],
    })
    clean, errors = validate_scores_frame(frame)
    assert clean.rows() == [(2, "3201010501990001", Decimal("85.50"), Decimal("90.00")),
                            (4, "3201010501990003", None, Decimal("77.00"))]
    assert clean.schema["test_score"] == pl.Decimal(5, 2)
    assert errors.select("row", "column", "code").rows() == [
        (3, "test_score", "score_range"), (3, "interview_score", "score_precision"),
        (5, "nik", "duplicate_in_file"), (6, "nik", "nik_format"), (6, "interview_score", "score_format"),
        (7, "", "no_score")]
    assert errors["message"][2] == "NIK 3201010501990001 sudah ada di baris 2 berkas ini"


def test_scores_frame_one_column_and_none():
    clean, errors = validate_scores_frame(pl.DataFrame({"nik": [nik()], "test_score": ["-1"], "_row": [2]}))
    assert clean.height == 0 and errors.select("code").item() == "score_negative"
    with pytest.raises(ValueError):
        validate_scores_frame(pl.DataFrame({"nik": [nik()], "_row": [2]}))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="0123456789,.- ", max_size=8), st.text(max_size=6)), min_size=1,
                max_size=20))
def test_scores_frame_agrees_with_validate_score(texts):
    frame = pl.DataFrame({"nik": [nik(serial=f"{i + 1:04d}") for i in range(len(texts))], "test_score": texts,
                          "_row": list(range(2, len(texts) + 2))})
    clean, errors = validate_scores_frame(frame)
    values = dict(zip(clean["_row"], clean["test_score"]))
    codes_ = {row: code for row, column, code in errors.select("row", "column", "code").rows() if column}
    for index, text in enumerate(texts):
        code = rules.score_code(text)
        if code == "required":
            assert values.get(index + 2) is None
        elif code:
            assert codes_[index + 2] == code, text
        else:
            assert values[index + 2] == validate_score(text), text

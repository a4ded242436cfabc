"""Demo programme, groups: about 150 active TKM groups in the demo's three regencies (Kab. Bogor,
Kab. Garut, Kab. Lombok Timur), each with a chair and 4–9 members, mixed sectors, most with aid.

The groups go in through the real import (one file per regency, by that regency's officer), so the
demo exercises the same checks as an officer's upload. Every name, NIK and account is synthetic; the
NIKs are built as lokal-id expects (district, DDMMYY with +40 for women, serial). There is no
coordinates dataset yet: a few groups get a GPS point inside a rough box of their regency, the rest
none. Each regency is built once (a rerun adds nothing).
"""

import datetime as dt
import io
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sukarela.core.demo import FAMILY
from sukarela.core.models import User
from sukarela.engines.tabular import write_csv
from sukarela.groups.models import Group, Member, Sector
from sukarela.groups.rules import split_aid
from sukarela.groups.services import imports, members
from sukarela.regions import selectors as regions

# regency → (officer, rough box: lat min, lat max, lon min, lon max)
REGENCIES = {
    "32.01": ("bogor", (-6.70, -6.40, 106.55, 107.05)),
    "32.05": ("garut", (-7.45, -7.05, 107.70, 108.05)),
    "52.03": ("lotim", (-8.75, -8.40, 116.45, 116.70)),
}
GROUPS_PER_REGENCY = 50
WORDS = {
    "pertanian-peternakan": ["Tani Makmur", "Ternak Sejahtera", "Sayur Segar", "Jamur Tiram"],
    "perikanan-kelautan": ["Mina Lestari", "Lele Jaya", "Rumput Laut", "Ikan Asin"],
    "jasa-boga": ["Boga Rasa", "Kue Basah", "Keripik Singkong", "Sambal Nusantara"],
    "usaha-kreatif": ["Anyaman Bambu", "Batik Tulis", "Kriya Kayu", "Tenun Ikat"],
    "perdagangan": ["Warung Bersama", "Toko Tani", "Grosir Desa", "Jasa Servis"],
}
MALE = ["Agus", "Bayu", "Eko", "Gilang", "Indra", "Joko", "Made", "Rizky", "Teguh", "Wahyu", "Dedi", "Lalu"]
FEMALE = ["Ayu", "Dewi", "Fitri", "Hana", "Kartika", "Lestari", "Nur", "Putri", "Sari", "Yuni", "Baiq", "Rina"]
BANKS = ["BRI", "BNI", "Bank Mandiri", "BSI", "Bank BJB", "Bank NTB Syariah"]


def _nik(village: str, born: dt.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{village.replace('.', '')[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _rows(rng: Random, regency: str, villages, box, serials, today: dt.date, chair_village: str | None):
    sector_of = dict(Sector.objects.values_list("code", "name"))
    rows = []
    for g in range(GROUPS_PER_REGENCY):
        # The demo's chair login lives in one village: the first group is theirs.
        village = chair_village if g == 0 and chair_village else rng.choice(villages)
        sector = rng.choice(sorted(WORDS))
        registered = today - dt.timedelta(days=rng.randrange(30, 400))
        aid = rng.random() < 0.8
        amount = rng.choice([5_000_000, 7_500_000, 10_000_000, 15_000_000])
        tools, materials = split_aid(amount)
        point = rng.random() < 0.1
        lat = f"{rng.uniform(box[0], box[1]):.5f}" if point else ""
        lon = f"{rng.uniform(box[2], box[3]):.5f}" if point else ""
        key = f"{regency}-{g + 1:02d}"
        group = {"Kode Kelompok": key, "Nama Kelompok": f"TKM {rng.choice(WORDS[sector])} {key[-2:]}",
                 "Tingkat": "Pemula", "Sektor": sector_of[sector], "Kode Desa/Kelurahan": village,
                 "Alamat": f"RT {rng.randrange(1, 15):03d}/RW {rng.randrange(1, 9):03d}", "Lintang": lat,
                 "Bujur": lon, "Tanggal Terdaftar": registered.isoformat(),
                 "Bantuan (Rp)": str(amount) if aid else "",
                 "Tanggal Bantuan": (registered + dt.timedelta(days=rng.randrange(0, 25))).isoformat() if aid else "",
                 "Rencana Alat (Rp)": str(tools) if aid else "", "Rencana Bahan (Rp)": str(materials) if aid else "",
                 "Bank": rng.choice(BANKS), "Nomor Rekening": str(rng.randrange(10**9, 10**15))}
        family = rng.choice(FAMILY)
        for m in range(rng.randrange(5, 11)):
            sex = rng.choice("LP")
            born = registered - dt.timedelta(days=rng.randrange(20 * 365, 50 * 365))
            serial = serials[0] = serials[0] + 1
            rows.append({**(group if m == 0 else {"Kode Kelompok": key}),
                         "NIK": _nik(village, born, sex, serial),
                         "Nama Lengkap": f"{rng.choice(MALE if sex == 'L' else FEMALE)} {family}",
                         "Jenis Kelamin": sex, "Tanggal Lahir": born.isoformat(), "Ketua": "ya" if m == 0 else "tidak",
                         "Belum Bekerja": "ya"})
    return rows


def _upload(rows, name: str) -> SimpleUploadedFile:
    headers = [c.header for c in imports.COLUMNS]
    buffer = io.BytesIO()
    write_csv(buffer, headers, ([r.get(h, "") for h in headers] for r in rows))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="text/csv")


def build(ctx) -> None:
    today = timezone.localdate()
    serials = [Member.objects.count()]  # a rerun after a partial build keeps NIKs apart
    for regency, (username, box) in REGENCIES.items():
        if Group.objects.filter(village__code__startswith=regency + ".").exists():
            continue
        officer = User.objects.filter(username=username).first() or ctx.system
        villages = list(regions.active().filter(level=4, code__startswith=regency + ".")
                        .order_by("code").values_list("code", flat=True))
        if not villages:
            continue
        chair = User.objects.filter(username=f"ketua-{regency.replace('.', '')}-6").first()
        chair_village = chair.region_id if chair and chair.region_id in villages else None
        rng = Random(f"groups-{regency}")
        rows = _rows(rng, regency, villages, box, serials, today, chair_village)
        result = imports.import_groups(officer, _upload(rows, f"demo-kelompok-{regency}.csv"), "all")
        for error in result.errors[:5]:
            ctx.out.write(f"  groups {regency}: row {error.row} {error.column}: {error.reason}")
        if chair_village and result.groups:
            first = Member.objects.filter(group__village_id=chair_village, is_chair=True, active=True).first()
            if first is not None:
                members.set_chair(officer, first, chair_account=chair)

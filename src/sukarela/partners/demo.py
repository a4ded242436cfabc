"""Demo programme, partnership network: partners of every type (national, international,
provincial in Jawa Barat and NTB, district in Kab. Bogor, Kab. Garut and Kab. Lombok Timur) with
offers, contacts and agreements (active, one ending inside the warning window, one ended, a draft,
one with its signed PDF); BLK UPTP and BLK Komunitas centres, most of the latter in the FKN BLK
Komunitas forum, with their programmes and supporting partners; and linkages in every status for
about three in five posted groups and for the centres, some recorded from the visits' kemitraan
task. Every name, number, phone and address is synthetic.

How it is written: every row through the partners' services (in scope, audited): partners by the
officer of their home region, linkages by the group's TKS (sometimes its district officer) and
moved along the pipeline with dates over the last months, so each has its steps and audit events.

Idempotent: a partner or centre already registered (same type and name key; same name) is left
alone, and no linkage is added once any exists.
"""

import datetime as dt
import io
import itertools
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.demo import FAMILY, GIVEN, synthetic_phone
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.mentoring.models import Visit
from sukarela.partners.linkage_rules import MONEY, OUTCOME_STATUS
from sukarela.partners.models import (
    AgreementKind as AK, AgreementStatus as AS, CentreKind, Linkage, LinkageStatus as LS, Partner, PartnerType,
    Purpose, Reach, TrainingCentre)
from sukarela.partners.names import name_key
from sukarela.partners.selectors.linkages import partner_choices
from sukarela.partners.services import agreements, centres, contacts, linkages, partners
from sukarela.regions.models import Region
from sukarela.training.models import Venue

N, I, P, D = Reach.NATIONAL, Reach.INTERNATIONAL, Reach.PROVINCIAL, Reach.DISTRICT
# (name, type, reach, home region, regions served, offers)
PARTNERS = [
    ("Bank Rakyat Indonesia - Penyalur KUR Mikro", "bank", N, None, (), ("kredit", "pelatihan")),
    ("PT Pertamina (Persero) - Program TJSL/CSR", "bumn", N, None, (), ("csr", "hibah", "peralatan")),
    ("Rumah BUMN Telkom", "bumn", N, None, (), ("pelatihan", "pasar")),
    ("Kementerian Usaha Mikro, Kecil, dan Menengah", "kementerian", N, None, (), ("pelatihan", "perizinan", "pasar")),
    ("Organisasi Perburuhan Internasional (ILO) Jakarta", "pemberdayaan", I, None, (), ("pelatihan",)),
    ("Dinas Koperasi dan Usaha Kecil Provinsi Jawa Barat", "pemda", P, "32", (), ("pelatihan", "perizinan")),
    ("Bank Pembangunan Daerah Jawa Barat dan Banten", "bank", P, "32", ("32.01", "32.05"), ("kredit",)),
    ("Politeknik Agribisnis Jawa Barat", "pendidikan", P, "32", (), ("pelatihan", "peralatan")),
    ("Dinas Tenaga Kerja dan Transmigrasi Provinsi NTB", "pemda", P, "52", (), ("pelatihan", "perizinan")),
    ("Bank NTB Syariah", "bank", P, "52", ("52.03",), ("kredit",)),
    ("Dinas Koperasi dan UKM Kabupaten Bogor", "pemda", D, "32.01", (), ("perizinan", "pelatihan")),
    ("Yayasan Pemberdayaan Petani Bogor", "pemberdayaan", D, "32.01", (), ("pelatihan", "pasar")),
    ("SMK Negeri Cibinong Teaching Factory", "pendidikan", D, "32.01", (), ("pelatihan", "peralatan")),
    ("Dinas Perindustrian dan Perdagangan Kabupaten Garut", "pemda", D, "32.05", (), ("pasar", "perizinan")),
    ("BPR Garut Makmur Sentosa", "bank", D, "32.05", (), ("kredit",)),
    ("Asosiasi Perajin Kulit Sukaregang", "pemberdayaan", D, "32.05", ("32.01",), ("pasar", "pelatihan")),
    ("Dinas Koperasi, UKM dan Perindustrian Kabupaten Lombok Timur", "pemda", D, "52.03", (), ("perizinan", "hibah")),
    ("PT Pegadaian (Persero) Cabang Selong", "bumn", D, "52.03", (), ("kredit",)),
    ("Lembaga Kursus dan Pelatihan Tenun Lombok", "pendidikan", D, "52.03", (), ("pelatihan", "pasar")),
]
# partner name → [(kind, number, status, starts, ends: days from today, the signed PDF attached)]
AGREEMENTS = {
    PARTNERS[0][0]: [(AK.PKS, "B.118/PKS/KUR-TKS/2025", AS.ACTIVE, -400, 700, True)],
    PARTNERS[1][0]: [(AK.MOU, "MOU-021/CSR-TKM/2023", AS.ACTIVE, -1050, 40, False)],
    PARTNERS[3][0]: [(AK.MOU, "01/NK/KUMKM-TKS/2024", AS.ACTIVE, -500, 600, False),
                     (AK.PKS, "07/PKS/KUMKM-TKS/2022", AS.ENDED, -1100, -60, False)],
    PARTNERS[5][0]: [(AK.PKS, "500/PKS-DISKUK/2026", AS.DRAFT, 30, 395, False)],
    PARTNERS[9][0]: [(AK.PKS, "PKS.12/BNTBS-TKS/2025", AS.ACTIVE, -250, 480, False)],
}
POSITIONS = ["Kepala bidang", "Kepala cabang", "Staf kemitraan", "Koordinator program", "Sekretaris"]
# (name, kind, host, vocational fields, regency, FKN: days since joining or None, venue name,
#  programmes: (name, years ago, participants), supporters: indexes into PARTNERS)
CENTRES = [
    ("BLK Komunitas Al-Ikhlas Bogor", CentreKind.KOMUNITAS, "Pondok Pesantren Al-Ikhlas", "Menjahit, Tata boga, Sablon",
     "32.01", 730, "BLK Komunitas Al-Ikhlas Bogor",
     [("Inkubasi usaha konveksi", 0, 20), ("Kelas wirausaha boga", 1, 16)], [0, 10]),
    ("BLK Komunitas Yayasan Nurul Huda", CentreKind.KOMUNITAS, "Yayasan Nurul Huda", "Teknik komputer, Desain grafis",
     "32.01", 380, None, [("Wirausaha jasa digital", 0, 18)], [2, 12]),
    ("BLK Komunitas Pesantren Darussalam Garut", CentreKind.KOMUNITAS, "Pondok Pesantren Darussalam",
     "Penyamakan kulit, Menjahit", "32.05", 1100, None, [("Inkubasi kriya kulit", 0, 24)], [15, 6]),
    ("BLK Komunitas Yayasan Al-Mukhlisin Garut", CentreKind.KOMUNITAS, "Yayasan Al-Mukhlisin", "Pengolahan pangan",
     "32.05", None, None, [("Kelas usaha olahan pangan", 0, 12)], [13]),
    ("BLK UPTP Lombok Timur", CentreKind.UPTP, "Kementerian Ketenagakerjaan", "Las, Otomotif, Teknologi informasi",
     "52.03", None, "BLK UPTP Lombok Timur", [("Pelatihan kewirausahaan alumni", 0, 40), ("Inkubator bisnis", 1, 25)],
     [9, 8]),
    ("BLK Komunitas Pondok Pesantren Darul Falah", CentreKind.KOMUNITAS, "Pondok Pesantren Darul Falah",
     "Tenun, Pengolahan hasil laut", "52.03", 240, None, [("Wirausaha tenun ikat", 0, 15)], [18, 17]),
]
# The linkages' statuses in turn: any five in a row hold every status.
STATUS_CYCLE = [LS.REALISED, LS.AGREED, LS.FAILED, LS.CONTACTED, LS.PROPOSED, LS.REALISED, LS.CONTACTED, LS.REALISED,
                LS.FAILED, LS.AGREED]
OFFERS_FOR = {Purpose.LOAN: {"kredit"}, Purpose.TRAINING: {"pelatihan"}, Purpose.MARKET: {"pasar"},
              Purpose.EQUIPMENT: {"peralatan", "hibah", "csr"}, Purpose.PERMIT: {"perizinan"},
              Purpose.MENTORING: {"pelatihan", "csr"}}
NOTES = {Purpose.LOAN: "Pengajuan KUR mikro untuk modal bahan baku.", Purpose.TRAINING: "Pelatihan anggota kelompok.",
         Purpose.MARKET: "Pemasok tetap ke toko mitra.", Purpose.EQUIPMENT: "Bantuan alat produksi.",
         Purpose.PERMIT: "Pendampingan NIB dan PIRT.", Purpose.MENTORING: "Pendampingan manajemen usaha."}
FAILED = ["Kelompok belum memenuhi syarat agunan.", "Mitra menunda program CSR sampai tahun anggaran berikutnya.",
          "Kuota pelatihan tahun ini sudah penuh.", "Harga beli yang ditawarkan mitra di bawah biaya produksi."]
REALISABLE = [Purpose.LOAN, Purpose.TRAINING, Purpose.MARKET, Purpose.EQUIPMENT]
FROM_VISITS_MAX = 12


def _officer(code: str, fallback):
    """The district officer of `code`'s regency, else its provincial one, else `fallback`."""
    for role, prefix in ((Role.DISTRICT, code[:5]), (Role.PROVINCIAL, code[:2])):
        found = User.objects.filter(role=role, region_id=prefix, is_active=True).order_by("pk").first()
        if found is not None:
            return found
    return fallback


def _pdf(title: str) -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, title)
    page.drawString(72, 740, "Dokumen contoh untuk program demo Sukarela (data sintetis).")
    page.save()
    return SimpleUploadedFile("perjanjian.pdf", buffer.getvalue(), content_type="application/pdf")


def _partners(ctx, rng: Random, today: dt.date) -> None:
    known = set(Region.objects.values_list("code", flat=True).filter(
        code__in={c for p in PARTNERS for c in (p[3], *p[4]) if c}))
    kinds = set(PartnerType.objects.values_list("code", flat=True))
    for name, kind, reach, home, served, offers in PARTNERS:
        if kind not in kinds or (home and home not in known):
            continue  # a region the demo did not load (tests load a slice)
        if Partner.objects.filter(kind_id=kind, name_key=name_key(name)).exists():
            continue
        actor = _officer(home, ctx.system) if home else ctx.system
        slug = name_key(name).replace(" ", "")[:20]
        partner = partners.create_partner(
            actor, name=name, kind=kind, reach=reach, region=home, regions_served=[c for c in served if c in known],
            offers=list(offers), address=f"Jl. Kemitraan No. {rng.randrange(1, 120)} (demo)",
            website=f"https://{slug}.contoh.id")
        for i in range(rng.choice([1, 2])):
            given = rng.choice(GIVEN)
            contacts.add_contact(actor, partner, full_name=f"{given} {rng.choice(FAMILY)}",
                                 position=rng.choice(POSITIONS), phone=synthetic_phone(rng),
                                 email=f"{given.lower()}.{i + 1}@{slug}.contoh.id")
        for kind_, number, status, starts, ends, signed in AGREEMENTS.get(name, ()):
            starts_on, ends_on = today + dt.timedelta(days=starts), today + dt.timedelta(days=ends)
            agreements.add_agreement(
                actor, partner, kind=kind_, number=number, status=status, starts_on=starts_on, ends_on=ends_on,
                title=f"Kerja sama pendampingan kelompok TKM - {name}"[:200],
                signed_on=None if status == AS.DRAFT else starts_on - dt.timedelta(days=7),
                document=_pdf(f"{AK(kind_).label} {number}") if signed else None)


def _centres(ctx, rng: Random, today: dt.date) -> None:
    by_name = {p.name: p for p in Partner.objects.filter(name__in=[p[0] for p in PARTNERS])}
    for name, kind, host, fields, regency, joined, venue, programmes, supporters in CENTRES:
        if TrainingCentre.objects.filter(name=name).exists():
            continue
        villages = list(Region.objects.filter(level=4, code__startswith=regency + ".").order_by("code")
                        .values_list("code", flat=True)[:30])
        if not villages:
            continue
        actor = _officer(regency, ctx.system)
        place = Venue.objects.filter(name=venue).first() if venue else None
        centre = centres.create_centre(
            actor, name=name, kind=kind, host_institution=host, vocational_fields=fields,
            region=place.region_id if place else rng.choice(villages), fkn_member=joined is not None,
            fkn_joined_on=today - dt.timedelta(days=joined) if joined else None, venue=place)
        for title, years_ago, people in programmes:
            centres.add_programme(actor, centre, name=title, year=today.year - years_ago, participants=people)
        for index in supporters:
            partner = by_name.get(PARTNERS[index][0])
            if partner is not None and partner_choices(actor).filter(pk=partner.pk).exists():
                centres.add_supporter(actor, centre, partner)


def _partner_for(actor, region: str, purpose: str, rng: Random):
    choices = list(partner_choices(actor, region).prefetch_related("offers"))
    fitting = [p for p in choices if OFFERS_FOR[purpose] & {o.code for o in p.offers.all()}]
    return rng.choice(fitting or choices) if choices else None


def _values(purpose: str, rng: Random, centre=False) -> dict:
    if purpose == Purpose.TRAINING:
        return {"people_trained": rng.randint(15, 40) if centre else rng.randint(4, 12)}
    amount = {Purpose.LOAN: rng.choice([10, 15, 20, 25, 50]) * 1_000_000,
              Purpose.MARKET: rng.randint(3, 30) * 1_000_000,
              Purpose.EQUIPMENT: rng.randint(5, 40) * 500_000}.get(purpose)
    return {"value_amount": amount} if amount else {}


def _walk(actor, linkage: Linkage, target: str, rng: Random, today: dt.date, centre=False) -> None:
    """Move `linkage` along the pipeline to `target`, a few days to weeks per step."""
    path = {LS.PROPOSED: [], LS.CONTACTED: [LS.CONTACTED], LS.AGREED: [LS.CONTACTED, LS.AGREED],
            LS.REALISED: [LS.CONTACTED, LS.AGREED, LS.REALISED],
            LS.FAILED: rng.choice([[LS.FAILED], [LS.CONTACTED, LS.FAILED]])}[target]
    day = linkage.proposed_on
    for status in path:
        day = min(today, day + dt.timedelta(days=rng.randint(4, 18)))
        extra = _values(linkage.purpose, rng, centre) if status == LS.REALISED else {}
        if status == LS.FAILED:
            extra["failed_reason"] = rng.choice(FAILED)
        linkages.move_linkage(actor, linkage, status=status, on=day, **extra)


def _plan(rng: Random, statuses, count: int):
    for _n in range(count):
        status = next(statuses)
        purpose = rng.choice(REALISABLE if status == LS.REALISED else list(Purpose.values))
        yield status, purpose


def _group_linkages(ctx, rng: Random, today: dt.date, statuses) -> int:
    postings = list(Posting.objects.filter(ends_on__isnull=True).select_related("group", "mentor")
                    .order_by("group_id"))
    chosen = rng.sample(postings, k=max(min(3, len(postings)), round(len(postings) * 0.6)))
    made = 0
    for posting in sorted(chosen, key=lambda p: p.group_id):
        group, village = posting.group, posting.group.village_id
        officer = _officer(village, ctx.system)
        for status, purpose in _plan(rng, statuses, rng.choice([1, 1, 2])):
            actor = posting.mentor if rng.random() < 0.7 else officer
            partner = _partner_for(actor, village, purpose, rng)
            if partner is None:
                continue
            proposed = max(posting.starts_on, today - dt.timedelta(days=rng.randint(25, 130)))
            linkage = linkages.create_linkage(actor, group=group, partner=partner, purpose=purpose,
                                              proposed_on=min(proposed, today), notes=NOTES[purpose])
            _walk(actor, linkage, status, rng, today)
            made += 1
    return made


def _centre_linkages(ctx, rng: Random, today: dt.date, statuses) -> int:
    made = 0
    for centre in TrainingCentre.objects.filter(name__in=[c[0] for c in CENTRES]).order_by("name"):
        officer = _officer(centre.region_id, ctx.system)
        for status, _purpose in _plan(rng, statuses, rng.choice([1, 2])):
            purpose = rng.choice([Purpose.TRAINING, Purpose.EQUIPMENT, Purpose.MARKET])
            partner = _partner_for(officer, centre.region_id, purpose, rng)
            if partner is None:
                continue
            linkage = linkages.create_linkage(officer, centre=centre, partner=partner, purpose=purpose,
                                              proposed_on=today - dt.timedelta(days=rng.randint(30, 150)),
                                              notes=f"Dukungan untuk program {centre.name}.")
            _walk(officer, linkage, status, rng, today, centre=True)
            made += 1
    return made


def _visit_linkages(rng: Random) -> int:
    """Linkages recorded from visits whose kemitraan task reached a partner: one per group, by the
    visit's TKS while still posted there."""
    open_postings = set(Posting.objects.filter(ends_on__isnull=True).values_list("mentor_id", "group_id"))
    made, seen = 0, set()
    for visit in Visit.objects.select_related("group", "tks").order_by("started_at", "id").iterator():
        if made >= FROM_VISITS_MAX:
            break
        task = linkages.visit_outcome(visit)
        if not task or visit.group_id in seen or (visit.tks_id, visit.group_id) not in open_postings:
            continue
        target = OUTCOME_STATUS.get(str(task.get("outcome") or ""), LS.PROPOSED)
        purpose = task.get("purpose") if task.get("purpose") in Purpose.values else Purpose.LOAN
        if target == LS.REALISED and purpose not in (*MONEY, Purpose.TRAINING):
            purpose = Purpose.LOAN  # what was realised is then a loan with its amount
        partner = _partner_for(visit.tks, visit.group.village_id, purpose, rng)
        if partner is None:
            continue
        # A failed outcome's reason is the visit's own note when the TKS wrote one.
        reason = "" if str(task.get("note") or "").strip() else rng.choice(FAILED)
        linkages.from_visit(visit.tks, visit, partner, purpose, failed_reason=reason,
                            **(_values(purpose, rng) if target == LS.REALISED else {}))
        seen.add(visit.group_id)
        made += 1
    return made


def build(ctx) -> None:
    if ctx.system is None:
        return
    rng, today = Random(2030), timezone.localdate()
    _partners(ctx, rng, today)
    _centres(ctx, rng, today)
    if Linkage.objects.exists():
        return
    statuses = itertools.cycle(STATUS_CYCLE)
    direct = _group_linkages(ctx, rng, today, statuses) + _centre_linkages(ctx, rng, today, statuses)
    from_visits = _visit_linkages(rng)
    ctx.out.write(f"  kemitraan: {Partner.objects.count()} mitra, {TrainingCentre.objects.count()} BLK "
                  f"({TrainingCentre.objects.filter(fkn_member=True).count()} anggota FKN), "
                  f"{direct + from_visits} keterkaitan ({from_visits} dari kunjungan)")

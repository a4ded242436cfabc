"""A small programme built by hand for the indicator tests: every number the tests expect is worked
out from the rows below (see the comments), never read back from the code.

Regions: Kab. Bogor 32.01 (villages in 32.01.01 and 32.01.02), Kab. Sukabumi 32.02, Lombok Timur
52.03; provinces 32 (Jawa Barat) and 52 (NTB). "Today" is TODAY (15 June 2026): June is the
current month, its stocks are read on 15 June and its 30-day window is 17 May – 15 June.

Groups (registered, stopped, aid):
  G1 32.01.01  2025-01-10, active,               aid 2025-02-15
  G2 32.01.02  2025-06-01, stopped 2026-04-20,   aid 2025-07-01
  G3 32.01.01  2026-05-05, active,               no aid
  G4 32.02.01  2024-03-01, active,               aid 2024-04-30
  G5 32.02.01  2025-09-01, status stopped, no stop day (= stopped since registering), aid 2025-10-31
  G6 52.03.01  2025-12-01, stopped 2026-06-10,   aid 2025-12-31
TKS: T1, T2 (home 32.01), T3 (32.02), T4 (52.03), T5 (32.02, trained, dropped, never posted).
Postings: P1 G1-T1 2025-03-01–open; P2 G2-T1 2025-07-01–2026-04-20; P3 G3-T2 2026-05-10–open;
  P4 G4-T3 2024-05-01–2026-03-31; P5 G4-T2 2026-04-01–open; P6 G6-T4 2026-01-01–2026-06-10.
"""

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

from sukarela.alumni.models import AlumniRecord, Outcome
from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.groups.models import Group, GroupStatus, IndicatorSnapshot
from sukarela.mentoring.models import Visit
from sukarela.monitoring.models import Budget
from sukarela.partners.models import Linkage, TrainingCentre
from sukarela.recruitment.models import Application, ConsentText
from sukarela.training.models import Participant, ParticipantStatus
from tests.alumni.conftest import cohort_of
from tests.conftest import first_village, make_user
from tests.groups.conftest import ensure_sectors
from tests.partners.conftest import partner

TODAY = dt.date(2026, 6, 15)
JKT = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    """A moment in Jakarta time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=JKT)


def group(name, village, registered, *, stopped=None, status=GroupStatus.ACTIVE, aid=None) -> Group:
    return Group.objects.create(name=name, sector_id="jasa-boga", village=village, registered_on=registered,
                                stopped_on=stopped, status=status, aid_received_on=aid,
                                aid_amount=Decimal(10_000_000) if aid else None)


def visit(tks, grp, when, roles, tasks, kind="kunjungan", status="diajukan") -> Visit:
    return Visit.objects.create(id=uuid.uuid4(), tks=tks, group=grp, kind=kind, started_at=when,
                                duration_minutes=60, roles=roles, tasks=tasks, status=status, digest="uji")


def snapshot(grp, day, turnover, new_workers, created=None) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.create(
        id=uuid.uuid4(), group=grp, recorded_on=day, turnover=None if turnover is None else Decimal(turnover),
        new_workers=new_workers, created_at=created or at(day.year, day.month, day.day, 12))


def build(world) -> SimpleNamespace:
    ensure_sectors()
    v11, v12 = first_village("32.01.01"), first_village("32.01.02")
    v21, v53 = first_village("32.02.01"), first_village("52.03.01")
    t1 = make_user("tks-satu", Role.TKS, v11.code, full_name="TKS Satu")
    t2 = make_user("tks-dua", Role.TKS, v12.code, full_name="TKS Dua")
    t3 = make_user("tks-tiga", Role.TKS, v21.code, full_name="TKS Tiga")
    t4 = make_user("tks-empat", Role.TKS, v53.code, full_name="TKS Empat")
    t5 = make_user("tks-lima", Role.TKS, v21.code, full_name="TKS Lima")

    g1 = group("G1 Boga", v11, D(2025, 1, 10), aid=D(2025, 2, 15))
    g2 = group("G2 Tenun", v12, D(2025, 6, 1), stopped=D(2026, 4, 20), status=GroupStatus.STOPPED, aid=D(2025, 7, 1))
    g3 = group("G3 Kopi", v11, D(2026, 5, 5))
    g4 = group("G4 Batik", v21, D(2024, 3, 1), aid=D(2024, 4, 30))
    g5 = group("G5 Lama", v21, D(2025, 9, 1), status=GroupStatus.STOPPED, aid=D(2025, 10, 31))
    g6 = group("G6 Ikan", v53, D(2025, 12, 1), stopped=D(2026, 6, 10), status=GroupStatus.STOPPED,
               aid=D(2025, 12, 31))

    for grp, tks, starts, ends in [(g1, t1, D(2025, 3, 1), None), (g2, t1, D(2025, 7, 1), D(2026, 4, 20)),
                                   (g3, t2, D(2026, 5, 10), None), (g4, t3, D(2024, 5, 1), D(2026, 3, 31)),
                                   (g4, t2, D(2026, 4, 1), None), (g6, t4, D(2026, 1, 1), D(2026, 6, 10))]:
        Posting.objects.create(group=grp, mentor=tks, starts_on=starts, ends_on=ends)

    M, F, ME, I = "motivator", "fasilitator", "mediator", "inovator"
    U, K, KP, A = "usaha", "kemitraan", "kapasitas", "akses"
    # March
    visit(t1, g1, at(2026, 3, 5), [M, F], [U])
    visit(t1, g2, at(2026, 3, 20), [ME], [K])
    visit(t3, g4, at(2026, 3, 31, 23, 30), [I], [KP, A], kind="kegiatan")  # 16:30 UTC: still March in Jakarta
    # April
    visit(t1, g1, at(2026, 4, 1, 0, 30), [M], [U])  # 31 March 17:30 UTC: April in Jakarta
    visit(t1, g2, at(2026, 4, 15), [F, ME], [U, K], status="dikembalikan")  # returned: still counted
    visit(t2, g4, at(2026, 4, 20), [M], [A])
    visit(t4, g6, at(2026, 4, 25), [M], [KP], kind="kegiatan")
    # May
    visit(t1, g1, at(2026, 5, 10), [M], [U])
    visit(t2, g3, at(2026, 5, 17), [F], [K])   # the first day of June's 30-day window
    visit(t2, g4, at(2026, 5, 16), [ME], [U])  # the day before it
    # June
    visit(t1, g1, at(2026, 6, 2), [M, I], [U])
    visit(t4, g6, at(2026, 6, 5), [M], [A])

    snapshot(g1, D(2025, 12, 10), 1_000_000, 1)
    snapshot(g1, D(2026, 3, 5), 1_500_000, 2)
    snapshot(g1, D(2026, 5, 10), 2_000_000, 0)
    snapshot(g2, D(2026, 3, 20), 0, 1)            # a first turnover of 0: no growth for G2
    snapshot(g2, D(2026, 4, 15), 800_000, None)
    snapshot(g4, D(2026, 1, 15), 2_000_000, 0)
    snapshot(g4, D(2026, 4, 20), 1_200_000, 0, created=at(2026, 4, 20, 9))
    snapshot(g4, D(2026, 4, 20), 1_000_000, 3, created=at(2026, 4, 20, 15))  # same day, stored later: the latest
    snapshot(g6, D(2026, 4, 25), 500_000, 2)
    snapshot(g6, D(2026, 6, 5), 750_000, 1)
    snapshot(g3, D(2026, 5, 20), 300_000, 4)      # one turnover only: no growth for G3
    snapshot(g1, D(2026, 6, 1), None, 0)          # no turnover recorded: not a turnover record

    cohort = cohort_of(world)
    for tks, status in [(t1, ParticipantStatus.GRADUATED), (t2, ParticipantStatus.GRADUATED),
                        (t5, ParticipantStatus.DROPPED)]:
        Participant.objects.create(cohort=cohort, volunteer=tks, status=status)
    consent = ConsentText.of("Uji persetujuan")
    n = iter(range(1, 100))

    def apply(village, when, *, eligible=None, decision="", volunteer=None, status="active"):
        k = next(n)
        return Application.objects.create(
            campaign=world.campaign, full_name=f"Pelamar {k}", sex="L", education_level="S1", domicile=village,
            consent_text=consent, source="staff", submitted_at=when, eligible=eligible, decision=decision,
            volunteer=volunteer, status=status, nik=f"32010117059800{k:02d}")

    apply(v11, at(2026, 3, 10), eligible=True, decision="selected", volunteer=t1)
    apply(v12, at(2026, 3, 31, 20), eligible=True, decision="selected", volunteer=t2)  # 13:00 UTC: March
    apply(v11, at(2026, 3, 15))                                                      # not screened yet
    apply(v21, at(2026, 4, 1, 0, 30), eligible=False)  # 31 March UTC: April in Jakarta
    apply(v53, at(2026, 4, 10), eligible=True, decision="waitlisted")
    apply(v11, at(2026, 4, 12), eligible=True, decision="selected", status="erased")  # erased: applied only
    apply(v21, at(2026, 5, 2), eligible=True, decision="selected", volunteer=t5)

    bank = partner(world, name="Bank Uji Monitoring")
    blk_ntb = TrainingCentre.objects.create(name="BLK Lombok Timur", kind="uptp", region_id="52.03")
    blk_jabar = TrainingCentre.objects.create(name="BLK Jawa Barat", kind="uptp", region_id="32")
    for grp, centre, purpose, status, on, value in [
            (g1, None, "pinjaman", "terealisasi", D(2026, 4, 10), 10_000_000),
            (g4, None, "pasar", "terealisasi", D(2026, 5, 5), 2_000_000),
            (None, blk_ntb, "pinjaman", "terealisasi", D(2026, 6, 1), 5_000_000),
            (g2, None, "pinjaman", "disepakati", D(2026, 4, 11), 7_000_000),       # agreed, not realised
            (None, blk_jabar, "pelatihan", "terealisasi", D(2026, 3, 15), None)]:  # a province-level centre
        Linkage.objects.create(group=grp, centre=centre, partner=bank, purpose=purpose, status=status,
                               proposed_on=on - dt.timedelta(days=30), status_on=on,
                               value_amount=None if value is None else Decimal(value))

    x6 = make_user("alumni-enam", Role.TKS, v11.code)
    x7 = make_user("alumni-tujuh", Role.TKS, v53.code)
    x8 = make_user("alumni-delapan", Role.TKS, v12.code)
    for tks, ended, outcomes in [
            (t3, D(2026, 3, 31), [(D(2026, 4, 15), "mencari"), (D(2026, 6, 1), "bekerja")]),
            (x6, D(2026, 2, 10), [(D(2026, 3, 1), "usaha"), (D(2026, 5, 20), "studi")]),
            (x7, D(2026, 5, 15), []),
            (x8, D(2026, 6, 14), [(D(2026, 6, 14), "inkubator")])]:
        record = AlumniRecord.objects.create(tks=tks, posting_ended_on=ended)
        for as_of, status in outcomes:
            Outcome.objects.create(alumni=record, as_of=as_of, status=status, source="petugas")

    Budget.objects.create(region_id="32.01", year=2026, amount=Decimal(120_000_000))
    Budget.objects.create(region_id="32.01", year=2025, amount=Decimal(999_000_000))
    Budget.objects.create(region=None, year=2026, amount=Decimal(1_200_000_000))
    return SimpleNamespace(g1=g1, g2=g2, g3=g3, g4=g4, g5=g5, g6=g6, t1=t1, t2=t2, t3=t3, t4=t4, t5=t5,
                           villages=(v11, v12, v21, v53))

"""Demo programme, training: three cohorts. Jawa Barat's has finished (attendance, scores with
remedials, one drop-out, graduates with certificates, one of them revoked), and so has a small
Nusa Tenggara Barat one; Lombok Timur's (run by the district) is half-way (attendance and
scores so far). Dates
follow today's date so the demo stays "current"; all people and marks are synthetic."""

import datetime as dt
from random import Random

from django.core.exceptions import ValidationError
from django.utils import timezone

from sukarela.core import services as accounts
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.recruitment.models import Application, Campaign, Decision
from sukarela.training.models import Cohort, Curriculum, Mark, Participant, Venue
from sukarela.training.services import (assessments, attendance, certificates, cohorts, curricula, graduation,
                                        participants, sessions, venues)

CURRICULUM = [
    # code, title, hours, mode, assessment
    ("orientasi", "Orientasi program TKS dan TKM", 16, "classroom", "Tes tertulis"),
    ("peran", "Empat peran TKS: motivator, fasilitator, mediator, inovator", 24, "classroom", "Studi kasus"),
    ("usaha", "Pengembangan usaha mikro", 40, "classroom", "Rencana usaha kelompok"),
    ("kemitraan", "Jejaring kemitraan dan akses pembiayaan (KUR, CSR)", 24, "online", "Peta mitra wilayah"),
    ("fasilitasi", "Fasilitasi kelompok", 24, "classroom", "Praktik fasilitasi"),
    ("laporan", "Pelaporan lapangan dan LPJ bantuan", 16, "online", "Contoh LPJ"),
    ("lapangan", "Praktik lapangan mendampingi kelompok TKM", 64, "field", "Laporan praktik"),
]
OUTCOMES = "Peserta mampu menerapkan materi saat mendampingi kelompok TKM."


def _monday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _curriculum(ctx) -> Curriculum:
    found = Curriculum.objects.filter(name="Kurikulum Pelatihan TKS").first()
    if found:
        return found
    c = curricula.create_curriculum(ctx.system, name="Kurikulum Pelatihan TKS",
                                    description="Lima bulan: kelas di BLK, daring, dan praktik lapangan.")
    for order, (code, title, hours, mode, check) in enumerate(CURRICULUM, start=1):
        curricula.add_module(ctx.system, c, order=order, code=code, title=title, planned_hours=hours, mode=mode,
                             assessment=check, outcomes=OUTCOMES, pass_mark=70)
    return c


def _trainer(ctx, username, region, name) -> User:
    user = User.objects.filter(username=username).first() or accounts.create_user(
        ctx.system, username=username, full_name=name, role=Role.TRAINER, region=region,
        email=f"{username}@contoh.go.id", password=ctx.password)
    ctx.logins.append((username, Role.TRAINER.label, region))
    return user


def _selectees(campaign, prefix: str):
    apps = Application.objects.filter(campaign=campaign, decision=Decision.SELECTED, volunteer__isnull=False,
                                      domicile__code__startswith=prefix).order_by("id")
    return [a.volunteer for a in apps.select_related("volunteer")]


def _cohort(ctx, name, campaign, curriculum, region, venue, starts_on, trainer) -> Cohort | None:
    cohort = cohorts.create_cohort(ctx.system, name=name, campaign=campaign, curriculum=curriculum,
                                   region_id=region, venue=venue, starts_on=starts_on, sessions_per_day=1,
                                   session_hours=4)
    for module in cohort.modules.all():
        cohorts.set_module_trainer(ctx.system, module, trainer)
    try:
        sessions.generate_schedule(ctx.system, cohort)
    except ValidationError as exc:  # e.g. a year lokal-id has no holidays for yet
        ctx.out.write(f"  {name}: {' '.join(exc.messages)}")
    return cohort


def _attend(ctx, cohort, rng: Random, since, until, *, weak=()) -> None:
    """Marks for the sessions held in [since, until): most TKS come, some late, a few excused or absent."""
    people = list(cohort.participants.filter(status="active"))
    reliability = {p.pk: (0.5 if p in weak else rng.uniform(0.86, 0.99)) for p in people}
    for session in cohort.sessions.filter(date__gte=since, date__lt=until):
        items = []
        for p in people:
            if rng.random() < reliability[p.pk]:
                items.append((p.pk, Mark.LATE if rng.random() < 0.08 else Mark.PRESENT))
            else:
                items.append((p.pk, Mark.EXCUSED if rng.random() < 0.4 else Mark.ABSENT))
        attendance.mark_many(ctx.system, session, items)


def _scores(ctx, cohort, rng: Random, today) -> None:
    """A score for every module whose sessions are over; a fail gets one remedial attempt."""
    for module in cohort.modules.all():
        last = module.sessions.order_by("-date").values_list("date", flat=True).first()
        if last is None or last >= today:
            continue
        for p in cohort.participants.filter(status="active"):
            score = round(min(98, max(45, rng.gauss(79, 9))), 1)
            assessments.record_score(ctx.system, p, module, score, last)
            if score < float(module.pass_mark):
                assessments.record_score(ctx.system, p, module, round(rng.uniform(70, 86), 1),
                                         min(today, last + dt.timedelta(days=7)), "Remedial")


def _finished(ctx, name, region, people, campaign, curriculum, venue, trainer, today, seed, *, setbacks) -> None:
    """A cohort that has ended and graduated; with `setbacks`, one drop-out, one who fails on
    attendance and one certificate revoked, as real cohorts have."""
    if Cohort.objects.filter(name=name).exists() or not people:
        return
    # Ended before the mentoring demo's field history begins (140 days back): graduates are posted after.
    starts = max(dt.date(2026, 1, 5), _monday_after(today - dt.timedelta(days=300)))
    cohort = _cohort(ctx, name, campaign, curriculum, region, venue, starts, trainer)
    if not cohort.sessions.exists() or cohort.ends_on >= today:
        return
    enrolled = participants.enrol(ctx.system, cohort, people)
    rng = Random(seed)
    weak = enrolled[-1:] if setbacks else []
    dropped_on = cohort.starts_on + dt.timedelta(days=20)
    _attend(ctx, cohort, rng, cohort.starts_on, dropped_on, weak=weak)
    if setbacks:
        participants.drop_out(ctx.system, enrolled[0], "Diterima bekerja di pabrik (demo)", dropped_on)
    _attend(ctx, cohort, rng, dropped_on, today, weak=weak)
    _scores(ctx, cohort, rng, today)
    from sukarela.training.results import cohort_results

    ready = [r.participant for r in cohort_results(cohort) if r.eligible and r.participant.status == "active"]
    if ready:
        graduation.confirm(ctx.system, cohort, ready)
    if ready and setbacks:
        certificates.revoke(ctx.system, ready[-1].certificate, "Data kelulusan dikoreksi (demo)")
        ctx.logins.append((ready[0].volunteer.username, "TKS lulus (sertifikat)", cohort.name))


def _running(ctx, campaign, curriculum, venue, trainer, today) -> None:
    name = "Angkatan 2026 Lombok Timur"
    if Cohort.objects.filter(name=name).exists():
        return
    people = _selectees(campaign, "52.03.")
    starts = _monday_after(today - dt.timedelta(days=75))
    cohort = _cohort(ctx, name, campaign, curriculum, "52.03", venue, starts, trainer)
    if not people or not cohort.sessions.exists():
        return
    participants.enrol(ctx.system, cohort, people)
    rng = Random(2027)
    weak = list(Participant.objects.filter(cohort=cohort).order_by("id")[:1])
    _attend(ctx, cohort, rng, cohort.starts_on, today, weak=weak)
    _scores(ctx, cohort, rng, today)


def build(ctx) -> None:
    campaign = Campaign.objects.filter(name="Rekrutmen TKS 2025").first()
    if campaign is None or ctx.system is None:
        return
    today = timezone.localdate()
    curriculum = _curriculum(ctx)
    jabar = _trainer(ctx, "pelatih-jabar", "32", "Hendra Gunawan")
    ntb = _trainer(ctx, "pelatih-ntb", "52", "Lalu Muhammad Zaini")
    blk_bogor = Venue.objects.filter(name="BLK Komunitas Al-Ikhlas Bogor").first() or venues.create_venue(
        ctx.system, name="BLK Komunitas Al-Ikhlas Bogor", kind="blk_komunitas", region_id="32.01",
        address="Jl. Raya Pesantren No. 12 (demo)", capacity=40)
    blk_lotim = Venue.objects.filter(name="BLK UPTP Lombok Timur").first() or venues.create_venue(
        ctx.system, name="BLK UPTP Lombok Timur", kind="blk_uptp", region_id="52.03",
        address="Jl. Pendidikan No. 5 (demo)", capacity=60)
    _finished(ctx, "Angkatan 2026 Jawa Barat", "32", _selectees(campaign, "32."), campaign, curriculum, blk_bogor,
              jabar, today, 2026, setbacks=True)
    # TKS that the NTB office registered itself (not from the campaign) trained in an earlier NTB cohort.
    staff_made = list(User.objects.filter(role=Role.TKS, username__startswith="tks-5203-").order_by("username"))
    _finished(ctx, "Angkatan 2026 Nusa Tenggara Barat", "52", staff_made, campaign, curriculum, blk_lotim, ntb,
              today, 2028, setbacks=False)
    _running(ctx, campaign, curriculum, blk_lotim, ntb, today)
    ctx.out.write(f"  pelatihan: {Cohort.objects.count()} angkatan, {Participant.objects.count()} peserta")

"""Demo programme, alumni: TKS of earlier years (before this system) recorded by hand by their
district officers, their posting ended six to twelve months ago; the weekly `send-surveys` job
replayed over those months (each wave created on its due week and mailed to the configured mail
backend), about two in three surveys answered through the same service as the public form, and
a few outcomes recorded by officers. Every name and number is synthetic.

How it is written:
- Records through `services.records.create_record` (officer in scope, audited); they have no
  cohort (no training record in this system), so the response-rate page shows them as one row.
- Survey answers go through `services.surveys.answer`, which dates an outcome by the day it runs;
  the demo then dates the 6-month answers back to the week they would have come in.

Idempotent: nothing is added once any alumni record exists.
"""

import datetime as dt
from random import Random

from django.utils import timezone

from sukarela.alumni.models import AlumniRecord, Employment, Outcome, Survey
from sukarela.alumni.services import outcomes, records, surveys
from sukarela.core import services as accounts
from sukarela.core.demo import FAMILY, FIELD_DISTRICTS, GIVEN, synthetic_phone
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.regions.models import Region

PER_DISTRICT = 8
ANSWERED = 0.65
WORK = {Employment.EMPLOYED: ["PT Sinar Agro Lestari", "Koperasi Produsen Tani Makmur", "Kantor Desa",
                             "Toko Bangunan Jaya", "Puskesmas Kecamatan"],
        Employment.OWN_BUSINESS: ["Keripik Pisang Mekar", "Konveksi Seragam Sekolah", "Bengkel Motor Sahabat",
                                  "Warung Kopi Desa", "Budidaya Lele Bioflok"],
        Employment.INCUBATOR: ["Inkubator Usaha Desa Mandiri", "Rumah Kreatif Pemuda"],
        Employment.STUDY: ["Universitas Terbuka", "Politeknik Negeri", "Institut Pertanian"],
        Employment.SEEKING: [""]}
WEIGHTS = [(Employment.EMPLOYED, 0.35), (Employment.OWN_BUSINESS, 0.3), (Employment.INCUBATOR, 0.07),
           (Employment.STUDY, 0.1), (Employment.SEEKING, 0.18)]


def _pick_status(rng: Random) -> str:
    return rng.choices([s for s, _w in WEIGHTS], weights=[w for _s, w in WEIGHTS])[0]


def _answer(rng: Random) -> dict:
    status = _pick_status(rng)
    return {"status": status, "organisation": rng.choice(WORK[status]),
            "jobs_created": rng.randrange(0, 9) if status in outcomes.WITH_JOBS else None,
            "note": rng.choice(["", "", "Dibantu jejaring mitra saat bertugas.", "Mulai setelah pelatihan BLK."])}


def _alumni(ctx, rng: Random, today: dt.date) -> list[AlumniRecord]:
    made = []
    for district in FIELD_DISTRICTS:
        officer = User.objects.filter(role=Role.DISTRICT, region_id=district, is_active=True).first()
        villages = list(Region.objects.filter(level=4, code__startswith=district + ".").order_by("code")[:40])
        if officer is None or not villages:
            continue
        for i in range(PER_DISTRICT):
            username = f"alumni-{district.replace('.', '')}-{i + 1}"
            user = User.objects.filter(username=username).first() or accounts.create_user(
                officer, username=username, full_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", role=Role.TKS,
                region=rng.choice(villages).code, phone=synthetic_phone(rng),
                email="" if i == PER_DISTRICT - 1 else f"{username}@contoh.id", password=ctx.password)
            # Half ended about seven months ago (the 6-month survey is out), half about thirteen.
            months = 6 if i % 2 == 0 else 12
            ended = surveys.add_months(today, -months) - dt.timedelta(days=rng.randrange(7, 50))
            made.append(records.create_record(officer, user.username, ended))
    return made


def build(ctx) -> None:
    if ctx.system is None or AlumniRecord.objects.exists():
        return
    rng = Random(2024)
    today = timezone.localdate()
    made = _alumni(ctx, rng, today)
    if not made:
        return
    # The weekly job over the last fourteen months, answers coming in the week after each mail.
    day = min(r.posting_ended_on for r in made)
    while day <= today:
        surveys.send_due(ctx.system, day)
        for survey in Survey.objects.filter(sent_at__isnull=False, answered_at__isnull=True,
                                            due_on__lte=day, due_on__gt=day - dt.timedelta(days=7)):
            if rng.random() < ANSWERED:
                outcome = surveys.answer(survey, **_answer(rng))
                answered_on = min(day + dt.timedelta(days=rng.randrange(0, 7)), today)
                Outcome.objects.filter(pk=outcome.pk).update(as_of=answered_on)
        day += dt.timedelta(days=7)
    # A few officers' entries (a phone call, a visit to the business).
    for record in rng.sample(made, k=min(5, len(made))):
        officer = User.objects.filter(role=Role.DISTRICT, region_id=record.tks.region_id[:5]).first()
        if officer is not None:
            outcomes.add_outcome(officer, record, as_of=today - dt.timedelta(days=rng.randrange(0, 20)),
                                 **_answer(rng))
    ctx.out.write(f"  alumni: {len(made)} records, {Survey.objects.filter(sent_at__isnull=False).count()} surveys "
                  f"sent, {Survey.objects.filter(answered_at__isnull=False).count()} answered\n")

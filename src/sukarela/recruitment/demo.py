"""Demo programme, recruitment: a finished 2025 campaign (imported, screened, scored,
selected and announced, so its selectees are TKS accounts) and an open 2026 campaign
taking applications on the public form. All applicants are synthetic."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from sukarela.core.demo import DEMO_REGENCIES
from sukarela.engines.synthetic_applicants import generate_rows, score_rows, write_csv
from sukarela.recruitment.models import Application, Campaign
from sukarela.recruitment.services import applications, campaigns, imports, notices, quotas, screening, selection
from sukarela.regions import selectors as regions

WEIGHTS = {"32.01": 420, "32.05": 310, "52.03": 270}  # TKM groups needing a mentor (synthetic)


def _villages() -> list[str]:
    return [code for code in regions.active().filter(level=4).values_list("code", flat=True)
            if code[:5] in WEIGHTS]


def _import(ctx, campaign, kind, rows, headers=None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.csv"
        write_csv(path, rows, delimiter=";", **({"headers": headers} if headers else {}))
        with path.open("rb") as f:
            job = imports.start(ctx.system, campaign, kind, "valid", File(f, name=f"demo-{kind}.csv"))
    job = imports.run(job.pk)
    ctx.out.write(f"  {campaign.name}: {job.message}")


def _finished_campaign(ctx, villages) -> None:
    if Campaign.objects.filter(name="Rekrutmen TKS 2025").exists():
        return
    today = timezone.localdate()
    c = campaigns.create_campaign(
        ctx.system, name="Rekrutmen TKS 2025", year=2025, target_seats=24, opens_on=date(2025, 3, 1),
        closes_on=date(2025, 4, 30), screening_closes_on=date(2025, 5, 31), published=False, min_age=20,
        max_age=35, min_education="D3", household_cap=2, overflow="province",
        regions=list(WEIGHTS.items()))
    campaigns.add_rule(ctx.system, c, key="tidak_bekerja", statement="Saya tidak sedang bekerja")
    quotas.apportion_quotas(ctx.system, c, "webster", 4)
    rows = list(generate_rows(240, villages, seed=2025, error_rate=0.04, today=today))
    for i, row in enumerate(rows):
        row["tidak_bekerja"] = "Tidak" if i % 17 == 0 else "Ya"
    from sukarela.engines.synthetic_applicants import HEADERS

    _import(ctx, c, "applications", rows, {**HEADERS, "tidak_bekerja": "Saya tidak sedang bekerja"})
    screening.screen(ctx.system, c)
    eligible = Application.objects.filter(campaign=c, eligible=True)
    for app in eligible.order_by("id")[:5]:
        applications.verify(ctx.system, app, "rejected", "Ijazah tidak terbaca (demo)")
    eligible.filter(admin_status="pending").update(admin_status="verified")
    _import(ctx, c, "scores", score_rows(list(eligible.values_list("nik", flat=True)), seed=2025))
    selection.run(ctx.system, c)
    notices.announce(ctx.system, c)


def _open_campaign(ctx, villages) -> None:
    if Campaign.objects.filter(name="Rekrutmen TKS 2026").exists():
        return
    today = timezone.localdate()
    c = campaigns.create_campaign(
        ctx.system, name="Rekrutmen TKS 2026", year=2026, target_seats=30, opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=30), published=True, min_age=20, max_age=35, min_education="D3",
        regions=list(WEIGHTS.items()))
    quotas.apportion_quotas(ctx.system, c, "hamilton", 5)
    for row in generate_rows(60, villages, seed=2026, today=today):
        applications.submit(c, row)
    ctx.logins.append(("(publik)", "Formulir lamaran", "/daftar/"))


def build(ctx) -> None:
    villages = _villages()
    if not villages:
        return
    _finished_campaign(ctx, villages)
    _open_campaign(ctx, villages)
    assert set(WEIGHTS) == set(DEMO_REGENCIES)

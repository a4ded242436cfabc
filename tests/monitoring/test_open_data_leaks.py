"""The review's leaks in open data, each shut: a suppressed monthly count read back by subtracting two
periods (only calendar years are published, people counts rounded to 5), and one group's loan
published exactly (credit is guarded by the realised loans, not by all realised linkages).
Data in 2025, a past year, so the year's table does not move with the calendar."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sukarela.monitoring.services.refresh import refresh
from sukarela.partners.models import Linkage
from sukarela.recruitment.models import Application, ConsentText
from tests.alumni.conftest import cohort_of
from tests.conftest import first_village
from tests.groups.conftest import ensure_sectors
from tests.monitoring.indicator_world import at, group
from tests.partners.conftest import partner

pytestmark = pytest.mark.django_db


def province(client, code: str, period: str) -> dict:
    response = client.get("/api/open/provinces", {"period": period})
    assert response.status_code == 200, response.content
    return next(r for r in response.json()["rows"] if r["code"] == code)


def applicants(world, village, days) -> None:
    cohort_of(world)  # makes world.campaign
    consent = ConsentText.of("Uji")
    for k, when in enumerate(days, start=1):
        Application.objects.create(campaign=world.campaign, full_name=f"Pelamar {k}", sex="L", education_level="S1",
                                   domicile=village, consent_text=consent, source="staff", submitted_at=when,
                                   nik=f"3201011705{k:06d}")


@pytest.mark.parametrize("period", ["2025-02", "2025-01", "2025-01..2025-02", "2025-01..2025-12"])
def test_months_and_runs_of_months_are_refused(client, world, period):
    # January had 15 applicants, February 3: February's 3 hid, but January–February minus January
    # gave it back. No month and no run of months is answered any more, only whole years.
    api = client.get("/api/open/provinces", {"period": period})
    assert api.status_code == 422
    error = api.json()["detail"][0]
    assert error["loc"] == ["query", "period"] and "calendar year" in error["msg"]
    page = client.get("/data-terbuka/", {"periode": period}).content.decode()
    assert "bukan per bulan atau rentang bulan" in page  # the form error, not the legend
    download = client.get("/data-terbuka/provinsi.csv", {"periode": period})
    assert download.status_code == 400 and "tahun kalender" in download.content.decode()


def test_a_year_publishes_its_applicants_rounded(client, world):
    applicants(world, first_village("32.01.01"), [at(2025, 1, 5 + d) for d in range(15)]
               + [at(2025, 2, 5 + d) for d in range(3)])
    refresh(full=True)
    year = province(client, "32", "2025")
    # 18 applicants in 2025, published as 20; the answer says so.
    assert year["values"]["funnel_applied"] == 20 and "funnel_applied" not in year["suppressed"]
    body = client.get("/api/open/provinces", {"period": "2025"}).json()
    assert (body["period"], body["months"], body["rounding"]) == ("2025", "2025-01..2025-12", 5)


def test_the_year_to_date_moves_in_steps_of_five(client, world):
    # 13 applicants in January of this year; one more in the current month would make 14: both
    # publish 15, so the difference says nothing about the month.
    today = timezone.localdate()
    village = first_village("32.01.01")
    applicants(world, village, [at(today.year, 1, 2 + d) for d in range(13)])
    refresh(full=True)
    before = province(client, "32", str(today.year))["values"]["funnel_applied"]
    Application.objects.create(campaign=world.campaign, full_name="Pelamar Baru", sex="P", education_level="S1",
                               domicile=village, consent_text=ConsentText.of("Uji"), source="staff",
                               submitted_at=at(today.year, today.month, 1), nik="3201011705999999")
    refresh(full=True)
    after = province(client, "32", str(today.year))["values"]["funnel_applied"]
    assert before == after == 15


def test_the_credit_of_one_loan_among_many_linkages_hides(client, world):
    ensure_sectors()
    village = first_village("52.03.01")
    bank = partner(world, name="Bank Uji")
    groups = [group(f"G{i}", village, dt.date(2024, 1, 1)) for i in range(10)]
    # Ten realised linkages in NTB: nine market links and ONE loan of Rp 37.500.000, one group's.
    for i, g in enumerate(groups):
        Linkage.objects.create(group=g, partner=bank, purpose="pinjaman" if i == 0 else "pasar",
                               status="terealisasi", proposed_on=dt.date(2025, 2, 1), status_on=dt.date(2025, 3, 3),
                               value_amount=Decimal(37_500_000) if i == 0 else None)
    refresh(full=True)
    ntb = province(client, "52", "2025")
    assert ntb["values"]["linkages_realised"] == 10  # not people: exact
    assert ntb["values"]["credit_accessed"] is None and "credit_accessed" in ntb["suppressed"]
    page = client.get("/data-terbuka/", {"periode": "2025"}).content.decode()
    assert "37.500.000" not in page and "37500000" not in page


def test_the_credit_of_ten_loans_shows(client, world):
    ensure_sectors()
    village = first_village("52.03.01")
    bank = partner(world, name="Bank Uji")
    for i in range(10):  # ten loans of Rp 5.000.000: Rp 50.000.000 in all
        Linkage.objects.create(group=group(f"G{i}", village, dt.date(2024, 1, 1)), partner=bank, purpose="pinjaman",
                               status="terealisasi", proposed_on=dt.date(2025, 2, 1), status_on=dt.date(2025, 3, 3),
                               value_amount=Decimal(5_000_000))
    refresh(full=True)
    ntb = province(client, "52", "2025")
    assert ntb["values"]["credit_accessed"] == 50_000_000 and "credit_accessed" not in ntb["suppressed"]

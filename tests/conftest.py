"""Shared fixtures: a small slice of the region tree and a cast of users in it."""

import os
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.transaction import TransactionManagementError

from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.regions.models import Region
from sukarela.regions.services import load_regions

# Two districts of Kabupaten Bogor (32.01), one of Kabupaten Sukabumi (32.02), one of Lombok Timur (52.03).
REGION_SLICE = ["32.01.01", "32.01.02", "32.02.01", "52.03.01"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, a test database of this run's own: several runs may share the server (a CI clone
    beside a developer's run), and pytest-django would otherwise drop the one another run is using.
    (SQLite's test file already carries the process id, see settings.py.)"""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    # Argon2 is the production hasher (tests/core/test_security.py checks it); tests hash faster.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without a collectstatic manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # A cache of its own per test: import progress and the public forms' throttle counts
    # must not carry over from one test (or one run) to the next.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"test-{uuid.uuid4()}"}}


@pytest.fixture
def regions(db):
    """The region slice; loaded again when a transactional test has flushed it."""
    if not Region.objects.filter(code=REGION_SLICE[0]).exists():
        try:
            load_regions(within=REGION_SLICE)
        except TransactionManagementError:
            # Seen now and then on SQLite in the browser tests (before monitoring landed too), right
            # after the previous test's flush: the main thread's connection enters the load with a
            # rollback flag no statement of ours set. A fresh connection loads the slice normally; the
            # test itself then runs as usual. (Cause not found yet: see the stop note.)
            connection.close()
            load_regions(within=REGION_SLICE)
    return Region.objects


def first_village(prefix: str) -> Region:
    return Region.objects.filter(level=4, code__startswith=prefix + ".").order_by("code").first()


def make_user(username, role, region=None, **extra) -> User:
    return User.objects.create_user(
        username, "pw-for-tests-only", full_name=extra.pop("full_name", username.title()), role=role,
        region_id=region, **extra,
    )


@pytest.fixture
def world(regions):
    """Officers at every level plus field users inside and outside Kabupaten Bogor (32.01)."""
    v_in, v_out = first_village("32.01.01"), first_village("32.02.01")
    return SimpleNamespace(
        national=make_user("pusat", Role.NATIONAL),
        provincial=make_user("prov-jabar", Role.PROVINCIAL, "32"),
        district=make_user("kab-bogor", Role.DISTRICT, "32.01"),
        district_other=make_user("kab-sukabumi", Role.DISTRICT, "32.02"),
        provincial_other=make_user("prov-ntb", Role.PROVINCIAL, "52"),
        tks_in=make_user("tks-bogor", Role.TKS, v_in.code, phone="+6281234567890", email="tks.bogor@contoh.go.id"),
        tks_out=make_user("tks-sukabumi", Role.TKS, v_out.code, phone="+6281298765432"),
        village_in=v_in,
        village_out=v_out,
    )

"""A dashboard request costs a bounded number of queries, the same with three groups as with
thirty: the pages read the precomputed aggregates (and one query per table), never row by row."""

import datetime as dt
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.mentoring.models import Visit
from sukarela.monitoring.services.refresh import refresh
from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.monitoring.dashboard_data import real_programme

MAX_QUERIES = 16  # session, user, then a few per table; measured 4-14


def _pages(real):
    return [("national", "/pantau/nasional/"), ("provincial", "/pantau/wilayah/32/"),
            ("district", "/pantau/wilayah/32.01/"), ("district", f"/pantau/kelompok/{real.g1.pk}/"),
            ("tks_in", "/pantau/saya/"), ("provincial", "/pantau/peta/"), ("district", "/pantau/peta/"),
            ("national", "/pantau/anggaran/"), ("district", "/api/monitoring/figures"),
            ("provincial", "/api/monitoring/children"), ("district", "/api/monitoring/groups"),
            ("provincial", "/api/monitoring/map"), ("tks_in", "/api/monitoring/mine")]


def _counts(client, world, pages, django_assert_max_num_queries) -> dict:
    counts = {}
    for who, url in pages:
        client.force_login(getattr(world, who))
        with django_assert_max_num_queries(MAX_QUERIES):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


def _grow(world, n=10):
    """n more groups in Kab. Bogor, each with its own TKS, a posting and two visits; and tks_in mentors
    five more."""
    now = timezone.now()
    for i in range(n):
        tks = make_user(f"tks-tambahan-{i}", Role.TKS, world.village_in.code)
        for k, who in enumerate((tks, world.tks_in) if i < 5 else (tks,)):
            group = make_group(world, "in", name=f"Kelompok Tambahan {i}-{k}")
            Posting.objects.create(group=group, mentor=who, starts_on=timezone.localdate() - dt.timedelta(days=30))
            for days in (3, 35):
                Visit.objects.create(id=uuid.uuid4(), tks=who, group=group, started_at=now - dt.timedelta(days=days),
                                     duration_minutes=30, roles=["motivator"], tasks=["usaha"], digest="uji")
    refresh()


def test_queries_are_bounded_and_do_not_grow_with_the_data(client, world, django_assert_max_num_queries):
    real = real_programme(world)
    pages = _pages(real)
    before = _counts(client, world, pages, django_assert_max_num_queries)
    _grow(world)
    after = _counts(client, world, pages, django_assert_max_num_queries)
    assert after == before

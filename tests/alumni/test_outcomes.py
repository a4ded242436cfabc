"""Outcomes: dated entries never overwritten, each field's rule naming the field; the list's
filters (cohort, latest status, region) and the detail's history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sukarela.alumni import selectors
from sukarela.alumni.models import Outcome, Source
from sukarela.alumni.services import outcomes
from sukarela.core.models import AuditEvent
from tests.alumni.conftest import alumnus, cohort_of

DAY = dt.date(2026, 3, 1)


def _add(world, record, **data):
    return outcomes.add_outcome(world.district, record, **{"as_of": DAY, "status": "bekerja",
                                                            "organisation": "PT Maju", **data})


@pytest.mark.parametrize("data, field", [
    ({"status": "pensiun"}, "status"),
    ({"as_of": dt.date(2025, 12, 31)}, "as_of"),      # before the posting ended
    ({"as_of": dt.date(2999, 1, 1)}, "as_of"),        # the future
    ({"organisation": ""}, "organisation"),          # working: where?
    ({"jobs_created": 3}, "jobs_created"),           # jobs belong to an own business or incubator
    ({"status": "usaha", "organisation": "Warung", "jobs_created": None}, "jobs_created"),
    ({"status": "usaha", "organisation": "Warung", "jobs_created": -1}, "jobs_created"),
    ({"note": "x" * 301}, "note"),
    ({"organisation": "PT\x00"}, "organisation"),
])
def test_each_rule_names_its_field_and_writes_nothing(world, data, field):
    record = alumnus(world)
    with pytest.raises(ValidationError) as err:
        _add(world, record, **data)
    assert field in err.value.message_dict
    assert not Outcome.objects.exists() and not AuditEvent.objects.filter(action="add_outcome").exists()


def test_outcomes_accumulate_and_the_latest_decides_the_list(world):
    record = alumnus(world)
    first = _add(world, record, status="mencari", organisation="", as_of=dt.date(2026, 2, 1))
    second = _add(world, record, status="usaha", organisation="Keripik Sari", jobs_created=4, note="dua produk")
    assert [o.pk for o in selectors.outcomes_of(record)] == [first.pk, second.pk]
    first.refresh_from_db()
    assert first.status == "mencari"  # never overwritten
    assert second.source == Source.OFFICER and second.recorded_by == world.district
    event = AuditEvent.objects.filter(action="add_outcome").first()
    assert event.changes["status"] == [None, "usaha"] and event.changes["jobs_created"] == [None, 4]
    got = selectors.alumni_for(world.district).get(pk=record.pk)
    assert got.latest_status == "usaha" and got.latest_as_of == DAY
    # Study and seeking work need no organisation; zero jobs is an answer.
    _add(world, record, status="inkubator", organisation="Inkubator Desa", jobs_created=0)


def test_only_an_officer_of_the_region_records(world):
    record = alumnus(world)
    with pytest.raises(PermissionDenied):
        outcomes.add_outcome(world.district_other, record, as_of=DAY, status="studi")
    with pytest.raises(PermissionDenied):
        outcomes.add_outcome(record.tks, record, as_of=DAY, status="studi")
    assert outcomes.add_outcome(world.provincial, record, as_of=DAY, status="studi").pk


def test_list_filters_cohort_status_and_region(world):
    working, seeking, fresh = alumnus(world), alumnus(world), alumnus(world)
    outside = alumnus(world, "out")
    _add(world, working)
    _add(world, seeking, status="mencari", organisation="")
    ids = lambda **f: {r.pk for r in selectors.alumni_for(world.national, **f)}  # noqa: E731
    assert ids(status="bekerja") == {working.pk}
    assert ids(status="none") == {fresh.pk, outside.pk}
    assert ids(cohort=cohort_of(world, "out").pk) == {outside.pk}
    assert ids(region="32.02") == {outside.pk}
    assert ids(region="32.01.01") == {working.pk, seeking.pk, fresh.pk}
    assert {r.pk for r in selectors.alumni_for(world.district)} == {working.pk, seeking.pk, fresh.pk}
    assert {r.pk for r in selectors.alumni_for(working.tks)} == {working.pk}  # a TKS: their own
    assert not selectors.alumni_for(world.tks_out).exists()


def test_list_and_detail_pages(client, world, settings):
    settings.SUKARELA_PAGE_SIZE = 2
    records = [alumnus(world) for _ in range(3)]
    _add(world, records[0], status="usaha", organisation="Keripik Sari", jobs_created=4)
    client.force_login(world.district)
    body = client.get(reverse("alumni:alumni_list")).content.decode()
    assert "3 alumni" in body and "Halaman 1 dari 2" in body
    body = client.get(reverse("alumni:alumni_list"), {"status": "usaha"}).content.decode()
    assert "1 alumni" in body and records[0].tks.full_name in body and "Berusaha sendiri" in body
    body = client.get(reverse("alumni:alumni_detail", args=[records[0].pk])).content.decode()
    assert "Keripik Sari" in body and "Dicatat petugas" in body and 'id="add-outcome"' in body
    # The TKS sees their own record, without the officers' forms; not another's.
    client.force_login(records[0].tks)
    body = client.get(reverse("alumni:alumni_detail", args=[records[0].pk])).content.decode()
    assert "Keripik Sari" in body and 'id="add-outcome"' not in body
    assert client.get(reverse("alumni:alumni_detail", args=[records[1].pk])).status_code == 404


def test_a_refused_outcome_form_says_why(client, world):
    record = alumnus(world)
    client.force_login(world.district)
    response = client.post(reverse("alumni:outcome_add", args=[record.pk]),
                           {"as_of": "2026-03-01", "status": "bekerja", "jobs_created": "2"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sebutkan tempat kerja" in body and "hanya diisi untuk usaha sendiri" in body
    assert not Outcome.objects.exists()


def test_the_record_form_page(client, world):
    client.force_login(world.district)
    assert client.get(reverse("alumni:record_create")).status_code == 200
    response = client.post(reverse("alumni:record_create"), {"tks": "tidak-ada", "posting_ended_on": "2024-01-01"})
    assert response.status_code == 422 and "Tidak ada TKS" in response.content.decode()
    client.force_login(world.tks_in)
    assert client.get(reverse("alumni:record_create")).status_code == 403

"""Budgets (services/budget.py, the page and the API): who may set which region's, the fields'
rules with the field named, create or replace with an audit record, and the refresh after saving."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.monitoring.models import Budget
from sukarela.monitoring.services import budget as service
from sukarela.monitoring.services import refresh as refreshing

YEAR = timezone.localdate().year


def errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_create_then_replace_with_an_audit_record_each(world):
    budget, created = service.set_budget(world.national, "", YEAR, 29_880_000_000, "APBN")
    assert created and budget.region is None and budget.amount == Decimal("29880000000")
    event = AuditEvent.objects.get(action="create_budget")
    assert event.actor == world.national and event.changes["amount"] == [None, "29880000000"]
    again, created = service.set_budget(world.national, "", YEAR, "30.000.000.000", "APBN-P")
    assert not created and again.pk == budget.pk and again.amount == Decimal("30000000000")
    event = AuditEvent.objects.get(action="replace_budget")
    assert event.changes == {"amount": ["29880000000", "30000000000"], "note": ["APBN", "APBN-P"]}
    assert Budget.objects.count() == 1
    service.set_budget(world.national, "", YEAR, 30_000_000_000, "APBN-P")  # the same again: no record
    assert AuditEvent.objects.filter(action__endswith="_budget").count() == 2


def test_each_officer_sets_budgets_within_their_region_only(world):
    service.set_budget(world.national, "32.01", YEAR, 1, "")
    service.set_budget(world.provincial, "32", YEAR, 2, "")
    service.set_budget(world.provincial, "32.02", YEAR, 3, "")
    service.set_budget(world.district, "32.01", YEAR - 1, 4, "")
    assert errors(lambda: service.set_budget(world.provincial, "", YEAR, 5, ""))["region"] == [
        "Hanya petugas nasional yang mengisi anggaran nasional."]
    assert "di luar wilayah kerja Anda" in errors(lambda: service.set_budget(world.district, "32.02", YEAR, 5, ""))[
        "region"][0]
    assert "di luar" in errors(lambda: service.set_budget(world.district, "32", YEAR, 5, ""))["region"][0]
    for code in ("32.01.01", "99", "32.01.01.2001", "x\x00"):
        assert errors(lambda: service.set_budget(world.national, code, YEAR, 5, ""))["region"] == [
            "Pilih provinsi atau kabupaten/kota yang dikenal."], code
    with pytest.raises(PermissionDenied):
        service.set_budget(world.tks_in, "32.01", YEAR, 5, "")
    assert Budget.objects.count() == 4


@pytest.mark.parametrize("amount", [0, -5, "0", "1,5", "1.5", "abc", None, True, 1.5, 10**16, "Rp 1.000,50",
                                    Decimal("NaN"), Decimal("1.1")])
def test_the_amount_is_whole_positive_rupiah(world, amount):
    assert "amount" in errors(lambda: service.set_budget(world.national, "32", YEAR, amount, ""))


@pytest.mark.parametrize("amount,stored", [("1.500.000", 1_500_000), ("Rp 2.000.000", 2_000_000), ("750000", 750_000),
                                           (Decimal("9999999999999999"), 9_999_999_999_999_999)])
def test_amounts_as_people_write_them(world, amount, stored):
    budget, _ = service.set_budget(world.national, "32", YEAR, amount, "")
    assert budget.amount == stored


def test_year_and_note_are_named_when_wrong_all_at_once(world):
    found = errors(lambda: service.set_budget(world.national, "99", 1999, 0, "x" * 301))
    assert set(found) == {"region", "year", "amount", "note"}
    assert found["year"] == [f"Tahun antara 2000 dan {YEAR + 1}."]
    assert "year" in errors(lambda: service.set_budget(world.national, "32", "dua ribu", 5, ""))
    assert "year" in errors(lambda: service.set_budget(world.national, "32", YEAR + 2, 5, ""))


def test_the_page_saves_refreshes_and_lists(client, world, monkeypatch):
    calls = []
    monkeypatch.setattr(refreshing, "refresh", lambda **kw: calls.append(kw))
    client.force_login(world.provincial)
    response = client.post("/pantau/anggaran/", {"region": "32.01", "year": YEAR, "amount": "620.000.000",
                                                 "note": "APBD"})
    assert response.status_code == 302 and calls == [{}]
    body = client.get("/pantau/anggaran/").content.decode()
    assert "Anggaran Kabupaten Bogor" in body and "Rp 620.000.000" in body
    # No region chosen: the officer's own province.
    client.post("/pantau/anggaran/", {"region": "", "year": YEAR, "amount": "2400000000"})
    assert Budget.objects.get(region_id="32").amount == 2_400_000_000
    response = client.post("/pantau/anggaran/", {"region": "52", "year": YEAR, "amount": "5"})
    assert response.status_code == 200 and "berada di luar" in response.content.decode()
    response = client.post("/pantau/anggaran/", {"region": "32.02", "year": YEAR, "amount": "0"})
    assert response.status_code == 200 and "lebih dari 0" in response.content.decode()
    assert Budget.objects.count() == 2 and len(calls) == 2


def test_the_api_lists_and_puts_with_field_errors(client, world, monkeypatch):
    monkeypatch.setattr(refreshing, "refresh", lambda **kw: None)
    client.force_login(world.national)
    response = client.put("/api/monitoring/budgets", {"year": YEAR, "amount": 29_880_000_000},
                          content_type="application/json")
    assert response.status_code == 201 and response.json()["region"] == ""  # omitted: the caller's own (nation)
    response = client.put("/api/monitoring/budgets", {"region": "", "year": YEAR, "amount": 1, "note": "ralat"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["created"] is False and response.json()["amount"] == 1
    response = client.put("/api/monitoring/budgets", {"region": "32", "year": YEAR, "amount": 0},
                          content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "amount"]
    response = client.put("/api/monitoring/budgets", {"region": "32.01.01", "year": YEAR, "amount": 5},
                          content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "region"]
    listed = client.get("/api/monitoring/budgets").json()
    assert listed["count"] == 1 and listed["items"][0]["region_name"] == "Indonesia"
    client.force_login(world.district)
    assert client.put("/api/monitoring/budgets", {"region": "32", "year": YEAR, "amount": 5},
                      content_type="application/json").status_code == 404
    assert client.get("/api/monitoring/budgets").json()["count"] == 0  # the national budget is not theirs

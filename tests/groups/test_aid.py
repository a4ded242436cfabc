"""Aid amounts are whole rupiah written as digits (thousands separated by "." or a space, "Rp" in
front allowed), never scientific notation, and fit the 14-digit column: the same rule in the
form, the API and the import."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sukarela.groups.models import Group
from sukarela.groups.rules import MAX_RUPIAH, parse_rupiah
from sukarela.groups.services.imports import import_groups
from tests.groups.conftest import make_group, nik, person
from tests.groups.test_import import group_cells, row, upload

TOO_MUCH = 10**14


@pytest.mark.parametrize("text, value", [
    ("1500000", 1_500_000), ("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("Rp 1.500.000", 1_500_000),
    ("Rp1500000", 1_500_000), ("rp. 1.500.000", 1_500_000), ("99.999.999.999.999", MAX_RUPIAH), ("0", 0),
])
def test_plain_digits_with_thousands_separators(text, value):
    assert parse_rupiah(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1e7", "1E7", "1.5e6", "Infinity", "NaN", "1,5", "1.5", "1500000.00",
                                  "1,500,000", "-1500000", "1.50.000", "1.500 000", "Rp", "satu juta", "0x10"])
def test_anything_else_is_no_amount(text):
    assert parse_rupiah(text) == "bad"


def test_the_service_refuses_more_than_the_column_holds(world, sectors):
    with pytest.raises(ValidationError) as exc:
        make_group(world, aid_amount=Decimal(TOO_MUCH), aid_received_on=dt.date(2026, 2, 1),
                   aid_tools=Decimal(TOO_MUCH) * 6, aid_materials=Decimal(TOO_MUCH) * 4 / 10)
    errors = exc.value.message_dict
    assert "99.999.999.999.999" in errors["aid_amount"][0] and "99.999.999.999.999" in errors["aid_tools"][0]


def form_data(world, **aid) -> dict:
    chair = person(name="Ketua Formulir")
    return {"name": "Kelompok Formulir", "tier": "pemula", "sector": "usaha-kreatif",
            "village": world.village_in.code, "aid_received_on": "2026-02-01",
            **{f"chair_{k}": v for k, v in chair.items()}, **aid}


def test_the_form_takes_separators_and_refuses_scientific_notation(client, world, sectors):
    client.force_login(world.district)
    response = client.post(reverse("groups:group_create"), form_data(
        world, aid_amount="1e7", aid_tools="6000000", aid_materials="4000000"))
    assert response.status_code == 200 and "aid_amount" in response.context["form"].errors
    response = client.post(reverse("groups:group_create"), form_data(
        world, aid_amount=str(TOO_MUCH), aid_tools="60.000.000.000.000", aid_materials="40.000.000.000.000"))
    assert "99.999.999.999.999" in response.context["form"].errors["aid_amount"][0]
    assert not Group.objects.exists()
    response = client.post(reverse("groups:group_create"), form_data(
        world, aid_amount="Rp 10.000.000", aid_tools="6 000 000", aid_materials="4.000.000"))
    assert response.status_code == 302
    assert Group.objects.get().aid_amount == 10_000_000


def api_body(world, amount: str) -> str:
    chair = person(name="Ketua API")
    chair["birth_date"] = chair["birth_date"].isoformat()
    body = json.dumps({"name": "Kelompok API", "sector": "perdagangan", "village": world.village_in.code,
                       "aid_amount": "AMOUNT", "aid_received_on": "2026-02-01", "aid_tools": 3_000_000,
                       "aid_materials": 2_000_000, "chair": chair})
    return body.replace('"AMOUNT"', amount)


@pytest.mark.parametrize("amount", ["5e6", "5000000.0", '"5e6"', '"5000000"', str(TOO_MUCH), "true"])
def test_the_api_takes_whole_numbers_only(client, world, sectors, amount):
    client.force_login(world.district)
    response = client.post("/api/groups", api_body(world, amount), content_type="application/json")
    assert response.status_code == 422, response.content
    assert any(d["loc"][-1] == "aid_amount" for d in response.json()["detail"])
    assert not Group.objects.exists()


def test_the_api_takes_an_integer(client, world, sectors):
    client.force_login(world.district)
    response = client.post("/api/groups", api_body(world, "5000000"), content_type="application/json")
    assert response.status_code == 201 and response.json()["aid_amount"] in (5_000_000, "5000000")


@pytest.mark.parametrize("cells", [
    {"Bantuan (Rp)": "1e7"},
    {"Bantuan (Rp)": str(TOO_MUCH), "Rencana Alat (Rp)": "60000000000000", "Rencana Bahan (Rp)": "40000000000000"},
])
def test_the_import_refuses_scientific_notation_and_too_much(world, sectors, cells):
    rows = [row("K01", nik(), "Ketua", chair="ya", **group_cells(world, "Tani Makmur", **cells))]
    result = import_groups(world.district, upload(rows), "all")
    assert [(e.column, e.row) for e in result.errors] == [("Bantuan (Rp)", 2)]
    assert not Group.objects.exists()


def test_the_import_takes_spaces_as_thousands_separators(world, sectors):
    rows = [row("K01", nik(), "Ketua", chair="ya", **group_cells(world, "Tani Makmur", **{
        "Bantuan (Rp)": "Rp 10 000 000", "Rencana Alat (Rp)": "6.000.000"}))]
    result = import_groups(world.district, upload(rows), "all")
    assert result.errors == [] and Group.objects.get().aid_amount == 10_000_000

"""Training venues: kept by the officers of their region, listed only inside the caller's scope."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.training.models import Venue
from sukarela.training.services import venues

BLK = {"name": "BLK Cibinong", "kind": "blk_uptp", "address": "Jl. Raya Bogor", "capacity": 40}


def _post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# --- services ------------------------------------------------------------------------
def test_an_officer_adds_a_venue_in_their_region(world):
    venue = venues.create_venue(world.district, region_id="32.01", **BLK)
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.actor, event.changes["name"]) == ("create", world.district, [None, "BLK Cibinong"])
    assert venue.region_id == "32.01"


@pytest.mark.parametrize("who, region", [("district_other", "32.01"), ("provincial_other", "32.01"),
                                         ("district", "32"), ("tks_in", "32.01")])
def test_a_venue_outside_the_scope_is_refused(world, who, region):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        venues.create_venue(getattr(world, who), region_id=region, **BLK)
    assert not Venue.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_venue_cannot_be_moved_out_of_the_scope(world):
    venue = venues.create_venue(world.district, region_id="32.01", **BLK)
    with pytest.raises(PermissionDenied):
        venues.update_venue(world.district, venue, region_id="32.02")
    with pytest.raises(PermissionDenied):
        venues.update_venue(world.district_other, venue, name="Diambil")
    venue.refresh_from_db()
    assert (venue.region_id, venue.name) == ("32.01", "BLK Cibinong")


def test_bad_venue_input_names_the_field(world):
    with pytest.raises(ValidationError) as caught:
        venues.create_venue(world.national, region_id="99.99", **{**BLK, "kind": "kapal", "name": ""})
    assert {"region", "kind", "name"} <= set(caught.value.message_dict)
    assert not Venue.objects.exists()


# --- pages ---------------------------------------------------------------------------
def test_the_venue_pages_add_and_change_a_venue(client, world):
    client.force_login(world.district)
    form = client.get(reverse("training:venue_create")).content.decode()
    assert 'value="32.01"' in form  # the picker starts at the officer's own region
    response = client.post(reverse("training:venue_create"), {**BLK, "region": world.village_in.code[:8]})
    assert response.status_code == 302, response.context and response.context["form"].errors
    venue = Venue.objects.get()
    assert venue.region_id == world.village_in.code[:8]
    response = client.post(reverse("training:venue_edit", args=[venue.pk]),
                           {**BLK, "capacity": 60, "region": "32.01"})
    assert response.status_code == 302
    venue.refresh_from_db()
    assert (venue.capacity, venue.region_id) == (60, "32.01")
    body = client.get(reverse("training:venue_list")).content.decode()
    assert "BLK Cibinong" in body and "Jl. Raya Bogor" in body


def test_the_venue_form_refuses_a_region_outside_the_scope(client, world):
    client.force_login(world.district_other)
    response = client.post(reverse("training:venue_create"), {**BLK, "region": "32.01"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["region"]
    assert not Venue.objects.exists()


def test_the_venue_form_shows_field_errors(client, world):
    client.force_login(world.district)
    response = client.post(reverse("training:venue_create"), {**BLK, "name": "", "capacity": 0, "region": "32.01"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "capacity"}
    assert 'role="alert"' in response.content.decode()


# --- API -----------------------------------------------------------------------------
def test_venues_over_the_api(client, world):
    client.force_login(world.district)
    response = _post_json(client, "/api/training/venues", {**BLK, "region": "32.01"})
    assert response.status_code == 201, response.content
    assert response.json()["region"] == "32.01" and response.json()["region_name"]
    venues.create_venue(world.district_other, region_id="32.02", **{**BLK, "name": "BLK Sukabumi"})
    payload = client.get("/api/training/venues").json()
    assert [v["name"] for v in payload["items"]] == ["BLK Cibinong"] and payload["count"] == 1


@pytest.mark.parametrize("body, field", [({"region": "99.99"}, "region"), ({"region": ""}, "region"),
                                         ({"kind": "kapal"}, "kind"), ({"capacity": 0}, "capacity"),
                                         ({"name": ""}, "name")])
def test_the_venue_api_names_a_bad_field(client, world, body, field):
    client.force_login(world.national)
    response = _post_json(client, "/api/training/venues", {**BLK, "region": "32.01", **body})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not Venue.objects.exists()

"""Business sectors are extensible: a national officer adds one (code, name, order), audited; every
officer sees the list; a new sector is at once a choice in the group form and in the import."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.groups.models import Sector
from sukarela.groups.services import sectors as service
from tests.groups.conftest import ensure_sectors, make_group
from tests.scope_harness import RouteCase


def test_a_national_officer_adds_a_sector_with_an_audit_record(world, sectors):
    sector = service.create_sector(world.national, code=" kerajinan-bambu ", name=" Kerajinan bambu ", order=60)
    assert (sector.code, sector.name, sector.order) == ("kerajinan-bambu", "Kerajinan bambu", 60)
    event = AuditEvent.objects.get(action="create_sector")
    assert event.actor == world.national and event.changes["name"] == [None, "Kerajinan bambu"]
    group = make_group(world, sector="kerajinan-bambu")  # usable at once
    assert group.sector == sector


@pytest.mark.parametrize("actor", ["district", "provincial", "tks_in"])
def test_only_a_national_officer_adds_one(world, sectors, actor):
    with pytest.raises(PermissionDenied):
        service.create_sector(getattr(world, actor), code="baru", name="Baru", order=60)
    assert not Sector.objects.filter(code="baru").exists()


@pytest.mark.parametrize("data, field", [
    ({"code": "jasa-boga"}, "code"),                     # taken
    ({"code": "Kerajinan Bambu"}, "code"),               # not a slug
    ({"code": ""}, "code"),
    ({"code": "x" * 31}, "code"),
    ({"name": "  "}, "name"),
    ({"name": "jasa boga / MAKANAN"}, "name"),           # another sector's name (the import reads names)
    ({"name": "perdagangan"}, "name"),                   # another sector's code
    ({"name": "x" * 101}, "name"),
    ({"order": -1}, "order"),
    ({"order": 40000}, "order"),
    ({"order": None}, "order"),
])
def test_bad_input_names_the_field_and_stores_nothing(world, sectors, data, field):
    before = Sector.objects.count()
    with pytest.raises(ValidationError) as exc:
        service.create_sector(world.national, **{"code": "kerajinan", "name": "Kerajinan", "order": 60, **data})
    assert field in exc.value.message_dict
    assert Sector.objects.count() == before and not AuditEvent.objects.filter(action="create_sector").exists()


class TestSectorListPage(RouteCase):
    route = "groups:sector_list"
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        ensure_sectors()
        return None

    def url(self, obj):
        return reverse("groups:sector_list")

    def test_lists_every_sector_and_offers_the_form_to_national_only(self, client, world):
        ensure_sectors()
        client.force_login(world.district)
        body = client.get(self.url(None)).content.decode()
        assert "Perdagangan barang &amp; jasa" in body and "perikanan-kelautan" in body
        assert reverse("groups:sector_create") not in body
        client.force_login(world.national)
        assert reverse("groups:sector_create") in client.get(self.url(None)).content.decode()


class TestSectorCreatePage(RouteCase):
    route = "groups:sector_create"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider = "district"
    outsider_status = 403
    audit_action = "create_sector"

    def make(self, world, where):
        ensure_sectors()
        return None

    def data(self, obj, world):
        return {"code": "kerajinan", "name": "Kerajinan tangan", "order": "60"}

    def url(self, obj):
        return reverse("groups:sector_create")

    def test_errors_land_on_the_field(self, client, world):
        ensure_sectors()
        client.force_login(world.national)
        response = client.post(self.url(None), {**self.data(None, world), "code": "jasa-boga"})
        assert response.status_code == 200 and "code" in response.context["form"].errors
        assert client.get(self.url(None)).status_code == 200
        client.force_login(world.district)
        assert client.get(self.url(None)).status_code == 403

    def test_the_new_sector_is_a_choice_in_the_group_form(self, client, world):
        ensure_sectors()
        client.force_login(world.national)
        client.post(self.url(None), self.data(None, world))
        client.force_login(world.district)
        assert "Kerajinan tangan" in client.get(reverse("groups:group_create")).content.decode()

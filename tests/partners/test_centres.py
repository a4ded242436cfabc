"""Training centres (services/centres.py, selectors/centres.py and their pages): kinds, FKN
membership, region scope, venue link, programmes and supporters, the list's filters and the FKN
forum page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.partners.models import TrainingCentre
from sukarela.partners.selectors import centres as selectors
from sukarela.partners.services import centres as service
from sukarela.training.models import Venue
from tests.partners.test_linkages import make_centre


def data(**over):
    base = {"name": "BLK Komunitas Pesantren Al-Ikhlas", "kind": "komunitas", "host_institution": "Pondok Pesantren "
            "Al-Ikhlas", "vocational_fields": "Menjahit; Las , menjahit, Tata boga", "region": "32.01.01",
            "fkn_member": True, "fkn_joined_on": dt.date(2024, 5, 1)}
    base.update(over)
    return base


def test_create_centre_cleans_fields_and_audits(world):
    centre = service.create_centre(world.district, **data())
    assert centre.vocational_fields == "Menjahit, Las, Tata boga"
    assert centre.region_id == "32.01.01" and centre.fkn_member
    event = AuditEvent.objects.get(action="create_centre")
    assert event.changes["kind"] == [None, "komunitas"] and event.actor == world.district


def test_only_blk_komunitas_joins_fkn_and_dates_need_membership(world):
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(kind="uptp"))
    assert exc.value.message_dict["fkn_member"] == [
        "Hanya BLK Komunitas yang dapat menjadi anggota FKN BLK Komunitas."]
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(fkn_member=False))
    assert "fkn_joined_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(fkn_joined_on=timezone.localdate() + dt.timedelta(days=1)))
    assert "masa depan" in exc.value.message_dict["fkn_joined_on"][0]
    assert not TrainingCentre.objects.exists() and not AuditEvent.objects.filter(action="create_centre").exists()


def test_region_must_be_known_and_in_scope_and_fields_named(world):
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(region="32.02", name="", kind="lain"))
    assert set(exc.value.message_dict) == {"region", "name", "kind"}
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(region="99.99"))
    assert "region" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        service.create_centre(world.tks_in, **data())


def test_venue_of_the_same_region_and_one_centre_only(world):
    near = Venue.objects.create(name="BLK Cibinong", region_id="32.01")
    far = Venue.objects.create(name="BLK Sukabumi", region_id="32.02")
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.provincial, **data(venue=far.pk))
    assert "wilayah lain" in exc.value.message_dict["venue"][0]
    first = service.create_centre(world.district, **data(venue=near.pk))
    assert first.venue == near
    with pytest.raises(ValidationError) as exc:
        service.create_centre(world.district, **data(name="BLK Lain", venue=near.pk))
    assert "sudah terhubung" in exc.value.message_dict["venue"][0]
    with pytest.raises(ValidationError) as exc:  # outside the Bogor officer's view
        service.create_centre(world.district, **data(name="BLK Lain", venue=far.pk))
    assert "di luar wilayah kerja" in exc.value.message_dict["venue"][0]
    assert service.update_centre(world.district, first, name="BLK Baru").venue == near  # keeps its own venue


def test_update_centre_audits_changes_and_refuses_outsiders(world):
    centre = make_centre(world)
    service.update_centre(world.district, centre, fkn_member=True, fkn_joined_on="2025-01-02")
    event = AuditEvent.objects.get(action="update_centre")
    assert event.changes["fkn_member"] == [False, True] and event.changes["fkn_joined_on"] == [None, "2025-01-02"]
    with pytest.raises(PermissionDenied):
        service.update_centre(world.district_other, centre, name="X")


def test_programmes_add_edit_and_their_rules(world):
    centre = make_centre(world)
    programme = service.add_programme(world.district, centre, name="Inkubasi bisnis", year=2025, participants=20)
    service.update_programme(world.district, programme, participants=24)
    programme.refresh_from_db()
    assert programme.participants == 24
    assert AuditEvent.objects.filter(action__in=["add_centre_programme", "update_centre_programme"]).count() == 2
    with pytest.raises(ValidationError) as exc:
        service.add_programme(world.district, centre, name="", year=1800, participants=-1)
    assert set(exc.value.message_dict) == {"name", "year", "participants"}
    with pytest.raises(PermissionDenied):
        service.add_programme(world.district_other, centre, name="X", year=2025)


def test_supporters_among_visible_partners(partners_world):
    w = partners_world
    centre = make_centre(w.world)
    service.add_supporter(w.district, centre, w.bogor)
    service.add_supporter(w.district, centre, w.bri.pk)
    with pytest.raises(ValidationError) as exc:
        service.add_supporter(w.district, centre, w.ntb)  # NTB's partner: not visible from Bogor
    assert "partner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        service.add_supporter(w.district, centre, w.bogor)  # already a supporter
    service.remove_supporter(w.district, centre, w.bri)
    assert list(centre.supporters.all()) == [w.bogor]
    actions = list(AuditEvent.objects.filter(target_type="partners.trainingcentre").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["add_centre_supporter", "add_centre_supporter", "remove_centre_supporter"]
    centre.supporters.add(w.ntb)  # added by the NTB side: counted on the page, not named
    page = selectors.centre_page(w.district, centre.pk)
    assert page["supporters"] == [w.bogor] and page["hidden_supporters"] == 1


def test_list_filters_and_scope(world):
    a = make_centre(world, name="BLK Alpha", fkn_member=True)
    b = make_centre(world, name="BLK Beta", kind="uptp")
    c = make_centre(world, "out", name="BLK Gamma")
    f = selectors.CentreFilters
    assert list(selectors.centre_list(world.district, f())) == [a, b]
    assert list(selectors.centre_list(world.district, f(kind="uptp"))) == [b]
    assert list(selectors.centre_list(world.district, f(fkn="1"))) == [a]
    assert list(selectors.centre_list(world.provincial, f(region="32.02"))) == [c]
    assert not selectors.centre_list(world.tks_in, f()).exists()


def test_fkn_forum_counts_members_by_province(world, client):
    make_centre(world, name="BLK Bogor Satu", fkn_member=True)
    TrainingCentre.objects.create(name="BLK Sukabumi Dua", kind="komunitas", region_id="32.02", fkn_member=True)
    TrainingCentre.objects.create(name="BLK Lombok", kind="komunitas", region_id="52", fkn_member=True)
    make_centre(world, name="BLK Bukan Anggota")
    forum = selectors.fkn_forum(world.provincial)
    assert [(p["code"], p["count"]) for p in forum["provinces"]] == [("32", 2)]
    assert forum["total"] == 2 and forum["komunitas"] == 3
    national = selectors.fkn_forum(world.national)
    assert [(p["code"], p["count"]) for p in national["provinces"]] == [("32", 2), ("52", 1)]
    client.force_login(world.district)
    body = client.get(reverse("partners:centre_fkn")).content.decode()
    assert "BLK Bogor Satu" in body and "BLK Sukabumi Dua" not in body and "BLK Lombok" not in body


def test_pages_create_edit_programme_supporter(partners_world, client):
    w = partners_world
    client.force_login(w.district)
    response = client.post(reverse("partners:centre_create"), data(fkn_joined_on="2024-05-01", fkn_member="on"))
    centre = TrainingCentre.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("partners:centre_detail", args=[centre.pk])
    bad = client.post(reverse("partners:centre_edit", args=[centre.pk]), data(kind="uptp", fkn_member="on"))
    assert bad.status_code == 200 and "Hanya BLK Komunitas" in bad.content.decode()
    client.post(reverse("partners:centre_programme_add", args=[centre.pk]), {"name": "Kelas wirausaha", "year": 2025})
    client.post(reverse("partners:centre_supporter_add", args=[centre.pk]), {"partner": w.bogor.pk})
    body = client.get(reverse("partners:centre_detail", args=[centre.pk])).content.decode()
    assert "Kelas wirausaha" in body and w.bogor.name in body and "Pondok Pesantren" in body
    listed = client.get(reverse("partners:centre_list"), {"fkn": "1", "kind": "komunitas"}).content.decode()
    assert centre.name in listed
    client.force_login(w.district_other)
    assert client.get(reverse("partners:centre_detail", args=[centre.pk])).status_code == 404

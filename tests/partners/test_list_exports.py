"""Downloads of the partners app: the BLK list (core.exporting) and the partner export under the same
masking rule, narrowed by this app's own (contacts in full only for the office that edits them)."""

import io

import openpyxl
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.partners.services import centres as service
from sukarela.partners.services.contacts import add_contact
from tests.export_helpers import column, get_table, last_export_event
from tests.partners.test_centres import data

CENTRES = reverse("partners:centre_list")
EXPORT = reverse("partners:partner_export")


def _centres(world):
    service.create_centre(world.district, **data())
    service.create_centre(world.district, **data(name="BLK UPTP Bogor", kind="uptp", fkn_member=False,
                                                 fkn_joined_on=None, host_institution=""))
    service.create_centre(world.district_other, **data(name="BLK Sukabumi", region="32.02.01"))


def test_centre_export_is_scoped_and_filtered(client, world):
    _centres(world)
    client.force_login(world.district)
    rows = get_table(client, CENTRES, "xlsx")
    assert [(r["BLK"], r["Jenis"], r["Anggota FKN"]) for r in rows] == [
        ("BLK Komunitas Pesantren Al-Ikhlas", "BLK Komunitas", "ya"), ("BLK UPTP Bogor", "BLK UPTP", "tidak")]
    assert column(get_table(client, CENTRES, "csv", fkn="1"), "BLK") == ["BLK Komunitas Pesantren Al-Ikhlas"]
    client.force_login(world.district_other)
    assert column(get_table(client, CENTRES, "csv"), "BLK") == ["BLK Sukabumi"]
    client.force_login(world.tks_in)
    assert client.get(CENTRES + "?unduh=csv").status_code == 403


def _contacts(response) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    at = rows[0].index("Telepon Kontak")
    return {r[1]: r[at] for r in rows[1:]}


def test_partner_contacts_masked_by_default_even_for_the_editing_office(client, partners_world):
    w = partners_world
    client.force_login(w.district)
    phones = _contacts(client.get(EXPORT))
    assert phones[w.bogor.name] == "0813****2222"
    assert AuditEvent.objects.filter(action="export_personal").count() == 0


def test_partner_contacts_in_full_for_the_editing_office_that_asks(client, partners_world):
    w = partners_world
    client.force_login(w.district)
    phones = _contacts(client.get(EXPORT + "?pribadi=1&q=Bogor"))
    assert phones == {w.bogor.name: "'+6281311112222"}
    event = last_export_event()
    assert event.actor == w.district and event.changes["rows"] == [None, 1]
    assert event.changes["filters"] == [None, {"q": "Bogor"}]


def test_a_partner_the_officer_may_not_edit_stays_masked(client, partners_world):
    w = partners_world
    add_contact(w.district_other, w.serves_bogor, full_name="Asep", phone="081398765432")
    client.force_login(w.district)  # sees Sukabumi's foundation (it serves Bogor), may not edit it
    phones = _contacts(client.get(EXPORT + "?pribadi=1"))
    assert phones[w.serves_bogor.name] == "0813****5432" and phones[w.bogor.name] == "'+6281311112222"


def test_partner_export_over_the_cap(client, partners_world, settings):
    settings.SUKARELA_EXPORT_MAX_ROWS = 1
    client.force_login(partners_world.district)
    response = client.get(EXPORT + "?pribadi=1")
    assert response.status_code == 302 and response["Location"] == reverse("partners:partner_list")
    assert AuditEvent.objects.filter(action="export_personal").count() == 0

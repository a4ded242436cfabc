"""Partners' rules: who registers and edits what, reach and home region, visibility, contacts
(phone normalised, masked in the trail and for officers who may not edit), the export's masking."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Reach
from sukarela.partners.selectors import editable, partner_for, partners_for
from sukarela.partners.selectors.listing import Filters
from sukarela.partners.selectors.transfer import export_table
from sukarela.partners.services.contacts import add_contact, remove_contact
from sukarela.partners.services.partners import create_partner, update_partner

pytestmark = pytest.mark.django_db


def data(**kw):
    base = {"name": "Koperasi Simpan Pinjam Ciawi Mandiri", "kind": "pemberdayaan", "reach": Reach.DISTRICT,
            "region": "32.01"}
    base.update(kw)
    return base


def test_district_officer_registers_in_own_regency(world):
    p = create_partner(world.district, **data(regions_served=["32.01", "32.02.01"], offers=["pelatihan", "hibah"],
                                              website="www.ciawi.or.id"))
    assert p.created_by == world.district and p.name_key == "simpan pinjam ciawi mandiri"
    assert sorted(r.code for r in p.regions_served.all()) == ["32.01", "32.02.01"]
    assert p.website == "https://www.ciawi.or.id"
    event = AuditEvent.objects.get(action="create_partner")
    assert event.changes["name"] == [None, p.name] and event.changes["offers"] == [None, "hibah, pelatihan"]


@pytest.mark.parametrize("who, kw, field", [
    ("district", {"region": "32.02"}, "region"),                      # another regency
    ("district", {"reach": Reach.PROVINCIAL, "region": "32"}, "region"),  # a province above its scope
    ("district", {"reach": Reach.NATIONAL, "region": None}, "reach"),  # national reach is a national decision
    ("provincial", {"reach": Reach.INTERNATIONAL, "region": None}, "reach"),
    ("provincial", {"region": None}, "region"),                       # district reach needs a home
    ("provincial", {"region": "32"}, "region"),                       # district reach: a regency, not a province
    ("provincial", {"reach": Reach.PROVINCIAL, "region": "32.01"}, "region"),
    ("national", {"region": "99.99"}, "region"),
    ("national", {"kind": "warung"}, "kind"),
    ("national", {"name": "  "}, "name"),
    ("national", {"offers": ["kredit", "emas"]}, "offers"),
    ("national", {"regions_served": ["32.01", "00"]}, "regions_served"),
    ("national", {"website": "bukan situs"}, "website"),
])
def test_refused_naming_the_field(world, who, kw, field):
    with pytest.raises(ValidationError) as caught:
        create_partner(getattr(world, who), **data(**kw))
    assert field in caught.value.message_dict
    assert not AuditEvent.objects.filter(action="create_partner").exists()


def test_national_officer_registers_national_partner_without_home(world):
    p = create_partner(world.national, **data(name="Kementerian Koperasi", kind="kementerian", reach=Reach.NATIONAL,
                                              region=None))
    assert p.region is None


def test_field_roles_may_not_register(world):
    with pytest.raises(PermissionDenied):
        create_partner(world.tks_in, **data())


def test_visibility(partners_world):
    w = partners_world

    def seen(user):
        return set(partners_for(user).values_list("name", flat=True))

    everything = {w.bri.name, w.jabar.name, w.bogor.name, w.sukabumi.name, w.serves_bogor.name, w.ntb.name}
    assert seen(w.national) == everything
    # Bogor: national, its own, the province covering it, and Sukabumi's partner serving Bogor
    assert seen(w.district) == {w.bri.name, w.jabar.name, w.bogor.name, w.serves_bogor.name}
    assert seen(w.provincial) == everything - {w.ntb.name}
    assert seen(w.provincial_other) == {w.bri.name, w.ntb.name}
    assert seen(w.tks_in) == set()
    with pytest.raises(Exception) as caught:
        partner_for(w.district, w.sukabumi.pk)
    assert caught.typename == "Http404"


def test_edit_rights(partners_world):
    w = partners_world
    assert editable(w.district, w.bogor) and not editable(w.district, w.serves_bogor)
    assert not editable(w.district, w.bri) and not editable(w.provincial, w.bri) and editable(w.national, w.bri)
    assert not editable(w.district, w.jabar) and editable(w.provincial, w.jabar)
    with pytest.raises(PermissionDenied):
        update_partner(w.district, w.serves_bogor, address="Jl. Lain")
    with pytest.raises(PermissionDenied):
        update_partner(w.provincial, w.bri, address="Jl. Lain")


def test_update_audits_only_what_changed(partners_world):
    w = partners_world
    update_partner(w.district, w.bogor, offers=["kredit"], active=False)
    event = AuditEvent.objects.get(action="update_partner")
    assert event.changes == {"active": [True, False], "offers": ["kredit, pelatihan", "kredit"]}
    update_partner(w.district, w.bogor, offers=["kredit"])  # nothing changes, nothing recorded
    assert AuditEvent.objects.filter(action="update_partner").count() == 1


def test_contact_phone_normalised_and_masked_in_trail(partners_world):
    w = partners_world
    c = add_contact(w.district, w.bogor, full_name="Budi Santoso", position="Manajer", phone="0251-832 1234",
                    email="Budi@BPRBogor.co.id")
    assert c.phone == "+622518321234" and c.email == "budi@bprbogor.co.id"
    event = AuditEvent.objects.get(action="add_partner_contact")
    assert "8321234" not in str(event.changes) and "budi@" not in str(event.changes)
    remove_contact(w.district, c)
    assert AuditEvent.objects.filter(action="remove_partner_contact").exists()


@pytest.mark.parametrize("kw, field", [({"phone": "12345"}, "phone"), ({"email": "bukan-surel"}, "email"),
                                       ({"phone": "", "email": ""}, "phone"), ({"full_name": ""}, "full_name")])
def test_contact_refused(partners_world, kw, field):
    values = {"full_name": "Budi", "phone": "081234567890", "email": ""} | kw
    with pytest.raises(ValidationError) as caught:
        add_contact(partners_world.district, partners_world.bogor, **values)
    assert field in caught.value.message_dict


def test_contact_only_by_editors(partners_world):
    with pytest.raises(PermissionDenied):
        add_contact(partners_world.district, partners_world.serves_bogor, full_name="X", phone="081234567890")


def test_export_masks_contacts_the_officer_may_not_edit(partners_world):
    w = partners_world
    add_contact(w.district_other, w.serves_bogor, full_name="Asep", phone="081398765432", email="asep@tani.or.id")
    headers, rows = export_table(w.district, Filters(), timezone.localdate())
    by_name = {r[1]: dict(zip(headers, r)) for r in rows}
    assert by_name[w.bogor.name]["Telepon Kontak"] == "0813****2222"             # masked unless asked for
    headers, rows = export_table(w.district, Filters(), timezone.localdate(), personal=True)
    by_name = {r[1]: dict(zip(headers, r)) for r in rows}
    assert by_name[w.bogor.name]["Telepon Kontak"] == "+6281311112222"           # Bogor edits its own
    assert by_name[w.serves_bogor.name]["Telepon Kontak"] == "0813****5432"      # Sukabumi's: masked
    assert by_name[w.serves_bogor.name]["Surel Kontak"] == "a***@tani.or.id"
    assert w.sukabumi.name not in by_name and w.ntb.name not in by_name


def test_export_download_is_xlsx(client, partners_world):
    client.force_login(partners_world.district)
    response = client.get("/mitra/ekspor.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert partners_world.bogor.name in names and partners_world.ntb.name not in names

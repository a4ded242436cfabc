"""Every partner page and API operation through the scope harness.

Inside: a district partner of Kab. Bogor (32.01), used by Bogor's district officer. Outside: one of
Kab. Sukabumi (32.02), which Bogor's officer does not see (404). Pages and operations with no
object refuse field roles (a TKS: 403)."""

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.web import spreadsheet
from sukarela.partners.models import Agreement, AgreementStatus, Contact
from sukarela.partners.services.imports import COLUMNS
from tests.partners.conftest import partner
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_partner(world, where):
    n = next(_n)
    if where == "in":
        return partner(world, name=f"Mitra Dalam {n} Bogor", region="32.01")
    return partner(world, name=f"Mitra Luar {n} Sukabumi", region="32.02", created_by=world.district_other)


def with_agreement(world, where, **kw):
    p = make_partner(world, where)
    p.agreement = Agreement.objects.create(partner=p, kind="pks", number=f"PKS/{p.pk}", starts_on=dt.date.today(),
                                           ends_on=dt.date.today() + dt.timedelta(days=10),
                                           status=AgreementStatus.ACTIVE, **kw)
    return p


def with_contact(world, where):
    p = make_partner(world, where)
    p.contact = Contact.objects.create(partner=p, full_name="Kontak Uji", phone="+6281234567890")
    return p


class PartnerRoute(RouteCase):
    def make(self, world, where):
        return make_partner(world, where)

    def marker(self, obj):
        return obj.name


class FieldRoleRefused(RouteCase):
    """A route with no object: a TKS may not use it."""

    outsider = "tks_in"
    outsider_status = 403


# ----------------------------------------------------------------------------- pages

class TestPartnerListPage(ListCase, PartnerRoute):
    route = "partners:partner_list"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:partner_list")


class TestPartnerCreatePage(FieldRoleRefused):
    route = "partners:partner_create"
    method = "post"
    ok_status = 302
    audit_action = "create_partner"

    def url(self, obj):
        return reverse("partners:partner_create")

    def data(self, obj, world):
        return {"name": f"Koperasi Harness {next(_n)}", "kind": "pemberdayaan", "reach": "kabupaten",
                "region": "32.01", "active": "on"}


class TestPartnerDetailPage(PartnerRoute):
    route = "partners:partner_detail"

    def url(self, obj):
        return reverse("partners:partner_detail", args=[obj.pk])


class TestPartnerEditPage(PartnerRoute):
    route = "partners:partner_edit"
    method = "post"
    ok_status = 302
    audit_action = "update_partner"

    def url(self, obj):
        return reverse("partners:partner_edit", args=[obj.pk])

    def data(self, obj, world):
        return {"name": obj.name, "kind": obj.kind_id, "reach": obj.reach, "region": obj.region_id,
                "address": "Jl. Pajajaran 1", "active": "on"}


class TestContactAddPage(PartnerRoute):
    route = "partners:contact_add"
    method = "post"
    ok_status = 302
    audit_action = "add_partner_contact"

    def url(self, obj):
        return reverse("partners:contact_add", args=[obj.pk])

    def data(self, obj, world):
        return {"full_name": "Rina", "position": "Staf", "phone": "0812 1111 2222", "email": ""}


class TestContactRemovePage(RouteCase):
    route = "partners:contact_remove"
    method = "post"
    ok_status = 302
    audit_action = "remove_partner_contact"

    def make(self, world, where):
        return with_contact(world, where)

    def url(self, obj):
        return reverse("partners:contact_remove", args=[obj.pk, obj.contact.pk])


class TestAgreementAddPage(PartnerRoute):
    route = "partners:agreement_add"
    method = "post"
    ok_status = 302
    audit_action = "add_agreement"

    def url(self, obj):
        return reverse("partners:agreement_add", args=[obj.pk])

    def data(self, obj, world):
        return {"kind": "mou", "number": "MOU/1", "starts_on": "2026-01-01", "ends_on": "2027-01-01",
                "status": "berlaku", "document": SimpleUploadedFile("mou.pdf", PDF)}


class AgreementRoute(RouteCase):
    def make(self, world, where):
        return with_agreement(world, where)

    def marker(self, obj):
        return obj.agreement.number


class TestAgreementEditPage(AgreementRoute):
    route = "partners:agreement_edit"
    method = "post"
    ok_status = 302
    audit_action = "update_agreement"

    def url(self, obj):
        return reverse("partners:agreement_edit", args=[obj.pk, obj.agreement.pk])

    def data(self, obj, world):
        return {"kind": "pks", "number": obj.agreement.number, "starts_on": "2026-01-01", "status": "berakhir"}


class TestAgreementUploadPage(AgreementRoute):
    route = "partners:agreement_upload"
    method = "post"
    ok_status = 302
    audit_action = "attach_agreement_document"

    def url(self, obj):
        return reverse("partners:agreement_upload", args=[obj.pk, obj.agreement.pk])

    def data(self, obj, world):
        return {"document": SimpleUploadedFile("pks.pdf", PDF)}


class TestAgreementDocumentPage(AgreementRoute):
    route = "partners:agreement_document"

    def make(self, world, where):
        from django.core.files.base import ContentFile

        p = with_agreement(world, where)
        p.agreement.document.save("x.pdf", ContentFile(PDF))
        return p

    def url(self, obj):
        return reverse("partners:agreement_document", args=[obj.pk, obj.agreement.pk])


class TestAgreementExpiringPage(ListCase, AgreementRoute):
    route = "partners:agreement_expiring"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:agreement_expiring")


class TestPartnerImportPage(FieldRoleRefused):
    route = "partners:partner_import"
    method = "post"
    audit_action = "import_partners"

    def url(self, obj):
        return reverse("partners:partner_import")

    def data(self, obj, world):
        row = {"name": f"Yayasan Impor {next(_n)}", "kind": "pemberdayaan", "reach": "kabupaten",
               "region": "32.01"}
        content = spreadsheet("csv", [c.header for c in COLUMNS], [[row.get(c.key, "") for c in COLUMNS]], "Mitra")
        return {"mode": "all", "file": SimpleUploadedFile("mitra.csv", content)}


class TestPartnerImportTemplatePage(FieldRoleRefused):
    route = "partners:partner_import_template"

    def url(self, obj):
        return reverse("partners:partner_import_template")


class TestPartnerExportPage(FieldRoleRefused):
    route = "partners:partner_export"

    def make(self, world, where):
        return make_partner(world, where)

    def url(self, obj):
        return reverse("partners:partner_export")

    def test_export_hides_outside_partners(self, client, world):
        import openpyxl

        inside, outside = make_partner(world, "in"), make_partner(world, "out")
        client.force_login(world.district)
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(self.url(None)).content)).active
        names = {row[1].value for row in sheet.iter_rows(min_row=2)}
        assert inside.name in names and outside.name not in names


# ----------------------------------------------------------------------------- API

class TestApiPartnerList(ListCase, PartnerRoute):
    route = "GET /api/partners"
    outsider_status = 200

    def url(self, obj):
        return "/api/partners"

    def expected_count(self, world):
        return 1


class TestApiPartnerCreate(FieldRoleRefused):
    route = "POST /api/partners"
    ok_status = 201
    method = "post"
    audit_action = "create_partner"

    def url(self, obj):
        return "/api/partners"

    def data(self, obj, world):
        return {"name": f"Koperasi Api {next(_n)}", "kind": "pemberdayaan", "reach": "kabupaten", "region": "32.01",
                "offers": ["pelatihan"], "regions_served": ["32.01.01"]}


class TestApiPartnerDetail(PartnerRoute):
    route = "GET /api/partners/{partner_id}"

    def url(self, obj):
        return f"/api/partners/{obj.pk}"


class TestApiPartnerUpdate(PartnerRoute):
    route = "PATCH /api/partners/{partner_id}"
    method = "patch"
    audit_action = "update_partner"

    def url(self, obj):
        return f"/api/partners/{obj.pk}"

    def data(self, obj, world):
        return {"address": "Jl. Api 2", "offers": ["kredit"]}


class TestApiContactAdd(PartnerRoute):
    route = "POST /api/partners/{partner_id}/contacts"
    method = "post"
    ok_status = 201
    audit_action = "add_partner_contact"

    def url(self, obj):
        return f"/api/partners/{obj.pk}/contacts"

    def data(self, obj, world):
        return {"full_name": "Dedi", "phone": "081355556666"}


class TestApiContactRemove(RouteCase):
    route = "DELETE /api/partners/{partner_id}/contacts/{contact_id}"
    method = "delete"
    ok_status = 204
    audit_action = "remove_partner_contact"

    def make(self, world, where):
        return with_contact(world, where)

    def url(self, obj):
        return f"/api/partners/{obj.pk}/contacts/{obj.contact.pk}"


class TestApiAgreementAdd(PartnerRoute):
    route = "POST /api/partners/{partner_id}/agreements"
    method = "post"
    ok_status = 201
    audit_action = "add_agreement"

    def url(self, obj):
        return f"/api/partners/{obj.pk}/agreements"

    def data(self, obj, world):
        return {"kind": "pks", "number": "PKS/API/1", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                "status": "berlaku"}


class TestApiAgreementUpdate(AgreementRoute):
    route = "PATCH /api/partners/{partner_id}/agreements/{agreement_id}"
    method = "patch"
    audit_action = "update_agreement"

    def url(self, obj):
        return f"/api/partners/{obj.pk}/agreements/{obj.agreement.pk}"

    def data(self, obj, world):
        return {"status": "diputus"}


class TestApiAgreementsExpiring(AgreementRoute):
    route = "GET /api/partners/agreements/expiring"
    outsider_status = 200

    def url(self, obj):
        return "/api/partners/agreements/expiring"

    def test_list_hides_outside_agreements(self, client, world):
        inside, outside = self.make(world, "in"), self.make(world, "out")
        client.force_login(world.district)
        rows = client.get(self.url(None)).json()
        assert [r["id"] for r in rows] == [inside.agreement.pk]
        assert outside.agreement.pk not in {r["id"] for r in rows}
        assert rows[0]["days_left"] == 10 and rows[0]["may_edit"] is True

"""Every group page and API operation through the scope harness.

Groups belong to their village: the district officer of Kabupaten Bogor (32.01) keeps the ones in
32.01; the officer of Kabupaten Sukabumi (32.02) gets 404 for them and never sees them in a list.
Field roles may not write (403). A group chair sees their own group and nothing else.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.roles import Role
from sukarela.groups.models import Member
from sukarela.groups.services import members
from tests.conftest import make_user
from tests.groups.conftest import ensure_sectors, make_group, person
from tests.groups.test_import import group_cells, row, upload
from tests.scope_harness import ListCase, RouteCase


class GroupRoute(RouteCase):
    def make(self, world, where):
        return make_group(world, where)

    def marker(self, obj):
        return obj.name if obj is not None else None


# --- reads ----------------------------------------------------------------------------------------
class TestGroupListPage(GroupRoute, ListCase):
    route = "groups:group_list"
    outsider = "tks_in"  # a field role that owns no group: an empty list
    outsider_status = 200

    def url(self, obj):
        return reverse("groups:group_list")

    def test_bank_account_is_masked_in_the_list(self, client, world):
        group = self.make(world, "in")
        client.force_login(world.district)
        body = client.get(self.url(None)).content.decode()
        assert group.bank_account not in body and group.bank_account[-4:] in body

    def test_filters(self, client, world):
        inside = self.make(world, "in")
        client.force_login(world.national)
        self.make(world, "out")
        for query, found in [({"q": "dalam"}, True), ({"q": "luar"}, False), ({"status": "stopped"}, False),
                             ({"sector": "jasa-boga"}, True), ({"sector": "usaha-kreatif"}, False),
                             ({"tier": "lanjutan"}, False), ({"region": "32.01"}, True), ({"region": "32.02"}, False)]:
            body = client.get(self.url(None), query).content.decode()
            assert (inside.name in body) is found, query


class TestGroupDetailPage(GroupRoute):
    route = "groups:group_detail"

    def url(self, obj):
        return reverse("groups:group_detail", args=[obj.pk])

    def test_account_in_full_only_for_the_groups_officers(self, client, world):
        group = self.make(world, "in")
        chair = group.members.get()
        client.force_login(world.district)
        body = client.get(self.url(group)).content.decode()
        assert group.bank_account in body and chair.nik not in body and chair.nik[-4:] in body


class TestGroupListApi(GroupRoute, ListCase):
    route = "GET /api/groups"
    outsider = "tks_in"
    outsider_status = 200

    def url(self, obj):
        return "/api/groups"

    def expected_count(self, world):
        return 1

    def test_masked_and_filtered(self, client, world):
        group = self.make(world, "in")
        client.force_login(world.district)
        [item] = client.get(self.url(None), {"sector": "jasa-boga", "status": "active"}).json()["items"]
        assert item["bank_account"].endswith(group.bank_account[-4:]) and group.bank_account not in str(item)
        assert client.get(self.url(None), {"tier": "lanjutan"}).json()["count"] == 0
        assert client.get(self.url(None), {"status": "nonsense"}).status_code == 422


class TestGroupDetailApi(GroupRoute):
    route = "GET /api/groups/{group_id}"

    def url(self, obj):
        return f"/api/groups/{obj.pk}"


# --- writes by the group's officers ---------------------------------------------------------------
class TestGroupCreatePage(GroupRoute):
    route = "groups:group_create"
    method = "post"
    ok_status = 302
    outsider = "tks_in"
    outsider_status = 403
    audit_action = "create"

    def make(self, world, where):
        ensure_sectors()
        return None

    def data(self, obj, world):
        chair = person(name="Ketua Formulir")
        return {"name": "Kelompok Formulir", "tier": "pemula", "sector": "usaha-kreatif",
                "village": world.village_in.code, "bank_name": "BNI", "bank_account": "1234567890",
                **{f"chair_{k}": v for k, v in chair.items()}}

    def url(self, obj):
        return reverse("groups:group_create")

    def test_errors_land_on_the_group_and_chair_fields(self, client, world):
        ensure_sectors()
        client.force_login(world.district)
        data = {**self.data(None, world), "chair_nik": "123", "lat": "-6.5"}
        form = client.post(self.url(None), data).context["form"]
        assert "16 digit" in form.errors["chair_nik"][0] and "lon" in form.errors
        assert not Member.objects.exists()

    def test_another_regions_officer_cannot_choose_this_village(self, client, world):
        ensure_sectors()
        client.force_login(world.district_other)
        response = client.post(self.url(None), self.data(None, world))
        assert response.status_code == 200 and "di luar" in response.content.decode()
        assert not Member.objects.exists()


class TestGroupCreateApi(GroupRoute):
    route = "POST /api/groups"
    method = "post"
    ok_status = 201
    outsider = "district_other"  # asks for a village in Bogor
    outsider_status = 403
    audit_action = "create"

    def make(self, world, where):
        ensure_sectors()
        return None

    def data(self, obj, world):
        chair = person(name="Ketua API")
        chair["birth_date"] = chair["birth_date"].isoformat()
        return {"name": "Kelompok API", "sector": "perdagangan", "village": world.village_in.code,
                "aid_amount": 5_000_000, "aid_received_on": "2026-02-01", "aid_tools": 3_000_000,
                "aid_materials": 2_000_000, "chair": chair}

    def url(self, obj):
        return "/api/groups"

    def test_refusals_name_the_field(self, client, world):
        ensure_sectors()
        client.force_login(world.district)
        data = self.data(None, world)
        data["chair"]["unemployed_declared"] = False
        data["aid_tools"] = 4_000_000
        response = client.post(self.url(None), data, content_type="application/json")
        assert response.status_code == 422
        locs = {tuple(d["loc"]) for d in response.json()["detail"]}
        assert ("body", "chair", "unemployed_declared") in locs and ("body", "aid_tools") in locs


class TestGroupEditPage(GroupRoute):
    route = "groups:group_edit"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def data(self, obj, world):
        return {"name": "Nama Diubah", "tier": obj.tier, "sector": obj.sector_id, "village": obj.village_id,
                "address": obj.address, "bank_name": obj.bank_name, "bank_account": obj.bank_account}

    def url(self, obj):
        return reverse("groups:group_edit", args=[obj.pk])


class TestGroupStatusPage(GroupRoute):
    route = "groups:group_status"
    method = "post"
    ok_status = 302
    audit_action = "change_status"

    def data(self, obj, world):
        return {"status": "stopped"}

    def url(self, obj):
        return reverse("groups:group_status", args=[obj.pk])


class TestMemberAddPage(GroupRoute):
    route = "groups:member_add"
    method = "post"
    ok_status = 302
    audit_action = "add_member"

    def data(self, obj, world):
        return person(name="Anggota Formulir")

    def url(self, obj):
        return reverse("groups:member_add", args=[obj.pk])


class TestMemberAddApi(GroupRoute):
    route = "POST /api/groups/{group_id}/members"
    method = "post"
    ok_status = 201
    audit_action = "add_member"

    def data(self, obj, world):
        data = person(name="Anggota API")
        data["birth_date"] = data["birth_date"].isoformat()
        return data

    def url(self, obj):
        return f"/api/groups/{obj.pk}/members"

    def test_nik_in_another_active_group_names_both(self, client, world):
        other = make_group(world, "out", name="Ikan Segar")
        group = self.make(world, "in")
        client.force_login(world.district)
        data = {**self.data(group, world), "nik": other.members.get().nik}
        response = client.post(self.url(group), data, content_type="application/json")
        assert response.status_code == 422
        [detail] = response.json()["detail"]
        assert detail["loc"] == ["body", "nik"] and "Ikan Segar" in detail["msg"] and group.name in detail["msg"]


class MemberRoute(GroupRoute):
    method = "post"
    ok_status = 302

    def make(self, world, where):
        group = make_group(world, where)
        officer = world.district if where == "in" else world.district_other
        district = ".".join(group.village_id.split(".")[:3])
        return members.add_member(officer, group, **person(district, name="Anggota Biasa"))

    def marker(self, obj):
        return obj.group.name


class TestMemberRemovePage(MemberRoute):
    route = "groups:member_remove"
    audit_action = "remove_member"

    def url(self, obj):
        return reverse("groups:member_remove", args=[obj.pk])


class TestMemberChairPage(MemberRoute):
    route = "groups:member_chair"
    audit_action = "set_chair"

    def url(self, obj):
        return reverse("groups:member_chair", args=[obj.pk])


# --- import: officers only; rows outside their region are refused in the report ---------------------
class TestGroupImportPage(RouteCase):
    route = "groups:group_import"
    method = "post"
    outsider = "tks_in"
    outsider_status = 403
    audit_action = "import_groups"

    def make(self, world, where):
        ensure_sectors()
        return None

    def data(self, obj, world):
        rows = [row("K01", person()["nik"], "Ketua Impor", chair="ya", **group_cells(world, "Kelompok Impor"))]
        return {"mode": "all", "file": upload(rows)}

    def url(self, obj):
        return reverse("groups:group_import")


class TestGroupImportTemplate(RouteCase):
    route = "groups:group_import_template"
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        ensure_sectors()
        return None

    def url(self, obj):
        return reverse("groups:group_import_template")


# --- a group chair sees their own group -------------------------------------------------------------
def test_a_chair_sees_only_their_own_group(client, world):
    login = make_user("ketua-tani", Role.GROUP_CHAIR, world.village_in.code)
    own = make_group(world, name="Tani Makmur", chair=person(name="Ketua Tani", chair_account=login))
    other = make_group(world, name="Kelompok Tetangga")
    client.force_login(login)
    body = client.get(reverse("groups:group_list")).content.decode()
    assert own.name in body and other.name not in body
    detail = client.get(reverse("groups:group_detail", args=[own.pk])).content.decode()
    assert "Ketua Tani" in detail and own.bank_account not in detail  # masked for the chair
    assert client.get(reverse("groups:group_detail", args=[other.pk])).status_code == 404
    assert client.get(f"/api/groups/{own.pk}").status_code == 200
    assert client.get(f"/api/groups/{other.pk}").status_code == 404
    assert client.post(reverse("groups:member_add", args=[own.pk]), person()).status_code == 403
    assert client.get(reverse("groups:group_import")).status_code == 403
    xlsx = SimpleUploadedFile("x.csv", b"x")
    assert client.post(reverse("groups:group_import"), {"mode": "all", "file": xlsx}).status_code == 403

"""Every page and endpoint of the core app through the scope harness."""

from django.urls import reverse

from sukarela.core.roles import Role
from tests.conftest import make_user
from tests.scope_harness import ListCase, RouteCase


def _tks(world, where):
    village = world.village_in if where == "in" else world.village_out
    return make_user(f"tks-{where}-{village.code}", Role.TKS, village.code, full_name=f"Relawan {where.upper()} Uji")


# --- pages -----------------------------------------------------------------------
class TestUserListPage(ListCase):
    route = "core:user_list"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return reverse("core:user_list") + "?q=Relawan"

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        # A list has no single object to refuse; a field role is refused the page itself.
        client.force_login(world.tks_in)
        assert client.get(self.url(None)).status_code == 403


class TestUserDetailPage(RouteCase):
    route = "core:user_detail"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return reverse("core:user_detail", args=[obj.pk])

    def marker(self, obj):
        return obj.full_name


class TestUserEditPage(RouteCase):
    route = "core:user_edit"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return reverse("core:user_edit", args=[obj.pk])

    def data(self, obj, world):
        return {"full_name": "Nama Baru", "role": Role.TKS, "region": obj.region_id, "phone": "0812 1111 2222",
                "is_active": "on"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.tks_out.__class__.objects.filter(full_name="Nama Baru").exists()


class TestUserCreatePage(RouteCase):
    route = "core:user_create"
    method = "post"
    ok_status = 302
    outsider_status = 200  # the form comes back with the region error named
    audit_action = "create"

    def make(self, world, where):
        return world.village_in if where == "in" else world.village_out

    def url(self, obj):
        return reverse("core:user_create")

    def data(self, village, world):
        return {"username": "baru", "full_name": "Pengguna Baru", "role": Role.TKS, "region": village.code}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        client.force_login(world.district)
        response = self.request(client, world.village_out, world)
        assert "berada di luar" in response.content.decode()
        assert not world.district.__class__.objects.filter(username="baru").exists()


class TestAuditPage(RouteCase):
    route = "core:audit_list"
    insider = "national"
    outsider_status = 403  # the trail is for national officers only

    def url(self, obj):
        return reverse("core:audit_list")


class TestStagePage(RouteCase):
    route = "core:stage"
    outsider = "tks_in"
    outsider_status = 404  # an unknown stage

    def url(self, obj):
        return reverse("core:stage", args=["rekrutmen" if obj is None else obj])

    def make(self, world, where):
        return None if where == "in" else "tidak-ada"


class TestAccountPage(RouteCase):
    route = "core:account"
    method = "post"
    audit_action = "create"  # a new API token

    def make(self, world, where):
        if where == "out":  # another user's token: revoking it must not be possible
            from sukarela.core import services

            token, _secret = services.create_api_token(world.tks_out, world.tks_out, "milik orang lain")
            return token
        return None

    def url(self, obj):
        return reverse("core:account")

    def data(self, obj, world):
        return {"revoke": obj.pk} if obj is not None else {"name": "laptop"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.tks_out.api_tokens.get().revoked_at is None


# --- API -------------------------------------------------------------------------
class TestApiUserList(ListCase):
    route = "GET /api/users"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return "/api/users?q=Relawan"

    def marker(self, obj):
        return obj.full_name

    def expected_count(self, world):
        return 1

    def test_outsider_is_refused(self, client, world):
        # A field role sees only its own account in the list.
        client.force_login(world.tks_in)
        payload = client.get("/api/users").json()
        assert [u["username"] for u in payload["items"]] == [world.tks_in.username]


class TestApiUserDetail(RouteCase):
    route = "GET /api/users/{user_id}"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return f"/api/users/{obj.pk}"

    def marker(self, obj):
        return obj.full_name


class TestApiUserCreate(RouteCase):
    route = "POST /api/users"
    method = "post"
    ok_status = 201
    outsider_status = 422
    audit_action = "create"

    def make(self, world, where):
        return world.village_in if where == "in" else world.village_out

    def url(self, obj):
        return "/api/users"

    def data(self, village, world):
        return {"username": "api-baru", "full_name": "Lewat API", "role": "tks", "region": village.code}


class TestApiUserPatch(RouteCase):
    route = "PATCH /api/users/{user_id}"
    method = "patch"
    audit_action = "update"

    def make(self, world, where):
        return _tks(world, where)

    def url(self, obj):
        return f"/api/users/{obj.pk}"

    def data(self, obj, world):
        return {"full_name": "Diubah Lewat API"}


class TestApiMe(RouteCase):
    route = "GET /api/me"
    outsider_status = 200  # everyone signed in sees only themself

    def url(self, obj):
        return "/api/me"

    def test_outsider_is_refused(self, client, world):
        client.force_login(world.tks_in)
        assert client.get("/api/me").json()["username"] == world.tks_in.username


class TestApiAudit(RouteCase):
    route = "GET /api/audit"
    insider = "national"
    outsider_status = 403

    def url(self, obj):
        return "/api/audit"

"""The user and token services, the audit records they leave, and the scope rules they obey."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sukarela.core import scope, selectors, services
from sukarela.core.models import ApiToken, AuditEvent, User
from sukarela.core.roles import Role
from sukarela.regions.models import Level, Region
from tests.conftest import make_user

STRONG = "kata-sandi-panjang-2025"


def _new_user_data(world, **overrides) -> dict:
    data = {
        "username": "relawan-baru",
        "full_name": "Relawan Baru",
        "role": Role.TKS,
        "region": world.village_in.code,
        "phone": "0812 3456 7890",
        "email": "Relawan.Baru@Contoh.go.id",
        "password": STRONG,
    }
    data.update(overrides)
    return data


def _counts():
    return User.objects.count(), AuditEvent.objects.count()


# --- create_user -------------------------------------------------------------------
def test_create_user_inside_scope_normalises_and_audits_masked(world):
    users_before, events_before = _counts()
    user = services.create_user(world.district, **_new_user_data(world))

    user.refresh_from_db()
    assert user.username == "relawan-baru"
    assert user.phone == "+6281234567890"  # normalised to the +62 form
    assert user.email == "relawan.baru@contoh.go.id"
    assert user.region_id == world.village_in.code
    assert user.check_password(STRONG)
    assert _counts() == (users_before + 1, events_before + 1)

    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "create"
    assert event.actor == world.district
    assert event.actor_label == world.district.username
    assert (event.target_type, event.target_id) == ("core.user", str(user.pk))
    assert event.changes["phone"] == ["", "0812****7890"]
    assert event.changes["email"] == ["", "r***@contoh.go.id"]
    assert event.changes["role"] == [None, Role.TKS]
    assert event.changes["region"] == [None, world.village_in.code]
    stored = json.dumps(event.changes)
    for raw in ("+6281234567890", "081234567890", "6281234567890", "relawan.baru@contoh.go.id", STRONG):
        assert raw not in stored, f"raw personal data {raw!r} leaked into the audit trail"
    assert "password" not in event.changes


def test_create_user_audit_omits_empty_personal_fields(world):
    services.create_user(world.district, **_new_user_data(world, email="", phone=""))
    changes = AuditEvent.objects.order_by("-id").first().changes
    assert "email" not in changes and "phone" not in changes


def test_create_user_without_password_cannot_log_in(world):
    user = services.create_user(world.district, **_new_user_data(world, password=None))
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("actor", "overrides", "field", "needle"),
    [
        ("district", {"region": "99.99"}, "region", "99.99"),
        ("district", {"region": "@village_out"}, "region", "@village_out"),
        ("national", {"role": Role.PROVINCIAL, "region": "32.01"}, "region", None),
        ("national", {"role": Role.NATIONAL, "region": "32"}, "region", None),
        ("district", {"role": Role.DISTRICT, "region": "32.01"}, "role", Role.DISTRICT),
        ("district", {"role": "raja"}, "role", "raja"),
        ("district", {"username": "tks-bogor"}, "username", "tks-bogor"),
        ("district", {"username": "TKS-Bogor"}, "username", "tks-bogor"),  # usernames are case-insensitive
        ("district", {"username": "   "}, "username", None),
        ("district", {"full_name": "  "}, "full_name", None),
        ("district", {"phone": "12345"}, "phone", "12345"),
        ("district", {"phone": "+1 555 123 4567"}, "phone", None),
        ("district", {"email": "bukan-email"}, "email", "bukan-email"),
        ("district", {"password": "12345678"}, "password", None),
        ("district", {"region": None}, "region", None),  # field roles need a region too
        ("district", {"role": ""}, "role", None),
    ],
    ids=[
        "unknown-region", "region-out-of-scope", "provincial-at-regency-level", "national-with-region",
        "role-not-manageable", "unknown-role", "duplicate-username", "duplicate-username-case",
        "blank-username", "blank-full-name", "invalid-phone", "foreign-phone", "invalid-email", "weak-password",
        "missing-region", "missing-role",
    ],
)
def test_create_user_error_names_its_field_and_writes_nothing(world, actor, overrides, field, needle):
    overrides = {k: (getattr(world, v[1:]).code if isinstance(v, str) and v.startswith("@") else v)
                 for k, v in overrides.items()}
    if needle and needle.startswith("@"):
        needle = getattr(world, needle[1:]).code
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.create_user(getattr(world, actor), **_new_user_data(world, **overrides))
    errors = caught.value.message_dict
    assert set(errors) == {field}, errors
    if needle:
        assert any(needle in m for m in errors[field]), errors[field]
    assert _counts() == before, "a refused create wrote a user or an audit record"


def test_create_user_reports_every_error_at_once(world):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.create_user(world.district, **_new_user_data(
            world, username="tks-bogor", region="99.99", phone="12", email="bukan-email", password="123",
        ))
    assert set(caught.value.message_dict) == {"username", "region", "phone", "email", "password"}
    assert _counts() == before


def test_district_officer_cannot_create_a_provincial_officer(world):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.create_user(world.district, **_new_user_data(world, role=Role.PROVINCIAL, region="32"))
    # The role is refused; a province lies outside a regency officer's scope as well.
    assert set(caught.value.message_dict) == {"role", "region"}
    assert any(Role.PROVINCIAL in m for m in caught.value.message_dict["role"])
    assert _counts() == before


def test_provincial_officer_may_create_a_district_officer_in_their_province(world):
    user = services.create_user(world.provincial, **_new_user_data(world, role=Role.DISTRICT, region="32.02"))
    assert user.region_id == "32.02" and user.role == Role.DISTRICT
    with pytest.raises(ValidationError) as caught:
        services.create_user(world.provincial, **_new_user_data(world, username="lain", role=Role.DISTRICT,
                                                                 region="52.03"))
    assert set(caught.value.message_dict) == {"region"}


@pytest.mark.parametrize("actor", ["tks_in", None])
def test_only_officers_create_users(world, actor):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.create_user(getattr(world, actor) if actor else None, **_new_user_data(world))
    assert _counts() == before


def test_inactive_officer_cannot_write(world):
    # Regression: _require_officer once ignored is_active, so a deactivated officer could still write.
    world.district.is_active = False
    world.district.save()
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.create_user(world.district, **_new_user_data(world))
    with pytest.raises(PermissionDenied):
        services.update_user(world.district, world.tks_in, full_name="Diubah Petugas Nonaktif")
    assert _counts() == before
    world.tks_in.refresh_from_db()
    assert world.tks_in.full_name != "Diubah Petugas Nonaktif"


# --- update_user -------------------------------------------------------------------
def test_update_user_audits_only_changed_fields(world):
    tks = world.tks_in
    old_name = tks.full_name
    before = AuditEvent.objects.count()
    services.update_user(
        world.district, tks,
        full_name="Nama Baru",
        phone="0812-3456-7890",  # the same number in another spelling: not a change
        email="TKS.Bogor@contoh.go.id",  # the same address in another case: not a change
        role=Role.TKS, region=tks.region_id, is_active=True,
    )
    tks.refresh_from_db()
    assert tks.full_name == "Nama Baru"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "update"
    assert event.actor == world.district
    assert event.target_id == str(tks.pk)
    assert event.changes == {"full_name": [old_name, "Nama Baru"]}


def test_update_user_masks_personal_fields_old_and_new(world):
    services.update_user(world.district, world.tks_in, phone="0813 1111 2222", email="baru@contoh.go.id")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.changes == {
        "phone": ["0812****7890", "0813****2222"],
        "email": ["t***@contoh.go.id", "b***@contoh.go.id"],
    }
    world.tks_in.refresh_from_db()
    assert world.tks_in.phone == "+6281311112222"


def test_update_user_without_change_leaves_no_audit_record(world):
    before = AuditEvent.objects.count()
    services.update_user(world.district, world.tks_in, full_name=world.tks_in.full_name, phone="081234567890")
    assert AuditEvent.objects.count() == before


def test_update_user_cannot_change_username(world):
    tks = world.tks_in
    services.update_user(world.district, tks, username="nama-lain", full_name="Nama Lain")
    tks.refresh_from_db()
    assert tks.username == "tks-bogor"
    assert not User.objects.filter(username="nama-lain").exists()
    assert "username" not in AuditEvent.objects.order_by("-id").first().changes


@pytest.mark.parametrize("officer", ["provincial", "national"])
def test_officer_cannot_deactivate_themself(world, officer):
    me = getattr(world, officer)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.update_user(me, me, is_active=False)
    assert set(caught.value.message_dict) == {"is_active"}
    me.refresh_from_db()
    assert me.is_active
    assert AuditEvent.objects.count() == before


def test_officer_can_deactivate_someone_else(world):
    services.update_user(world.district, world.tks_in, is_active=False)
    world.tks_in.refresh_from_db()
    assert world.tks_in.is_active is False
    assert AuditEvent.objects.order_by("-id").first().changes == {"is_active": [True, False]}


@pytest.mark.parametrize(("actor", "target"), [("district", "district_other"), ("district", "district"),
                                               ("provincial", "national"), ("tks_in", "tks_in")])
def test_update_user_of_unmanageable_role_is_denied(world, actor, target):
    user = getattr(world, target)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.update_user(getattr(world, actor), user, full_name="Diambil Alih")
    user.refresh_from_db()
    assert user.full_name != "Diambil Alih"
    assert AuditEvent.objects.count() == before


def test_update_user_cannot_move_a_user_out_of_scope_or_promote_them(world):
    tks = world.tks_in
    with pytest.raises(ValidationError) as caught:
        services.update_user(world.district, tks, region=world.village_out.code)
    assert set(caught.value.message_dict) == {"region"}
    with pytest.raises(ValidationError) as caught:
        services.update_user(world.district, tks, role=Role.DISTRICT, region="32.01")
    assert "role" in caught.value.message_dict
    tks.refresh_from_db()
    assert (tks.role, tks.region_id) == (Role.TKS, world.village_in.code)


# --- API tokens --------------------------------------------------------------------
def test_token_secret_is_returned_once_and_only_its_digest_stored(world):
    token, secret = services.create_api_token(world.district, world.district, "  laptop kantor  ")
    assert secret.startswith("skr_") and len(secret) > 40
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "laptop kantor"
    assert token.prefix == secret[:10]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "create" and event.target_type == "core.apitoken"
    assert secret not in json.dumps(event.changes) and token.digest not in json.dumps(event.changes)
    _other, secret2 = services.create_api_token(world.district, world.district, "laptop kantor")
    assert secret2 != secret


def test_active_token_finds_it_until_revoked(world):
    token, secret = services.create_api_token(world.district, world.district, "skrip")
    assert selectors.active_token(secret) == token
    assert selectors.active_token(secret + "x") is None
    assert selectors.active_token(token.digest) is None  # the digest is not itself a credential

    before = AuditEvent.objects.count()
    services.revoke_api_token(world.district, token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert selectors.active_token(secret) is None
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "revoke"

    services.revoke_api_token(world.district, token)  # revoking again changes nothing
    assert AuditEvent.objects.count() == before + 1


def test_active_token_reads_its_user_and_last_use_as_the_orm_would(world):
    token, secret = services.create_api_token(world.district, world.district, "skrip")
    found = selectors.active_token(secret)
    assert found.last_used_at is None
    expected = User.objects.get(pk=world.district.pk)
    for field in User._meta.concrete_fields:  # converted on every database: booleans, aware times
        got, want = getattr(found.user, field.attname), getattr(expected, field.attname)
        assert (got, type(got)) == (want, type(want)), field.name
    assert found.user.region_id is not None and not found.user._state.adding
    services.touch_api_token(found)
    again = selectors.active_token(secret)
    stored = ApiToken.objects.get(pk=token.pk).last_used_at
    assert again.last_used_at == stored and again.last_used_at.tzinfo is not None


def test_active_token_ignores_tokens_of_inactive_users(world):
    _token, secret = services.create_api_token(world.tks_in, world.tks_in, "ponsel")
    assert selectors.active_token(secret) is not None
    User.objects.filter(pk=world.tks_in.pk).update(is_active=False)
    assert selectors.active_token(secret) is None


def test_token_needs_a_name(world):
    before = ApiToken.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create_api_token(world.district, world.district, "   ")
    assert set(caught.value.message_dict) == {"name"}
    assert ApiToken.objects.count() == before


def test_field_user_cannot_make_a_token_for_someone_else(world):
    with pytest.raises(PermissionDenied):
        services.create_api_token(world.tks_in, world.tks_out, "curian")
    assert not ApiToken.objects.filter(user=world.tks_out).exists()


def test_command_line_may_make_a_token_for_anyone(world):
    token, secret = services.create_api_token(None, world.national, "command line")
    assert selectors.active_token(secret) == token
    assert AuditEvent.objects.order_by("-id").first().actor_label == "system"


@pytest.mark.parametrize(("actor", "target"), [("district", "national"), ("district", "tks_out"),
                                               ("provincial", "provincial_other"), ("national", "tks_in")])
def test_officer_cannot_make_a_token_for_another_user(world, actor, target):
    # Regression: any officer could once mint a working token for any user, the national officer included.
    user = getattr(world, target)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_api_token(getattr(world, actor), user, "pintu belakang")
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == before


# --- scope -------------------------------------------------------------------------
def _visible(viewer) -> set[str]:
    return set(scope.scoped(viewer, User.objects.all()).values_list("username", flat=True))


def test_provincial_officer_sees_their_province_only(world):
    Region.objects.create(code="33", name="Jawa Tengah", level=Level.PROVINCE, kind="provinsi")
    make_user("tks-jateng", Role.TKS, "33")
    ntb_village = Region.objects.filter(level=4, code__startswith="52.03.01.").first()
    make_user("tks-ntb", Role.TKS, ntb_village.code)

    seen = _visible(world.provincial)
    assert {"prov-jabar", "kab-bogor", "kab-sukabumi", "tks-bogor", "tks-sukabumi"} <= seen
    assert not seen & {"tks-jateng", "tks-ntb", "prov-ntb", "pusat"}
    assert scope.in_scope(world.provincial, "32.01.01") and not scope.in_scope(world.provincial, "33")
    assert not scope.in_scope(world.provincial, "52.03")
    assert "tks-ntb" in _visible(world.provincial_other)


def test_district_officer_does_not_see_the_next_regency(world):
    seen = _visible(world.district)
    assert "tks-bogor" in seen and "kab-bogor" in seen
    assert not seen & {"tks-sukabumi", "kab-sukabumi", "prov-jabar", "pusat"}
    assert not scope.in_scope(world.district, "32.02.01")
    assert not scope.in_scope(world.district, "32")
    with pytest.raises(Http404):
        selectors.user_for(world.district, world.tks_out.pk)


def test_national_officer_sees_everyone(world):
    assert _visible(world.national) == set(User.objects.values_list("username", flat=True))
    assert scope.in_scope(world.national, "52.03.01")


def test_scope_is_a_subtree_not_a_string_prefix(world):
    # "32.0" and "3" are string prefixes of real codes ("32.01", "32") without being their ancestors.
    Region.objects.create(code="32.0", name="Palsu", level=Level.REGENCY, kind="kabupaten", parent_id="32")
    Region.objects.create(code="3", name="Palsu", level=Level.PROVINCE, kind="provinsi")
    Region.objects.create(code="32.01.0", name="Palsu", level=Level.DISTRICT, kind="kecamatan", parent_id="32.01")
    at_regency = make_user("tks-di-kabupaten", Role.TKS, "32.01")
    regency_0 = make_user("kab-nol", Role.DISTRICT, "32.0")
    province_3 = make_user("prov-tiga", Role.PROVINCIAL, "3")

    assert _visible(regency_0) == {"kab-nol"}
    assert _visible(province_3) == {"prov-tiga"}
    for officer in (regency_0, province_3):
        for code in ("32.01", "32.01.01", world.village_in.code, "32"):
            assert not scope.in_scope(officer, code), (officer.region_id, code)
    assert at_regency.username not in _visible(regency_0)
    # The same rule for the selectors' region filter.
    names = set(selectors.users_for(world.national, region="32.0").values_list("username", flat=True))
    assert names == {"kab-nol"}
    names = set(selectors.users_for(world.national, region="32.01").values_list("username", flat=True))
    assert names == {"kab-bogor", "tks-bogor", "tks-di-kabupaten"}
    # A district scoped at 32.01 still sees a user sitting on a (fake) sub-region "32.01.0".
    make_user("tks-nol", Role.TKS, "32.01.0")
    assert "tks-nol" in _visible(world.district)


@pytest.mark.parametrize("field_role", [Role.TKS, Role.GROUP_CHAIR, Role.PARTNER, Role.APPLICANT])
def test_field_roles_see_only_themselves(world, field_role):
    me = make_user(f"saya-{field_role}", field_role, world.village_in.code)
    assert _visible(me) == {me.username}
    assert _visible(world.tks_in) == {"tks-bogor"}
    assert not scope.in_scope(me, world.village_in.code)


def test_inactive_officer_sees_nothing(world):
    assert _visible(world.provincial)
    world.provincial.is_active = False
    world.provincial.save()
    assert _visible(world.provincial) == set()
    assert selectors.role_counts(world.provincial) == {}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == set()
    assert _visible(None) == set()
    assert not scope.in_scope(AnonymousUser(), "32")


def test_first_national_officer_is_made_once_and_audited(regions):
    first = services.create_first_national_officer("Pusat-Satu", STRONG, full_name="Pusat Satu")
    assert (first.username, first.role, first.region_id) == ("pusat-satu", Role.NATIONAL, None)
    assert first.check_password(STRONG)
    event = AuditEvent.objects.get(target_type="core.user", target_id=str(first.pk))
    assert event.action == "create" and event.actor is None and event.actor_label == "system"
    with pytest.raises(PermissionDenied):
        services.create_first_national_officer("pusat-dua", STRONG, full_name="Pusat Dua")
    assert not User.objects.filter(username="pusat-dua").exists()


def test_first_national_officer_needs_a_strong_password(regions):
    with pytest.raises(ValidationError):
        services.create_first_national_officer("pusat", "12345", full_name="Pusat")
    assert not User.objects.exists()


def test_create_national_officer_command(regions, monkeypatch):
    from io import StringIO

    from django.core.management import CommandError, call_command

    monkeypatch.setenv("SUKARELA_PASSWORD", "12345")
    with pytest.raises(CommandError, match="(?i)password|sandi"):
        call_command("createnationalofficer", "pusat", full_name="Pusat")
    monkeypatch.setenv("SUKARELA_PASSWORD", STRONG)
    out = StringIO()
    call_command("createnationalofficer", "pusat", full_name="Pusat", stdout=out)
    assert "pusat created" in out.getvalue()
    assert User.objects.get(username="pusat").role == Role.NATIONAL
    with pytest.raises(CommandError):
        call_command("createnationalofficer", "pusat2", full_name="Pusat Dua")


def test_first_national_officer_gets_the_same_field_checks(regions):
    with pytest.raises(ValidationError) as caught:
        services.create_first_national_officer("pusat", "", full_name="")
    assert "password" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_first_national_officer("pusat", STRONG, full_name="", phone="12")
    assert {"full_name", "phone"} <= set(caught.value.message_dict)
    officer = services.create_first_national_officer("pusat", STRONG, full_name="Pusat", phone="0812 3456 7890")
    assert officer.phone == "+6281234567890"
    assert not User.objects.exclude(pk=officer.pk).exists()

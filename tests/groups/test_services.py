"""Group and member services: every field rule, one NIK in one active group (both groups named),
one chair, status changes (stopping frees the members), the 60/40 aid plan, and the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.groups.models import GroupStatus, Member, Tier
from sukarela.groups.rules import split_aid
from sukarela.groups.services import groups, members
from tests.conftest import make_user
from tests.groups.conftest import make_group, nik, person


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_create_registers_the_group_with_its_chair_in_one_audit_record(world, sectors):
    group = make_group(world)
    chair = group.members.get()
    assert group.status == GroupStatus.ACTIVE and group.tier == Tier.PEMULA
    assert chair.is_chair and chair.active and chair.joined_on == group.registered_on
    event = AuditEvent.objects.get(target_type="groups.group", target_id=str(group.pk))
    assert event.action == "create" and event.actor == world.district
    # Personal fields never reach the trail in full.
    assert "0123456789012" not in str(event.changes) and chair.nik not in str(event.changes)
    assert event.changes["chair"][1].startswith("Ketua Uji (3201")


def test_officer_cannot_register_a_group_outside_their_region(world, sectors):
    with pytest.raises(PermissionDenied):
        groups.create_group(world.district_other, chair=person(), name="Di Luar", sector="jasa-boga",
                            village=world.village_in)
    assert not Member.objects.exists()


@pytest.mark.parametrize("over, field", [
    ({"name": "  "}, "name"),
    ({"sector": "tidak-ada"}, "sector"),
    ({"village": "32.01.01"}, "village"),       # a district, not a village
    ({"tier": "menengah"}, "tier"),
    ({"lat": -6.5}, "lon"),                     # both or neither
    ({"lat": 7.0, "lon": 106.8}, "lat"),        # north of Indonesia
    ({"lat": -6.5, "lon": 150.0}, "lon"),
    ({"bank_account": "12AB5678"}, "bank_account"),
    ({"bank_name": "", "bank_account": "0123456789"}, "bank_name"),
    ({"registered_on": timezone.localdate() + dt.timedelta(days=1)}, "registered_on"),
])
def test_each_group_field_rule(world, sectors, over, field):
    with pytest.raises(ValidationError) as exc:
        make_group(world, **over)
    assert field in errors_of(exc)
    assert not Member.objects.exists()


AID = {"aid_amount": Decimal(10_000_000), "aid_received_on": dt.date(2026, 3, 2)}


def test_aid_plan_must_be_60_40_and_add_up(world, sectors):
    group = make_group(world, **AID, aid_tools=Decimal(6_000_000), aid_materials=Decimal(4_000_000))
    assert (group.aid_tools, group.aid_materials) == (6_000_000, 4_000_000)
    # Within 1% of the aid (rounding) is accepted.
    make_group(world, name="Boleh Bulat", **AID, aid_tools=Decimal(6_090_000), aid_materials=Decimal(3_910_000))
    with pytest.raises(ValidationError) as exc:
        make_group(world, name="Separuh", **AID, aid_tools=Decimal(5_000_000), aid_materials=Decimal(5_000_000))
    message = errors_of(exc)["aid_tools"][0]
    assert "60%" in message and "40%" in message and "1%" in message and "10.000.000" in message
    with pytest.raises(ValidationError) as exc:  # the shares are right but do not add up to the aid
        make_group(world, name="Kurang", **AID, aid_tools=Decimal(6_000_000), aid_materials=Decimal(3_950_000))
    assert "aid_tools" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:  # an amount without its plan and date
        make_group(world, name="Tanpa Rencana", aid_amount=Decimal(1_000_000))
    assert {"aid_tools", "aid_materials", "aid_received_on"} <= set(errors_of(exc))
    assert split_aid(Decimal(10_000_001)) == (Decimal(6_000_001), Decimal(4_000_000))


@pytest.mark.parametrize("chair, field, words", [
    (lambda: person(nik="320101450795001"), "nik", "16 digit"),
    (lambda: person(nik=nik("99.01.01")), "nik", "tidak dikenal"),          # no such province
    (lambda: person(nik=nik("32.77.01")), "nik", "tidak dikenal"),          # regency not loaded/known
    (lambda: person(nik="3201013207950001"), "nik", "bukan tanggal nyata"),  # 32 July
    (lambda: person(born=dt.date(1994, 7, 5), nik=nik(born=dt.date(1995, 7, 5))), "nik", "tanggal lahir"),
    (lambda: person(sex="P", nik=nik(sex="L")), "nik", "jenis kelamin"),
    (lambda: person(unemployed_declared=False), "unemployed_declared", "belum bekerja"),
])
def test_each_member_rule_names_the_chair_field(world, sectors, chair, field, words):
    with pytest.raises(ValidationError) as exc:
        make_group(world, chair=chair())
    messages = errors_of(exc)[f"chair.{field}"]
    assert any(words in m for m in messages), messages


def test_age_is_17_to_55_on_the_day_of_registration(world, group):
    joined = dt.date(2026, 6, 1)
    group.registered_on = dt.date(2026, 1, 1)
    group.save()
    for born, ok in [(dt.date(2009, 6, 1), True), (dt.date(2009, 6, 2), False),
                     (dt.date(1970, 6, 2), True), (dt.date(1970, 6, 1), False)]:
        data = person(born=born, joined_on=joined)
        if ok:
            members.add_member(world.district, group, **data)
        else:
            with pytest.raises(ValidationError) as exc:
                members.add_member(world.district, group, **data)
            assert "17–55" in errors_of(exc)["birth_date"][0]


def test_a_nik_in_an_active_group_is_refused_with_both_groups_named(world, sectors):
    inside = make_group(world, name="Tani Makmur")
    taken = inside.members.get().nik
    outside = make_group(world, "out", name="Boga Sejahtera")
    with pytest.raises(ValidationError) as exc:
        members.add_member(world.district_other, outside, **person(nik=taken))
    message = errors_of(exc)["nik"][0]
    assert "Tani Makmur" in message and world.village_in.name in message
    assert "Boga Sejahtera" in message and world.village_out.name in message and taken in message
    # The same at registration, on the chair's field.
    with pytest.raises(ValidationError) as exc:
        make_group(world, "out", name="Ikan Segar", chair=person(nik=taken))
    assert "Tani Makmur" in errors_of(exc)["chair.nik"][0] and "Ikan Segar" in errors_of(exc)["chair.nik"][0]


def test_stopping_frees_the_members_for_another_group(world, sectors):
    group = make_group(world, name="Tani Makmur")
    member = members.add_member(world.district, group, **person(name="Pindah"))
    on = timezone.localdate()
    groups.change_status(world.district, group, GroupStatus.STOPPED, on)
    assert not group.members.filter(active=True).exists()
    assert set(group.members.values_list("left_on", flat=True)) == {on}
    event = AuditEvent.objects.filter(action="change_status").get()
    assert event.changes["members_released"] == [None, 2] and event.changes["status"] == ["active", "stopped"]
    other = make_group(world, "out", name="Kelompok Baru")
    moved = members.add_member(world.district_other, other, **person(nik=member.nik, name="Pindah"))
    assert moved.active
    # A stopped group stays stopped and its record is closed.
    with pytest.raises(ValidationError):
        groups.change_status(world.district, group, GroupStatus.ACTIVE)
    with pytest.raises(ValidationError):
        members.add_member(world.district, group, **person())
    with pytest.raises(ValidationError):
        groups.update_group(world.district, group, name="Hidup Lagi")


def test_graduating_moves_to_lanjutan_and_keeps_members(world, group):
    groups.change_status(world.district, group, GroupStatus.GRADUATED)
    group.refresh_from_db()
    assert group.tier == Tier.LANJUTAN and group.status == GroupStatus.GRADUATED
    assert group.members.filter(active=True).count() == 1
    lanjutan = make_group(world, name="Sudah Lanjutan", tier=Tier.LANJUTAN)
    with pytest.raises(ValidationError) as exc:
        groups.change_status(world.district, lanjutan, GroupStatus.GRADUATED)
    assert "Lanjutan" in errors_of(exc)["status"][0]


def test_exactly_one_chair(world, group):
    chair = group.members.get()
    with pytest.raises(ValidationError) as exc:
        members.add_member(world.district, group, is_chair=True, **person())
    assert "is_chair" in errors_of(exc)
    with pytest.raises(ValidationError):
        members.remove_member(world.district, chair)
    other = members.add_member(world.district, group, **person(name="Calon Ketua"))
    members.set_chair(world.district, other)
    assert list(group.members.filter(is_chair=True).values_list("pk", flat=True)) == [other.pk]
    members.remove_member(world.district, Member.objects.get(pk=chair.pk))
    chair.refresh_from_db()
    assert not chair.active and chair.left_on == timezone.localdate()


def test_chair_account_must_be_a_group_chair_login_in_scope(world, sectors):
    tks = world.tks_in
    with pytest.raises(ValidationError) as exc:
        make_group(world, chair=person(chair_account=tks))
    assert "chair.chair_account" in errors_of(exc)
    login = make_user("ketua-luar", Role.GROUP_CHAIR, world.village_out.code)
    with pytest.raises(ValidationError):
        make_group(world, chair=person(chair_account=login))
    own = make_user("ketua-dalam", Role.GROUP_CHAIR, world.village_in.code)
    group = make_group(world, chair=person(chair_account=own))
    assert group.members.get().chair_account == own


def test_update_records_only_what_changed_and_rechecks_scope(world, group):
    groups.update_group(world.district, group, name="Nama Baru", bank_account="9876 5432 10")
    group.refresh_from_db()
    assert group.bank_account == "9876543210"
    event = AuditEvent.objects.filter(action="update").get()
    assert set(event.changes) == {"name", "bank_account"} and "9876543210" not in str(event.changes)
    with pytest.raises(PermissionDenied):
        groups.update_group(world.district, group, village=world.village_out)
    with pytest.raises(PermissionDenied):
        groups.update_group(world.district_other, group, name="Bukan Milikmu")

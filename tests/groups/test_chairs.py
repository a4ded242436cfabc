"""A group chair's login: it sees the group only while linked to the group's active chair, it is
unlinked when the chair changes, leaves or the group stops, one login chairs one active group, and
the officer attaches a login from the group's page ("Jadikan ketua")."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sukarela.core.roles import Role
from sukarela.groups.models import Group, GroupStatus, Member
from sukarela.groups.services import groups, members
from tests.conftest import make_user
from tests.groups.conftest import make_group, person


@pytest.fixture
def login(world):
    return make_user("ketua-tani", Role.GROUP_CHAIR, world.village_in.code)


def visible(user) -> list:
    return list(Group.objects.filter(Group.owned_by(user)).values_list("pk", flat=True))


def test_a_chair_sees_one_row_with_every_member_counted(client, world, sectors, login):
    group = make_group(world, name="Tani Makmur", chair=person(name="Ketua Tani", chair_account=login))
    for name in ("Anggota Satu", "Anggota Dua"):
        members.add_member(world.district, group, **person(name=name))
    client.force_login(login)
    response = client.get(reverse("groups:group_list"))
    assert [g.pk for g in response.context["page"]] == [group.pk]
    assert response.context["page"][0].n_members == 3
    [item] = client.get("/api/groups").json()["items"]
    assert item["id"] == group.pk


def test_a_replaced_chair_loses_the_group_and_the_login(client, world, sectors, login):
    group = make_group(world, chair=person(name="Ketua Lama", chair_account=login))
    old = group.members.get()
    new = members.add_member(world.district, group, **person(name="Ketua Baru"))
    members.set_chair(world.district, new)
    old.refresh_from_db()
    assert old.chair_account is None and not old.is_chair and visible(login) == []
    client.force_login(login)
    assert client.get(reverse("groups:group_detail", args=[group.pk])).status_code == 404
    # The replaced chair may now leave; the group keeps its new chair.
    members.remove_member(world.district, old)
    assert group.members.get(active=True).pk == new.pk


def test_a_member_who_leaves_keeps_no_login(world, group, login):
    member = members.add_member(world.district, group, **person(name="Mantan Ketua"))
    Member.objects.filter(pk=member.pk).update(chair_account=login)  # linked before this rule existed
    assert visible(login) == []  # a login on a member who is not the chair opens nothing
    members.remove_member(world.district, member)
    member.refresh_from_db()
    assert member.chair_account is None


def test_stopping_the_group_unlinks_the_chair(world, sectors, login):
    group = make_group(world, chair=person(name="Ketua", chair_account=login))
    assert visible(login) == [group.pk]
    groups.change_status(world.district, group, GroupStatus.STOPPED)
    assert Member.objects.get(group=group).chair_account is None and visible(login) == []


def test_graduating_keeps_the_chair_linked(world, sectors, login):
    group = make_group(world, chair=person(name="Ketua", chair_account=login))
    groups.change_status(world.district, group, GroupStatus.GRADUATED)
    assert visible(login) == [group.pk]


def test_one_login_chairs_one_active_group(world, sectors, login):
    first = make_group(world, name="Tani Makmur", chair=person(name="Ketua", chair_account=login))
    with pytest.raises(ValidationError) as exc:
        make_group(world, name="Boga Rasa", chair=person(name="Ketua Dua", chair_account=login))
    assert "Tani Makmur" in exc.value.message_dict["chair.chair_account"][0]
    second = make_group(world, name="Boga Rasa", chair=person(name="Ketua Dua"))
    with pytest.raises(ValidationError) as exc:
        members.set_chair(world.district, second.members.get(), login)
    assert "Tani Makmur" in exc.value.message_dict["chair_account"][0]
    # Linking it again to its own chair is no conflict with another group, only nothing to do.
    with pytest.raises(ValidationError) as exc:
        members.set_chair(world.district, first.members.get(), login)
    assert "Tani Makmur" not in str(exc.value) and login.username in str(exc.value)
    # Once the first group stops, the login is free for another group's chair.
    groups.change_status(world.district, first, GroupStatus.STOPPED)
    members.set_chair(world.district, second.members.get(), login)
    assert visible(login) == [second.pk]


def test_the_officer_picks_a_login_when_making_a_member_chair(client, world, group, login):
    new = members.add_member(world.district, group, **person(name="Ketua Baru"))
    client.force_login(world.district)
    body = client.get(reverse("groups:group_detail", args=[group.pk])).content.decode()
    assert f'id="chair-account-{new.pk}"' in body and login.full_name in body
    response = client.post(reverse("groups:member_chair", args=[new.pk]), {"chair_account": login.pk})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.is_chair and new.chair_account == login
    # The officer sees which login the chair uses, and may attach one to the current chair too.
    body = client.get(reverse("groups:group_detail", args=[group.pk])).content.decode()
    assert login.username in body and f'id="chair-account-{new.pk}"' in body


def test_the_choice_offers_only_logins_free_for_this_group(client, world, sectors, login):
    make_group(world, name="Tani Makmur", chair=person(name="Ketua", chair_account=login))
    free = make_user("ketua-bebas", Role.GROUP_CHAIR, world.village_in.code)
    group = make_group(world, name="Boga Rasa", chair=person(name="Ketua Dua"))
    client.force_login(world.district)
    accounts = client.get(reverse("groups:group_detail", args=[group.pk])).context["chair_accounts"]
    assert accounts == [free]

"""Who mentors a group: the group's page shows the current posting and the history; a TKS opens the
groups they mentor now (personal fields masked, as for a chair) and nothing else. Stopping or
graduating a group sends `group_closed`, so the assignments app can end the postings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.roles import Role
from sukarela.groups.models import Group, GroupStatus
from sukarela.groups.services import groups, members
from sukarela.groups.signals import group_closed
from tests.conftest import make_user
from tests.groups.conftest import make_group, person


def test_a_tks_sees_the_groups_they_mentor_now_with_personal_fields_masked(client, world, sectors):
    group = make_group(world, name="Tani Makmur")
    members.add_member(world.district, group, **person(name="Anggota Satu"))
    other = make_group(world, name="Kelompok Tetangga")
    Posting.objects.create(group=group, mentor=world.tks_in, starts_on=dt.date(2026, 1, 5))
    client.force_login(world.tks_in)
    response = client.get(reverse("groups:group_list"))
    assert [g.pk for g in response.context["page"]] == [group.pk] and response.context["page"][0].n_members == 2
    detail = client.get(reverse("groups:group_detail", args=[group.pk]))
    body = detail.content.decode()
    chair = group.members.get(is_chair=True)
    assert detail.status_code == 200 and "Anggota Satu" in body
    assert group.bank_account not in body and chair.nik not in body and chair.nik[-4:] in body
    assert "Keluarkan" not in body and "Ubah kelompok" not in body
    assert client.get(reverse("groups:group_detail", args=[other.pk])).status_code == 404
    assert [g["id"] for g in client.get("/api/groups").json()["items"]] == [group.pk]
    # A posting that ended no longer opens the group.
    Posting.objects.filter(group=group).update(ends_on=dt.date(2026, 3, 1))
    assert client.get(reverse("groups:group_detail", args=[group.pk])).status_code == 404


def test_the_group_page_names_the_mentor_and_the_history(client, world, sectors):
    login = make_user("ketua-tani", Role.GROUP_CHAIR, world.village_in.code)
    group = make_group(world, chair=person(name="Ketua Tani", chair_account=login))
    earlier = make_user("tks-lama", Role.TKS, world.village_in.code, full_name="Budi Pendamping Lama")
    Posting.objects.create(group=group, mentor=earlier, starts_on=dt.date(2025, 6, 2), ends_on=dt.date(2026, 1, 4))
    Posting.objects.create(group=group, mentor=world.tks_in, starts_on=dt.date(2026, 1, 5))
    client.force_login(login)
    response = client.get(reverse("groups:group_detail", args=[group.pk]))
    assert response.context["posting"].mentor == world.tks_in
    assert [p.mentor for p in response.context["history"]] == [world.tks_in, earlier]
    body = response.content.decode()
    current = body.split('id="mentor"')[1].split("</")[0]
    assert world.tks_in.full_name in current and "5 Jan 2026" in current
    assert "Budi Pendamping Lama" in body.split('id="postings"')[1]


def test_a_group_without_a_mentor_says_so(client, world, group):
    client.force_login(world.district)
    response = client.get(reverse("groups:group_detail", args=[group.pk]))
    assert response.context["posting"] is None and list(response.context["history"]) == []


def test_stopping_and_graduating_send_group_closed(world, sectors):
    heard = []

    def receiver(sender, group, on, **kwargs):
        # Sent after the change: the receiver sees the new status.
        heard.append((sender, group.pk, group.status, on))

    group_closed.connect(receiver)
    try:
        graduating, stopping = make_group(world, name="Naik"), make_group(world, name="Berhenti")
        on = graduating.registered_on
        groups.change_status(world.district, graduating, GroupStatus.GRADUATED, on)
        groups.change_status(world.district, stopping, GroupStatus.STOPPED)
    finally:
        group_closed.disconnect(receiver)
    assert heard == [(Group, graduating.pk, GroupStatus.GRADUATED, on),
                     (Group, stopping.pk, GroupStatus.STOPPED, timezone.localdate())]


def test_a_refused_status_change_sends_nothing(world, group):
    heard = []
    group_closed.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="test-refused")
    try:
        groups.change_status(world.district, group, GroupStatus.STOPPED)
        with pytest.raises(ValidationError):  # a stopped group stays stopped
            groups.change_status(world.district, group, GroupStatus.GRADUATED)
    finally:
        group_closed.disconnect(dispatch_uid="test-refused")
    assert len(heard) == 1

"""mentoring.selectors.field: the submission's one-round-trip read of the group (its point and
which named members were present) answers the same as a prepared statement on PostgreSQL as in
its plain form, for every shape of attendance."""

import datetime as dt

import pytest
from django.utils import timezone

from sukarela.groups.services import members as member_services
from sukarela.mentoring.selectors import field


def _members(group):
    return list(group.members.order_by("id"))


@pytest.mark.parametrize("prepare", [True, False])
def test_the_group_read_counts_present_members_alike_prepared_or_plain(field_world, settings, prepare):
    settings.SUKARELA_DB_PREPARE = prepare
    tks, group, stranger_group = field_world.tks, field_world.groups[0], field_world.other_group
    chair, stays, leaves = _members(group)
    left_on = timezone.localdate()  # members join today: they can only have left today
    member_services.remove_member(field_world.district, leaves, on=left_on)
    stranger = _members(stranger_group)[0]

    def present(ids, on):
        info = field.group_info(tks, group.pk, ids, on)
        assert list(info) == [group.pk] and (info[group.pk].lat, info[group.pk].lon) == (group.lat, group.lon)
        return info[group.pk].member_ids

    assert present([], None) == present([], left_on) == frozenset()
    assert present([chair.pk, stays.pk], None) == {chair.pk, stays.pk}
    assert present([stays.pk, leaves.pk], None) == {stays.pk}  # no day: only who is active
    assert present([stays.pk, leaves.pk], left_on) == {stays.pk, leaves.pk}  # left that day: was there
    assert present([leaves.pk], left_on - dt.timedelta(days=1)) == {leaves.pk}
    assert present([stays.pk, leaves.pk], left_on + dt.timedelta(days=1)) == {stays.pk}
    assert present([stays.pk, stranger.pk], None) == {stays.pk}  # another group's member is not counted
    assert present([stays.pk, stays.pk], None) == {stays.pk}
    assert field.group_info(tks, stranger_group.pk, [stranger.pk], None) == {}  # not posted to this TKS
    assert field.group_info(tks, 10**12, [], None) == {}

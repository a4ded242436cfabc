"""The groups demo: active groups with one chair each in the demo regencies that are loaded, a few
with a GPS point inside their regency's box, built through the import; a rerun adds nothing."""

import io
from random import Random
from types import SimpleNamespace

from django.db.models import Count, Q

from sukarela.core.models import AuditEvent
from sukarela.groups import demo
from sukarela.groups.models import Group, GroupStatus, Member


def test_demo_builds_active_groups_once(world, sectors):
    ctx = SimpleNamespace(rng=Random(1), out=io.StringIO(), system=world.national, logins=[])
    demo.build(ctx)
    assert ctx.out.getvalue() == ""  # the import refused no row
    # The test slice holds Kab. Bogor and Lombok Timur; Garut is not loaded.
    groups = Group.objects.all()
    assert groups.count() == 2 * demo.GROUPS_PER_REGENCY
    assert set(groups.values_list("status", flat=True)) == {GroupStatus.ACTIVE}
    chairs = groups.annotate(n=Count("members", filter=Q(members__is_chair=True, members__active=True)))
    assert set(chairs.values_list("n", flat=True)) == {1}
    assert Member.objects.count() >= 5 * groups.count()
    assert groups.values("sector").distinct().count() == 5
    with_point = groups.filter(lat__isnull=False)
    assert 0 < with_point.count() < groups.count() // 3
    for g in with_point:
        box = demo.REGENCIES[g.village_id[:5]][1]
        assert box[0] <= g.lat <= box[1] and box[2] <= g.lon <= box[3]
    events = AuditEvent.objects.count()
    demo.build(ctx)
    assert Group.objects.count() == 2 * demo.GROUPS_PER_REGENCY and AuditEvent.objects.count() == events

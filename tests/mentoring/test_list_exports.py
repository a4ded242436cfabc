"""The review list's download (core.exporting): the visits under the list's filters, in scope."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sukarela.mentoring.models import ReviewStatus
from tests.export_helpers import column, get_table
from tests.mentoring.conftest import field_group, post
from tests.mentoring.test_review import make_visit

LIST = reverse("mentoring:review_list")


def _visits(fw):
    """Two visits by fw.tks (one approved, with two tasks), one by the other TKS, one in Sukabumi."""
    day = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    a = make_visit(fw.tks, fw.groups[0], started_at=day, roles=["motivator", "inovator"], tasks=["usaha", "kemitraan"],
                   flags=["jauh"], status=ReviewStatus.APPROVED)
    b = make_visit(fw.tks, fw.groups[1], started_at=day - dt.timedelta(days=1))
    c = make_visit(fw.other_tks, fw.other_group, started_at=day - dt.timedelta(days=2))
    outside = field_group(fw.world, "out")
    post(outside, fw.world.tks_out)
    d = make_visit(fw.world.tks_out, outside, started_at=day)
    return a, b, c, d


def test_visit_export_is_the_filtered_scoped_list(client, field_world):
    a, b, c, d = _visits(field_world)
    client.force_login(field_world.district)
    rows = get_table(client, LIST, "csv")
    assert column(rows, "ID") == [str(a.pk), str(b.pk), str(c.pk)]  # newest first; Sukabumi's is not there
    first = rows[0]
    assert (first["Peran"], first["Tugas"], first["Status"], first["Tanda"]) == (
        "Motivator, Inovator", "Pengembangan usaha, Jejaring kemitraan", "Disetujui", "jauh")
    assert first["TKS"] == "Pendamping Lapangan" and first["Lama (menit)"] == "60"
    local = timezone.localtime(a.started_at)
    assert first["Mulai"] == local.strftime("%Y-%m-%d %H:%M:%S")  # the wall time, without a zone
    rows = get_table(client, LIST, "xlsx", status=ReviewStatus.APPROVED.value)
    assert column(rows, "ID") == [str(a.pk)]
    rows = get_table(client, LIST, "csv", tks=field_world.other_tks.pk)
    assert column(rows, "ID") == [str(c.pk)]


def test_another_district_sees_only_its_own_visits(client, field_world):
    *_bogor, d = _visits(field_world)
    client.force_login(field_world.district_other)
    # A Bogor group's id is not among the form's choices: the filter is refused, the list stays Sukabumi's.
    assert column(get_table(client, LIST, "csv", group=field_world.groups[0].pk), "ID") == [str(d.pk)]
    assert column(get_table(client, LIST, "csv"), "ID") == [str(d.pk)]


def test_field_roles_cannot_download_the_review_list(client, field_world):
    client.force_login(field_world.tks)
    assert client.get(LIST + "?unduh=csv").status_code == 403

"""The review pages: the list and its filters, a visit with everything it recorded, approve and
return, bulk approval, the chair's confirmation, photos through the scoped view, the flags page
and the indicator trend on the group's page."""

import datetime as dt
import hashlib
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sukarela.core.models import AuditEvent
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Photo, ReviewStatus, Visit
from sukarela.mentoring.services.visits import submit
from tests.mentoring.conftest import visit_payload
from tests.mentoring.test_review import chair_login, make_visit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def add_photo(visit, complete=True) -> Photo:
    data = png_bytes()
    photo = Photo.objects.create(id=uuid.uuid4(), visit=visit, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                 content_type="image/png", received=len(data) if complete else 0,
                                 completed_at=timezone.now() if complete else None)
    if complete:
        photo.file.save("foto.png", ContentFile(data), save=True)
    return photo


@pytest.fixture
def rich_visit(field_world):
    """A visit through the field service: two tasks with structured fields, attendance, a follow-up,
    indicators, an innovation, stored 5 km from the group's point (flagged far)."""
    group = field_world.groups[0]
    payload = visit_payload(
        group, roles=["motivator", "inovator"], tasks=["usaha", "kemitraan"], innovation="Kemasan vakum",
        details={"usaha": {"topic": "Pencatatan keuangan", "result": "Buku kas dimulai"},
                 "kemitraan": {"partner": "Bank BRI Cibinong", "partner_type": "bank", "outcome": "sepakat"}},
        lat=group.lat + 5 / 111.2, lon=group.lon)
    visit, _ = submit(field_world.tks, payload)
    return visit


def _table(body: str) -> str:
    return body.split('id="visit-list"')[1].split("</table>")[0]


def test_the_list_shows_scoped_visits_and_filters(client, field_world, rich_visit):
    plain = make_visit(field_world.other_tks, field_world.other_group)
    client.force_login(field_world.district)
    rows = _table(client.get(reverse("mentoring:review_list")).content.decode())
    assert rich_visit.group.name in rows and plain.group.name in rows
    assert "Pengembangan usaha, Jejaring kemitraan" in rows  # tasks by their labels
    assert 'id="pick-%s"' % rich_visit.pk in rows
    rows = _table(client.get(reverse("mentoring:review_list"), {"flag": "jauh"}).content.decode())
    assert rich_visit.group.name in rows and plain.group.name not in rows
    rows = _table(client.get(reverse("mentoring:review_list"), {"tks": field_world.other_tks.pk}).content.decode())
    assert rich_visit.group.name not in rows and plain.group.name in rows
    # A malformed filter filters nothing and says why.
    response = client.get(reverse("mentoring:review_list"), {"date_from": "kemarin"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert plain.group.name in _table(response.content.decode())


def test_the_list_is_paged(client, field_world, settings):
    settings.SUKARELA_PAGE_SIZE = 2
    for h in range(5):
        make_visit(field_world.tks, field_world.groups[0], timezone.now() - dt.timedelta(hours=h + 1))
    client.force_login(field_world.district)
    body = client.get(reverse("mentoring:review_list"), {"status": "diajukan", "page": 3}).content.decode()
    assert body.count('name="visits"') == 1 and "Halaman 3 dari 3" in body
    assert "status=diajukan&amp;page=2" in body  # the pager keeps the filters


def test_tks_and_chairs_do_not_get_the_review_list(client, field_world):
    for user in (field_world.tks, chair_login(field_world.groups[0])):
        client.force_login(user)
        assert client.get(reverse("mentoring:review_list")).status_code == 403
        assert client.get(reverse("mentoring:flags")).status_code == 403


def test_the_detail_shows_everything_recorded(client, field_world, rich_visit):
    photo = add_photo(rich_visit)
    add_photo(rich_visit, complete=False)
    client.force_login(field_world.district)
    body = client.get(reverse("mentoring:review_detail", args=[rich_visit.pk])).content.decode()
    assert "Pengembangan usaha" in body and "Topik pendampingan" in body and "Pencatatan keuangan" in body
    assert "Mitra yang dihubungi" in body and "Bank BRI Cibinong" in body
    assert "Sepakat bekerja sama" in body and ">Bank<" in body  # choices by their catalogue labels
    assert "Motivator, Inovator" in body and "Kemasan vakum" in body
    members = list(rich_visit.group.members.filter(pk__in=rich_visit.attendance))
    assert len(members) == 2 and all(m.full_name in body for m in members)
    assert "Periksa buku kas" in body  # the follow-up
    assert "Keripik singkong" in body and "4.500.000" in body  # indicators
    assert "5,00 km dari titik kelompok" in body or "5.00 km dari titik kelompok" in body
    assert "Jauh dari titik kelompok" in body
    assert reverse("mentoring:visit_photo", args=[rich_visit.pk, photo.pk]) in body
    assert "/media/" not in body  # never a public media address
    assert "Foto belum lengkap terunggah" in body
    assert "dikirim" in body  # the history starts with the submission
    assert 'id="review-actions"' in body and "Kembalikan ke TKS" in body


def test_approve_and_return_from_the_page(client, field_world, rich_visit):
    client.force_login(field_world.district)
    url = reverse("mentoring:review_return", args=[rich_visit.pk])
    response = client.post(url, {"comment": "  ", "version": rich_visit.version})
    assert response.status_code == 422
    assert "Tulis komentar" in response.content.decode()
    response = client.post(url, {"comment": "Foto kelompok kurang", "version": rich_visit.version})
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Dikembalikan" in body and "Foto kelompok kurang" in body
    assert "Kembalikan ke TKS" not in body  # returned: only approval remains
    response = client.post(reverse("mentoring:review_approve", args=[rich_visit.pk]), {"version": rich_visit.version})
    assert response.status_code == 302
    rich_visit.refresh_from_db()
    assert rich_visit.status == ReviewStatus.APPROVED
    # Approving again: the page says why, nothing is recorded.
    before = AuditEvent.objects.count()
    response = client.post(reverse("mentoring:review_approve", args=[rich_visit.pk]), {"version": rich_visit.version},
                           follow=True)
    assert "sudah disetujui" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("sent", [{}, {"version": ""}, {"version": "dua"}, {"version": "0"}, {"version": "1.5"}])
def test_approval_without_a_valid_version_is_refused_with_422(client, field_world, rich_visit, sent):
    """The page always sends the version the officer read; without one (or a broken one) nothing is
    approved: the page comes back with the reason and a form carrying the version now shown."""
    client.force_login(field_world.district)
    response = client.post(reverse("mentoring:review_approve", args=[rich_visit.pk]), sent)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="approve-form"' in body and 'role="alert"' in body
    assert f'name="version" value="{rich_visit.version}"' in body
    rich_visit.refresh_from_db()
    assert rich_visit.status == ReviewStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="approve_visit").exists()


def test_a_stale_page_does_not_approve(client, field_world, rich_visit):
    client.force_login(field_world.district)
    response = client.post(reverse("mentoring:review_approve", args=[rich_visit.pk]),
                           {"version": rich_visit.version + 1}, follow=True)
    assert "telah diubah oleh TKS" in response.content.decode()
    rich_visit.refresh_from_db()
    assert rich_visit.status == ReviewStatus.SUBMITTED


def test_bulk_approve_keeps_the_filters(client, field_world):
    a, b = (make_visit(field_world.tks, field_world.groups[0], timezone.now() - dt.timedelta(hours=h)) for h in (2, 3))
    client.force_login(field_world.district)
    response = client.post(reverse("mentoring:review_bulk_approve"),
                           {"visits": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"],
                            "query": "status=diajukan&role=motivator"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:review_list") + "?status=diajukan&role=motivator"
    assert Visit.objects.filter(status=ReviewStatus.APPROVED).count() == 2
    response = client.post(reverse("mentoring:review_bulk_approve"), {}, follow=True)
    assert "Pilih dulu kunjungan" in response.content.decode()
    for bad in ("bukan-uuid", f"{a.pk}", f"{a.pk}:", f"{a.pk}:x", f"{a.pk}:0"):  # a bare id has no version
        response = client.post(reverse("mentoring:review_bulk_approve"), {"visits": [bad]}, follow=True)
        assert "Pilihan kunjungan tidak sah" in response.content.decode(), bad


def test_bulk_approve_checks_each_visits_version(client, field_world):
    """The list showed version 1; the TKS edited one visit since (version 2): nothing is approved
    and the message names the edited visit."""
    g = field_world.groups[0]
    a, b = (make_visit(field_world.tks, g, timezone.now() - dt.timedelta(hours=h)) for h in (2, 3))
    Visit.objects.filter(pk=b.pk).update(version=2)
    client.force_login(field_world.district)
    body = client.get(reverse("mentoring:review_list")).content.decode()
    assert f'value="{a.pk}:1"' in body and f'value="{b.pk}:2"' in body  # each row carries its version
    response = client.post(reverse("mentoring:review_bulk_approve"),
                           {"visits": [f"{a.pk}:1", f"{b.pk}:1"]}, follow=True)
    assert "telah diubah oleh TKS" in response.content.decode()
    assert not Visit.objects.filter(status=ReviewStatus.APPROVED).exists()
    client.post(reverse("mentoring:review_bulk_approve"), {"visits": [f"{a.pk}:1", f"{b.pk}:2"]})
    assert Visit.objects.filter(status=ReviewStatus.APPROVED).count() == 2


def test_the_chair_confirms_from_the_page(client, field_world, rich_visit):
    chair = chair_login(rich_visit.group)
    client.force_login(chair)
    url = reverse("mentoring:review_detail", args=[rich_visit.pk])
    body = client.get(url).content.decode()
    assert 'id="chair-confirm"' in body and 'id="review-actions"' not in body
    response = client.post(reverse("mentoring:visit_confirm", args=[rich_visit.pk]))
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert 'id="chair-confirmed"' in body and 'id="chair-confirm"' not in body
    # Its TKS sees the visit and its review state, with no buttons.
    client.force_login(field_world.tks)
    body = client.get(url).content.decode()
    assert 'id="chair-confirmed"' in body and 'id="review-actions"' not in body
    assert client.post(reverse("mentoring:visit_confirm", args=[rich_visit.pk])).status_code == 403


def test_photos_only_through_the_scope(client, field_world, rich_visit):
    photo = add_photo(rich_visit)
    partial = add_photo(rich_visit, complete=False)
    other = add_photo(make_visit(field_world.other_tks, field_world.other_group))
    client.force_login(field_world.district)
    response = client.get(reverse("mentoring:visit_photo", args=[rich_visit.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()
    assert "private" in response["Cache-Control"]
    assert client.get(reverse("mentoring:visit_photo", args=[rich_visit.pk, partial.pk])).status_code == 404
    # Another visit's photo under this visit's address: not there.
    assert client.get(reverse("mentoring:visit_photo", args=[rich_visit.pk, other.pk])).status_code == 404
    client.force_login(field_world.other_tks)
    assert client.get(reverse("mentoring:visit_photo", args=[rich_visit.pk, photo.pk])).status_code == 404


def test_the_flags_page_lists_each_kind_with_links(client, field_world, rich_visit):
    quiet = field_world.other_group  # posted 60 days ago (the fixture), never visited
    client.force_login(field_world.district)
    body = client.get(reverse("mentoring:flags")).content.decode()
    groups_table = body.split('id="quiet-group-list"')[1].split("</table>")[0]
    assert quiet.name in groups_table and rich_visit.group.name not in groups_table
    tks_table = body.split('id="quiet-tks-list"')[1].split("</table>")[0]
    assert field_world.other_tks.full_name in tks_table and field_world.tks.full_name not in tks_table
    assert reverse("mentoring:review_list") + "?flag=jauh" in body
    far = body.split('id="flag-jauh"')[1].split("</li>")[0]
    assert "1 kunjungan" in far and "1 belum diperiksa" in far


def test_the_group_page_shows_the_indicator_trend(client, field_world):
    group = field_world.groups[0]
    for months, turnover in ((3, 1_000_000), (2, 2_500_000), (1, 1_800_000)):
        IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, turnover=turnover, active_members=5,
                                         recorded_on=timezone.localdate() - dt.timedelta(days=30 * months))
    client.force_login(field_world.district)
    body = client.get(reverse("groups:group_detail", args=[group.pk])).content.decode()
    table = body.split('id="indicator-trend"')[1].split("</table>")[0]
    assert table.index("1.000.000") < table.index("2.500.000") < table.index("1.800.000")  # oldest first
    assert 'id="turnover-sparkline"' in body and "<polyline" in body
    # The group's TKS sees it too; a group without snapshots says so.
    client.force_login(field_world.tks)
    assert 'id="indicator-trend"' in client.get(reverse("groups:group_detail", args=[group.pk])).content.decode()
    body = client.get(reverse("groups:group_detail", args=[field_world.groups[1].pk])).content.decode()
    assert "Belum ada indikator tercatat." in body


def test_the_trend_keeps_every_snapshot_and_draws_the_latest_of_a_day(field_world):
    from sukarela.mentoring.selectors.review import group_trend, sparkline_points

    group = field_world.groups[0]
    day = timezone.localdate() - dt.timedelta(days=10)
    first = IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, turnover=100, recorded_on=day)
    IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, turnover=300, recorded_on=day,
                                     created_at=first.created_at + dt.timedelta(minutes=5))  # a correction
    IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, turnover=200, recorded_on=day + dt.timedelta(days=5))
    trend = group_trend(field_world.district, group)
    assert [s.turnover for s in trend.rows] == [100, 300, 200]
    assert trend.spark == sparkline_points([300, 200])
    assert sparkline_points([5]) == "" and sparkline_points([1, 1]) == "2.0,30.0 158.0,30.0"
    assert group_trend(field_world.world.district_other, group).rows == []


def test_an_overlapping_visit_links_to_the_other(client, field_world):
    g1, g2 = field_world.groups
    first, _ = submit(field_world.tks, visit_payload(g1))
    start = (first.started_at + dt.timedelta(minutes=30)).isoformat()
    second, _ = submit(field_world.tks, visit_payload(g2, started_at=start))
    first.refresh_from_db()
    assert "tumpang" in first.flags and "tumpang" in second.flags  # set by the field service
    client.force_login(field_world.district)
    body = client.get(reverse("mentoring:review_detail", args=[first.pk])).content.decode()
    flags = body.split('id="visit-flags"')[1].split("</div>")[0]
    assert reverse("mentoring:review_detail", args=[second.pk]) in flags and g2.name in flags


def test_pages_cost_the_same_few_queries_whatever_the_rows(client, field_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(field_world.district)
    counts = []
    for n in (2, 12):
        while Visit.objects.count() < n:
            make_visit(field_world.tks, field_world.groups[Visit.objects.count() % 2],
                       timezone.now() - dt.timedelta(hours=Visit.objects.count() + 1), flags=["jauh"])
        with CaptureQueriesContext(connection) as list_page:
            assert client.get(reverse("mentoring:review_list")).status_code == 200
        with CaptureQueriesContext(connection) as flags_page:
            assert client.get(reverse("mentoring:flags")).status_code == 200
        counts.append((len(list_page), len(flags_page)))
    assert counts[0] == counts[1], counts

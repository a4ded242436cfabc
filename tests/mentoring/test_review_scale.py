"""The review at a national officer's scale: the list's TKS and group filters are lists to pick from
only for a regency (wider scopes search by name), and the flags page and API give the quiet lists a
page at a time with their full counts."""

import re

import pytest
from django.urls import reverse

from sukarela.mentoring.views import review as review_views
from tests.mentoring.test_review_scope import TestFlagsPage, visit_in

pytestmark = pytest.mark.django_db


def test_a_regency_officer_picks_tks_and_group_from_lists(client, world):
    visit = visit_in(world, "in")
    client.force_login(world.district)
    body = client.get(reverse("mentoring:review_list")).content.decode()
    assert '<select name="tks"' in body and '<select name="group"' in body
    assert f'<option value="{visit.tks_id}">{visit.tks.full_name}</option>' in body
    assert 'name="tks_name"' not in body and 'name="group_name"' not in body


@pytest.mark.parametrize("officer", ["national", "provincial"])
def test_wider_scopes_search_by_name_instead_of_listing_everyone(client, world, officer):
    mine, other = visit_in(world, "in"), visit_in(world, "in")
    client.force_login(getattr(world, officer))
    url = reverse("mentoring:review_list")
    body = client.get(url).content.decode()
    assert '<select name="tks"' not in body and '<select name="group"' not in body
    assert 'name="tks_name"' in body and 'name="group_name"' in body
    assert other.tks.full_name in body  # in the rows, not in a list of choices
    assert f'<option value="{other.tks_id}"' not in body

    def listed(query):
        page = client.get(url, query).content.decode()
        return {pk for pk in (mine.pk, other.pk) if reverse("mentoring:review_detail", args=[pk]) in page}

    assert listed({"tks_name": mine.tks.full_name[-6:]}) == {mine.pk}
    assert listed({"group_name": other.group.name.upper()}) == {other.pk}
    assert listed({"tks": other.tks_id}) == {other.pk}  # a link from the flags page names the id
    assert listed({"group": mine.group_id}) == {mine.pk}
    assert 'type="hidden" name="group" value="%d"' % mine.group_id in client.get(url, {"group": mine.group_id}).content.decode()


def test_the_api_searches_by_name_too(client, world):
    visit_in(world, "in")
    other = visit_in(world, "in")
    client.force_login(world.national)
    rows = client.get("/api/mentoring/visits", {"tks_name": other.tks.full_name}).json()["items"]
    assert [r["id"] for r in rows] == [str(other.pk)]
    assert client.get("/api/mentoring/visits", {"group_name": "x" * 101}).status_code == 422


def test_filter_days_far_out_do_not_break_the_list(client, world):
    visit_in(world, "in")
    client.force_login(world.national)
    for query in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"date_from": "9999-12-31"}):
        assert client.get(reverse("mentoring:review_list"), query).status_code == 200
        assert client.get("/api/mentoring/visits", query).status_code == 200


def _rows(body: str, table: str) -> int:
    start = body.index(f'id="{table}"')
    return len(re.findall(r"<tr><td>", body[start:body.index("</table>", start)]))


def test_the_flags_page_gives_each_quiet_list_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(review_views, "FLAG_ROWS", 2)
    quiet = [TestFlagsPage().make(world, "in") for _ in range(3)]
    client.force_login(world.national)
    url = reverse("mentoring:flags")
    body = client.get(url).content.decode()
    assert "3 kelompok tanpa kunjungan" in body and "3 TKS tanpa kunjungan" in body  # the full counts
    assert _rows(body, "quiet-group-list") == 2 and _rows(body, "quiet-tks-list") == 2
    assert "halaman_kelompok=2#quiet-groups" in body and "halaman_tks=2#quiet-tks" in body
    second = client.get(url, {"halaman_kelompok": 2}).content.decode()
    assert _rows(second, "quiet-group-list") == 1 and _rows(second, "quiet-tks-list") == 2
    shown = {g.pk for g in quiet if reverse("groups:group_detail", args=[g.pk]) in body + second}
    assert shown == {g.pk for g in quiet}


def test_the_flags_api_gives_a_page_and_the_count(client, world):
    quiet = [TestFlagsPage().make(world, "in") for _ in range(3)]
    client.force_login(world.national)
    first = client.get("/api/mentoring/flags", {"limit": 2}).json()
    assert first["quiet_groups_count"] == 3 and len(first["quiet_groups"]) == 2
    assert first["quiet_tks_count"] == 3 and len(first["quiet_tks"]) == 2
    rest = client.get("/api/mentoring/flags", {"limit": 2, "offset": 2}).json()
    assert len(rest["quiet_groups"]) == 1
    assert {g["id"] for g in first["quiet_groups"] + rest["quiet_groups"]} == {g.pk for g in quiet}
    assert len(client.get("/api/mentoring/flags").json()["quiet_groups"]) == 3  # default page: 50
    assert client.get("/api/mentoring/flags", {"limit": 501}).status_code == 422

"""Records outside a visit: monthly indicators (API and the group's page), the aid spent against the
60/40 plan, follow-ups marked done (service, page, API) and overdue ones; with the scope harness
of each new route."""

import datetime as dt
import itertools
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.groups.models import Group, IndicatorSnapshot
from sukarela.mentoring.models import FollowUp, Visit
from sukarela.mentoring.services import follow_ups
from sukarela.mentoring.services.visits import submit
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post, visit_payload
from tests.mentoring.test_review_scope import visit_in
from tests.scope_harness import RouteCase

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _indicators(**over) -> dict:
    return {"id": str(uuid.uuid4()), "turnover": 3_000_000, "active_members": 6, "products": "Keripik",
            "aid_spent_tools": 5_000_000, "aid_spent_materials": 1_000_000, "lpj_done": False, **over}


def post_indicators(client, body):
    return client.post("/api/field/indicators", data=json.dumps(body), content_type="application/json")


# --- monthly indicators through the API -----------------------------------------------------------------

def test_indicators_api_is_idempotent_and_never_overwrites(client, field_world):
    group = field_world.groups[0]
    client.force_login(field_world.tks)
    values = _indicators()
    body = {"group": group.pk, "indicators": values}
    first = post_indicators(client, body)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["id"] == values["id"] and data["group"] == group.pk and data["turnover"] == 3_000_000
    assert data["recorded_on"] == timezone.localdate().isoformat()
    again = post_indicators(client, body)
    assert again.status_code == 200 and again.json() == data
    changed = post_indicators(client, {**body, "indicators": {**values, "turnover": 9}})
    assert changed.status_code == 409
    assert changed.json()["server"]["turnover"] == 3_000_000 and "catatan baru" in changed.json()["detail"]
    assert IndicatorSnapshot.objects.get().turnover == 3_000_000
    assert AuditEvent.objects.filter(action="record_indicators").count() == 1


def test_indicators_api_names_the_field(client, field_world):
    client.force_login(field_world.tks)
    group = field_world.groups[0]
    cases = [
        ({"group": field_world.other_group.pk, "indicators": _indicators()}, ["body", "group"]),
        ({"group": 10**9, "indicators": _indicators()}, ["body", "group"]),
        ({"group": group.pk, "indicators": _indicators(turnover=-1)}, ["body", "indicators", "turnover"]),
        ({"group": group.pk, "indicators": _indicators(id="nope")}, ["body", "indicators", "id"]),
        ({"group": group.pk}, ["body", "indicators"]),
        ({"group": group.pk, "indicators": _indicators(), "recorded_on": (timezone.localdate() + dt.timedelta(days=1))
          .isoformat()}, ["body", "recorded_on"]),
        ({"group": group.pk, "indicators": _indicators(), "recorded_on": "1999-01-31"}, ["body", "recorded_on"]),
    ]
    for body, loc in cases:
        response = post_indicators(client, body)
        assert response.status_code == 422, (body, response.content)
        assert [e["loc"] for e in response.json()["detail"]] == [loc], body
    assert not IndicatorSnapshot.objects.exists()
    # a given day is part of the record: the same id with another day is a conflict
    body = {"group": group.pk, "indicators": _indicators(), "recorded_on": "2025-01-31"}
    assert post_indicators(client, body).status_code == 201
    assert post_indicators(client, {**body, "recorded_on": "2025-02-28"}).status_code == 409
    # an id taken by another group's snapshot is not this group's to answer
    other = post_indicators(client, {"group": field_world.groups[1].pk, "indicators": body["indicators"]})
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["body", "indicators", "id"]


def test_officers_use_the_page_not_the_field_api(client, field_world):
    client.force_login(field_world.district)
    response = post_indicators(client, {"group": field_world.groups[0].pk, "indicators": _indicators()})
    assert response.status_code == 403


# --- monthly indicators from the group's page, and the aid plan ----------------------------------------

def _form(**over) -> dict:
    data = {"id": str(uuid.uuid4()), "recorded_on": timezone.localdate().isoformat(), "turnover": "2500000",
            "capital": "", "active_members": "5", "new_workers": "", "products": "Tempe", "price": "",
            "aid_spent_tools": "7000000", "aid_spent_materials": "2000000"}
    data.update(over)
    return data


def test_the_tks_and_the_officer_record_from_the_group_page(client, field_world):
    group = field_world.groups[0]
    url = reverse("mentoring:indicator_record", args=[group.pk])
    page = reverse("groups:group_detail", args=[group.pk])
    for user in (field_world.tks, field_world.district):
        client.force_login(user)
        body = client.get(page).content.decode()
        assert 'id="indicator-record"' in body and url in body
        data = _form()
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].endswith("#indicators")
        snapshot = IndicatorSnapshot.objects.get(pk=data["id"])
        assert snapshot.recorded_by == user and snapshot.turnover == 2_500_000 and snapshot.capital is None
        assert client.post(url, data).status_code == 302  # the same form twice: one snapshot
        assert IndicatorSnapshot.objects.filter(pk=data["id"]).count() == 1
    # the chair sees the trend but no form; another TKS's group is not theirs (404)
    client.force_login(field_world.other_tks)
    assert client.post(url, _form()).status_code == 404
    assert IndicatorSnapshot.objects.count() == 2


def test_a_bad_form_says_why_and_records_nothing(client, field_world):
    group = field_world.groups[0]
    client.force_login(field_world.district)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for data, says in ((_form(turnover="-5"), "0"), (_form(recorded_on=tomorrow), "Tanggal harus antara"),
                       (_form(id=""), "")):
        response = client.post(reverse("mentoring:indicator_record", args=[group.pk]), data, follow=True)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'class="msg msg-error"' in body and says in body
    assert not IndicatorSnapshot.objects.exists()


def test_aid_spent_against_the_60_40_plan_flags_overspending(client, field_world):
    group = field_world.groups[0]
    Group.objects.filter(pk=group.pk).update(aid_tools=6_000_000, aid_materials=4_000_000)
    IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, recorded_on=timezone.localdate() - dt.timedelta(days=40),
                                     aid_spent_tools=1_000_000, aid_spent_materials=500_000)
    IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, recorded_on=timezone.localdate(),
                                     aid_spent_tools=7_000_000, aid_spent_materials=2_000_000)
    client.force_login(field_world.district)
    body = client.get(reverse("groups:group_detail", args=[group.pk])).content.decode()
    tools = body[body.index('id="aid-tools"'):body.index("</tr>", body.index('id="aid-tools"'))]
    materials = body[body.index('id="aid-materials"'):body.index("</tr>", body.index('id="aid-materials"'))]
    assert 'class="over"' in tools and "117%" in tools and "melebihi rencana" in tools
    assert 'class="over"' not in materials and "50%" in materials and "melebihi" not in materials


def test_aid_percent_is_left_out_when_the_plan_is_unknown(field_world):
    from sukarela.mentoring.selectors.review import aid_spending

    group = field_world.groups[0]
    snap = IndicatorSnapshot(group=group, recorded_on=timezone.localdate(), aid_spent_tools=10, aid_spent_materials=None)
    group.aid_tools, group.aid_materials = None, 0
    tools, materials = aid_spending(group, snap)
    assert (tools.percent, tools.over, materials.percent, materials.over) == (None, False, None, False)
    assert aid_spending(group, None) == ()


# --- follow-ups done --------------------------------------------------------------------------------------

@pytest.fixture
def visit(field_world):
    stored, _ = submit(field_world.tks, visit_payload(field_world.groups[0]))
    return stored


def test_the_tks_or_an_officer_marks_a_follow_up_done_once(field_world, visit):
    row = visit.follow_ups.get()
    for outsider in (field_world.other_tks, field_world.district_other):
        with pytest.raises(PermissionDenied):
            follow_ups.mark_done(outsider, row)
    before = Visit.objects.get().updated_at
    done, changed = follow_ups.mark_done(field_world.tks, row)
    assert changed and done.done_on == timezone.localdate()
    assert Visit.objects.get().updated_at > before and Visit.objects.get().version == 1
    event = AuditEvent.objects.get(action="follow_up_done")
    assert event.target_id == str(visit.pk) and event.changes["follow_up"] == [None, row.action]
    assert follow_ups.mark_done(field_world.district, row) == (done, False)  # again: nothing changes
    with pytest.raises(ValidationError):
        follow_ups.mark_done(field_world.district, row, timezone.localdate() - dt.timedelta(days=1))
    assert AuditEvent.objects.filter(action="follow_up_done").count() == 1


def test_a_done_day_must_lie_between_the_visit_and_today(field_world, visit):
    row = visit.follow_ups.get()
    for day in (timezone.localdate() + dt.timedelta(days=1), timezone.localdate() - dt.timedelta(days=30)):
        with pytest.raises(ValidationError) as refused:
            follow_ups.mark_done(field_world.district, row, day)
        assert list(refused.value.message_dict) == ["done_on"]


def test_follow_up_done_over_the_field_api(client, field_world, visit):
    row = visit.follow_ups.get()
    url = f"/api/field/follow-ups/{row.pk}/done"
    client.force_login(field_world.other_tks)
    assert client.post(url, data="{}", content_type="application/json").status_code == 404
    client.force_login(field_world.tks)
    listed = client.get(f"/api/field/visits/{visit.pk}").json()["follow_ups"]
    assert listed[0]["id"] == row.pk and listed[0]["done_on"] is None
    response = client.post(url, data="{}", content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"id": row.pk, "visit": str(visit.pk), "action": row.action,
                               "due_on": row.due_on.isoformat(), "done_on": timezone.localdate().isoformat()}
    assert client.post(url, data="{}", content_type="application/json").json() == response.json()  # a retry
    later = client.post(url, data=json.dumps({"done_on": "2000-01-01"}), content_type="application/json")
    assert later.status_code == 422
    assert client.get(f"/api/field/visits/{visit.pk}").json()["follow_ups"][0]["done_on"] == \
        timezone.localdate().isoformat()


def test_officers_of_the_region_use_the_same_follow_up_operation(client, field_world, visit):
    row = visit.follow_ups.get()
    url = f"/api/field/follow-ups/{row.pk}/done"
    client.force_login(field_world.district_other)
    assert client.post(url, data="{}", content_type="application/json").status_code == 404
    client.force_login(field_world.district)
    response = client.post(url, data=json.dumps({"done_on": timezone.localdate().isoformat()}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["done_on"] == timezone.localdate().isoformat()
    assert AuditEvent.objects.get(action="follow_up_done").actor == field_world.district


def test_overdue_follow_ups_on_the_page_the_list_and_the_flags(client, field_world, visit):
    row = visit.follow_ups.get()
    FollowUp.objects.filter(pk=row.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    other = visit_in(field_world.world, "in")  # a visit with no follow-up
    page = reverse("mentoring:review_detail", args=[visit.pk])
    client.force_login(field_world.district)
    body = client.get(page).content.decode()
    assert f'id="follow-up-{row.pk}" class="overdue"' in body and "lewat tenggat" in body
    done_url = reverse("mentoring:follow_up_done", args=[visit.pk, row.pk])
    assert done_url in body
    flags = client.get(reverse("mentoring:flags")).content.decode()
    overdue = flags[flags.index('id="flag-overdue"'):]
    assert "?overdue=on" in overdue and "1 tindak lanjut lewat tenggat" in overdue
    listed = client.get(reverse("mentoring:review_list"), {"overdue": "on"}).content.decode()
    assert reverse("mentoring:review_detail", args=[visit.pk]) in listed
    assert reverse("mentoring:review_detail", args=[other.pk]) not in listed
    api = client.get("/api/mentoring/flags").json()
    assert api["overdue_follow_ups"] == 1
    assert [r["id"] for r in client.get("/api/mentoring/visits", {"overdue": "true"}).json()["items"]] == [str(visit.pk)]
    # the officer marks it done from the page: no longer overdue
    response = client.post(done_url, {})
    assert response.status_code == 302 and response["Location"].endswith("#visit-follow-ups")
    body = client.get(page).content.decode()
    assert "lewat tenggat" not in body and done_url not in body
    assert client.get("/api/mentoring/flags").json()["overdue_follow_ups"] == 0
    # the district officer of another regency does not reach it
    client.force_login(field_world.district_other)
    assert client.post(done_url, {}).status_code == 404


def test_the_chair_sees_follow_ups_without_the_button(client, field_world, visit):
    from tests.mentoring.test_review import chair_login

    client.force_login(chair_login(visit.group))
    body = client.get(reverse("mentoring:review_detail", args=[visit.pk])).content.decode()
    row = visit.follow_ups.get()
    assert row.action in body and reverse("mentoring:follow_up_done", args=[visit.pk, row.pk]) not in body
    assert client.post(reverse("mentoring:follow_up_done", args=[visit.pk, row.pk])).status_code == 403
    assert FollowUp.objects.get().done_on is None


# --- the scope harness of the new routes ----------------------------------------------------------------

def _posted_group(world, where):
    """A group of 32.01 posted to `tks_in` ("in"), or of 32.02 posted to another TKS ("out")."""
    group = field_group(world, where, members=0)
    tks = world.tks_in if where == "in" else make_user(f"tks-luar-{next(_n)}", Role.TKS, world.village_out.code)
    post(group, tks)
    group.tks = tks
    return group


class TestIndicatorsApi(RouteCase):
    route = "POST /api/field/indicators"
    method = "post"
    ok_status = 201
    outsider_status = 422  # not their group: refused naming "group", as a visit is
    insider = "tks_in"
    outsider = "tks_out"
    audit_action = "record_indicators"

    def make(self, world, where):
        return _posted_group(world, where)

    def url(self, obj):
        return "/api/field/indicators"

    def data(self, obj, world):
        return {"group": obj.pk, "indicators": _indicators()}

    def marker(self, obj):
        return obj.name


def _visit_with_follow_up(world, where):
    group = _posted_group(world, where)
    visit, _ = submit(group.tks, visit_payload(group, attendance=[]))
    return visit.follow_ups.get()


class TestFollowUpDoneApi(RouteCase):
    route = "POST /api/field/follow-ups/{follow_up_id}/done"
    method = "post"
    insider = "tks_in"
    outsider = "tks_out"
    audit_action = "follow_up_done"

    def make(self, world, where):
        return _visit_with_follow_up(world, where)

    def url(self, obj):
        return f"/api/field/follow-ups/{obj.pk}/done"

    def data(self, obj, world):
        return {}

    def marker(self, obj):
        return obj.action


class TestIndicatorRecordPage(RouteCase):
    route = "mentoring:indicator_record"
    method = "post"
    ok_status = 302
    audit_action = "record_indicators"

    def make(self, world, where):
        return field_group(world, where, members=0)

    def url(self, obj):
        return reverse("mentoring:indicator_record", args=[obj.pk])

    def data(self, obj, world):
        return _form()


class TestFollowUpDonePage(RouteCase):
    route = "mentoring:follow_up_done"
    method = "post"
    ok_status = 302
    audit_action = "follow_up_done"

    def make(self, world, where):
        return _visit_with_follow_up(world, where)

    def url(self, obj):
        return reverse("mentoring:follow_up_done", args=[obj.visit_id, obj.pk])

    def data(self, obj, world):
        return {}

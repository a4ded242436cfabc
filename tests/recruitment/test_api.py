"""Recruitment over HTTP: the whole flow, errors that name the field, never a 500."""

import json

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.recruitment.models import Application, Campaign
from tests.recruitment.conftest import applicant

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _staff_body(village, **over):
    raw = applicant(village, **over)
    raw["consent"] = True
    return raw


def test_flow_over_the_api(client, world):
    client.force_login(world.national)
    response = _post(client, "/api/campaigns", {
        "name": "Lewat API", "year": 2026, "target_seats": 4, "opens_on": "2026-01-01", "closes_on": "2026-12-31",
        "use_admin_check": False, "regions": [{"code": "32.01", "weight": 3}, {"code": "32.02", "weight": 1}],
        "rules": [{"key": "tidak_bekerja", "statement": "Saya tidak sedang bekerja"}]})
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    quotas = _post(client, f"/api/campaigns/{cid}/apportion", {"method": "webster", "minimum": 1}).json()
    assert {q["region"]: q["quota"] for q in quotas} == {"32.01": 3, "32.02": 1}
    ids = []
    for score in (90, 80, 70, 60, 50):
        body = _staff_body(world.village_in.code, declarations={"tidak_bekerja": True})
        created = _post(client, f"/api/campaigns/{cid}/applications", body)
        assert created.status_code == 201, created.content
        ids.append(created.json()["id"])
        scored = _post(client, f"/api/applications/{ids[-1]}/scores", {"test_score": str(score),
                                                                       "interview_score": "70"})
        assert scored.status_code == 200
    assert _post(client, f"/api/campaigns/{cid}/screening", {}).json()["eligible"] == 5
    dry = _post(client, f"/api/campaigns/{cid}/selection", {"dry_run": True}).json()
    assert (dry["selected"], dry["waitlisted"]) == (3, 2) and not Application.objects.exclude(decision="").exists()
    done = _post(client, f"/api/campaigns/{cid}/selection", {}).json()
    assert done["selected"] == 3
    summary = client.get(f"/api/campaigns/{cid}/summary").json()
    assert {r["region"]: (r["selected"], r["waitlisted"]) for r in summary} == {"32.01": (3, 2), "32.02": (0, 0)}
    listed = client.get(f"/api/campaigns/{cid}/applications?decision=selected").json()
    assert listed["count"] == 3 and all("*" in a["nik"] for a in listed["items"])  # masked in lists
    one = client.get(f"/api/applications/{ids[0]}").json()
    assert "*" not in one["nik"] and one["decision"] == "selected"
    withdrawn = _post(client, f"/api/applications/{ids[0]}/withdrawal", {"reason": "Diterima bekerja"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert client.get(f"/api/applications/{ids[3]}").json()["decision"] == "selected"  # next on the waitlist


def test_errors_name_the_field(client, world, campaign):
    client.force_login(world.district)
    bad = _staff_body(world.village_in.code, birth_date="1990-01-01")  # disagrees with the NIK
    response = _post(client, f"/api/campaigns/{campaign.pk}/applications", bad)
    assert response.status_code == 422
    assert ["body", "nik"] in [e["loc"] for e in response.json()["detail"]]
    missing = {k: v for k, v in _staff_body(world.village_in.code).items() if k != "phone"}
    response = _post(client, f"/api/campaigns/{campaign.pk}/applications", missing)
    assert response.status_code == 422 and ["body", "phone"] in [e["loc"] for e in response.json()["detail"]]
    response = _post(client, f"/api/campaigns/{campaign.pk}/apportion", {"method": "borda"})
    assert response.status_code == 403 or response.status_code == 422
    client.force_login(world.national)
    response = _post(client, f"/api/campaigns/{campaign.pk}/apportion", {"method": "borda"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "method"]
    response = _post(client, f"/api/campaigns/{campaign.pk}/quotas/32.01", {"quota": 3, "reason": ""}, "patch")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]
    response = _post(client, "/api/campaigns", {"name": "x", "year": 2026, "target_seats": 1,
                                                "opens_on": "2026-02-01", "closes_on": "2026-01-01"})
    assert response.status_code == 422 and ["body", "closes_on"] in [e["loc"] for e in response.json()["detail"]]
    assert Campaign.objects.count() == 1


text = st.text(max_size=40)


@FUZZ
@given(body=st.fixed_dictionaries({}, optional={
    "nik": text, "full_name": text, "birth_date": text, "sex": text, "phone": text, "email": text,
    "education_level": text, "domicile": text, "address": text, "household_id": text,
    "consent": st.one_of(st.booleans(), text), "declarations": st.dictionaries(text, st.booleans(), max_size=2)}))
def test_no_input_makes_a_500(client, world, campaign, body):
    client.force_login(world.district)
    with transaction.atomic():
        response = _post(client, f"/api/campaigns/{campaign.pk}/applications", body)
        assert response.status_code in (201, 403, 422), response.content
        transaction.set_rollback(True)


def test_staff_cannot_enter_outside_scope(client, world, campaign):
    client.force_login(world.district)
    response = _post(client, f"/api/campaigns/{campaign.pk}/applications", _staff_body(world.village_out.code))
    assert response.status_code == 403 and not Application.objects.exists()

"""Every alumni page and API operation through the scope harness. Inside: an alumnus whose TKS lives
in Kab. Bogor (32.01), seen by Bogor's district officer; outside: one in Kab. Sukabumi (32.02).
The public survey form is declared in tests/test_routes_covered.py PUBLIC (its rules:
test_surveys.py)."""

from django.urls import reverse

from tests.alumni.conftest import alumnus, cohort_of, graduated_tks, sent_survey
from tests.scope_harness import ListCase, RouteCase


class AlumnusRoute(RouteCase):
    def make(self, world, where):
        return alumnus(world, where)

    def marker(self, obj):
        return obj.tks.full_name


class TestAlumniListPage(ListCase):
    route = "alumni:alumni_list"
    outsider_status = 200  # a list: the outside alumnus is simply absent

    def make(self, world, where):
        return alumnus(world, where)

    def url(self, obj):
        return reverse("alumni:alumni_list")

    def marker(self, obj):
        return reverse("alumni:alumni_detail", args=[obj.pk])


class TestAlumniDetailPage(AlumnusRoute):
    route = "alumni:alumni_detail"

    def url(self, obj):
        return reverse("alumni:alumni_detail", args=[obj.pk])


class TestRecordCreatePage(RouteCase):
    route = "alumni:record_create"
    method = "post"
    ok_status = 302
    outsider_status = 422  # the form says no such TKS in the officer's region, whoever it is
    audit_action = "create_alumni"

    def make(self, world, where):
        return graduated_tks(world, where)

    def url(self, obj):
        return reverse("alumni:record_create")

    def data(self, obj, world):
        return {"tks": obj.username, "posting_ended_on": "2024-06-30"}

    def marker(self, obj):
        return obj.full_name


class TestOutcomeAddPage(AlumnusRoute):
    route = "alumni:outcome_add"
    method = "post"
    ok_status = 302
    audit_action = "add_outcome"

    def url(self, obj):
        return reverse("alumni:outcome_add", args=[obj.pk])

    def data(self, obj, world):
        return {"as_of": "2026-03-01", "status": "studi", "organisation": "Universitas Terbuka"}


class TestSurveyResendPage(RouteCase):
    route = "alumni:survey_resend"
    method = "post"
    ok_status = 302
    audit_action = "resend_survey"

    def make(self, world, where):
        return sent_survey(alumnus(world, where))[0]

    def url(self, obj):
        return reverse("alumni:survey_resend", args=[obj.alumni_id, obj.pk])

    def marker(self, obj):
        return obj.alumni.tks.full_name


class TestResponseRatesPage(ListCase):
    route = "alumni:response_rates"
    outsider_status = 200  # the outside cohort is simply absent

    def make(self, world, where):
        return sent_survey(alumnus(world, where))[0]

    def url(self, obj):
        return reverse("alumni:response_rates")

    def marker(self, obj):
        return obj.alumni.cohort.name


# --- API ------------------------------------------------------------------------------------------

class TestApiAlumniList(ListCase):
    route = "GET /api/alumni"
    outsider_status = 200

    def make(self, world, where):
        return alumnus(world, where)

    def url(self, obj):
        return "/api/alumni"

    def marker(self, obj):
        return obj.tks.full_name

    def expected_count(self, world) -> int:
        return 1


class TestApiAlumniDetail(AlumnusRoute):
    route = "GET /api/alumni/{alumni_id}"

    def url(self, obj):
        return f"/api/alumni/{obj.pk}"


class TestApiOutcomeAdd(AlumnusRoute):
    route = "POST /api/alumni/{alumni_id}/outcomes"
    method = "post"
    ok_status = 201
    audit_action = "add_outcome"

    def url(self, obj):
        return f"/api/alumni/{obj.pk}/outcomes"

    def data(self, obj, world):
        return {"as_of": "2026-03-01", "status": "usaha", "organisation": "Keripik Sari", "jobs_created": 2}


class TestApiResponseRates(RouteCase):
    route = "GET /api/alumni/response-rates"
    outsider_status = 200  # the outside cohort is absent (marker checked)

    def make(self, world, where):
        return sent_survey(alumnus(world, where))[0]

    def url(self, obj):
        return "/api/alumni/response-rates"

    def marker(self, obj):
        return obj.alumni.cohort.name


# --- the API's own rules ----------------------------------------------------------------------------

def test_api_detail_shape_and_a_tks_reads_only_their_own(client, world):
    record = alumnus(world)
    survey, _token = sent_survey(record, answered=True)
    other = alumnus(world)
    client.force_login(world.district)
    data = client.get(f"/api/alumni/{record.pk}").json()
    assert data["tks_name"] == record.tks.full_name and data["cohort_name"] == cohort_of(world).name
    assert data["region"] == record.tks.region_id and data["has_email"] is True
    assert data["outcomes"][0]["source"] == "survei" and data["outcomes"][0]["survey"] == survey.pk
    assert data["surveys"][0]["link"] == "used" and data["latest_status"] == "studi"
    assert client.get("/api/alumni", {"status": "studi"}).json()["count"] == 1
    assert client.get("/api/alumni", {"status": "pensiun"}).status_code == 422
    assert client.get("/api/alumni", {"region": "32.02"}).json()["count"] == 0
    assert client.get(f"/api/alumni/{2**63}").status_code == 422
    client.force_login(record.tks)
    assert [r["id"] for r in client.get("/api/alumni").json()["items"]] == [record.pk]
    assert client.get(f"/api/alumni/{other.pk}").status_code == 404
    response = client.post(f"/api/alumni/{record.pk}/outcomes", data={"as_of": "2026-03-01", "status": "studi"},
                           content_type="application/json")
    assert response.status_code == 403


def test_api_outcome_refusal_names_the_field(client, world):
    record = alumnus(world)
    client.force_login(world.district)
    response = client.post(f"/api/alumni/{record.pk}/outcomes",
                           data={"as_of": "2026-03-01", "status": "bekerja", "jobs_created": 2},
                           content_type="application/json")
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {("body", "organisation"), ("body", "jobs_created")}

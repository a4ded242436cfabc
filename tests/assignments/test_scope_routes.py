"""Every assignment page and API operation through the scope harness.

The district officer of Kabupaten Bogor (32.01) runs the matching for a cohort of 32.01; the
officer of Kabupaten Sukabumi (32.02) gets 404 for that cohort, its runs, rules and postings.
"""

from django.urls import reverse

from sukarela.assignments.models import Posting, Rule
from sukarela.core.models import AuditEvent
from sukarela.assignments.services import matching, publishing
from tests.assignments.conftest import BOGOR, graduated_cohort, near, placed_group
from tests.scope_harness import ListCase, RouteCase

SUKABUMI = (-6.95, 106.90)


def _cohort(world, where):
    return graduated_cohort(world, where, n=1, at=BOGOR if where == "in" else SUKABUMI)


def _run(world, where):
    cohort = _cohort(world, where)
    group = placed_group(world, where, at=near(BOGOR if where == "in" else SUKABUMI, 1),
                         name=f"Kelompok {'Dalam' if where == 'in' else 'Luar'} Rahasia")
    officer = world.district if where == "in" else world.district_other
    run = matching.run(officer, cohort)
    run.group, run.mentor, run.officer = group, cohort.mentors[0], officer
    return run


def _published(world, where):
    run = _run(world, where)
    publishing.publish(run.officer, run)
    return Posting.objects.get(run=run)


class CohortRoute(RouteCase):
    def make(self, world, where):
        return _cohort(world, where)


class RunRoute(RouteCase):
    def make(self, world, where):
        return _run(world, where)

    def marker(self, obj):
        return obj.group.name


class TestRunListPage(ListCase):
    route = "assignments:run_list"
    outsider_status = 200  # a list: the outside run is simply absent

    def make(self, world, where):
        return _run(world, where)

    def url(self, obj):
        return reverse("assignments:run_list")

    def marker(self, obj):
        return obj.cohort.name


class TestRunCreatePage(CohortRoute):
    route = "assignments:run_create"
    method = "post"
    ok_status = 302
    audit_action = "match_run"

    def url(self, obj):
        return reverse("assignments:run_create", args=[obj.pk])

    def data(self, obj, world):
        return {"max_km": "50", "boundary": "province", "sector_penalty_km": "50", "keep_current": "on"}


class TestRunDetailPage(RunRoute):
    route = "assignments:run_detail"

    def url(self, obj):
        return reverse("assignments:run_detail", args=[obj.pk])

    def test_the_preview_names_mentor_regency_and_changes(self, client, world):
        run = self.make(world, "in")
        client.force_login(world.district)
        body = client.get(self.url(run)).content.decode()
        assert run.group.name in body and run.mentor.full_name in body
        assert 'id="per-regency"' in body and 'id="changes"' in body and 'id="publish"' in body
        changed = body.split('id="changed"')[1].split("</table>")[0]
        assert run.group.name in changed and run.mentor.full_name in changed  # a new posting, named


class TestRunMap(RunRoute):
    route = "assignments:run_map"

    def url(self, obj):
        return reverse("assignments:run_map", args=[obj.pk])

    def test_points_and_pairs(self, client, world):
        run = self.make(world, "in")
        client.force_login(world.district)
        data = client.get(self.url(run)).json()
        assert data["mentors"][0]["at"] == list(BOGOR)
        assert data["groups"][0]["mentor"] == run.mentor.pk


class TestRuleAddPage(RunRoute):
    route = "assignments:rule_add"
    method = "post"
    ok_status = 302
    audit_action = "match_rule"

    def url(self, obj):
        return reverse("assignments:rule_add", args=[obj.pk])

    def data(self, obj, world):
        return {"group": obj.group.pk, "mentor": obj.mentor.pk, "kind": "forbid"}


def test_a_rule_for_a_group_outside_the_scope_answers_404(client, world):
    run, outside = _run(world, "in"), placed_group(world, "out", at=SUKABUMI)
    client.force_login(world.district)
    response = client.post(reverse("assignments:rule_add", args=[run.pk]),
                           {"group": outside.pk, "mentor": run.mentor.pk, "kind": "pin"})
    assert response.status_code == 404 and not Rule.objects.exists()


class TestRuleDeletePage(RouteCase):
    route = "assignments:rule_delete"
    method = "post"
    ok_status = 302
    audit_action = "delete"

    def make(self, world, where):
        run = _run(world, where)
        return matching.set_rule(run.officer, run.cohort, run.group, run.mentor, Rule.Kind.PIN)

    def url(self, obj):
        return reverse("assignments:rule_delete", args=[obj.pk])


class PublishRoute(RunRoute):
    method = "post"

    def test_insider_works(self, client, world):
        # Publishing writes one event per posting started, then the run's own "publish" event.
        run = self.make(world, "in")
        client.force_login(world.district)
        response = self.request(client, run, world)
        assert response.status_code == self.ok_status, response.content[:500]
        last = AuditEvent.objects.order_by("-id").first()
        assert last.action == "publish" and last.actor == world.district and last.changes["added"] == [None, 1]
        assert AuditEvent.objects.filter(action="start_posting").count() == 1
        assert Posting.objects.filter(run=run, ends_on__isnull=True).count() == 1


class TestRunPublishPage(PublishRoute):
    route = "assignments:run_publish"
    ok_status = 302

    def url(self, obj):
        return reverse("assignments:run_publish", args=[obj.pk])


class TestPostingListPage(ListCase):
    route = "assignments:posting_list"
    outsider_status = 200

    def make(self, world, where):
        return _published(world, where)

    def url(self, obj):
        return reverse("assignments:posting_list")

    def marker(self, obj):
        return obj.group.name

    def test_a_tks_sees_only_their_own_postings(self, client, world):
        mine, other = _published(world, "in"), _published(world, "out")
        client.force_login(mine.mentor)
        body = client.get(self.url(None)).content.decode()
        assert mine.group.name in body and other.group.name not in body


class TestMentorListPage(CohortRoute):
    route = "assignments:mentor_list"

    def url(self, obj):
        return reverse("assignments:mentor_list", args=[obj.pk])

    def marker(self, obj):
        return obj.mentors[0].full_name


class TestMentorEditPage(CohortRoute):
    route = "assignments:mentor_edit"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def url(self, obj):
        return reverse("assignments:mentor_edit", args=[obj.pk, obj.mentors[0].pk])

    def data(self, obj, world):
        prefix = f"u{obj.mentors[0].pk}"
        return {f"{prefix}-capacity": 7, f"{prefix}-sectors": ["perikanan-kelautan"], f"{prefix}-lat": "-6.5",
                f"{prefix}-lon": "106.9"}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        from sukarela.assignments.models import MentorProfile

        profile = MentorProfile.objects.get()
        assert (profile.capacity, profile.lat, profile.lon) == (7, -6.5, 106.9)


# --- API ----------------------------------------------------------------------------
class TestRunCreateApi(CohortRoute):
    route = "POST /api/assignments/cohorts/{cohort_id}/runs"
    method = "post"
    ok_status = 201
    audit_action = "match_run"

    def url(self, obj):
        return f"/api/assignments/cohorts/{obj.pk}/runs"

    def data(self, obj, world):
        return {"max_km": 40, "boundary": "regency"}


class TestRunApi(RunRoute):
    route = "GET /api/assignments/runs/{run_id}"

    def url(self, obj):
        return f"/api/assignments/runs/{obj.pk}"

    def marker(self, obj):
        return None


class TestProposalsApi(RunRoute):
    route = "GET /api/assignments/runs/{run_id}/proposals"

    def url(self, obj):
        return f"/api/assignments/runs/{obj.pk}/proposals"

    def marker(self, obj):
        return None

    def test_each_proposal_says_who_and_why(self, client, world):
        run = self.make(world, "in")
        client.force_login(world.district)
        item = client.get(self.url(run)).json()["items"][0]
        assert item["group"] == run.group.pk and item["mentor"] == run.mentor.pk and item["sector_fit"]


class TestChangesApi(RunRoute):
    route = "GET /api/assignments/runs/{run_id}/changes"

    def url(self, obj):
        return f"/api/assignments/runs/{obj.pk}/changes"

    def marker(self, obj):
        return None


class TestPublishApi(PublishRoute):
    route = "POST /api/assignments/runs/{run_id}/publish"

    def url(self, obj):
        return f"/api/assignments/runs/{obj.pk}/publish"

    def marker(self, obj):
        return None


class TestPostingsApi(ListCase):
    route = "GET /api/assignments/postings"
    outsider_status = 200

    def make(self, world, where):
        return _published(world, where)

    def url(self, obj):
        return "/api/assignments/postings"

    def marker(self, obj):
        return f'"id": {obj.pk}'

    def expected_count(self, world):
        return 1


class TestRuleAddApi(RunRoute):
    route = "POST /api/assignments/cohorts/{cohort_id}/rules"
    method = "post"
    ok_status = 201
    audit_action = "match_rule"

    def url(self, obj):
        return f"/api/assignments/cohorts/{obj.cohort_id}/rules"

    def data(self, obj, world):
        return {"group": obj.group.pk, "mentor": obj.mentor.pk, "kind": "pin"}

    def marker(self, obj):
        return None


class TestRuleDeleteApi(TestRuleDeletePage):
    route = "DELETE /api/assignments/rules/{rule_id}"
    method = "delete"
    ok_status = 204

    def url(self, obj):
        return f"/api/assignments/rules/{obj.pk}"


class TestMentorApi(CohortRoute):
    route = "PUT /api/assignments/cohorts/{cohort_id}/mentors/{user_id}"
    method = "put"
    audit_action = "update"

    def url(self, obj):
        return f"/api/assignments/cohorts/{obj.pk}/mentors/{obj.mentors[0].pk}"

    def data(self, obj, world):
        return {"capacity": 6, "sectors": ["usaha-kreatif"]}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        from sukarela.assignments.models import MentorProfile

        profile = MentorProfile.objects.get()
        assert profile.capacity == 6 and profile.lat == BOGOR[0]  # the point stays when not sent

    def test_an_unknown_sector_is_named(self, client, world):
        cohort = self.make(world, "in")
        client.force_login(world.district)
        response = client.put(self.url(cohort), {"sectors": ["tidak-ada"]}, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "sectors"]

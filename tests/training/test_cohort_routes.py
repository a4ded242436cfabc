"""Cohort, schedule, participant, score and graduation pages and API through the scope harness.

The district officer of Kabupaten Bogor (32.01) runs a cohort in 32.01; the officer of
Kabupaten Sukabumi (32.02) gets 404 for it (and its sessions and participants), never sees
it in a list, and is refused (403) when creating one in 32.01.
"""

import datetime as dt

import pytest
from django.urls import reverse

from sukarela.training.models import Attendance, Mark, ParticipantStatus, Session
from sukarela.training.services import participants, sessions
from tests.scope_harness import ListCase, RouteCase
from tests.training.conftest import make_cohort

WHERE = {"in": "Dalam", "out": "Luar"}
AFTER = dt.date(2027, 2, 1)


@pytest.fixture(autouse=True)
def _training_world(world, curriculum, campaign, make_tks):
    """The harness passes only `world` to make(); the fixtures ride along on it."""
    world.curriculum, world.campaign, world.make_tks = curriculum, campaign, make_tks


def _cohort(world, where, **over):
    return make_cohort(world, world.curriculum, world.campaign, where,
                       **{"name": f"Angkatan {WHERE[where]} Rahasia", **over})


def _officer(world, where):
    return world.district if where == "in" else world.district_other


def _participant(world, where):
    cohort = _cohort(world, where)
    region = world.village_in.code if where == "in" else world.village_out.code
    tks = world.make_tks(region=region, full_name=f"Peserta {WHERE[where]} Rahasia")
    (p,) = participants.enrol(_officer(world, where), cohort, [tks])
    return p


def _graduable(world, where):
    """A participant who met every rule in a cohort that has ended (attendance and scores as test data)."""
    p = _participant(world, where)
    made = sessions.generate_schedule(_officer(world, where), p.cohort)
    Attendance.objects.bulk_create(Attendance(session=s, participant=p, mark=Mark.PRESENT) for s in made)
    from sukarela.training.models import Assessment

    Assessment.objects.bulk_create(Assessment(participant=p, module=m, attempt=1, score=90, assessed_on=AFTER)
                                   for m in p.cohort.modules.all())
    Session.objects.filter(cohort=p.cohort).update(date=dt.date(2026, 9, 1))  # all held already
    return p


class CohortPage(RouteCase):
    def make(self, world, where):
        return _cohort(world, where)

    def marker(self, obj):
        return obj.name


# --- pages --------------------------------------------------------------------------
class TestCohortListPage(CohortPage, ListCase):
    route = "training:cohort_list"
    outsider_status = 200  # a list has no object to refuse: the outside cohort is simply absent

    def test_a_tks_sees_only_the_cohort_they_train_in(self, client, world):
        mine, other = _participant(world, "in"), _cohort(world, "out")
        client.force_login(mine.volunteer)
        body = client.get(self.url(None)).content.decode()
        assert mine.cohort.name in body and other.name not in body

    def url(self, obj):
        return reverse("training:cohort_list")


class TestCohortCreatePage(RouteCase):
    route = "training:cohort_create"
    method = "post"
    ok_status = 302
    # The officer next door posts a cohort in 32.01: the region picker refuses a region outside their
    # own on the form (200, the error on the field) and nothing is made.
    outsider = "district_other"
    outsider_status = 200
    audit_action = "create"

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        from sukarela.training.models import Cohort

        assert not Cohort.objects.filter(name="Angkatan Baru Uji").exists()

    def data(self, obj, world):
        return {"name": "Angkatan Baru Uji", "campaign": world.campaign.pk, "curriculum": world.curriculum.pk,
                "region": "32.01", "starts_on": "2026-09-01", "day_starts_at": "08:00", "session_hours": 4,
                "sessions_per_day": 1, "skip_cuti_bersama": "on", "min_attendance": 80, "require_all_modules": "on",
                "max_attempts": 3}

    def url(self, obj):
        return reverse("training:cohort_create")

    def test_insider_works(self, client, world):
        from sukarela.core.models import AuditEvent

        client.force_login(world.district)
        before = AuditEvent.objects.count()
        response = client.post(self.url(None), self.data(None, world))
        assert response.status_code == 302, response.content[:2000]
        # The cohort and its copied modules: one audit record for the cohort.
        assert AuditEvent.objects.count() == before + 1

    def test_the_form_opens_and_names_a_bad_field(self, client, world):
        client.force_login(world.district)
        assert client.get(self.url(None)).status_code == 200
        body = client.post(self.url(None), {**self.data(None, world), "ends_on": "2026-08-01"}).content.decode()
        assert "Tanggal selesai harus setelah tanggal mulai" in body


class TestCohortDetailPage(CohortPage):
    route = "training:cohort_detail"

    def url(self, obj):
        return reverse("training:cohort_detail", args=[obj.pk])

    def test_days_off_and_the_warning_list_show(self, client, world):
        p = _participant(world, "in")
        sessions.generate_schedule(world.district, p.cohort)
        client.force_login(world.district)
        body = client.get(self.url(p.cohort)).content.decode()
        assert "Kelahiran Yesus Kristus" in body
        assert 'id="attendance-warnings"' not in body or "Peserta Dalam Rahasia" in body


class TestCohortEditPage(CohortPage):
    route = "training:cohort_edit"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def url(self, obj):
        return reverse("training:cohort_edit", args=[obj.pk])

    def data(self, obj, world):
        return {"name": "Nama Angkatan Diubah", "region": obj.region_id, "starts_on": "2026-09-01",
                "ends_on": "2027-01-31", "day_starts_at": "08:00", "session_hours": 4, "sessions_per_day": 1,
                "min_attendance": 75, "max_attempts": 3, "extra_days_off": "2026-12-31 Libur kantor"}


class TestModuleTrainerPage(RouteCase):
    route = "training:module_trainer"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def make(self, world, where):
        from sukarela.core.roles import Role
        from tests.conftest import make_user

        world.trainer = getattr(world, "trainer", None) or make_user("pelatih-uji", Role.TRAINER, "32.01")
        return _cohort(world, where).modules.first()

    def url(self, obj):
        return reverse("training:module_trainer", args=[obj.pk])

    def data(self, obj, world):
        return {f"m{obj.pk}-trainer": world.trainer.pk}


class TestSchedulePage(CohortPage):
    route = "training:schedule"

    def url(self, obj):
        return reverse("training:schedule", args=[obj.pk])


class TestScheduleGeneratePage(CohortPage):
    route = "training:schedule_generate"
    method = "post"
    ok_status = 302
    audit_action = "generate_schedule"

    def url(self, obj):
        return reverse("training:schedule_generate", args=[obj.pk])

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert Session.objects.count() == 8


class TestSessionCreatePage(CohortPage):
    route = "training:session_create"
    method = "post"
    ok_status = 302
    audit_action = "create"

    def url(self, obj):
        return reverse("training:session_create", args=[obj.pk])

    def data(self, obj, world):
        return {"module": obj.modules.first().pk, "date": "2026-09-01", "starts_at": "08:00", "ends_at": "12:00"}

    def test_a_holiday_is_named_on_the_form(self, client, world):
        cohort = _cohort(world, "in")
        client.force_login(world.district)
        body = client.post(self.url(cohort), {**self.data(cohort, world), "date": "2026-12-25"}).content.decode()
        assert "Kelahiran Yesus Kristus" in body and not Session.objects.exists()


def _session(world, where):
    cohort = _cohort(world, where)
    return sessions.add_session(_officer(world, where), cohort, module=cohort.modules.first(),
                                date=dt.date(2026, 9, 1), starts_at=dt.time(8), ends_at=dt.time(12),
                                note=f"Sesi {WHERE[where]} Rahasia")


class TestSessionEditPage(RouteCase):
    route = "training:session_edit"
    method = "post"
    ok_status = 302
    audit_action = "update"

    def make(self, world, where):
        return _session(world, where)

    def url(self, obj):
        return reverse("training:session_edit", args=[obj.pk])

    def data(self, obj, world):
        return {"module": obj.module_id, "date": "2026-09-02", "starts_at": "09:00", "ends_at": "12:00"}


class TestSessionDeletePage(TestSessionEditPage):
    route = "training:session_delete"
    audit_action = "delete"

    def url(self, obj):
        return reverse("training:session_delete", args=[obj.pk])

    def data(self, obj, world):
        return {}


class TestParticipantListPage(RouteCase):
    route = "training:participant_list"

    def make(self, world, where):
        return _participant(world, where)

    def url(self, obj):
        return reverse("training:participant_list", args=[obj.cohort_id])

    def marker(self, obj):
        return obj.volunteer.full_name


class TestParticipantEnrolPage(CohortPage):
    route = "training:participant_enrol"
    method = "post"
    ok_status = 302
    audit_action = "enrol"

    def url(self, obj):
        return reverse("training:participant_enrol", args=[obj.pk])

    def data(self, obj, world):
        region = obj.region_id
        village = world.village_in.code if region == "32.01" else world.village_out.code
        return {"volunteers": [world.make_tks(region=village).pk]}


class ParticipantPage(RouteCase):
    def make(self, world, where):
        return _participant(world, where)

    def marker(self, obj):
        return obj.volunteer.full_name


class TestParticipantDetailPage(ParticipantPage):
    route = "training:participant_detail"

    def url(self, obj):
        return reverse("training:participant_detail", args=[obj.pk])

    def test_the_tks_sees_their_own_record_and_not_anothers(self, client, world):
        mine, other = _participant(world, "in"), _participant(world, "out")
        (classmate,) = participants.enrol(world.district, mine.cohort, [world.make_tks(region=world.village_in.code)])
        client.force_login(mine.volunteer)
        assert client.get(self.url(mine)).status_code == 200
        assert client.get(self.url(other)).status_code == 404
        assert client.get(self.url(classmate)).status_code == 404
        listed = client.get(f"/api/training/cohorts/{mine.cohort_id}/participants").json()
        assert [row["id"] for row in listed] == [mine.pk]


class TestParticipantScorePage(ParticipantPage):
    route = "training:participant_score"
    method = "post"
    ok_status = 302
    audit_action = "assess"

    def url(self, obj):
        return reverse("training:participant_score", args=[obj.pk])

    def data(self, obj, world):
        return {"module": obj.cohort.modules.first().pk, "score": "82.5", "assessed_on": "2026-10-01"}


class TestParticipantDropPage(ParticipantPage):
    route = "training:participant_drop"
    method = "post"
    ok_status = 302
    audit_action = "drop_out"

    def url(self, obj):
        return reverse("training:participant_drop", args=[obj.pk])

    def data(self, obj, world):
        return {"reason": "Mengundurkan diri"}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        from sukarela.training.models import Participant

        assert Participant.objects.get().status == ParticipantStatus.DROPPED


class TestScoreImportPage(ParticipantPage):
    route = "training:score_import"
    method = "post"
    audit_action = "assess"

    def url(self, obj):
        return reverse("training:score_import", args=[obj.cohort_id])

    def data(self, obj, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        content = f"Nama Pengguna,Kode Modul,Nilai\n{obj.volunteer.username},orientasi,77\n".encode()
        return {"file": SimpleUploadedFile("nilai.csv", content, content_type="text/csv"), "mode": "all"}


class TestScoreTemplatePage(ParticipantPage):
    route = "training:score_template"

    def url(self, obj):
        return reverse("training:score_template", args=[obj.cohort_id])


class TestGraduationPage(ParticipantPage):
    route = "training:graduation"

    def url(self, obj):
        return reverse("training:graduation", args=[obj.cohort_id])


class TestGraduationConfirmPage(RouteCase):
    route = "training:graduation_confirm"
    method = "post"
    ok_status = 302
    audit_action = "issue_certificate"

    def make(self, world, where):
        return _graduable(world, where)

    def url(self, obj):
        return reverse("training:graduation_confirm", args=[obj.cohort_id])

    def data(self, obj, world):
        return {"participants": [obj.pk]}

    def test_insider_works(self, client, world):
        p = self.make(world, "in")
        client.force_login(world.district)
        assert client.post(self.url(p), self.data(p, world)).status_code == 302
        p.refresh_from_db()
        assert p.status == ParticipantStatus.GRADUATED and p.certificate.is_valid


# --- API ----------------------------------------------------------------------------
class TestCohortListApi(CohortPage, ListCase):
    route = "GET /api/training/cohorts"
    outsider_status = 200

    def url(self, obj):
        return "/api/training/cohorts"

    def expected_count(self, world):
        return 1


class TestCohortCreateApi(RouteCase):
    route = "POST /api/training/cohorts"
    method = "post"
    ok_status = 201
    outsider = "district_other"
    outsider_status = 403
    audit_action = "create"

    def url(self, obj):
        return "/api/training/cohorts"

    def data(self, obj, world):
        return {"name": "Angkatan API", "campaign": world.campaign.pk, "curriculum": world.curriculum.pk,
                "region": "32.01", "starts_on": "2026-09-01"}

    def test_bad_input_names_the_field(self, client, world):
        client.force_login(world.district)
        response = client.post(self.url(None), {**self.data(None, world), "ends_on": "2026-01-01"},
                               content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "ends_on"]


class TestCohortDetailApi(CohortPage):
    route = "GET /api/training/cohorts/{cohort_id}"

    def url(self, obj):
        return f"/api/training/cohorts/{obj.pk}"


class TestCohortSessionsApi(CohortPage):
    route = "GET /api/training/cohorts/{cohort_id}/sessions"

    def url(self, obj):
        return f"/api/training/cohorts/{obj.pk}/sessions"


class TestScheduleApi(CohortPage):
    route = "POST /api/training/cohorts/{cohort_id}/schedule"
    method = "post"
    ok_status = 201
    audit_action = "generate_schedule"

    def url(self, obj):
        return f"/api/training/cohorts/{obj.pk}/schedule"


class TestParticipantsApi(ParticipantPage):
    route = "GET /api/training/cohorts/{cohort_id}/participants"

    def url(self, obj):
        return f"/api/training/cohorts/{obj.cohort_id}/participants"


class TestAssessmentApi(ParticipantPage):
    route = "POST /api/training/participants/{participant_id}/assessments"
    method = "post"
    ok_status = 201
    audit_action = "assess"

    def url(self, obj):
        return f"/api/training/participants/{obj.pk}/assessments"

    def data(self, obj, world):
        return {"module": "orientasi", "score": 88}

    def test_an_unknown_module_is_named(self, client, world):
        p = _participant(world, "in")
        client.force_login(world.district)
        response = client.post(self.url(p), {"module": "tidak-ada", "score": 88}, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "module"]


class TestGraduationApi(RouteCase):
    route = "POST /api/training/cohorts/{cohort_id}/graduation"
    method = "post"
    audit_action = "issue_certificate"

    def make(self, world, where):
        return _graduable(world, where)

    def url(self, obj):
        return f"/api/training/cohorts/{obj.cohort_id}/graduation"

    def data(self, obj, world):
        return {"participants": [obj.pk]}

    def test_insider_works(self, client, world):
        p = self.make(world, "in")
        client.force_login(world.district)
        response = client.post(self.url(p), self.data(p, world), content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()[0]["status"] == "graduated"


class TestGraduatesApi(ListCase):
    route = "GET /api/training/graduates"
    outsider_status = 200

    def make(self, world, where):
        p = _graduable(world, where)
        from sukarela.training.services import graduation

        graduation.confirm(_officer(world, where), p.cohort, [p])
        return p

    def url(self, obj):
        return "/api/training/graduates"

    def marker(self, obj):
        return obj.volunteer.username

    def expected_count(self, world):
        return 1


def test_score_import_page_reports_bad_rows_and_offers_them_as_csv(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = _participant(world, "in")
    client.force_login(world.district)
    url = reverse("training:score_import", args=[p.cohort_id])
    content = f"Nama Pengguna,Kode Modul,Nilai\n{p.volunteer.username},orientasi,77\nsiapa,orientasi,=1+1\n".encode()
    body = client.post(url, {"file": SimpleUploadedFile("n.csv", content, content_type="text/csv"),
                             "mode": "valid"}).content.decode()
    assert "Bukan peserta angkatan ini" in body and 'id="error-report"' in body
    report = client.get(url + "?laporan=csv")
    assert report["Content-Type"].startswith("text/csv")
    text = report.content.decode("utf-8-sig")
    assert "3,Nama Pengguna,Bukan peserta angkatan ini.,siapa" in text
    assert p.assessments.count() == 1


def test_a_trainer_of_another_cohort_cannot_score_or_import(client, world):
    from sukarela.core.roles import Role
    from tests.conftest import make_user

    p = _participant(world, "in")
    other = _cohort(world, "in", name="Angkatan Lain")
    stranger = make_user("pelatih-lain", Role.TRAINER, "32.01")
    sessions.add_session(world.district, other, module=other.modules.first(), date=dt.date(2026, 9, 1),
                         starts_at=dt.time(8), ends_at=dt.time(12), trainer=stranger)
    client.force_login(stranger)
    module = p.cohort.modules.first()
    assert client.post(reverse("training:participant_score", args=[p.pk]),
                       {"module": module.pk, "score": "80"}).status_code == 404
    assert client.get(reverse("training:score_import", args=[p.cohort_id])).status_code == 404
    assert client.post(f"/api/training/participants/{p.pk}/assessments", {"module": module.code, "score": 80},
                       content_type="application/json").status_code == 404
    assert client.get(f"/api/training/cohorts/{p.cohort_id}/participants").status_code == 404
    assert not p.assessments.exists()


def test_odd_keys_in_graduation_are_refused_without_a_crash(client, world):
    p = _participant(world, "in")
    client.force_login(world.district)
    response = client.post(reverse("training:graduation_confirm", args=[p.cohort_id]),
                           {"participants": ["\u00b2", str(10**30), "abc"]})
    assert response.status_code == 302
    api = client.post(f"/api/training/cohorts/{p.cohort_id}/graduation", {"participants": [10**30]},
                      content_type="application/json")
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][:2] == ["body", "participants"]
    score = client.post(f"/api/training/participants/{p.pk}/assessments", {"module": "orientasi", "score": 69.995},
                        content_type="application/json")
    assert score.status_code == 422


def test_a_refused_trainer_is_said_in_words_not_markup(client, world):
    module = _cohort(world, "in").modules.first()
    client.force_login(world.district)
    response = client.post(reverse("training:module_trainer", args=[module.pk]), {f"m{module.pk}-trainer": "999999"},
                           follow=True)
    text = [str(m) for m in response.context["messages"]]
    assert len(text) == 1 and "errorlist" not in text[0] and "<" not in text[0]

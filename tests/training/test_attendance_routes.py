"""Every attendance page and API operation through the scope harness.

The district officer of Kab. Bogor (32.01) is insider and outsider: a cohort made "in"
is in Kab. Bogor, one made "out" is in Kab. Sukabumi (32.02) and answers 404. The
session's trainer is an insider too (tested beside each class); a TKS of the cohort sees
the session but may not record (403). Self check-in is for TKS only (an officer: 403).

Check-in pages need a session open now, so `session_now` moves a scheduled session to
today around the current time (test data; the window rules are tested with `now=` in
test_attendance.py).
"""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.training.models import Attendance, Session
from sukarela.training.services import attendance, participants, sessions
from tests.conftest import make_user
from tests.scope_harness import RouteCase
from tests.training.conftest import START, make_cohort


@pytest.fixture(autouse=True)
def _fixtures_in_world(world, campaign, curriculum, trainer):
    """The harness passes only `world` to make(); what it needs rides along on it."""
    world.campaign, world.curriculum, world.trainer = campaign, curriculum, trainer


def setup(world, where) -> SimpleNamespace:
    """A cohort in or out of Kab. Bogor, one TKS enrolled, one session taught by a trainer."""
    cohort = make_cohort(world, world.curriculum, world.campaign, where)
    officer = world.district if where == "in" else world.district_other
    tks = world.tks_in if where == "in" else world.tks_out
    trainer = world.trainer if where == "in" else make_user("pelatih-sukabumi", Role.TRAINER, "32.02")
    participant = participants.enrol(officer, cohort, [tks])[0]
    session = sessions.add_session(officer, cohort, module=cohort.modules.first(), date=START,
                                   starts_at=dt.time(8), ends_at=dt.time(12), trainer=trainer)
    return SimpleNamespace(cohort=cohort, session=session, participant=participant, tks=tks, trainer=trainer,
                           officer=officer, where=where)


def session_now(session: Session) -> Session:
    """The session moved to today, started ten minutes ago (clamped to the day)."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0, second=0, microsecond=0))
    end = min(now + dt.timedelta(hours=2), now.replace(hour=23, minute=59, second=59, microsecond=0))
    Session.objects.filter(pk=session.pk).update(date=now.date(), starts_at=start.time().replace(microsecond=0),
                                                 ends_at=end.time())
    session.refresh_from_db()
    return session


def csv_file(rows, name="presensi.csv") -> SimpleUploadedFile:
    lines = ["tanggal,jam_mulai,nama_pengguna,status", *(",".join(r) for r in rows)]
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="text/csv")


# =====================================================================================
# Pages
# =====================================================================================
class TestSessionAttendancePage(RouteCase):
    route = "training:session_attendance"

    def make(self, world, where):
        return setup(world, where)

    def url(self, obj):
        return reverse("training:session_attendance", args=[obj.session.pk])

    def marker(self, obj):
        return obj.session.check_in_code

    def test_trainer_sees_code_and_participants(self, client, world):
        obj = self.make(world, "in")
        client.force_login(obj.trainer)
        body = client.get(self.url(obj)).content.decode()
        assert obj.session.check_in_code in body and obj.tks.full_name in body
        assert body.count('aria-pressed="false"') == 4

    def test_tks_of_the_cohort_and_other_trainers_are_refused(self, client, world):
        obj = self.make(world, "in")
        client.force_login(obj.tks)  # sees the session (their cohort) but may not record: 403
        response = client.get(self.url(obj))
        assert response.status_code == 403 and obj.session.check_in_code not in response.content.decode()
        client.force_login(make_user("pelatih-lain", Role.TRAINER, "32.01"))  # not theirs: not there
        assert client.get(self.url(obj)).status_code == 404


class TestSessionAttendanceMark(RouteCase):
    route = "training:session_attendance"
    method = "post"
    ok_status = 302
    audit_action = "mark"

    def make(self, world, where):
        return setup(world, where)

    def url(self, obj):
        return reverse("training:session_attendance", args=[obj.session.pk])

    def data(self, obj, world):
        return {"participant": obj.participant.pk, "mark": "present"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Attendance.objects.exists()

    def test_trainer_taps_and_htmx_gets_the_row_and_the_counts(self, client, world):
        obj = self.make(world, "in")
        client.force_login(obj.trainer)
        response = client.post(self.url(obj), {"participant": obj.participant.pk, "mark": "absent"},
                               HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200 and body.lstrip().startswith('<li class="att-row" id="p-')
        assert 'value="absent" class="mark-absent"\n      aria-pressed="true"' in body
        assert 'id="att-counts"' in body and 'hx-swap-oob="true"' in body
        row = Attendance.objects.get()
        assert (row.mark, row.recorded_by) == ("absent", obj.trainer)

    def test_refusals_show_on_the_row(self, client, world):
        obj = self.make(world, "in")
        client.force_login(world.district)
        response = client.post(self.url(obj), {"participant": obj.participant.pk, "mark": "kabur"},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
        assert client.post(self.url(obj), {"participant": "x", "mark": "present"}).status_code == 404
        participants.drop_out(world.district, obj.participant, "Pindah domisili")  # since the page was opened
        response = client.post(self.url(obj), {"participant": obj.participant.pk, "mark": "present"},
                               HTTP_HX_REQUEST="true")
        assert "kehadirannya tidak dicatat lagi" in response.content.decode()
        response = client.post(self.url(obj), {"participant": obj.participant.pk, "mark": "present"}, follow=True)
        assert "kehadirannya tidak dicatat lagi" in response.content.decode()
        assert not Attendance.objects.exists()

    def test_mark_all_not_yet_marked_as_present(self, client, world, make_tks):
        obj = self.make(world, "in")
        second = participants.enrol(world.district, obj.cohort, [make_tks()])[0]
        attendance.mark(world.district, obj.session, second, "excused")
        client.force_login(obj.trainer)
        assert client.post(self.url(obj), {"all_present": "1"}).status_code == 302
        assert dict(Attendance.objects.values_list("participant_id", "mark")) == {
            obj.participant.pk: "present", second.pk: "excused"}


class TestSessionStillToCome:
    """A session whose day is still to come: the page says so, and nothing it posts is stored."""

    def test_page_says_so_and_marks_are_refused(self, client, world):
        obj = setup(world, "in")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        Session.objects.filter(pk=obj.session.pk).update(date=tomorrow)  # test data: a session after today
        client.force_login(obj.trainer)
        url = reverse("training:session_attendance", args=[obj.session.pk])
        body = client.get(url).content.decode()
        assert 'id="att-future"' in body and "Sesi ini belum berlangsung" in body
        assert "Tandai hadir semua" not in body and body.count('aria-pressed="false" disabled>') == 4
        body = client.post(url, {"participant": obj.participant.pk, "mark": "present"},
                           HTTP_HX_REQUEST="true").content.decode()
        assert 'role="alert"' in body and "belum berlangsung" in body
        assert "belum berlangsung" in client.post(url, {"all_present": "1"}, follow=True).content.decode()
        response = client.post(_api_url(obj), {"marks": [{"participant": obj.participant.pk, "mark": "present"}]},
                               content_type="application/json")
        assert response.status_code == 422 and "belum berlangsung" in response.json()["detail"][0]["msg"]
        assert not Attendance.objects.exists()


class TestCheckinPage(RouteCase):
    route = "training:checkin"
    insider = "tks_in"
    outsider_status = 403  # self check-in is for TKS; an officer is refused the page

    def url(self, obj):
        return reverse("training:checkin")


class TestCheckinPost(RouteCase):
    route = "training:checkin"
    method = "post"
    insider = "tks_in"
    outsider_status = 403
    audit_action = "check_in"

    def make(self, world, where):
        obj = setup(world, where)
        session_now(obj.session)
        return obj

    def url(self, obj):
        return reverse("training:checkin")

    def data(self, obj, world):
        return {"code": obj.session.check_in_code.lower()}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        row = Attendance.objects.get()
        assert (row.participant.volunteer, row.mark, row.source) == (world.tks_in, "present", "self")

    def test_a_tks_of_another_cohort_is_told_and_nothing_is_stored(self, client, world):
        inside = self.make(world, "in")
        self.make(world, "out")  # tks_out's own cohort, so the refusal is about the code, not the role
        client.force_login(world.tks_out)
        response = client.post(self.url(None), self.data(inside, world))
        assert response.status_code == 200 and "angkatan lain" in response.content.decode()
        assert not Attendance.objects.exists()


class TestAttendanceImport(RouteCase):
    route = "training:attendance_import"
    method = "post"
    audit_action = "import_mark"

    def make(self, world, where):
        return setup(world, where)

    def url(self, obj):
        return reverse("training:attendance_import", args=[obj.cohort.pk])

    def data(self, obj, world):
        return {"mode": "valid", "file": csv_file([("2026-09-01", "", obj.tks.username, "hadir")])}

    def marker(self, obj):
        return obj.cohort.name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Attendance.objects.exists()

    def test_trainer_and_tks_are_refused(self, client, world):
        obj = self.make(world, "in")
        for user in (obj.trainer, obj.tks):
            client.force_login(user)
            assert client.post(self.url(obj), self.data(obj, world)).status_code == 403
        assert not Attendance.objects.exists()

    def test_errors_are_listed_and_downloadable(self, client, world):
        obj = self.make(world, "in")
        client.force_login(world.district)
        assert client.get(self.url(obj)).status_code == 200
        assert client.get(self.url(obj) + "?laporan=csv").status_code == 404  # nothing imported yet
        rows = [("2026-09-01", "", obj.tks.username, "hadir"), ("2026-09-01", "", "=1+1", "hadir")]
        body = client.post(self.url(obj), {"mode": "all", "file": csv_file(rows)}).content.decode()
        assert "tidak ada yang disimpan" in body and "Bukan peserta angkatan ini." in body
        assert not Attendance.objects.exists()
        report = client.get(self.url(obj) + "?laporan=csv")
        assert report["Content-Type"].startswith("text/csv")
        assert "3,nama_pengguna,Bukan peserta angkatan ini.,'=1+1" in report.content.decode("utf-8-sig")

    def test_a_bad_file_is_named_on_the_form(self, client, world):
        obj = self.make(world, "in")
        client.force_login(world.district)
        bad = SimpleUploadedFile("x.csv", b"kolom\nnilai\n", content_type="text/csv")
        response = client.post(self.url(obj), {"mode": "valid", "file": bad})
        assert response.status_code == 200 and "Kolom wajib tidak ditemukan" in response.content.decode()
        assert AuditEvent.objects.filter(action="import_mark").count() == 0


class TestAttendanceImportTemplate(RouteCase):
    route = "training:attendance_import_template"

    def make(self, world, where):
        return setup(world, where)

    def url(self, obj):
        return reverse("training:attendance_import_template", args=[obj.cohort.pk])

    def marker(self, obj):
        return obj.tks.username

    def test_template_has_the_headers_and_the_participants(self, client, world):
        obj = self.make(world, "in")
        client.force_login(world.district)
        sheet = load_workbook(io.BytesIO(client.get(self.url(obj)).content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][:4] == ["tanggal", "jam_mulai", "nama_pengguna", "status"]
        assert [r[2] for r in rows[1:]] == [obj.tks.username]


# =====================================================================================
# API
# =====================================================================================
def _api_url(obj):
    return f"/api/training/sessions/{obj.session.pk}/attendance"


class TestSessionMarksApi(RouteCase):
    route = "GET /api/training/sessions/{session_id}/attendance"

    def make(self, world, where):
        obj = setup(world, where)
        attendance.mark(obj.officer, obj.session, obj.participant, "late")
        return obj

    def url(self, obj):
        return _api_url(obj)

    def marker(self, obj):
        return obj.tks.username

    def test_trainer_reads_every_active_participant(self, client, world, make_tks):
        obj = self.make(world, "in")
        unmarked = participants.enrol(world.district, obj.cohort, [make_tks()])[0]
        client.force_login(obj.trainer)
        got = {m["participant"]: (m["username"], m["mark"], m["source"]) for m in client.get(_api_url(obj)).json()}
        assert got == {obj.participant.pk: (obj.tks.username, "late", "trainer"),
                       unmarked.pk: (unmarked.volunteer.username, None, None)}
        client.force_login(obj.tks)
        assert client.get(_api_url(obj)).status_code == 403


class TestSetMarksApi(RouteCase):
    route = "POST /api/training/sessions/{session_id}/attendance"
    method = "post"
    audit_action = "mark"

    def make(self, world, where):
        return setup(world, where)

    def url(self, obj):
        return _api_url(obj)

    def data(self, obj, world):
        return {"marks": [{"participant": obj.participant.pk, "mark": "present"}]}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Attendance.objects.exists()

    def test_a_bad_item_is_named_and_nothing_is_stored(self, client, world, make_tks):
        obj = self.make(world, "in")
        other = self.make(world, "out")
        client.force_login(obj.trainer)
        marks = [{"participant": obj.participant.pk, "mark": "present"},
                 {"participant": other.participant.pk, "mark": "present"}]
        response = client.post(_api_url(obj), {"marks": marks}, content_type="application/json")
        assert response.status_code == 422
        assert [d["loc"] for d in response.json()["detail"]] == [["body", "marks", 1, "participant"]]
        response = client.post(_api_url(obj), {"marks": [{"participant": obj.participant.pk, "mark": "hadir"}]},
                               content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["loc"][:3] == ["body", "marks", 0]
        assert not Attendance.objects.exists()


class TestCheckInApi(RouteCase):
    route = "POST /api/training/check-in"
    method = "post"
    insider = "tks_in"
    outsider_status = 403  # an officer does not check in
    audit_action = "check_in"

    def make(self, world, where):
        obj = setup(world, where)
        session_now(obj.session)
        return obj

    def url(self, obj):
        return "/api/training/check-in"

    def data(self, obj, world):
        return {"code": obj.session.check_in_code}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert Attendance.objects.get().mark == "present"

    def test_wrong_code_is_422_on_the_code(self, client, world):
        self.make(world, "in")
        client.force_login(world.tks_in)
        response = client.post(self.url(None), {"code": "salah"}, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "code"]
        assert "salah" in response.json()["detail"][0]["msg"]

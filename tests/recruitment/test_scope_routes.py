"""Every recruitment page and API operation through the scope harness.

The district officer of Kabupaten Bogor (32.01) is the default insider and outsider:
an application domiciled in `world.village_in` is theirs, one in `world.village_out`
(Kabupaten Sukabumi, 32.02) is not and answers 404. Campaigns and quotas are
programme facts every officer reads, so their outsider is a field role (403);
campaign set-up, apportionment, screening, selection and announcing are national
decisions, so their outsider is the district officer (403).

The public form and the applicant's private-link pages are declared in
tests/test_routes_covered.py; `TestPrivateLink` below proves the link is the key.
"""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sukarela.core.models import AuditEvent
from sukarela.recruitment.columns import APPLICANT_COLUMNS
from sukarela.recruitment.models import Application, Decision, ImportJob, ImportState, Status
from sukarela.recruitment.services import applications, campaigns, imports, quotas, screening, selection
from tests.recruitment.conftest import applicant
from tests.scope_harness import ListCase, RouteCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WHERE = {"in": "Dalam", "out": "Luar"}


@pytest.fixture(autouse=True)
def _campaign_in_world(world, campaign):
    """The harness passes only `world` to make(); the campaign rides along on it."""
    world.campaign = campaign


# --- helpers -----------------------------------------------------------------------
def _village(world, where):
    return world.village_in if where == "in" else world.village_out


def _target(world, where) -> SimpleNamespace:
    """What a create or import aims at: the campaign and a village inside or outside Kab. Bogor."""
    return SimpleNamespace(campaign=world.campaign, village=_village(world, where), where=where)


def _app(world, where, *, documents=(), **over) -> Application:
    """An application through the public path, domiciled inside or outside Kab. Bogor."""
    raw = applicant(_village(world, where).code, full_name=f"Pelamar {WHERE[where]} Rahasia", **over)
    app, token = applications.submit(world.campaign, raw, documents)
    app.raw, app.token = raw, token
    return app


def _pdf(name="ktp.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _decided(world, where, decision=Decision.SELECTED) -> Application:
    """An application with a written decision (selection's outcome, set directly as test data)."""
    app = _app(world, where)
    Application.objects.filter(pk=app.pk).update(
        decision=decision, score=80.0, region_rank=1 if decision == Decision.SELECTED else None,
        waitlist_position=1 if decision == Decision.WAITLISTED else None,
        seat_region_id=app.quota_region_id if decision == Decision.SELECTED else None)
    app.refresh_from_db()
    return app


def _selected_with_waitlist(world, where) -> tuple[Application, Application]:
    """The real path: one seat in the applicants' region, two scored applicants, selection run.
    Returns (the selectee, the first on the waitlist)."""
    campaign, national = world.campaign, world.national
    quotas.apportion_quotas(national, campaign, "hamilton")
    for row in campaign.quota_regions.all():
        quotas.adjust_quota(national, row, 1, "satu kursi untuk uji")
    first, second = _app(world, where), _app(world, where)
    for app, score in ((first, "90"), (second, "80")):
        applications.set_scores(national, app, test_score=score, interview_score=score)
    screening.screen(national, campaign)
    selection.run(national, campaign)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, second.decision) == (Decision.SELECTED, Decision.WAITLISTED)
    return first, second


def _table(*raws, headers=None) -> bytes:
    """A CSV file as a labour office sends it: the template's Indonesian headers."""
    columns = headers or [(c.key, c.header) for c in APPLICANT_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for _key, header in columns])
    for raw in raws:
        writer.writerow([raw.get(key, "") for key, _header in columns])
    return buffer.getvalue().encode()


def _applications_file(world, where, name=None, **over):
    raw = applicant(_village(world, where).code, full_name=f"Impor {WHERE[where]} Rahasia", **over)
    return SimpleUploadedFile(name or f"impor-{where}.csv", _table(raw), content_type="text/csv"), raw


def _scores_file(app, score="88"):
    columns = [("nik", "NIK"), ("test_score", "Nilai Tes"), ("interview_score", "Nilai Wawancara")]
    content = _table({"nik": app.nik, "test_score": score, "interview_score": score}, headers=columns)
    return SimpleUploadedFile("nilai.csv", content, content_type="text/csv")


def _job(world, where, *, with_errors=False) -> ImportJob:
    """An import by the district officer inside (32.01) or by the one next door (32.02)."""
    importer = world.district if where == "in" else world.district_other
    upload, _raw = _applications_file(world, where, name=f"impor-{WHERE[where].lower()}-rahasia.csv",
                                      **({"nik": "12345"} if with_errors else {}))
    job = imports.start(importer, world.campaign, "applications", "valid", upload)
    if with_errors:
        job = imports.run(job.pk)
        assert job.report, job.message
    return job


def _codes_shown(body: str) -> set[str]:
    return {code for code in ("32.01", "32.02", "52.03") if f"<small>{code}</small>" in body}


# =====================================================================================
# Pages
# =====================================================================================
# --- campaigns ----------------------------------------------------------------------
class TestCampaignListPage(RouteCase):
    route = "recruitment:campaign_list"
    outsider = "tks_in"
    outsider_status = 403  # campaigns are for officers; a field role is refused the page

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:campaign_list")

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert world.campaign.name in client.get(self.url(None)).content.decode()


class TestCampaignCreatePage(RouteCase):
    route = "recruitment:campaign_create"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "create"

    def url(self, obj):
        return reverse("recruitment:campaign_create")

    def data(self, obj, world):
        today = timezone.localdate()
        return {"name": "Kampanye Baru Uji", "year": today.year, "target_seats": 664,
                "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=30)).isoformat(),
                "min_age": 20, "max_age": 35, "min_education": "D3", "use_admin_check": "on", "test_weight": "60",
                "interview_weight": "40", "household_cap": 2, "overflow": "none",
                "consent_purpose": "Untuk seleksi TKS."}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.campaign.__class__.objects.filter(name="Kampanye Baru Uji").exists()

    def test_form_opens_for_national_only(self, client, world):
        client.force_login(world.national)
        assert client.get(self.url(None)).status_code == 200
        client.force_login(world.provincial)
        assert client.get(self.url(None)).status_code == 403


class TestCampaignDetailPage(RouteCase):
    route = "recruitment:campaign_detail"
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        _app(world, where)
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:campaign_detail", args=[obj.pk])

    def test_only_regions_in_scope_are_summarised(self, client, world):
        _app(world, "in"), _app(world, "out")
        client.force_login(world.district)
        body = client.get(self.url(world.campaign)).content.decode()
        assert _codes_shown(body) == {"32.01"}
        assert "1 lamaran" in body  # the count in scope: the Sukabumi applicant is not counted
        client.force_login(world.national)
        assert _codes_shown(client.get(self.url(world.campaign)).content.decode()) == {"32.01", "32.02", "52.03"}

    def test_unknown_campaign_is_404(self, client, world):
        client.force_login(world.district)
        assert client.get(reverse("recruitment:campaign_detail", args=[999999])).status_code == 404


class TestCampaignEditPage(RouteCase):
    route = "recruitment:campaign_edit"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "update"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:campaign_edit", args=[obj.pk])

    def data(self, c, world):
        return {"name": "Nama Kampanye Diubah", "year": c.year, "target_seats": c.target_seats,
                "opens_on": c.opens_on.isoformat(), "closes_on": c.closes_on.isoformat(), "published": "on",
                "min_age": c.min_age, "max_age": c.max_age, "min_education": c.min_education,
                "test_weight": c.test_weight, "interview_weight": c.interview_weight,
                "household_cap": c.household_cap, "overflow": c.overflow, "consent_purpose": c.consent_purpose}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        world.campaign.refresh_from_db()
        assert world.campaign.name == "Rekrutmen TKS Uji"


class TestCampaignRegionsPage(RouteCase):
    route = "recruitment:campaign_regions"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "set_regions"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:campaign_regions", args=[obj.pk])

    def data(self, obj, world):
        return {"weights": "32.01 3\n32.02 2\n52.03 1", "preset": ""}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.campaign.quota_regions.get(region_id="32.02").weight == 1


class TestCampaignRuleAddPage(RouteCase):
    route = "recruitment:campaign_rules"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "add_rule"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:campaign_rules", args=[obj.pk])

    def data(self, obj, world):
        return {"key": "tidak_bekerja", "statement": "Saya tidak sedang bekerja", "required_answer": "1"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.campaign.declaration_rules.exists()

    def test_every_officer_reads_the_rules(self, client, world):
        campaigns.add_rule(world.national, world.campaign, key="tidak_bekerja", statement="Saya tidak bekerja")
        client.force_login(world.district)
        assert "Saya tidak bekerja" in client.get(self.url(world.campaign)).content.decode()


class TestCampaignRuleDeletePage(RouteCase):
    route = "recruitment:campaign_rules"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "delete_rule"

    def make(self, world, where):
        return campaigns.add_rule(world.national, world.campaign, key="tidak_bekerja",
                                  statement="Saya tidak sedang bekerja")

    def url(self, rule):
        return reverse("recruitment:campaign_rules", args=[rule.campaign_id])

    def data(self, rule, world):
        return {"delete": rule.pk}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.campaign.declaration_rules.count() == 1

    def test_unknown_or_foreign_rule_is_not_deleted(self, client, world):
        rule = self.make(world, "in")
        other = campaigns.create_campaign(
            world.national, name="Kampanye Lain", year=2030, target_seats=1, opens_on=world.campaign.opens_on,
            closes_on=world.campaign.closes_on)
        client.force_login(world.national)
        before = AuditEvent.objects.count()
        for wanted in ("abc", "", "99999999999", str(rule.pk)):
            response = client.post(reverse("recruitment:campaign_rules", args=[other.pk]), {"delete": wanted})
            assert response.status_code == 302, wanted
        assert AuditEvent.objects.count() == before and world.campaign.declaration_rules.count() == 1


# --- quotas -------------------------------------------------------------------------
class TestQuotasPage(RouteCase):
    route = "recruitment:quotas"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "apportion"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:quotas", args=[obj.pk])

    def data(self, obj, world):
        return {"method": "hamilton", "minimum": "0"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.campaign.quota_regions.filter(quota__gt=0).exists()

    def test_officer_sees_quota_rows_of_their_region(self, client, world):
        quotas.apportion_quotas(world.national, world.campaign, "hamilton")
        client.force_login(world.district)
        response = client.get(self.url(world.campaign))
        assert response.status_code == 200
        assert _codes_shown(response.content.decode()) == {"32.01"}
        client.force_login(world.provincial)  # Jawa Barat: both of its regencies, not Lombok Timur
        assert _codes_shown(client.get(self.url(world.campaign)).content.decode()) == {"32.01", "32.02"}


class TestQuotaEditPage(RouteCase):
    route = "recruitment:quota_edit"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "adjust_quota"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:quota_edit", args=[obj.pk, "32.01"])

    def data(self, obj, world):
        return {"quota": "5", "reason": "Banyak kelompok TKM menunggu pendamping"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.campaign.quota_regions.get(region_id="32.01").quota == 0

    def test_region_outside_the_campaign_is_404(self, client, world):
        client.force_login(world.national)
        url = reverse("recruitment:quota_edit", args=[world.campaign.pk, "11"])
        assert client.post(url, self.data(None, world)).status_code == 404


# --- applications -------------------------------------------------------------------
class TestApplicationListPage(ListCase):
    route = "recruitment:application_list"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_list", args=[obj.campaign_id])

    def list_url(self, world):
        return reverse("recruitment:application_list", args=[world.campaign.pk]) + "?q=Rahasia"

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        # A list has no single object to refuse; a field role is refused the page itself.
        obj = self.make(world, "out")
        client.force_login(world.tks_in)
        response = client.get(self.url(obj))
        assert response.status_code == 403
        self.assert_not_leaked(response, obj)

    def test_search_by_nik_stays_in_scope(self, client, world):
        outside = _app(world, "out")
        client.force_login(world.district)
        response = client.get(self.url(outside) + f"?q={outside.nik}")
        assert outside.full_name not in response.content.decode()


class TestApplicationCreatePage(RouteCase):
    route = "recruitment:application_create"
    method = "post"
    ok_status = 302
    outsider_status = 200  # the form comes back with the domicile error named
    audit_action = "apply"

    def make(self, world, where):
        return _target(world, where)

    def url(self, target):
        return reverse("recruitment:application_create", args=[target.campaign.pk])

    def data(self, target, world):
        return applicant(target.village.code, full_name="Entri Petugas Baru", consent="on")

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        client.force_login(world.district)
        response = self.request(client, _target(world, "out"), world)
        assert "berada di luar" in response.content.decode()
        assert not Application.objects.filter(full_name="Entri Petugas Baru").exists()

    def test_staff_entry_is_marked_as_staff(self, client, world):
        self.test_insider_works(client, world)
        app = Application.objects.get(full_name="Entri Petugas Baru")
        assert app.source == "staff" and app.domicile_id == world.village_in.code


class TestApplicationDetailPage(RouteCase):
    route = "recruitment:application_detail"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_detail", args=[obj.pk])

    def marker(self, obj):
        return obj.full_name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert "Pelamar Dalam Rahasia" in client.get(self.url(Application.objects.get())).content.decode()

    def test_provincial_officer_sees_both_regencies(self, client, world):
        inside, outside = _app(world, "in"), _app(world, "out")
        client.force_login(world.provincial)
        assert client.get(self.url(inside)).status_code == 200
        assert client.get(self.url(outside)).status_code == 200
        client.force_login(world.provincial_other)
        assert client.get(self.url(inside)).status_code == 404

    def test_field_role_is_refused(self, client, world):
        client.force_login(world.tks_in)
        assert client.get(self.url(_app(world, "in"))).status_code == 403


class TestApplicationEditPage(RouteCase):
    route = "recruitment:application_edit"
    method = "post"
    ok_status = 302
    audit_action = "correct"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_edit", args=[obj.pk])

    def data(self, obj, world):
        return {**obj.raw, "full_name": "Nama Diperbaiki Petugas"}

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(full_name="Nama Diperbaiki Petugas").exists()

    def test_insider_cannot_move_it_out_of_scope(self, client, world):
        app = self.make(world, "in")
        client.force_login(world.district)
        before = AuditEvent.objects.count()
        data = {**self.data(app, world), "domicile": world.village_out.code}
        response = client.post(self.url(app), data)
        assert response.status_code == 200 and "berada di luar" in response.content.decode()
        app.refresh_from_db()
        assert app.domicile_id == world.village_in.code and AuditEvent.objects.count() == before


class TestApplicationVerifyPage(RouteCase):
    route = "recruitment:application_verify"
    method = "post"
    ok_status = 302
    audit_action = "verify"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_verify", args=[obj.pk])

    def data(self, obj, world):
        return {"admin_status": "verified", "admin_note": "KTP dan ijazah cocok"}

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(admin_status="verified").exists()


class TestApplicationScorePage(RouteCase):
    route = "recruitment:application_score"
    method = "post"
    ok_status = 302
    audit_action = "score"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_score", args=[obj.pk])

    def data(self, obj, world):
        return {"test_score": "80", "interview_score": "75,5"}

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(test_score__isnull=False).exists()


class TestApplicationWithdrawPage(RouteCase):
    route = "recruitment:application_withdraw"
    method = "post"
    ok_status = 302
    audit_action = "withdraw"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_withdraw", args=[obj.pk])

    def data(self, obj, world):
        return {"reason": "Pelamar pindah kerja"}

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.exclude(status=Status.ACTIVE).exists()


class TestApplicationErasePage(RouteCase):
    route = "recruitment:application_erase"
    method = "post"
    ok_status = 302
    audit_action = "erase"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return reverse("recruitment:application_erase", args=[obj.pk])

    def data(self, obj, world):
        return {"confirm": "yes"}

    def marker(self, obj):
        return obj.full_name

    def test_insider_works(self, client, world):
        app = self.make(world, "in")
        client.force_login(world.district)
        assert self.request(client, app, world).status_code == 302
        app.refresh_from_db()
        assert app.status == Status.ERASED and app.nik is None
        event = AuditEvent.objects.filter(action="erase").get()
        assert event.actor == world.district and app.full_name == event.target_label.split(" (")[0]
        # Earlier events about the person keep that something happened, not what it was.
        apply = AuditEvent.objects.get(action="apply", target_id=str(app.pk))
        assert set(map(tuple, apply.changes.values())) == {("***", "***")}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(status=Status.ERASED).exists()


class _WithdrawSelectee:
    """A selectee withdrawn by an officer: their seat goes to the first on the waitlist, audited."""

    ok_status = 302
    audit_action = "withdraw"

    def make(self, world, where):
        self.selectee, self.waiting = _selected_with_waitlist(world, where)
        return self.selectee

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        self.selectee.refresh_from_db()
        self.waiting.refresh_from_db()
        assert (self.selectee.decision, self.waiting.decision) == (Decision.SELECTED, Decision.WAITLISTED)

    def test_insider_works(self, client, world):
        app = self.make(world, "in")
        client.force_login(world.district)
        before = AuditEvent.objects.order_by("-id").first().id
        response = self.request(client, app, world)
        assert response.status_code == self.ok_status, response.content[:1000]
        events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
        assert [(e.action, e.target_id) for e in events] == [
            ("replace", str(app.pk)), ("promote", str(self.waiting.pk)), ("withdraw", str(app.pk))]
        assert all(e.actor == world.district and e.changes for e in events)
        app.refresh_from_db()
        self.waiting.refresh_from_db()
        assert (app.status, app.decision, app.decision_reason) == (Status.WITHDRAWN, Decision.NOT_SELECTED,
                                                                   "withdrawn")
        assert (self.waiting.decision, self.waiting.seat_region_id) == (Decision.SELECTED, "32.01")


class TestApplicationWithdrawSelecteePage(_WithdrawSelectee, RouteCase):
    route = "recruitment:application_withdraw"
    method = "post"

    def url(self, obj):
        return reverse("recruitment:application_withdraw", args=[obj.pk])

    def data(self, obj, world):
        return {"reason": "Diterima bekerja di tempat lain"}


class TestDocumentPage(RouteCase):
    route = "recruitment:document"

    def make(self, world, where):
        return _app(world, where, documents=[("ktp", _pdf(f"ktp-{where}.pdf"))]).documents.get()

    def url(self, doc):
        return reverse("recruitment:document", args=[doc.pk])

    def test_insider_works(self, client, world):
        doc = self.make(world, "in")
        client.force_login(world.district)
        response = client.get(self.url(doc))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        client.force_login(world.tks_in)
        assert client.get(self.url(self.make(world, "in"))).status_code == 403


# --- imports ------------------------------------------------------------------------
class TestImportNewPage(RouteCase):
    """The browser path starts a thread; here the job runs inline (a thread cannot see the
    test's transaction). The browser tests drive the real thread."""

    route = "recruitment:import_new"
    method = "post"
    ok_status = 302
    outsider_status = 302  # the job is made and refuses every out-of-scope row
    audit_action = "import_applications"

    @pytest.fixture(autouse=True)
    def _inline(self, monkeypatch):
        monkeypatch.setattr(imports, "start_in_background", lambda job: imports.run(job.pk))

    def make(self, world, where):
        return _target(world, where)

    def url(self, target):
        return reverse("recruitment:import_new", args=[target.campaign.pk])

    def request(self, client, target, world):
        upload, self.raw = _applications_file(world, target.where)
        return client.post(self.url(target), {"kind": "applications", "mode": "all", "file": upload})

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        app = Application.objects.get(nik=self.raw["nik"])
        assert app.source == "import" and app.domicile_id == world.village_in.code

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(nik=self.raw["nik"]).exists()
        job = ImportJob.objects.get()
        assert job.state == ImportState.REJECTED and job.stored_rows == 0
        assert "out_of_scope" in job.report.read().decode()

    def test_form_lists_only_imports_in_scope(self, client, world):
        _job(world, "in"), _job(world, "out")
        client.force_login(world.district)
        body = client.get(reverse("recruitment:import_new", args=[world.campaign.pk])).content.decode()
        assert "impor-dalam-rahasia.csv" in body and "impor-luar-rahasia.csv" not in body

    def test_field_role_is_refused(self, client, world):
        client.force_login(world.tks_in)
        response = client.get(reverse("recruitment:import_new", args=[world.campaign.pk]))
        assert response.status_code == 403


class _TemplateCase(RouteCase):
    route = "recruitment:import_template"
    outsider = "tks_in"
    outsider_status = 403
    fmt = ""

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:import_template", args=[obj.pk, self.fmt])


class TestImportTemplateCsv(_TemplateCase):
    fmt = "csv"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        client.force_login(world.district)
        content = client.get(self.url(world.campaign)).content.decode("utf-8-sig")
        assert content.splitlines()[0].startswith("NIK,Nama Lengkap,")
        scores = client.get(self.url(world.campaign) + "?jenis=scores").content.decode("utf-8-sig")
        assert scores.splitlines()[0] == "NIK,Nilai Tes,Nilai Wawancara"

    def test_unknown_format_is_404(self, client, world):
        client.force_login(world.district)
        assert client.get(reverse("recruitment:import_template", args=[world.campaign.pk, "pdf"])).status_code == 404


class TestImportTemplateXlsx(_TemplateCase):
    fmt = "xlsx"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        client.force_login(world.district)
        sheet = load_workbook(io.BytesIO(client.get(self.url(world.campaign)).content)).active
        assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["NIK", "Nama Lengkap"]


class TestImportDetailPage(RouteCase):
    route = "recruitment:import_detail"

    def make(self, world, where):
        return _job(world, where)

    def url(self, job):
        return reverse("recruitment:import_detail", args=[job.pk])

    def marker(self, job):
        return job.original_name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        job = ImportJob.objects.get()
        response = client.get(self.url(job), headers={"HX-Request": "true"})  # the progress bar's poll
        assert response.status_code == 200

    def test_national_sees_every_import(self, client, world):
        client.force_login(world.national)
        assert client.get(self.url(self.make(world, "out"))).status_code == 200


class _ReportCase(RouteCase):
    route = "recruitment:import_report"
    fmt = ""

    def make(self, world, where):
        return _job(world, where, with_errors=True)

    def url(self, job):
        return reverse("recruitment:import_report", args=[job.pk, self.fmt])

    def marker(self, job):
        return job.original_name


class TestImportReportCsv(_ReportCase):
    fmt = "csv"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        client.force_login(world.district)
        body = client.get(self.url(ImportJob.objects.get())).content.decode("utf-8-sig")
        assert body.splitlines()[0] == "Baris,Kolom,Kode,Alasan,Nilai" and "NIK" in body


class TestImportReportXlsx(_ReportCase):
    fmt = "xlsx"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        client.force_login(world.district)
        sheet = load_workbook(io.BytesIO(client.get(self.url(ImportJob.objects.get())).content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0] == ["Baris", "Kolom", "Kode", "Alasan", "Nilai"] and len(rows) >= 2


# --- screening, selection, results --------------------------------------------------
class TestScreenPage(RouteCase):
    route = "recruitment:screen"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "screen"

    def make(self, world, where):
        _app(world, where)
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:screen", args=[obj.pk])

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        world.campaign.refresh_from_db()
        assert world.campaign.screened_at is None
        assert not Application.objects.filter(eligible__isnull=False).exists()


class TestSelectionPage(RouteCase):
    route = "recruitment:selection"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "select"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:selection", args=[obj.pk])

    def data(self, obj, world):
        return {"dry_run": "0"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        world.campaign.refresh_from_db()
        assert world.campaign.selected_at is None

    def test_dry_run_writes_nothing(self, client, world):
        client.force_login(world.national)
        before = AuditEvent.objects.count()
        response = client.post(self.url(world.campaign), {"dry_run": "1"})
        assert response.status_code == 200 and 'id="dry-run"' in response.content.decode()
        world.campaign.refresh_from_db()
        assert world.campaign.selected_at is None and AuditEvent.objects.count() == before

    def test_officer_reads_the_summary_of_their_region(self, client, world):
        client.force_login(world.district)
        response = client.get(self.url(world.campaign))
        assert response.status_code == 200
        assert _codes_shown(response.content.decode()) == {"32.01"}


class TestResultsPage(ListCase):
    route = "recruitment:results"

    def make(self, world, where):
        return _decided(world, where)

    def url(self, obj):
        return reverse("recruitment:results", args=[obj.campaign_id])

    def list_url(self, world):
        return reverse("recruitment:results", args=[world.campaign.pk])

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        obj = self.make(world, "out")
        client.force_login(world.tks_in)
        response = client.get(self.url(obj))
        assert response.status_code == 403
        self.assert_not_leaked(response, obj)

    def test_region_filter_cannot_widen_scope(self, client, world):
        outside = _decided(world, "out")
        client.force_login(world.district)
        response = client.get(self.url(outside) + "?region=32.02")
        assert response.status_code == 200 and outside.full_name not in response.content.decode()


class TestResultsExport(ListCase):
    route = "recruitment:results_export"

    def make(self, world, where):
        return _decided(world, where)

    def url(self, obj):
        return reverse("recruitment:results_export", args=[obj.campaign_id])

    def list_url(self, world):
        return reverse("recruitment:results_export", args=[world.campaign.pk])

    def marker(self, obj):
        return obj.full_name

    def test_outsider_is_refused(self, client, world):
        client.force_login(world.tks_in)
        assert client.get(self.url(self.make(world, "out"))).status_code == 403

    @staticmethod
    def rows(response) -> list[list]:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]

    def test_list_hides_outside_objects(self, client, world):
        inside, outside = self.make(world, "in"), self.make(world, "out")
        client.force_login(world.district)
        response = client.get(self.list_url(world))
        assert response.status_code == 200
        rows = self.rows(response)
        assert [r[7] for r in rows] == [inside.full_name]
        assert rows[0][6] == "3201********" + inside.nik[-4:]  # masked unless asked for (core.pii.show_personal)
        rows = self.rows(client.get(self.list_url(world) + "?pribadi=1"))
        assert [r[6] for r in rows] == [inside.nik]  # an officer who asks gets it in full, audited
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.action, event.actor, event.changes["rows"]) == ("export_personal", world.district, [None, 1])
        client.force_login(world.national)
        rows = self.rows(client.get(self.list_url(world)))
        assert sorted(r[7] for r in rows) == sorted([inside.full_name, outside.full_name])
        assert inside.nik not in {r[6] for r in rows}


class TestAnnouncePage(RouteCase):
    route = "recruitment:announce"
    method = "post"
    ok_status = 302
    insider = "national"
    outsider_status = 403
    audit_action = "announce"

    def make(self, world, where):
        self.selectee, self.waiting = _selected_with_waitlist(world, "in")
        return world.campaign

    def url(self, obj):
        return reverse("recruitment:announce", args=[obj.pk])

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        world.campaign.refresh_from_db()
        assert world.campaign.announced_at is None
        assert not Application.objects.filter(volunteer__isnull=False).exists()

    def test_insider_works(self, client, world, mailoutbox):
        # One request: a TKS account for the selectee ("create", made by the system), then the announcement.
        campaign = self.make(world, "in")
        client.force_login(world.national)
        before = AuditEvent.objects.order_by("-id").first().id
        response = self.request(client, campaign, world)
        assert response.status_code == 302
        events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
        assert [e.action for e in events] == ["create", "announce"]
        assert events[0].actor is None and events[0].actor_label == "system" and events[0].changes
        assert events[1].actor == world.national and events[1].changes
        assert events[1].changes["notified"] == [None, 2] and events[1].changes["tks_accounts"] == [None, 1]
        self.selectee.refresh_from_db()
        assert events[0].target_id == str(self.selectee.volunteer_id)
        assert len(mailoutbox) == 2

    def test_before_selection_nothing_is_announced(self, client, world):
        client.force_login(world.national)
        before = AuditEvent.objects.count()
        response = client.post(self.url(world.campaign))
        assert response.status_code == 302 and AuditEvent.objects.count() == before


# =====================================================================================
# API
# =====================================================================================
class _CampaignApi(RouteCase):
    outsider = "tks_in"
    outsider_status = 403  # officers only

    def make(self, world, where):
        return world.campaign


class TestApiCampaignList(_CampaignApi):
    route = "GET /api/campaigns"

    def url(self, obj):
        return "/api/campaigns"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        payload = client.get(self.url(None)).json()
        assert payload["count"] == 1 and payload["items"][0]["name"] == world.campaign.name


class TestApiCampaignCreate(RouteCase):
    route = "POST /api/campaigns"
    method = "post"
    ok_status = 201
    insider = "national"
    outsider_status = 403
    audit_action = "create"

    def url(self, obj):
        return "/api/campaigns"

    def data(self, obj, world):
        today = timezone.localdate()
        return {"name": "Kampanye API", "year": today.year, "target_seats": 664, "opens_on": today.isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
                "regions": [{"code": "32", "weight": 2}, {"code": "52", "weight": 1}],
                "rules": [{"key": "tidak_bekerja", "statement": "Saya tidak sedang bekerja"}]}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.campaign.__class__.objects.filter(name="Kampanye API").exists()

    def test_insider_works(self, client, world):
        # One request: the campaign, its regions and its rule, each audited.
        client.force_login(world.national)
        before = AuditEvent.objects.order_by("-id").first().id
        response = self.request(client, None, world)
        assert response.status_code == 201, response.content
        created = world.campaign.__class__.objects.get(pk=response.json()["id"])
        events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
        assert [e.action for e in events] == ["create", "set_regions", "add_rule"]
        assert all(e.actor == world.national and e.changes and e.target_id == str(created.pk) for e in events)
        assert sorted(created.quota_regions.values_list("region_id", flat=True)) == ["32", "52"]


class TestApiCampaignDetail(_CampaignApi):
    route = "GET /api/campaigns/{campaign_id}"

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}"

    def test_unknown_campaign_is_404(self, client, world):
        client.force_login(world.district)
        assert client.get("/api/campaigns/999999").status_code == 404


class TestApiRegionsPut(RouteCase):
    route = "PUT /api/campaigns/{campaign_id}/regions"
    method = "put"
    insider = "national"
    outsider_status = 403
    audit_action = "set_regions"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/regions"

    def data(self, obj, world):
        return [{"code": "32.01", "weight": 3}, {"code": "32.02", "weight": 2}, {"code": "52.03", "weight": 1}]

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.campaign.quota_regions.get(region_id="32.02").weight == 1


class TestApiQuotaList(_CampaignApi):
    route = "GET /api/campaigns/{campaign_id}/quotas"

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/quotas"

    def test_quota_rows_follow_the_scope(self, client, world):
        client.force_login(world.district)
        assert [r["region"] for r in client.get(self.url(world.campaign)).json()] == ["32.01"]
        client.force_login(world.national)
        assert [r["region"] for r in client.get(self.url(world.campaign)).json()] == ["32.01", "32.02", "52.03"]


class TestApiApportion(RouteCase):
    route = "POST /api/campaigns/{campaign_id}/apportion"
    method = "post"
    insider = "national"
    outsider_status = 403
    audit_action = "apportion"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/apportion"

    def data(self, obj, world):
        return {"method": "webster", "minimum": 1}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not world.campaign.quota_regions.filter(quota__gt=0).exists()


class TestApiQuotaPatch(RouteCase):
    route = "PATCH /api/campaigns/{campaign_id}/quotas/{code}"
    method = "patch"
    insider = "national"
    outsider_status = 403
    audit_action = "adjust_quota"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/quotas/32.01"

    def data(self, obj, world):
        return {"quota": 4, "reason": "Banyak kelompok TKM menunggu pendamping"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert world.campaign.quota_regions.get(region_id="32.01").quota == 0


class TestApiSummary(_CampaignApi):
    route = "GET /api/campaigns/{campaign_id}/summary"

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/summary"

    def test_summary_follows_the_scope(self, client, world):
        _app(world, "in"), _app(world, "out")
        client.force_login(world.district)
        rows = client.get(self.url(world.campaign)).json()
        assert [(r["region"], r["applicants"]) for r in rows] == [("32.01", 1)]


class TestApiApplicationList(ListCase):
    route = "GET /api/campaigns/{campaign_id}/applications"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return f"/api/campaigns/{obj.campaign_id}/applications"

    def list_url(self, world):
        return f"/api/campaigns/{world.campaign.pk}/applications?q=Rahasia"

    def marker(self, obj):
        return obj.full_name

    def expected_count(self, world):
        return 1

    def test_outsider_is_refused(self, client, world):
        obj = self.make(world, "out")
        client.force_login(world.tks_in)
        response = client.get(self.url(obj))
        assert response.status_code == 403
        self.assert_not_leaked(response, obj)

    def test_list_masks_personal_data(self, client, world):
        inside = self.make(world, "in")
        client.force_login(world.district)
        item = client.get(self.url(inside)).json()["items"][0]
        assert item["nik"] != inside.nik and item["phone"] != inside.phone


class TestApiApplicationCreate(RouteCase):
    route = "POST /api/campaigns/{campaign_id}/applications"
    method = "post"
    ok_status = 201
    outsider_status = 403  # the domicile lies outside the officer's region
    audit_action = "apply"

    def make(self, world, where):
        return _target(world, where)

    def url(self, target):
        return f"/api/campaigns/{target.campaign.pk}/applications"

    def data(self, target, world):
        return {**applicant(target.village.code, full_name="Entri API Baru"), "consent": True}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(full_name="Entri API Baru").exists()


class _ApplicationApi(RouteCase):
    def make(self, world, where):
        return _app(world, where)

    def marker(self, obj):
        return obj.full_name


class TestApiApplicationDetail(_ApplicationApi):
    route = "GET /api/applications/{application_id}"

    def url(self, obj):
        return f"/api/applications/{obj.pk}"

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        app = Application.objects.get()
        assert client.get(self.url(app)).json()["nik"] == app.nik  # in full, for the officer in scope

    def test_field_role_is_refused(self, client, world):
        client.force_login(world.tks_in)
        assert client.get(self.url(_app(world, "in"))).status_code == 404


class TestApiVerification(_ApplicationApi):
    route = "POST /api/applications/{application_id}/verification"
    method = "post"
    audit_action = "verify"

    def url(self, obj):
        return f"/api/applications/{obj.pk}/verification"

    def data(self, obj, world):
        return {"admin_status": "rejected", "admin_note": "Ijazah tidak terbaca"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.exclude(admin_status="pending").exists()


class TestApiScores(_ApplicationApi):
    route = "POST /api/applications/{application_id}/scores"
    method = "post"
    audit_action = "score"

    def url(self, obj):
        return f"/api/applications/{obj.pk}/scores"

    def data(self, obj, world):
        return {"test_score": "82.5"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(test_score__isnull=False).exists()


class TestApiWithdrawal(_ApplicationApi):
    route = "POST /api/applications/{application_id}/withdrawal"
    method = "post"
    audit_action = "withdraw"

    def url(self, obj):
        return f"/api/applications/{obj.pk}/withdrawal"

    def data(self, obj, world):
        return {"reason": "Pelamar pindah kerja"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.exclude(status=Status.ACTIVE).exists()


class TestApiWithdrawalOfSelectee(_WithdrawSelectee, RouteCase):
    route = "POST /api/applications/{application_id}/withdrawal"
    method = "post"
    ok_status = 200

    def url(self, obj):
        return f"/api/applications/{obj.pk}/withdrawal"

    def data(self, obj, world):
        return {"reason": "Diterima bekerja di tempat lain"}


class TestApiScreening(RouteCase):
    route = "POST /api/campaigns/{campaign_id}/screening"
    method = "post"
    insider = "national"
    outsider_status = 403
    audit_action = "screen"

    def make(self, world, where):
        _app(world, where)
        return world.campaign

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/screening"

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(eligible__isnull=False).exists()


class TestApiSelection(RouteCase):
    route = "POST /api/campaigns/{campaign_id}/selection"
    method = "post"
    insider = "national"
    outsider_status = 403
    audit_action = "select"

    def make(self, world, where):
        return world.campaign

    def url(self, obj):
        return f"/api/campaigns/{obj.pk}/selection"

    def data(self, obj, world):
        return {"dry_run": False}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        client.force_login(world.district)  # not even a dry run: it shows every region's figures
        response = client.post(self.url(world.campaign), '{"dry_run": true}', content_type="application/json")
        assert response.status_code == 403

    def test_dry_run_writes_nothing(self, client, world):
        client.force_login(world.national)
        before = AuditEvent.objects.count()
        response = client.post(self.url(world.campaign), '{"dry_run": true}', content_type="application/json")
        assert response.status_code == 200 and response.json()["dry_run"] is True
        world.campaign.refresh_from_db()
        assert world.campaign.selected_at is None and AuditEvent.objects.count() == before


class TestApiImportApplications(RouteCase):
    """Multipart, and the job runs inside the request."""

    route = "POST /api/campaigns/{campaign_id}/imports"
    method = "post"
    ok_status = 201
    outsider_status = 201  # the job is made and refuses every out-of-scope row
    audit_action = "import_applications"

    def make(self, world, where):
        return _target(world, where)

    def url(self, target):
        return f"/api/campaigns/{target.campaign.pk}/imports"

    def request(self, client, target, world):
        upload, self.raw = _applications_file(world, target.where)
        return client.post(self.url(target), {"kind": "applications", "mode": "all", "file": upload})

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert Application.objects.get(nik=self.raw["nik"]).source == "import"

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(nik=self.raw["nik"]).exists()
        job = ImportJob.objects.get()
        assert job.state == ImportState.REJECTED and job.stored_rows == 0
        assert "out_of_scope" in job.report.read().decode()


class TestApiImportScores(RouteCase):
    """The same operation with a scores file: an officer scores only applicants in scope."""

    route = "POST /api/campaigns/{campaign_id}/imports"
    method = "post"
    ok_status = 201
    outsider_status = 201
    audit_action = "import_scores"

    def make(self, world, where):
        return _app(world, where)

    def url(self, obj):
        return f"/api/campaigns/{obj.campaign_id}/imports"

    def request(self, client, app, world):
        return client.post(self.url(app), {"kind": "scores", "mode": "all", "file": _scores_file(app)})

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        assert float(Application.objects.get().test_score) == 88

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Application.objects.filter(test_score__isnull=False).exists()
        assert ImportJob.objects.get().state == ImportState.REJECTED


class TestApiImportDetail(RouteCase):
    route = "GET /api/imports/{import_id}"

    def make(self, world, where):
        return _job(world, where)

    def url(self, job):
        return f"/api/imports/{job.pk}"

    def marker(self, job):
        return job.original_name


# =====================================================================================
# The applicant's private link (public routes: the token is the key)
# =====================================================================================
class TestPrivateLink:
    WRONG = "bukan-token-yang-benar-" + "x" * 10

    @pytest.fixture
    def mine(self, world):
        return _app(world, "in", documents=[("ktp", _pdf())])

    def urls(self, token, doc_id):
        return [reverse("recruitment:my_application", args=[token]),
                reverse("recruitment:my_application_edit", args=[token]),
                reverse("recruitment:my_document", args=[token, doc_id])]

    def test_wrong_token_is_404(self, client, world, mine):
        doc = mine.documents.get()
        for url in self.urls(self.WRONG, doc.pk) + self.urls(mine.token[:-1], doc.pk):
            response = client.get(url)
            assert response.status_code == 404, url
            assert mine.full_name not in response.content.decode()
        assert client.post(reverse("recruitment:my_application", args=[self.WRONG]),
                           {"action": "withdraw"}).status_code == 404
        mine.refresh_from_db()
        assert mine.status == Status.ACTIVE

    def test_right_token_works(self, client, world, mine):
        doc = mine.documents.get()
        page, edit, document = self.urls(mine.token, doc.pk)
        assert mine.full_name in client.get(page).content.decode()
        assert client.get(edit).status_code == 200
        response = client.get(document)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    def test_token_opens_only_its_own_documents(self, client, world, mine):
        other = _app(world, "out", documents=[("ktp", _pdf("lain.pdf"))])
        url = reverse("recruitment:my_document", args=[mine.token, other.documents.get().pk])
        assert client.get(url).status_code == 404

    def test_erased_application_link_is_404(self, client, world, mine):
        doc = mine.documents.get()
        page = reverse("recruitment:my_application", args=[mine.token])
        response = client.post(page, {"action": "erase", "confirm": "yes"})
        assert response.status_code == 302 and response["Location"] == reverse("recruitment:erased")
        assert "Data dihapus" in client.get(response["Location"]).content.decode()
        for url in self.urls(mine.token, doc.pk):
            assert client.get(url).status_code == 404, url
        mine.refresh_from_db()
        assert mine.status == Status.ERASED and mine.nik is None and mine.access_digest is None


class TestActivationLink:
    """core:activate (public): the one-time link mailed to a selectee sets their first password."""

    def test_forged_link_shows_no_form(self, client, world):
        response = client.get(reverse("core:activate", args=["MQ", "bukan-token"]), follow=True)
        assert response.status_code == 200
        assert "tidak berlaku lagi" in response.content.decode() and 'name="new_password1"' not in \
            response.content.decode()

    def test_real_link_sets_the_password_once(self, client, world):
        from sukarela.recruitment.services.notices import activation_link

        user = world.tks_in
        path = activation_link(user).split("://", 1)[-1]
        path = path[path.index("/"):]
        form = client.get(path, follow=True)
        assert 'name="new_password1"' in form.content.decode()
        password = "kata-sandi-baru-123"
        response = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
        assert response.status_code == 302 and response["Location"] == reverse("core:login")
        user.refresh_from_db()
        assert user.check_password(password)
        assert "tidak berlaku lagi" in client.get(path, follow=True).content.decode()  # used once

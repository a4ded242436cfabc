"""Certificate pages, the cohort report, "Pelatihan saya" and the certificate API through the scope harness.

A certificate "in" belongs to a graduate of a cohort in Kabupaten Bogor (32.01), one "out" to a
graduate of a cohort in Kabupaten Sukabumi (32.02); the district officer of Bogor is the default
insider and outsider (404 for Sukabumi's). A graduate reaches their own certificate; another TKS
gets 404. The public check (page and API) is declared in tests/test_routes_covered.py.
"""

import itertools

import pytest
from django.urls import reverse

from sukarela.core.roles import Role
from sukarela.training.models import Certificate
from sukarela.training.services import certificates
from tests.conftest import make_user
from tests.scope_harness import ListCase, RouteCase
from tests.training.conftest import make_cohort
from tests.training.test_certificates import enrol, graduate

WHERE = {"in": "Dalam", "out": "Luar"}
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _training_in_world(world, curriculum, campaign):
    """The harness passes only `world` to make(); the curriculum and campaign ride along on it."""
    world.curriculum, world.campaign, world.cohorts = curriculum, campaign, {}


def _cohort(world, where):
    if where not in world.cohorts:
        world.cohorts[where] = make_cohort(world, world.curriculum, world.campaign, where,
                                           name=f"Angkatan {WHERE[where]} Rahasia")
    return world.cohorts[where]


def _certificate(world, where, volunteer=None) -> Certificate:
    """A graduate of the cohort inside (32.01) or outside (32.02) Kabupaten Bogor, and their certificate."""
    if volunteer is None:
        n = next(_numbers)
        village = world.village_in if where == "in" else world.village_out
        volunteer = make_user(f"lulusan-{where}-{n}", Role.TKS, village.code,
                              full_name=f"Lulusan {WHERE[where]} Rahasia {n}")
    cohort = _cohort(world, where)
    return graduate(world, cohort, [enrol(world, cohort, volunteer)])[0]


# --- pages ---------------------------------------------------------------------------
class TestCertificatePdf(RouteCase):
    route = "training:certificate_pdf"

    def make(self, world, where):
        return _certificate(world, where)

    def url(self, obj):
        return reverse("training:certificate_pdf", args=[obj.pk])

    def marker(self, obj):
        return obj.holder_name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        response = client.get(self.url(Certificate.objects.get()))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


class TestCertificatePdfAsGraduate(TestCertificatePdf):
    """The graduate downloads their own; another TKS (even one with a certificate) gets 404."""

    insider = "tks_in"
    outsider = "tks_out"

    def make(self, world, where):
        return _certificate(world, "in", volunteer=world.tks_in)

    def test_trainer_and_other_graduate_get_404(self, client, world):
        mine = _certificate(world, "in", volunteer=world.tks_in)
        _certificate(world, "out", volunteer=world.tks_out)
        trainer = make_user("pelatih-lain", Role.TRAINER, "32.01")
        for user in (trainer, world.tks_out):
            client.force_login(user)
            assert client.get(self.url(mine)).status_code == 404


class TestCertificateList(RouteCase):
    route = "training:certificate_list"

    def make(self, world, where):
        return _certificate(world, where)

    def url(self, obj):
        return reverse("training:certificate_list", args=[obj.participant.cohort_id])

    def marker(self, obj):
        return obj.holder_name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        body = client.get(self.url(Certificate.objects.get())).content.decode()
        assert "Lulusan Dalam Rahasia" in body and "Luar" not in body


class TestCertificateListForTks(TestCertificateList):
    outsider = "tks_in"
    outsider_status = 403  # officers' page; a graduate uses "Pelatihan saya"

    def make(self, world, where):
        return _certificate(world, "in", volunteer=world.tks_in if where == "out" else None)


class TestCertificateRevoke(RouteCase):
    route = "training:certificate_revoke"
    method = "post"
    ok_status = 302
    audit_action = "revoke_certificate"

    def make(self, world, where):
        return _certificate(world, where)

    def url(self, obj):
        return reverse("training:certificate_revoke", args=[obj.pk])

    def data(self, obj, world):
        return {"reason": "Data kelulusan keliru"}

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        certificate = Certificate.objects.get()
        assert certificate.revoked_at is not None and certificate.revoke_reason == "Data kelulusan keliru"


def _revoked(world, where, volunteer=None) -> Certificate:
    certificate = _certificate(world, where, volunteer)
    officer = world.district if where == "in" else world.district_other
    return certificates.revoke(officer, certificate, "Nilai salah ketik")


class TestCertificateReissue(RouteCase):
    route = "training:certificate_reissue"
    method = "post"
    ok_status = 302
    audit_action = "reissue_certificate"

    def make(self, world, where):
        return _revoked(world, where)

    def url(self, obj):
        return reverse("training:certificate_reissue", args=[obj.participant_id])

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Certificate.objects.filter(revoked_at__isnull=True).exists()

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        old = Certificate.objects.get(revoked_at__isnull=False)
        fresh = Certificate.objects.get(revoked_at__isnull=True)
        assert fresh.participant_id == old.participant_id and fresh.code != old.code

    def test_the_list_offers_it_only_in_place_of_a_revoked_certificate(self, client, world):
        revoked = self.make(world, "in")
        valid = _certificate(world, "in")
        client.force_login(world.district)
        list_url = reverse("training:certificate_list", args=[revoked.participant.cohort_id])
        body = client.get(list_url).content.decode()
        assert self.url(revoked) in body and self.url(valid) not in body and "Terbitkan ulang" in body
        response = client.post(self.url(revoked), follow=True)
        body = response.content.decode()
        fresh = revoked.participant.certificate
        assert fresh.is_valid and f"Sertifikat baru {fresh.code} diterbitkan" in body
        assert "Terbitkan ulang" not in body  # the graduate has a certificate in force again
        response = client.post(self.url(valid), follow=True)  # a second one while one is in force: refused
        assert "sudah memiliki sertifikat yang berlaku" in response.content.decode()
        assert Certificate.objects.count() == 3


class TestCertificateReissueForTks(TestCertificateReissue):
    outsider = "tks_in"
    outsider_status = 403  # an officer's action, even on the TKS's own certificate

    def make(self, world, where):
        return _revoked(world, "in", volunteer=world.tks_in if where == "out" else None)


class TestCohortReport(RouteCase):
    route = "training:cohort_report"

    def make(self, world, where):
        return _certificate(world, where).participant.cohort

    def url(self, obj):
        return reverse("training:cohort_report", args=[obj.pk])

    def marker(self, obj):
        return obj.name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        response = client.get(self.url(world.cohorts["in"]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content.startswith(b"PK")


class TestCohortReportForTks(TestCohortReport):
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        return _certificate(world, "in", volunteer=world.tks_in if where == "out" else None).participant.cohort


class TestMyTraining(RouteCase):
    """A TKS sees their own training only: another TKS's page shows none of it."""

    route = "training:my_training"
    insider = "tks_in"
    outsider = "tks_out"
    outsider_status = 200

    def make(self, world, where):
        return _certificate(world, "in", volunteer=world.tks_in)

    def url(self, obj):
        return reverse("training:my_training")

    def marker(self, obj):
        return obj.participant.cohort.name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        body = client.get(self.url(None)).content.decode()
        assert "Angkatan Dalam Rahasia" in body and Certificate.objects.get().code in body


class TestMyTrainingForOfficer(TestMyTraining):
    outsider = "district"
    outsider_status = 403


# --- API -----------------------------------------------------------------------------
class TestApiCohortCertificates(ListCase):
    route = "GET /api/training/cohorts/{cohort_id}/certificates"

    def make(self, world, where):
        return _certificate(world, where)

    def url(self, obj):
        return f"/api/training/cohorts/{obj.participant.cohort_id}/certificates"

    def list_url(self, world):
        return f"/api/training/cohorts/{world.cohorts['in'].pk}/certificates"

    def marker(self, obj):
        return obj.holder_name

    def expected_count(self, world):
        return Certificate.objects.filter(participant__cohort=world.cohorts["in"]).count()


class TestApiCohortCertificatesForTks(RouteCase):
    """A graduate, even of this very cohort, is not an officer: 403."""

    route = TestApiCohortCertificates.route
    outsider = "tks_in"
    outsider_status = 403
    url = TestApiCohortCertificates.url

    def make(self, world, where):
        return _certificate(world, "in", volunteer=world.tks_in if where == "out" else None)


class TestApiRevokeCertificate(RouteCase):
    route = "POST /api/training/certificates/{certificate_id}/revoke"
    method = "post"
    audit_action = "revoke_certificate"

    def make(self, world, where):
        return _certificate(world, where)

    def url(self, obj):
        return f"/api/training/certificates/{obj.pk}/revoke"

    def data(self, obj, world):
        return {"reason": "Data kelulusan keliru"}

    def marker(self, obj):
        return obj.holder_name

    def test_insider_works(self, client, world):
        super().test_insider_works(client, world)
        data = client.get(f"/api/training/certificates/verify/{Certificate.objects.get().code}").json()
        assert (data["valid"], data["revoked"]) == (False, True) and "reason" not in data

    def test_blank_reason_is_422_naming_the_field(self, client, world):
        certificate = self.make(world, "in")
        client.force_login(world.district)
        response = client.post(self.url(certificate), data='{"reason": "   "}', content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "reason"]

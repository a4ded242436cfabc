"""The partnership demo on the test slice (Kab. Bogor and Lombok Timur loaded, Garut not): partners
of every type and reach with contacts, offers and agreements (one flagged as expiring, one with its
PDF); BLK UPTP and BLK Komunitas centres, FKN members among them; linkages in every status for
posted groups and centres, moved by the services (steps, audit), one from a visit's kemitraan task;
a second build adds nothing."""

import datetime as dt
import io
from random import Random
from types import SimpleNamespace

import filetype
import pytest
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.mentoring.services import visits
from sukarela.partners import demo
from sukarela.partners.linkage_rules import MONEY
from sukarela.partners.models import (
    Agreement, AgreementStatus, CentreKind, CentreProgramme, Contact, Linkage, LinkageStatus, LinkageStep, Partner,
    PartnerType, Purpose, Reach, TrainingCentre)
from sukarela.partners.selectors.agreements import expiring_all
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post, visit_payload

MODELS = (Partner, Contact, Agreement, TrainingCentre, CentreProgramme, Linkage, LinkageStep, AuditEvent)


def _counts():
    return tuple(m.objects.count() for m in MODELS)


@pytest.fixture
def posted(world):
    """Two TKS in Kab. Bogor posted to three groups (two and one)."""
    tks = make_user("tks-demo-mitra", Role.TKS, world.village_in.code, full_name="Pendamping Mitra")
    other = make_user("tks-demo-lain", Role.TKS, world.village_in.code, full_name="Pendamping Lain")
    groups = [field_group(world) for _n in range(3)]
    for group, mentor in zip(groups, (tks, tks, other)):
        post(group, mentor)
    return SimpleNamespace(tks=tks, groups=groups, national=world.national)


def _build(system):
    ctx = SimpleNamespace(rng=Random(1), out=io.StringIO(), system=system, logins=[], password="pw-for-tests-only")
    demo.build(ctx)
    return ctx


def test_demo_holds_partners_centres_and_linkages_in_every_status(posted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    group = posted.groups[0]
    visit, _created = visits.submit(posted.tks, visit_payload(group, tasks=["kemitraan"], details={
        "kemitraan": {"partner": "Bank BRI Unit Cibinong", "purpose": "pinjaman", "outcome": "terealisasi"}}))
    ctx = _build(posted.national)
    assert "kemitraan:" in ctx.out.getvalue()

    # Partners: every type, every reach, each with offers and a contact; Garut's (not loaded) skipped.
    partners = list(Partner.objects.prefetch_related("offers", "contacts"))
    assert {p.kind_id for p in partners} == set(PartnerType.objects.values_list("code", flat=True))
    assert {p.reach for p in partners} == set(Reach.values)
    assert all(p.offers.all() and p.contacts.all() for p in partners)
    assert not any(p.region_id == "32.05" for p in partners)
    assert all(c.phone.startswith("+62") and c.email.endswith(".contoh.id") for c in Contact.objects.all())
    # Agreements: active, ended and draft; one inside the warning window; one signed PDF.
    assert {AgreementStatus.ACTIVE, AgreementStatus.ENDED, AgreementStatus.DRAFT} <= set(
        Agreement.objects.values_list("status", flat=True))
    assert [a.ends_on - today for a in expiring_all(today)] == [dt.timedelta(days=40)]
    signed = Agreement.objects.exclude(document="").get()
    with signed.document.open("rb") as f:
        assert filetype.guess(f.read(8192)).mime == "application/pdf"

    # Centres: both kinds, FKN members with their joined dates, programmes and supporters.
    centres = list(TrainingCentre.objects.all())
    assert {c.kind for c in centres} == set(CentreKind.values)
    members = [c for c in centres if c.fkn_member]
    assert len(members) >= 2 and all(c.kind == CentreKind.KOMUNITAS and c.fkn_joined_on <= today for c in members)
    assert all(c.programmes.exists() and c.supporters.exists() for c in centres)
    assert TrainingCentre.objects.filter(fkn_member=False, kind=CentreKind.KOMUNITAS).count() == 0  # Garut's: skipped

    # Linkages: every status; values where realised, reasons where failed; groups and centres.
    links = list(Linkage.objects.select_related("group"))
    assert {link.status for link in links} == set(LinkageStatus.values)
    for link in links:
        if link.status == LinkageStatus.REALISED:
            assert link.value_amount or link.people_trained, link
            assert link.purpose not in MONEY or link.value_amount, link
            assert link.purpose != Purpose.TRAINING or link.people_trained, link
        if link.status == LinkageStatus.FAILED:
            assert link.failed_reason, link
        steps = list(link.steps.order_by("at", "id").values_list("status", "on"))
        assert steps[0] == (LinkageStatus.PROPOSED, link.proposed_on) and steps[-1] == (link.status, link.status_on)
        assert [on for _s, on in steps] == sorted(on for _s, on in steps) and link.status_on <= today
        if link.group_id:
            mentor = link.group.postings.get(ends_on__isnull=True).mentor
            assert link.broker == mentor
        assert AuditEvent.objects.filter(target_type="partners.linkage", target_id=str(link.pk)).count() == (
            1 if link.visit_id else len(steps))
    assert any(link.centre_id for link in links) and any(link.group_id for link in links)
    assert min(link.proposed_on for link in links) <= today - dt.timedelta(days=25)
    from_visit = Linkage.objects.get(visit=visit)
    assert (from_visit.status, from_visit.purpose, from_visit.broker) == (
        LinkageStatus.REALISED, Purpose.LOAN, posted.tks) and from_visit.value_amount

    before = _counts()
    _build(posted.national)
    assert _counts() == before

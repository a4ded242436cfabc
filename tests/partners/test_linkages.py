"""Linkage rules (services/linkages.py): who may create and move, the status pipeline with its
messages, steps and audit, what realised and failed need, dates, visibility, and from_visit.

Helpers here (`linked`, `make_visit`, `group_in`, `group_out`) are imported by the other
test_linkages*.py modules."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Linkage, LinkageStatus, LinkageStep, Purpose, TrainingCentre
from sukarela.partners.selectors import linkages as selectors
from sukarela.partners.services import linkages as service
from sukarela.mentoring.models import Visit
from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.mentoring.conftest import post
from tests.partners.conftest import partner

_n = itertools.count(1)
TODAY = timezone.localdate


def group_in(world, tks=None):
    group = make_group(world, "in", name=f"Kelompok Mitra Dalam {next(_n)}")
    if tks is not None:
        post(group, tks)
    return group


def group_out(world, tks=None):
    group = make_group(world, "out", name=f"Kelompok Mitra Luar {next(_n)}")
    if tks is not None:
        post(group, tks)
    return group


def linked(world, where="in", *, status=LinkageStatus.PROPOSED, purpose=Purpose.LOAN, group=None, centre=None,
           partner_obj=None, broker=None, **fields) -> Linkage:
    """A linkage made directly (no service, no audit) with its first step."""
    if group is None and centre is None:
        group = group_in(world) if where == "in" else group_out(world)
    if partner_obj is None:
        partner_obj = (partner(world, region="32.01") if where == "in"
                       else partner(world, region="32.02", created_by=world.district_other))
    day = fields.pop("proposed_on", TODAY() - dt.timedelta(days=10))
    lk = Linkage.objects.create(group=group, centre=centre, partner=partner_obj, purpose=purpose, broker=broker,
                                status=status, proposed_on=day, status_on=fields.pop("status_on", day), **fields)
    LinkageStep.objects.create(linkage=lk, status=status, on=lk.status_on)
    return lk


def make_centre(world, where="in", **fields) -> TrainingCentre:
    fields.setdefault("name", f"BLK Komunitas {'Dalam' if where == 'in' else 'Luar'} {next(_n)}")
    fields.setdefault("kind", "komunitas")
    return TrainingCentre.objects.create(region_id="32.01" if where == "in" else "32.02", **fields)


def make_visit(tks, group, *, outcome=None, purpose="pinjaman", partner_name="", note="", days_ago=1) -> Visit:
    details = {}
    tasks = ["usaha"]
    if outcome:
        tasks = ["kemitraan"]
        details["kemitraan"] = {"partner": partner_name, "purpose": purpose, "outcome": outcome, "note": note}
    return Visit.objects.create(id=uuid.uuid4(), tks=tks, group=group, started_at=timezone.now() - dt.timedelta(
        days=days_ago), duration_minutes=60, tasks=tasks, details=details, roles=["mediator"], digest="0" * 64)


@pytest.fixture
def lw(world):
    """world + a TKS posted to a Bogor group, a visible Bogor partner, and a linkage of that group."""
    world.tks = make_user(f"tks-mitra-{next(_n)}", "tks", world.village_in.code, full_name="Pendamping Mitra")
    world.group = group_in(world, world.tks)
    world.partner = partner(world, name=f"Bank Uji Keterkaitan {next(_n)}", region="32.01")
    return world


def events(action):
    return list(AuditEvent.objects.filter(action=action))


# ------------------------------------------------------------------ creating

def test_tks_creates_a_linkage_for_their_group_and_brokers_it(lw):
    lk = service.create_linkage(lw.tks, group=lw.group, partner=lw.partner.pk, purpose="pinjaman")
    assert lk.status == LinkageStatus.PROPOSED and lk.broker == lw.tks and lk.created_by == lw.tks
    assert [s.status for s in lk.steps.all()] == [LinkageStatus.PROPOSED]
    (event,) = events("create_linkage")
    assert event.actor == lw.tks and event.changes["status"] == [None, "diusulkan"]
    assert event.changes["partner"] == [None, lw.partner.pk]


def test_tks_may_not_link_a_group_they_do_not_mentor(lw):
    other = group_in(lw)
    with pytest.raises(PermissionDenied):
        service.create_linkage(lw.tks, group=other, partner=lw.partner.pk, purpose="pinjaman")
    assert not Linkage.objects.exists() and not events("create_linkage")


def test_tks_names_only_themselves_as_broker(lw):
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.tks, group=lw.group, partner=lw.partner.pk, purpose="pinjaman",
                               broker=lw.tks_in.pk)
    assert "broker" in exc.value.message_dict


def test_officer_defaults_broker_to_current_mentor_and_may_name_a_posted_tks(lw):
    lk = service.create_linkage(lw.district, group=lw.group, partner=lw.partner.pk, purpose="pelatihan")
    assert lk.broker == lw.tks
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.district, group=lw.group, partner=lw.partner.pk, purpose="pelatihan",
                               broker=lw.tks_in.pk)
    assert "ditugaskan" in exc.value.message_dict["broker"][0]


def test_officer_of_another_district_is_refused(lw):
    with pytest.raises(PermissionDenied):
        service.create_linkage(lw.district_other, group=lw.group, partner=lw.partner.pk, purpose="pinjaman")


def test_partner_must_be_visible_and_active(lw):
    ntb = partner(lw, region="52", reach="provinsi", created_by=lw.provincial_other)
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.tks, group=lw.group, partner=ntb.pk, purpose="pinjaman")
    assert "partner" in exc.value.message_dict
    lw.partner.active = False
    lw.partner.save()
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.district, group=lw.group, partner=lw.partner.pk, purpose="pinjaman")
    assert exc.value.message_dict["partner"] == ["Mitra ini tidak aktif."]


def test_tks_may_name_a_national_partner_or_one_serving_the_group(lw):
    national = partner(lw, reach="nasional", region=None)
    serving = partner(lw, region="32.02", served=["32.01"], created_by=lw.district_other)
    for p in (national, serving):
        assert service.create_linkage(lw.tks, group=lw.group, partner=p.pk, purpose="pasar").partner == p


def test_group_xor_centre_and_known_purpose_and_no_future_date(lw):
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.district, partner=lw.partner.pk, purpose="pinjaman")
    assert "group" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        service.create_linkage(lw.district, group=lw.group, partner=lw.partner.pk, purpose="hadiah",
                               proposed_on=TODAY() + dt.timedelta(days=1))
    assert {"purpose", "proposed_on"} <= set(exc.value.message_dict)


def test_centre_linkage_by_officer_only(lw):
    centre = make_centre(lw)
    lk = service.create_linkage(lw.district, centre=centre, partner=lw.partner.pk, purpose="pelatihan")
    assert lk.centre == centre and lk.broker is None
    with pytest.raises(PermissionDenied):
        service.create_linkage(lw.tks, centre=centre, partner=lw.partner.pk, purpose="pelatihan")
    with pytest.raises(PermissionDenied):
        service.create_linkage(lw.district_other, centre=centre, partner=lw.partner.pk, purpose="pelatihan")


# ------------------------------------------------------------------ the pipeline

@pytest.mark.parametrize("start,target", [
    ("diusulkan", "dihubungi"), ("diusulkan", "disepakati"), ("dihubungi", "disepakati"),
    ("disepakati", "terealisasi"), ("diusulkan", "gagal"), ("dihubungi", "gagal"), ("disepakati", "gagal")])
def test_allowed_moves_write_a_step_and_an_audit_event(lw, start, target):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, status=start)
    moved = service.move_linkage(lw.tks, lk, status=target, value_amount=5_000_000, failed_reason="Bank menolak"
                                 if target == "gagal" else "")
    assert moved.status == target and moved.status_on == TODAY()
    assert list(moved.steps.values_list("status", flat=True)) == [start, target]
    assert moved.steps.last().by == lw.tks
    (event,) = events("move_linkage")
    assert event.changes["status"] == [start, target] and event.actor == lw.tks


@pytest.mark.parametrize("start,target,words", [
    ("dihubungi", "diusulkan", "tidak dapat mundur dari Dihubungi ke Diusulkan"),
    ("disepakati", "dihubungi", "tidak dapat mundur"),
    ("dihubungi", "dihubungi", "sudah berstatus Dihubungi"),
    ("terealisasi", "gagal", "sudah terealisasi"),
    ("terealisasi", "disepakati", "sudah terealisasi"),
    ("gagal", "dihubungi", "sudah gagal"),
    ("diusulkan", "selesai", "Status tidak dikenal"),
])
def test_refused_moves_say_why_and_change_nothing(lw, start, target, words):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, status=start, value_amount=1000)
    with pytest.raises(ValidationError) as exc:
        service.move_linkage(lw.district, lk, status=target, failed_reason="x")
    assert words in exc.value.message_dict["status"][0]
    lk.refresh_from_db()
    assert lk.status == start and lk.steps.count() == 1 and not events("move_linkage")


@pytest.mark.parametrize("purpose,field", [("pinjaman", "value_amount"), ("pasar", "value_amount"),
                                           ("peralatan", "value_amount"), ("pelatihan", "people_trained")])
def test_realised_needs_its_value(lw, purpose, field):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, status="disepakati", purpose=purpose)
    with pytest.raises(ValidationError) as exc:
        service.move_linkage(lw.district, lk, status="terealisasi")
    assert list(exc.value.message_dict) == [field]
    moved = service.move_linkage(lw.district, lk, status="terealisasi", **{field: 12})
    assert getattr(moved, field) == 12


def test_realised_permit_needs_no_value_and_bad_values_are_refused(lw):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, status="disepakati", purpose="perizinan")
    with pytest.raises(ValidationError) as exc:
        service.move_linkage(lw.district, lk, status="terealisasi", value_amount="-5", people_trained="dua")
    assert set(exc.value.message_dict) == {"value_amount", "people_trained"}
    assert service.move_linkage(lw.district, lk, status="terealisasi").status == "terealisasi"


def test_failed_needs_a_reason_kept_on_linkage_and_step(lw):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, status="dihubungi")
    with pytest.raises(ValidationError) as exc:
        service.move_linkage(lw.tks, lk, status="gagal")
    assert exc.value.message_dict == {"failed_reason": ["Tulis alasan keterkaitan ini gagal."]}
    moved = service.move_linkage(lw.tks, lk, status="gagal", failed_reason="Agunan tidak cukup")
    assert moved.failed_reason == "Agunan tidak cukup" and moved.steps.last().note == "Agunan tidak cukup"


def test_status_dates_not_before_proposal_nor_previous_step_nor_future(lw):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner, proposed_on=TODAY() - dt.timedelta(days=10),
                status_on=TODAY() - dt.timedelta(days=5), status="dihubungi")
    for day, words in [(TODAY() + dt.timedelta(days=1), "masa depan"),
                       (TODAY() - dt.timedelta(days=11), "sebelum tanggal usulan"),
                       (TODAY() - dt.timedelta(days=7), "sebelum tanggal status sebelumnya")]:
        with pytest.raises(ValidationError) as exc:
            service.move_linkage(lw.district, lk, status="disepakati", on=day)
        assert words in exc.value.message_dict["status_on"][0]
    day = TODAY() - dt.timedelta(days=2)
    assert service.move_linkage(lw.district, lk, status="disepakati", on=day).status_on == day


def test_who_may_move(lw):
    lk = linked(lw, group=lw.group, partner_obj=lw.partner)
    for outsider in (lw.tks_in, lw.district_other):
        with pytest.raises(PermissionDenied):
            service.move_linkage(outsider, lk, status="dihubungi")
    assert service.move_linkage(lw.provincial, lk, status="dihubungi").status == "dihubungi"
    # A TKS whose posting ended no longer moves it, though they still see what they brokered.
    lk.broker = lw.tks
    lk.save()
    lw.group.postings.update(ends_on=TODAY())
    with pytest.raises(PermissionDenied):
        service.move_linkage(lw.tks, lk, status="disepakati")
    assert selectors.linkage_for(lw.tks, lk.pk) == lk


# ------------------------------------------------------------------ visibility

def test_tks_sees_only_their_linkages_and_officers_their_region(lw):
    mine = linked(lw, group=lw.group, partner_obj=lw.partner)
    brokered = linked(lw, broker=lw.tks)  # another group, brokered by the TKS
    other = linked(lw)  # another Bogor group, not theirs
    outside = linked(lw, "out")
    centre_in = linked(lw, centre=make_centre(lw), partner_obj=lw.partner)
    centre_out = linked(lw, "out", centre=make_centre(lw, "out"))
    assert set(selectors.linkages_for(lw.tks)) == {mine, brokered}
    assert set(selectors.linkages_for(lw.district)) == {mine, brokered, other, centre_in}
    assert set(selectors.linkages_for(lw.district_other)) == {outside, centre_out}
    assert set(selectors.linkages_for(lw.provincial)) == {mine, brokered, other, outside, centre_in, centre_out}
    assert not selectors.linkages_for(lw.provincial_other).exists()
    with pytest.raises(Http404):
        selectors.linkage_for(lw.district, outside.pk)
    with pytest.raises(Http404):
        selectors.linkage_for(lw.tks, other.pk)
    chair = make_user("ketua-x", "group_chair", lw.village_in.code)
    assert not selectors.linkages_for(chair).exists()


def test_partner_section_counts_per_status(lw):
    for status in ("diusulkan", "diusulkan", "gagal"):
        linked(lw, group=lw.group, partner_obj=lw.partner, status=status, failed_reason="x")
    linked(lw, "out", partner_obj=lw.partner)  # a Sukabumi group: not the Bogor officer's to count
    section = selectors.partner_section(lw.district, lw.partner)
    counts = {c["status"]: c["n"] for c in section["counts"]}
    assert counts == {"diusulkan": 2, "dihubungi": 0, "disepakati": 0, "terealisasi": 0, "gagal": 1}
    assert section["total"] == 3 and len(section["rows"]) == 3
    assert selectors.partner_section(lw.national, lw.partner)["total"] == 4


# ------------------------------------------------------------------ from a visit

@pytest.mark.parametrize("outcome,status,steps", [
    (None, "diusulkan", ["diusulkan"]), ("dihubungi", "dihubungi", ["diusulkan", "dihubungi"]),
    ("sepakat", "disepakati", ["diusulkan", "disepakati"]),
    ("terealisasi", "terealisasi", ["diusulkan", "terealisasi"]), ("gagal", "gagal", ["diusulkan", "gagal"])])
def test_from_visit_maps_the_outcome(lw, outcome, status, steps):
    visit = make_visit(lw.tks, lw.group, outcome=outcome, note="Bank belum membuka KUR", days_ago=3)
    lk = service.from_visit(lw.tks, visit, lw.partner, "pinjaman", value_amount=10_000_000)
    day = timezone.localtime(visit.started_at).date()
    assert (lk.status, lk.group, lk.broker, lk.visit, lk.proposed_on, lk.status_on) == (
        status, lw.group, lw.tks, visit, day, day)
    assert list(lk.steps.values_list("status", flat=True)) == steps
    if outcome == "gagal":
        assert lk.failed_reason == "Bank belum membuka KUR"
    (event,) = events("create_linkage_from_visit")
    assert event.changes["status"] == [None, status] and event.changes["visit"] == [None, str(visit.pk)]


def test_from_visit_realised_needs_a_value_and_failed_a_reason(lw):
    visit = make_visit(lw.tks, lw.group, outcome="terealisasi")
    with pytest.raises(ValidationError) as exc:
        service.from_visit(lw.tks, visit, lw.partner, "pinjaman")
    assert "value_amount" in exc.value.message_dict
    failed = make_visit(lw.tks, lw.group, outcome="gagal", note="")
    with pytest.raises(ValidationError) as exc:
        service.from_visit(lw.district, failed, lw.partner, "pasar")
    assert "failed_reason" in exc.value.message_dict
    assert not Linkage.objects.exists()


def test_from_visit_by_officer_keeps_the_visit_tks_as_broker_and_refuses_a_repeat(lw):
    visit = make_visit(lw.tks, lw.group, outcome="sepakat")
    lk = service.from_visit(lw.district, visit, lw.partner.pk, "pelatihan")
    assert lk.broker == lw.tks and lk.created_by == lw.district
    with pytest.raises(ValidationError) as exc:
        service.from_visit(lw.district, visit, lw.partner.pk, "pelatihan")
    assert "sudah dibuat" in exc.value.message_dict["partner"][0]


def test_from_visit_refuses_others(lw):
    visit = make_visit(lw.tks, lw.group, outcome="dihubungi")
    for outsider in (lw.tks_in, lw.district_other):
        with pytest.raises(PermissionDenied):
            service.from_visit(outsider, visit, lw.partner, "pinjaman")
    assert Decimal(0) == Decimal(Linkage.objects.count())

"""The supervisors' review: every rule of services/review.py and the list's filters.

Rules under test (the choices are documented in the service's docstring): a return needs a
comment; an approved visit is closed, and only an officer of a higher level than its approver may
reopen it by returning it; nobody reviews their own visit; an out-of-scope visit is refused; a
visit edited since the reviewer read it is refused; approving twice is refused with a message.
"""

import datetime as dt
import itertools
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.groups.models import Member
from sukarela.mentoring.models import ReviewStatus, Visit
from sukarela.mentoring.selectors.review import VisitFilters, review_visits
from sukarela.mentoring.services import review
from sukarela.mentoring.services.visits import submit
from tests.conftest import make_user
from tests.mentoring.conftest import BOGOR, field_group, post, visit_payload

_n = itertools.count(1)


def make_visit(tks, group, started_at=None, **fields) -> Visit:
    """A stored visit made directly (flags and dates set by the test, not by the field rules)."""
    started_at = started_at or timezone.now() - dt.timedelta(hours=2)
    data = {"duration_minutes": 60, "roles": ["motivator"], "tasks": ["usaha"],
            "details": {"usaha": {"topic": "Pembukuan"}}, "lat": BOGOR[0], "lon": BOGOR[1], "digest": "0" * 64,
            "place": "Balai desa"}
    data.update(fields)
    return Visit.objects.create(id=uuid.uuid4(), tks=tks, group=group, started_at=started_at, **data)


def chair_login(group):
    """A group-chair login linked to the group's active chair."""
    user = make_user(f"ketua-{next(_n)}", Role.GROUP_CHAIR, group.village_id, full_name="Ketua Bermasuk")
    Member.objects.filter(group=group, is_chair=True, active=True).update(chair_account=user)
    return user


@pytest.fixture
def visit(field_world):
    stored, created = submit(field_world.tks, visit_payload(field_world.groups[0]))
    assert created
    return stored


def _events(visit, action):
    return AuditEvent.objects.filter(target_id=str(visit.pk), action=action)


# --- approve ------------------------------------------------------------------------------------

def test_approve_records_who_when_and_audit(field_world, visit):
    before = visit.updated_at
    done = review.approve(field_world.district, visit)
    done.refresh_from_db()
    assert done.status == ReviewStatus.APPROVED
    assert done.reviewed_by == field_world.district and done.reviewed_at is not None
    assert done.version == 1  # the phone's edit counter is not the review's
    assert done.updated_at > before  # the phone's history (since=) sees the new status
    event = _events(visit, "approve_visit").get()
    assert event.actor == field_world.district
    assert event.changes["status"] == [ReviewStatus.SUBMITTED, ReviewStatus.APPROVED]


def test_approving_an_approved_visit_is_refused_with_a_clear_message(field_world, visit):
    review.approve(field_world.district, visit)
    with pytest.raises(ValidationError) as exc:
        review.approve(field_world.provincial, visit)
    assert "sudah disetujui" in exc.value.messages[0]
    assert field_world.district.full_name in exc.value.messages[0]
    assert _events(visit, "approve_visit").count() == 1


def test_a_returned_visit_may_still_be_approved(field_world, visit):
    review.return_visit(field_world.district, visit, "Foto kurang jelas")
    done = review.approve(field_world.district, visit)
    assert done.status == ReviewStatus.APPROVED and done.review_comment == ""


# --- return -------------------------------------------------------------------------------------

@pytest.mark.parametrize("comment", ["", "   \n ", None])
def test_return_needs_a_comment(field_world, visit, comment):
    with pytest.raises(ValidationError) as exc:
        review.return_visit(field_world.district, visit, comment)
    assert "comment" in exc.value.message_dict
    visit.refresh_from_db()
    assert visit.status == ReviewStatus.SUBMITTED and visit.review_comment == ""
    assert not _events(visit, "return_visit").exists()


def test_return_keeps_the_comment_and_is_audited(field_world, visit):
    done = review.return_visit(field_world.district, visit, "  Daftar hadir belum lengkap.  ")
    done.refresh_from_db()
    assert done.status == ReviewStatus.RETURNED
    assert done.review_comment == "Daftar hadir belum lengkap."
    event = _events(visit, "return_visit").get()
    assert event.changes["review_comment"] == ["", "Daftar hadir belum lengkap."]


def test_an_overlong_comment_is_refused_naming_the_field(field_world, visit):
    with pytest.raises(ValidationError) as exc:
        review.return_visit(field_world.district, visit, "x" * (review.MAX_COMMENT + 1))
    assert "comment" in exc.value.message_dict


def test_a_returned_visit_is_not_returned_again(field_world, visit):
    review.return_visit(field_world.district, visit, "Perbaiki jam")
    with pytest.raises(ValidationError) as exc:
        review.return_visit(field_world.district, visit, "Lagi")
    assert "sudah dikembalikan" in exc.value.messages[0]


def test_an_approved_visit_is_closed_to_its_approver_and_peers(field_world, visit):
    review.approve(field_world.district, visit)
    peer = make_user(f"kab-bogor-2-{next(_n)}", Role.DISTRICT, "32.01")
    for officer in (field_world.district, peer):
        with pytest.raises(ValidationError) as exc:
            review.return_visit(officer, visit, "Salah setuju")
        assert "sudah disetujui" in exc.value.messages[0]
    visit.refresh_from_db()
    assert visit.status == ReviewStatus.APPROVED


def test_a_higher_level_officer_may_reopen_an_approval(field_world, visit):
    review.approve(field_world.district, visit)
    done = review.return_visit(field_world.provincial, visit, "Lokasi tidak sesuai laporan")
    assert done.status == ReviewStatus.RETURNED and done.reviewed_by == field_world.provincial


def test_a_national_approval_is_final(field_world, visit):
    review.approve(field_world.national, visit)
    for officer in (field_world.provincial, field_world.district):
        with pytest.raises(ValidationError):
            review.return_visit(officer, visit, "Buka lagi")
    other_national = make_user(f"pusat-{next(_n)}", Role.NATIONAL)
    with pytest.raises(ValidationError):
        review.return_visit(other_national, visit, "Buka lagi")


# --- who may review -----------------------------------------------------------------------------

def test_nobody_reviews_their_own_visit(field_world):
    group = field_world.groups[0]
    own = make_visit(field_world.district, group)  # an officer who also went out to the group
    with pytest.raises(PermissionDenied):
        review.approve(field_world.district, own)
    with pytest.raises(PermissionDenied):
        review.return_visit(field_world.district, own, "Saya sendiri")
    review.approve(field_world.provincial, own)  # a colleague may


@pytest.mark.parametrize("who", ["district_other", "provincial_other", "tks", "chair"])
def test_out_of_scope_and_field_roles_are_refused(field_world, visit, who):
    actor = chair_login(visit.group) if who == "chair" else getattr(field_world, who, None) or getattr(
        field_world.world, who)
    with pytest.raises(PermissionDenied):
        review.approve(actor, visit)
    with pytest.raises(PermissionDenied):
        review.return_visit(actor, visit, "Tidak berhak")
    visit.refresh_from_db()
    assert visit.status == ReviewStatus.SUBMITTED
    assert not AuditEvent.objects.filter(target_id=str(visit.pk)).exclude(action="submit_visit").exists()


def test_a_visit_edited_since_it_was_read_is_refused(field_world, visit):
    with pytest.raises(ValidationError) as exc:
        review.approve(field_world.district, visit, version=visit.version + 1)
    assert "version" in exc.value.message_dict
    with pytest.raises(ValidationError):
        review.return_visit(field_world.district, visit, "Perbaiki", version=visit.version + 1)
    assert review.approve(field_world.district, visit, version=visit.version).status == ReviewStatus.APPROVED


# --- bulk ---------------------------------------------------------------------------------------

def test_bulk_approve_is_all_or_nothing(field_world):
    g = field_world.groups[0]
    a, b, c = (make_visit(field_world.tks, g, timezone.now() - dt.timedelta(hours=h)) for h in (2, 5, 8))
    review.approve(field_world.district, b)
    with pytest.raises(ValidationError) as exc:
        review.approve_many(field_world.district, [a, b, c])
    assert g.name in exc.value.messages[0] and "sudah disetujui" in exc.value.messages[0]
    assert Visit.objects.filter(pk__in=[a.pk, c.pk], status=ReviewStatus.APPROVED).count() == 0
    done = review.approve_many(field_world.district, [a, c])
    assert len(done) == 2
    assert Visit.objects.filter(pk__in=[a.pk, b.pk, c.pk], status=ReviewStatus.APPROVED).count() == 3
    assert AuditEvent.objects.filter(action="approve_visit").count() == 3  # one record per visit


# --- the chair's confirmation -------------------------------------------------------------------

def test_the_chair_confirms_once(field_world, visit):
    chair = chair_login(visit.group)
    assert review.chairs(chair, visit)
    done = review.confirm_by_chair(chair, visit)
    assert done.confirmed_by_chair_at is not None
    assert _events(visit, "confirm_visit").get().actor == chair
    with pytest.raises(ValidationError) as exc:
        review.confirm_by_chair(chair, visit)
    assert "sudah dikonfirmasi" in exc.value.messages[0]


def test_only_the_visited_groups_chair_confirms(field_world, visit):
    other_chair = chair_login(field_world.other_group)
    for actor in (field_world.tks, field_world.district, other_chair):
        assert not review.chairs(actor, visit)
        with pytest.raises(PermissionDenied):
            review.confirm_by_chair(actor, visit)
    visit.refresh_from_db()
    assert visit.confirmed_by_chair_at is None


# --- the list's filters -------------------------------------------------------------------------

def test_filters_each_narrow_the_list_newest_first(field_world):
    g1, g2 = field_world.groups
    now = timezone.now()
    v1 = make_visit(field_world.tks, g1, now - dt.timedelta(days=1), roles=["inovator"], tasks=["kemitraan"],
                    flags=["jauh"])
    v2 = make_visit(field_world.tks, g2, now - dt.timedelta(days=3), roles=["mediator", "motivator"],
                    tasks=["usaha", "akses"], flags=["tumpang", "jauh"], status=ReviewStatus.APPROVED)
    v3 = make_visit(field_world.other_tks, field_world.other_group, now - dt.timedelta(days=10))
    outside = make_visit(make_user(f"tks-luar-{next(_n)}", Role.TKS, field_world.world.village_out.code),
                         field_group(field_world.world, "out"))

    def ids(**f):
        return [v.pk for v in review_visits(field_world.district, VisitFilters(**f))]

    assert ids() == [v1.pk, v2.pk, v3.pk]  # newest first, the outside visit absent
    assert outside.pk not in ids()
    assert ids(tks=field_world.tks.pk) == [v1.pk, v2.pk]
    assert ids(group=g2.pk) == [v2.pk]
    assert ids(role="motivator") == [v2.pk, v3.pk]
    assert ids(role="inovator") == [v1.pk]
    assert ids(task="akses") == [v2.pk]
    assert ids(status=ReviewStatus.APPROVED) == [v2.pk]
    assert ids(flag="jauh") == [v1.pk, v2.pk]
    assert ids(flag="tumpang") == [v2.pk]
    today = timezone.localdate(now)
    assert ids(date_from=timezone.localdate(v2.started_at)) == [v1.pk, v2.pk]
    assert ids(date_to=timezone.localdate(v2.started_at)) == [v2.pk, v3.pk]
    assert ids(date_from=today + dt.timedelta(days=1)) == []
    # A TKS sees their own, a chair their group's.
    assert [v.pk for v in review_visits(field_world.other_tks)] == [v3.pk]
    assert [v.pk for v in review_visits(chair_login(g2))] == [v2.pk]
    assert [v.pk for v in review_visits(field_world.world.district_other)] == [outside.pk]


def test_a_group_posted_to_a_new_tks_keeps_its_old_visits_reviewable(field_world):
    g = field_world.groups[0]
    old = make_visit(field_world.tks, g)
    g.postings.filter(ends_on__isnull=True).update(ends_on=timezone.localdate())
    post(g, field_world.other_tks, starts_on=timezone.localdate())
    assert review.approve(field_world.district, old).status == ReviewStatus.APPROVED

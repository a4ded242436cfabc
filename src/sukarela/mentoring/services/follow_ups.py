"""Follow-up actions of a visit marked done: by the visit's TKS (from the phone or the visit's page)
or by an officer whose region holds the group (who may have checked it themselves).

A follow-up is done once: marking it again answers as the first time (a retry), or, naming another
day, is refused with the day it was done. The visit's
`updated_at` moves, so the phone's history (`GET /api/field/visits?since=`) picks the change up;
its `version` does not (that counts the TKS's edits). The audit record is on the visit, so the
visit's history shows it.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import is_officer
from sukarela.core.scope import in_scope
from sukarela.engines import visit_rules
from sukarela.mentoring.models import FollowUp, Visit


def may_mark_done(user, visit: Visit) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return visit.tks_id == user.pk or (is_officer(user) and in_scope(user, visit.group.village_id))


@transaction.atomic
def mark_done(actor, follow_up: FollowUp, done_on: dt.date | None = None) -> tuple[FollowUp, bool]:
    """Marks the follow-up done on `done_on` (today when not given: not in the future, not before
    the visit's day); (follow-up, changed). Asking again (a phone retrying after a lost answer)
    changes nothing and answers the same; another day for a done follow-up is refused."""
    row = FollowUp.objects.select_for_update(of=("self",)).select_related("visit", "visit__group").get(
        pk=follow_up.pk)
    visit = row.visit
    if not may_mark_done(actor, visit):
        raise PermissionDenied(_("Hanya TKS kunjungan ini atau petugas wilayahnya yang dapat menandai tindak "
                                 "lanjut selesai."))
    if row.done_on is not None:
        if done_on is None or done_on == row.done_on:
            return row, False
        raise ValidationError(_("Tindak lanjut ini sudah ditandai selesai pada %(d)s.") % {
            "d": formats.date_format(row.done_on, "j M Y")})
    today = timezone.localdate()
    done_on = done_on or today
    first = max(timezone.localdate(visit.started_at), visit_rules.EARLIEST_DATE)
    if not first <= done_on <= today:
        raise ValidationError({"done_on": _("Tanggal selesai harus antara %(min)s dan %(max)s.") % {
            "min": first.isoformat(), "max": today.isoformat()}})
    row.done_on = done_on
    row.save(update_fields=["done_on"])
    Visit.objects.filter(pk=visit.pk).update(updated_at=timezone.now())
    audit.record(actor, "follow_up_done", visit, {"follow_up": [None, row.action], "done_on": [None, done_on.isoformat()]})
    return row, True

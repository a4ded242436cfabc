"""Submitting and editing a field visit, loss-free.

The phone made the visit's UUID when it was recorded, possibly offline, and sends it until it
gets an answer. So `submit` inserts, and when the key already exists reads the stored visit back:
the same content (same SHA-256 digest of the canonical submission) is a retry and answers the
stored visit; different content is a Conflict carrying the server's copy. Two identical requests
at once are one row: the loser's INSERT waits for the winner's commit, fails on the key, and reads
the winner's visit back. The INSERTs come first in one transaction and the IntegrityError is caught
outside it, so the happy path needs no savepoint.

An edit names the version it started from: a stale one is a Conflict (never a silent overwrite),
an approved visit is closed, a returned one goes back to review.
"""

import datetime as dt
import hashlib
import json
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.sql import UpdateQuery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit, batch, bulk
from sukarela.core.roles import Role
from sukarela.engines import visit_rules
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Flag, FollowUp, Photo, ReviewStatus, Visit
from sukarela.mentoring.selectors import field as field_selectors
from sukarela.mentoring.services import indicators as indicator_services
from sukarela.mentoring.services import photos as photo_services
from sukarela.mentoring.services.indicators import translated

AUDITED = ("group", "kind", "title", "place", "started_at", "duration_minutes", "lat", "lon", "accuracy_m", "roles",
           "tasks", "details", "notes", "innovation", "attendance", "indicators", "status", "version")


class Conflict(Exception):
    """The stored visit differs from what the caller assumed; `visit` is the server's copy."""

    def __init__(self, message: str, visit: Visit):
        super().__init__(message)
        self.message, self.visit = message, visit


def digest_of(clean: dict) -> str:
    """SHA-256 of the canonical JSON of a clean submission (visit_rules.validate's output)."""
    body = json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _limits() -> dict:
    return settings.SUKARELA_FIELD


def _context(groups, now: dt.datetime, extra_past_days: int = 0) -> visit_rules.Context:
    limits = _limits()
    return visit_rules.Context(now=now, groups=groups, max_past_days=limits["max_past_days"] + extra_past_days,
                               max_photos=limits["max_photos"], max_photo_bytes=limits["max_photo_bytes"])


def require_tks(actor) -> None:
    """Field visits are the TKS's own record; officers review them and never submit."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or actor.role != Role.TKS:
        raise PermissionDenied(_("Hanya TKS yang dapat mengirim kunjungan lapangan."))


def _day(value) -> dt.date | None:
    """The visit's day (for members who left since), best effort before the rules run."""
    try:
        parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        return timezone.localdate(parsed) if parsed.tzinfo else None
    except (TypeError, ValueError, OverflowError):  # the rules name a bad or impossible time
        return None


def _flags(visit: Visit, group: visit_rules.GroupInfo, partners: list) -> None:
    visit.km_from_group = visit_rules.km_from_group(visit.lat, visit.lon, group.lat, group.lon)
    flags = []
    if visit_rules.is_far(visit.km_from_group, visit.accuracy_m, float(_limits()["far_km"])):
        flags.append(Flag.FAR.value)
    if partners:
        flags.append(Flag.OVERLAP.value)
    visit.flags = flags


def _overlap_changes(partner, on: bool) -> bool:
    return (Flag.OVERLAP.value in partner.flags) != on


def _overlap_statement(partner, on: bool) -> batch.Statement:
    """Adds or removes OVERLAP on another visit (a selectors.overlapping row). A changed flag is a
    change of that visit: the phone's history (updated_at) must see it."""
    flags = sorted({*partner.flags, Flag.OVERLAP.value}) if on else [f for f in partner.flags if f != Flag.OVERLAP.value]
    query = Visit.objects.filter(pk=partner.pk).query.chain(UpdateQuery)
    query.add_update_values({"flags": flags, "updated_at": timezone.now()})
    text, params = query.get_compiler(connection=connection).as_sql()
    return text, list(params)


def _set_overlap(partner, on: bool) -> None:
    if _overlap_changes(partner, on):
        batch.write([_overlap_statement(partner, on)])


def _apply(visit: Visit, clean: dict) -> None:
    for name in ("kind", "title", "place", "duration_minutes", "lat", "lon", "accuracy_m", "roles", "tasks",
                 "details", "notes", "innovation", "attendance"):
        setattr(visit, name, clean[name])
    visit.group_id = clean["group"]
    visit.started_at = dt.datetime.fromisoformat(clean["started_at"])


def _photo(visit_id, item: dict) -> Photo:
    return Photo(id=uuid.UUID(item["id"]), visit_id=visit_id, size=item["size"], sha256=item["sha256"],
                 content_type=item["content_type"])


def _follow_ups(visit_id, items: list[dict]) -> list[FollowUp]:
    return [FollowUp(visit_id=visit_id, action=f["action"], due_on=dt.date.fromisoformat(f["due_on"])) for f in items]


# --- submit ----------------------------------------------------------------------------------------

def submit(actor, payload: dict) -> tuple[Visit, bool]:
    """Stores a visit from the field app; (visit, created). ValidationError {field: message} for
    bad input, Conflict when the id exists with different content, PermissionDenied for non-TKS."""
    require_tks(actor)
    now = timezone.now()
    window = _window(payload)
    groups, partners = field_selectors.submission_context(actor, payload.get("group"), payload.get("attendance"),
                                                          _day(payload.get("started_at")), window)
    clean, problems = visit_rules.validate(payload, _context(groups, now))
    if problems:
        replay = _replay(actor, payload)
        if replay is not None:
            return replay, False
        raise ValidationError(translated(problems))
    digest = digest_of(clean)
    visit = Visit(id=uuid.UUID(clean["id"]), tks=actor, digest=digest, received_at=now, updated_at=now)
    _apply(visit, clean)
    if window != (visit.started_at, visit.duration_minutes):  # the rules read the payload otherwise
        partners = field_selectors.overlapping(actor.pk, visit.started_at, visit.duration_minutes)
    try:
        _store_new(actor, visit, clean, groups[visit.group_id], partners)
    except IntegrityError as clash:
        return _stored_again(actor, clean, digest, clash), False
    return visit, True


def _window(payload: dict) -> tuple[dt.datetime, int] | None:
    """(start, minutes) as the payload gives them, for reading the overlaps with the group; the
    rules decide whether they are valid."""
    start, minutes = payload.get("started_at"), payload.get("duration_minutes")
    if isinstance(start, str):
        try:
            start = dt.datetime.fromisoformat(start)
        except ValueError:
            return None
    if not isinstance(start, dt.datetime) or start.tzinfo is None or type(minutes) is not int:
        return None
    if not visit_rules.DURATION_RANGE[0] <= minutes <= visit_rules.DURATION_RANGE[1]:
        return None
    try:
        start.astimezone(dt.timezone.utc)
    except OverflowError:  # year 1 at +07:00 has no UTC instant
        return None
    return start, minutes


def _store_new(actor, visit: Visit, clean: dict, group: visit_rules.GroupInfo, partners: list) -> None:
    """One round trip on PostgreSQL (core.batch.write), all or nothing: the field sync's hot path.
    Plain INSERTs (core.bulk), not save(): the ORM compiling a query per object cost more than the
    database (bench/field_sync). The overlaps were read before, outside any transaction, as they
    would be inside one (READ COMMITTED takes no lock on what it reads)."""
    rows = []
    if clean["indicators"] is not None:
        snapshot = indicator_services.build(actor, visit.group_id, clean["indicators"],
                                            timezone.localdate(visit.started_at))
        rows.append(snapshot)
        visit.indicators = snapshot
    _flags(visit, group, partners)
    rows.append(visit)
    rows += _follow_ups(visit.pk, clean["follow_ups"])
    rows += [_photo(visit.pk, p) for p in clean["photos"]]
    rows.append(audit.unsaved(actor, "submit_visit", visit, audit.diff(Visit, {}, audit.snapshot(
        visit, ("group", "kind", "started_at", "duration_minutes", "status")))))
    # The client-made keys first (the snapshot's, then the visit's; bulk keeps the models' order):
    # a retry stops on one of them, and the message as a whole writes nothing.
    statements = bulk.insert_statements(rows)
    statements += [_overlap_statement(partner, True) for partner in partners if _overlap_changes(partner, True)]
    batch.write(statements)
    bulk.stored(rows)


def _stored_again(actor, clean: dict, digest: str, clash: IntegrityError) -> Visit:
    """After a key clash: the stored visit when this is a retry, else why not."""
    stored = Visit.objects.filter(pk=clean["id"]).first()
    if stored is None:
        _name_the_clash(clean)
        raise clash  # not a clash of client-made keys: a real fault
    if stored.tks_id != actor.pk:
        raise ValidationError({"id": _("ID kunjungan ini sudah dipakai; buat ID baru.")})
    if stored.digest != digest:
        raise Conflict(_("Kunjungan dengan ID ini sudah tersimpan dengan isi lain."), stored)
    return stored


def _name_the_clash(clean: dict) -> None:
    """The visit's key was free, so another client-made key clashed: name its field."""
    ind = clean["indicators"]
    if ind is not None and IndicatorSnapshot.objects.filter(pk=ind["id"]).exists():
        raise ValidationError({"indicators.id": _("ID indikator ini sudah dipakai; buat ID baru.")})
    taken = set(map(str, Photo.objects.filter(pk__in=[p["id"] for p in clean["photos"]]).values_list("pk", flat=True)))
    for i, p in enumerate(clean["photos"]):
        if p["id"] in taken:
            raise ValidationError({f"photos.{i}.id": _("ID foto ini sudah dipakai; buat ID baru.")})


def _replay(actor, payload: dict) -> Visit | None:
    """A submission the rules refuse today may be a retry of one they accepted when it first
    arrived (the posting ended since, the visit aged past the limit): judge it as of then."""
    try:
        ident = uuid.UUID(str(payload.get("id")))
    except ValueError:
        return None
    stored = Visit.objects.filter(pk=ident, tks=actor).first()
    if stored is None:
        return None
    if payload.get("group") != stored.group_id:
        raise Conflict(_("Kunjungan dengan ID ini sudah tersimpan dengan isi lain."), stored)
    groups = field_selectors.stored_group_info(stored.group_id, payload.get("attendance"),
                                               _day(payload.get("started_at")))
    clean, problems = visit_rules.validate(payload, _context(groups, stored.received_at))
    if problems or digest_of(clean) != stored.digest:
        raise Conflict(_("Kunjungan dengan ID ini sudah tersimpan dengan isi lain."), stored)
    return stored


# --- edit ------------------------------------------------------------------------------------------

def edit(actor, visit_id, payload: dict, base_version: int) -> Visit:
    """The TKS corrects their visit. Conflict when `base_version` is not the stored version (the
    server's copy changed meanwhile) or the visit is approved; a retry of an edit that already went
    through answers the stored visit."""
    require_tks(actor)
    now = timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(pk=_uuid_or_404(visit_id), tks=actor).first()
        if visit is None:
            raise Http404("Not found")
        if payload.get("id") not in (None, str(visit.pk), visit.pk):
            raise ValidationError({"id": _("ID di isi tidak sama dengan ID kunjungan yang diubah.")})
        payload = {**payload, "id": str(visit.pk)}
        group_id = payload.get("group")
        day = _day(payload.get("started_at"))
        groups = field_selectors.stored_group_info(visit.group_id, payload.get("attendance"), day) \
            if group_id == visit.group_id else field_selectors.group_info(actor, group_id, payload.get("attendance"), day)
        # What was acceptable when the visit first arrived stays acceptable to correct.
        clean, problems = visit_rules.validate(payload, _context(groups, now, (now - visit.received_at).days))
        digest = None if problems else digest_of(clean)
        if visit.version != base_version:
            if visit.version == base_version + 1 and digest == visit.digest:
                return visit  # this very edit, sent again after its answer was lost
            raise Conflict(_("Kunjungan ini sudah diubah di server (versi %(v)d); periksa salinan server.")
                           % {"v": visit.version}, visit)
        if visit.status == ReviewStatus.APPROVED:
            raise Conflict(_("Kunjungan yang sudah disetujui tidak dapat diubah."), visit)
        if problems:
            raise ValidationError(translated(problems))
        _store_edit(actor, visit, clean, digest, groups[clean["group"]], now)
    return visit


def _uuid_or_404(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found") from None


def _store_edit(actor, visit: Visit, clean: dict, digest: str, group, now) -> None:
    before = audit.snapshot(visit, AUDITED)
    old_partners = field_selectors.overlapping(actor.pk, visit.started_at, visit.duration_minutes, exclude=visit.pk)
    _apply(visit, clean)
    _edit_indicators(actor, visit, clean["indicators"])
    _edit_photos(visit, clean["photos"])
    _edit_follow_ups(visit, clean["follow_ups"])
    partners = field_selectors.overlapping(actor.pk, visit.started_at, visit.duration_minutes, exclude=visit.pk)
    _flags(visit, group, partners)
    if visit.status == ReviewStatus.RETURNED:
        visit.status = ReviewStatus.SUBMITTED
    visit.version += 1
    visit.digest, visit.updated_at = digest, now
    visit.save()
    now_ids = {p.pk for p in partners}
    for partner in partners:
        _set_overlap(partner, True)
    for partner in old_partners:
        if partner.pk not in now_ids:  # still flagged only if it overlaps some other visit
            others = field_selectors.overlapping(actor.pk, partner.started_at, partner.duration_minutes,
                                                 exclude=partner.pk)
            _set_overlap(partner, bool(others))
    audit.record(actor, "edit_visit", visit, audit.diff(Visit, before, audit.snapshot(visit, AUDITED)))


def _edit_indicators(actor, visit: Visit, clean: dict | None) -> None:
    """Snapshots are never rewritten: the same id must hold the same values; a new id is a new
    snapshot (a correction), and dropping the indicators unlinks the snapshot, keeping it."""
    if clean is None:
        visit.indicators = None
        return
    if visit.indicators_id is not None and str(visit.indicators_id) == clean["id"]:
        if visit.indicators.group_id != visit.group_id:
            # The edit moved the visit to another group: a snapshot describes one group for good.
            raise ValidationError({"indicators.id": _("Indikator ini milik kelompok lain; kirim sebagai catatan "
                                                      "baru (ID baru).")})
        if not indicator_services.same(visit.indicators, clean):
            raise ValidationError({"indicators.id": _("Indikator yang sudah tercatat tidak diubah; kirim "
                                                      "koreksinya sebagai catatan baru (ID baru).")})
        return
    snapshot = indicator_services.build(actor, visit.group_id, clean, timezone.localdate(visit.started_at))
    try:
        with transaction.atomic():
            snapshot.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"indicators.id": _("ID indikator ini sudah dipakai; buat ID baru.")}) from None
    visit.indicators = snapshot


def _edit_photos(visit: Visit, declared: list[dict]) -> None:
    stored = {str(p.pk): p for p in visit.photos.all()}
    new = []
    for i, item in enumerate(declared):
        have = stored.get(item["id"])
        if have is None:
            new.append(_photo(visit.pk, item))
        elif (have.size, have.sha256, have.content_type) != (item["size"], item["sha256"], item["content_type"]):
            raise ValidationError({f"photos.{i}.id": _("Foto dengan ID ini sudah dinyatakan dengan isi lain; "
                                                      "buat ID baru untuk foto pengganti.")})
    gone = [p for key, p in stored.items() if key not in {item["id"] for item in declared}]
    if gone:
        names = [p.file.name for p in gone if p.file]
        ids = [p.pk for p in gone]
        Photo.objects.filter(pk__in=ids).delete()
        storage = Photo._meta.get_field("file").storage

        def discard():  # only once the rows are gone for good: a failed edit keeps its photos
            for name in names:
                storage.delete(name)
            for ident in ids:  # a dropped photo's upload may have stopped half-way
                photo_services.discard_upload(ident)
        transaction.on_commit(discard)
    if new:
        try:
            with transaction.atomic():
                Photo.objects.bulk_create(new)
        except IntegrityError:
            raise ValidationError({"photos": _("ID foto sudah dipakai kunjungan lain; buat ID baru.")}) from None


def _edit_follow_ups(visit: Visit, items: list[dict]) -> None:
    """Made the edited list: an unchanged follow-up (same action and due day) keeps its row, so its
    id (the phone marks it done by id) and the day it was done; the others are removed or added."""
    kept = {}
    for row in visit.follow_ups.all():
        kept.setdefault((row.action, row.due_on), []).append(row)
    new = []
    for row in _follow_ups(visit.pk, items):
        same = kept.get((row.action, row.due_on))
        if same:
            same.pop(0)
        else:
            new.append(row)
    stale = [row.pk for rows in kept.values() for row in rows]
    if stale:
        FollowUp.objects.filter(pk__in=stale).delete()
    if new:
        FollowUp.objects.bulk_create(new)

"""The field app's sync operations, under /api/field/: what the phone needs to work offline
(bootstrap), submitting and correcting visits (idempotent by the phone's UUID), the TKS's own
history, and resumable photo uploads.

The visit POST is the hot path (hundreds a second at peak): it validates the body once with the
schema, once with the rules, and answers with a JsonResponse it builds itself rather than a second
schema pass. The rules' problems come back as 422 naming the field, like every other error here.
"""

import datetime as dt
import re
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import Field

from sukarela.engines import visit_rules
from sukarela.mentoring.api import router
from sukarela.mentoring.selectors import field as selectors
from sukarela.mentoring.services import photos as photo_services
from sukarela.mentoring.services import visits as visit_services

# --- schemas -----------------------------------------------------------------------------------------


class FollowUpIn(Schema):
    action: str
    due_on: dt.date


class IndicatorsIn(Schema):
    id: UUID = Field(..., description="made by the phone; a snapshot is never overwritten")
    turnover: int | None = Field(None, description="monthly turnover, Rp")
    capital: int | None = Field(None, description="Rp")
    active_members: int | None = None
    new_workers: int | None = None
    products: str = ""
    price: int | None = Field(None, description="unit price, Rp")
    aid_spent_tools: int | None = Field(None, description="aid spent on tools so far (60% plan), Rp")
    aid_spent_materials: int | None = Field(None, description="aid spent on materials so far (40% plan), Rp")
    lpj_done: bool = False


class PhotoIn(Schema):
    id: UUID
    size: int = Field(..., description="bytes, at most limits.max_photo_bytes")
    sha256: str = Field(..., description="64 lowercase hex digits")
    content_type: str = Field(..., description="image/jpeg, image/png or image/webp")


class VisitIn(Schema):
    id: UUID = Field(..., description="made by the phone when the visit was recorded: the idempotency key")
    group: int = Field(..., description="a group posted to the caller")
    kind: str = Field("kunjungan", description="kunjungan | kegiatan")
    title: str = Field("", description="required for kegiatan")
    place: str = ""
    started_at: dt.datetime = Field(..., description="ISO 8601 with offset; not in the future, not older than "
                                                     "max_past_days")
    duration_minutes: int = Field(..., description="1..720")
    lat: float | None = Field(None, description="-11..6.5; lat and lon both or neither")
    lon: float | None = Field(None, description="94.5..141.5")
    accuracy_m: float | None = None
    roles: list[str] = Field(default_factory=list, description="catalogue roles")
    tasks: list[str] = Field(default_factory=list, description="catalogue tasks")
    details: dict[str, dict[str, Any]] = Field(default_factory=dict, description="{task: {field: value}}")
    notes: str = ""
    innovation: str = Field("", description="required when roles has inovator")
    attendance: list[int] = Field(default_factory=list, description="member ids of the group")
    follow_ups: list[FollowUpIn] = Field(default_factory=list)
    indicators: IndicatorsIn | None = None
    photos: list[PhotoIn] = Field(default_factory=list, description="at most limits.max_photos")


class VisitEditIn(VisitIn):
    base_version: int = Field(..., description="the version the edit started from")


class PhotoStateOut(Schema):
    id: UUID
    received: int
    size: int
    complete: bool


class AckOut(Schema):
    id: UUID
    version: int
    status: str
    received_at: dt.datetime
    flags: list[str]
    photos: list[PhotoStateOut]


class FollowUpOut(Schema):
    id: int = Field(..., description="for POST /api/field/follow-ups/{id}/done; kept while the follow-up is unchanged")
    action: str
    due_on: dt.date
    done_on: dt.date | None


class VisitOut(Schema):
    id: UUID
    group: int
    kind: str
    title: str
    place: str
    started_at: dt.datetime
    duration_minutes: int
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    roles: list[str]
    tasks: list[str]
    details: dict
    notes: str
    innovation: str
    attendance: list[int]
    follow_ups: list[FollowUpOut]
    indicators: dict | None
    photos: list[PhotoStateOut]
    status: str
    review_comment: str
    flags: list[str]
    km_from_group: float | None
    version: int
    received_at: dt.datetime
    updated_at: dt.datetime


class ConflictOut(Schema):
    detail: str
    server: VisitOut


class OutOfOrderOut(Schema):
    detail: str
    received: int
    size: int
    complete: bool


class Option(Schema):
    value: str
    label: str


class CatalogueField(Schema):
    name: str
    label: str
    type: str
    required: bool
    choices: list[Option] | None = None


class CatalogueTask(Schema):
    value: str
    label: str
    fields: list[CatalogueField]


class Catalogue(Schema):
    kinds: list[Option]
    roles: list[Option]
    tasks: list[CatalogueTask]


class MemberOut(Schema):
    id: int
    full_name: str
    is_chair: bool


class GroupOut(Schema):
    id: int
    name: str
    sector: str
    village: str
    lat: float | None
    lon: float | None
    members: list[MemberOut]
    last_indicators: dict | None


class UserOut(Schema):
    id: int
    full_name: str


class Limits(Schema):
    max_photos: int
    max_photo_bytes: int
    chunk_bytes: int


class BootstrapOut(Schema):
    user: UserOut
    groups: list[GroupOut]
    catalogue: Catalogue
    limits: Limits


class HistoryFilter(Schema):
    since: dt.datetime | None = Field(None, description="only visits received or changed since (ISO 8601)")
    after: str | None = Field(None, max_length=100, description="the `next` of the page before: only what comes "
                              "after it in the (updated_at, id) order")
    limit: int = Field(settings.SUKARELA_PAGE_SIZE, ge=1, le=500, description="Rows per page (at most 500)")
    offset: int = Field(0, ge=0, le=10**9, description="Rows to skip")


class VisitPage(Schema):
    items: list[VisitOut]
    count: int
    next: str | None = Field(None, description="where the next page starts (pass it as `after`); null when empty")


# --- plain dicts (the hot path's answers, and the server copy in a conflict) -------------------------

INDICATOR_FIELDS = ("turnover", "capital", "active_members", "new_workers", "products", "price",
                    "aid_spent_tools", "aid_spent_materials", "lpj_done")


def _indicators(snapshot) -> dict | None:
    if snapshot is None:
        return None
    out = {"id": str(snapshot.pk), "recorded_on": snapshot.recorded_on}
    for name in INDICATOR_FIELDS:
        value = getattr(snapshot, name)
        out[name] = int(value) if value is not None and not isinstance(value, (bool, str)) else value
    return out


def _photo(p) -> dict:
    return {"id": str(p.pk), "received": p.received, "size": p.size, "complete": p.completed_at is not None}


def visit_json(visit) -> dict:
    """A visit as GET answers it (and as a 409 carries the server's copy). Times stay objects: ninja
    and JsonResponse both write them with DjangoJSONEncoder, so both answers read the same."""
    return {
        "id": str(visit.pk), "group": visit.group_id, "kind": visit.kind, "title": visit.title, "place": visit.place,
        "started_at": visit.started_at, "duration_minutes": visit.duration_minutes,
        "lat": visit.lat, "lon": visit.lon, "accuracy_m": visit.accuracy_m, "roles": visit.roles,
        "tasks": visit.tasks, "details": visit.details, "notes": visit.notes, "innovation": visit.innovation,
        "attendance": visit.attendance,
        "follow_ups": [{"id": f.pk, "action": f.action, "due_on": f.due_on, "done_on": f.done_on}
                       for f in visit.follow_ups.all()],
        "indicators": _indicators(visit.indicators), "photos": [_photo(p) for p in visit.photos.all()],
        "status": visit.status, "review_comment": visit.review_comment, "flags": visit.flags,
        "km_from_group": visit.km_from_group, "version": visit.version,
        "received_at": visit.received_at, "updated_at": visit.updated_at,
    }


def _ack(visit, photos: list[dict], status: int) -> JsonResponse:
    return JsonResponse({"id": str(visit.pk), "version": visit.version, "status": visit.status,
                         "received_at": visit.received_at, "flags": visit.flags, "photos": photos},
                        status=status)


def _conflict(request, exc: visit_services.Conflict) -> JsonResponse:
    server = visit_json(selectors.own_visit(request.auth, exc.visit.pk))
    return JsonResponse({"detail": exc.message, "server": server}, status=409)


# --- operations --------------------------------------------------------------------------------------

@router.get("/field/bootstrap", response=BootstrapOut, tags=["field"],
            summary="What the field app caches to work offline: the TKS's posted groups, the catalogue, the limits")
def bootstrap(request):
    user = request.auth
    visit_services.require_tks(user)
    catalogue = visit_rules.catalogue()
    for option in (*catalogue["kinds"], *catalogue["roles"]):
        option["label"] = _(option["label"])
    for task in catalogue["tasks"]:
        task["label"] = _(task["label"])
        for f in task["fields"]:
            f["label"] = _(f["label"])
            for option in f.get("choices", ()):
                option["label"] = _(option["label"])
    limits = settings.SUKARELA_FIELD
    return {
        "user": {"id": user.pk, "full_name": user.full_name},
        "groups": [{"id": g.pk, "name": g.name, "sector": g.sector.name, "village": g.village.name,
                    "lat": g.lat, "lon": g.lon,
                    "members": [{"id": m.pk, "full_name": m.full_name, "is_chair": m.is_chair}
                                for m in g.active_members],
                    "last_indicators": _indicators(g.last_indicators)} for g in selectors.bootstrap_groups(user)],
        "catalogue": catalogue,
        "limits": {k: limits[k] for k in ("max_photos", "max_photo_bytes", "chunk_bytes")},
    }


@router.post("/field/visits", response={200: AckOut, 201: AckOut, 409: ConflictOut}, tags=["field"],
             summary="Submit a visit; the same id again with the same content answers 200 (a retry), "
                     "with other content 409 with the server's copy")
def submit_visit(request, payload: VisitIn):
    body = payload.model_dump()
    try:
        visit, created = visit_services.submit(request.auth, body)
    except visit_services.Conflict as exc:
        return _conflict(request, exc)
    if created:
        photos = [{"id": str(p["id"]), "received": 0, "size": p["size"], "complete": False} for p in body["photos"]]
    else:
        photos = [_photo(p) for p in visit.photos.all()]
    return _ack(visit, photos, 201 if created else 200)


@router.get("/field/visits", response=VisitPage, tags=["field"],
            summary="The caller's own visits changed since `since` (inclusive), oldest change first by "
                    "(updated_at, id): the phone's history, paged with `after` = the `next` of the page before. "
                    "A change is stamped when its request began, so one that commits late can carry an "
                    "earlier time than rows already read: start the next refresh a few minutes before the "
                    "last change seen (the field app re-reads 5 minutes)")
def list_visits(request, filters: Query[HistoryFilter]):
    since = None if filters.since is None else _utc(filters.since, "since")
    visits = selectors.own_visits_since(request.auth, since, _cursor(filters.after))
    page = list(visits[filters.offset:filters.offset + filters.limit])
    # The times in `items` are in milliseconds (JSON); the cursor keeps the exact time, so a page
    # starts right after the last row read even when many rows share a millisecond.
    cursor = f"{page[-1].updated_at.isoformat()}|{page[-1].pk}" if page else None
    return {"items": [visit_json(v) for v in page], "count": visits.count(), "next": cursor}


def _query_error(field: str, message: str) -> SchemaValidationError:
    return SchemaValidationError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _utc(moment: dt.datetime, field: str) -> dt.datetime:
    """A time the database can compare: with its offset (a phone's clock says where it is), and with
    a UTC instant (year 1 at +07:00 has none: an OverflowError)."""
    if moment.tzinfo is None:
        raise _query_error(field, _("Sertakan zona waktu, mis. 2025-03-01T09:30:00+07:00."))
    try:
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise _query_error(field, _("Waktu di luar rentang yang dapat diproses.")) from None


def _cursor(value: str | None) -> tuple[dt.datetime, UUID] | None:
    if not value:
        return None
    try:
        at, _sep, ident = value.partition("|")
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        ident = UUID(ident)
    except ValueError:
        raise _query_error("after", _("Penanda halaman tidak dikenal; pakai nilai `next` dari halaman "
                                      "sebelumnya.")) from None
    return _utc(moment, "after"), ident


@router.get("/field/visits/{visit_id}", response=VisitOut, tags=["field"], summary="One of the caller's visits")
def get_visit(request, visit_id: UUID):
    return visit_json(selectors.own_visit(request.auth, visit_id))


@router.put("/field/visits/{visit_id}", response={200: VisitOut, 409: ConflictOut}, tags=["field"],
            summary="Correct a visit: base_version must be the stored version (else 409 with the server's copy); "
                    "an approved visit is closed (409)")
def edit_visit(request, visit_id: UUID, payload: VisitEditIn):
    body = payload.model_dump()
    base_version = body.pop("base_version")
    try:
        visit = visit_services.edit(request.auth, visit_id, body, base_version)
    except visit_services.Conflict as exc:
        return _conflict(request, exc)
    return visit_json(selectors.own_visit(request.auth, visit.pk))


CONTENT_RANGE = re.compile(r"bytes (\d{1,10})-(\d{1,10})/(\d{1,10})")


def _range(request, offset: int | None) -> tuple[int, int | None]:
    header = request.headers.get("Content-Range")
    if header:
        match = CONTENT_RANGE.fullmatch(header.strip())
        if not match:
            raise ValidationError({"content_range": _("Content-Range harus berbentuk 'bytes AWAL-AKHIR/TOTAL'.")})
        start, end, total = map(int, match.groups())
        if end < start or end - start + 1 != len(request.body):
            raise ValidationError({"content_range": _("Content-Range tidak sesuai dengan panjang bagian yang dikirim.")})
        return start, total
    if offset is None:
        raise ValidationError({"offset": _("Sebutkan posisi bagian: header Content-Range atau parameter offset.")})
    return offset, None


@router.put("/field/photos/{photo_id}", response={200: PhotoStateOut, 409: OutOfOrderOut}, tags=["field"],
            summary="One part of a declared photo (raw bytes, at most limits.chunk_bytes) at Content-Range "
                    "`bytes START-END/TOTAL` (or ?offset=START); a part not starting at `received` answers 409",
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
def put_photo_part(request, photo_id: UUID, offset: int | None = Query(None, ge=0, le=2**31)):
    if not getattr(request.auth, "is_authenticated", False):
        raise PermissionDenied
    start, total = _range(request, offset)
    try:
        photo = photo_services.receive_part(request.auth, photo_id, start, total, request.body)
    except photo_services.OutOfOrder as exc:
        return Status(409, {"detail": _("Bagian ini tidak dimulai pada bita yang sudah diterima; lanjutkan dari %(r)d.")
                     % {"r": exc.photo.received}, **photo_services.status(exc.photo)})
    return photo_services.status(photo)


@router.get("/field/photos/{photo_id}", response=PhotoStateOut, tags=["field"],
            summary="How much of a declared photo has arrived (where to resume)")
def get_photo(request, photo_id: UUID):
    return photo_services.status(selectors.own_photo(request.auth, photo_id))

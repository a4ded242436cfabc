"""Training API: attendance. The marks of a session (read and set, all or nothing) and
the TKS's self check-in. Same services and selectors as the pages."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from ninja import Schema
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import Field

from sukarela.core.schema_types import Id, Text
from sukarela.training import permissions, selectors
from sukarela.training.api import router
from sukarela.training.models import Attendance, Mark, ParticipantStatus
from sukarela.training.services import attendance as service


class MarkOut(Schema):
    participant: int
    username: str
    name: str
    status: str
    mark: str | None
    source: str | None


class MarkIn(Schema):
    participant: Id
    mark: Literal[tuple(Mark.values)]  # type: ignore[valid-type]


class MarksIn(Schema):
    marks: list[MarkIn] = Field(..., min_length=1, max_length=1000)


class CheckInIn(Schema):
    code: Text = Field(..., min_length=1, max_length=20)


class CheckInOut(Schema):
    session: int
    cohort: str
    module: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    mark: str
    source: str


def _session(request, session_id: int):
    session = selectors.session_for(request.auth, session_id)
    if not permissions.may_record(request.auth, session.cohort):
        raise PermissionDenied("Only the cohort's officers and trainers")
    return session


def _marks(session) -> list[dict]:
    """Every active participant (unmarked ones with mark null), and anyone else who has a mark."""
    rows = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    people = session.cohort.participants.select_related("volunteer").filter(
        Q(pk__in=list(rows)) | Q(status=ParticipantStatus.ACTIVE))
    out = []
    for p in people:
        row = rows.get(p.pk)
        out.append({"participant": p.pk, "username": p.volunteer.username, "name": p.volunteer.full_name,
                    "status": p.status, "mark": row.mark if row else None, "source": row.source if row else None})
    return out


@router.get("/training/sessions/{session_id}/attendance", response=list[MarkOut],
            summary="The marks of a session (the cohort's officers and trainers)")
def session_marks(request, session_id: int):
    return _marks(_session(request, session_id))


@router.post("/training/sessions/{session_id}/attendance", response=list[MarkOut],
             summary="Set marks of a session, all or nothing")
def set_session_marks(request, session_id: int, payload: MarksIn):
    session = _session(request, session_id)
    try:
        service.mark_many(request.auth, session, [(m.participant, m.mark) for m in payload.marks])
    except DjangoValidationError as exc:
        items = getattr(exc, "error_dict", {}).get("marks")
        if not items:
            raise
        # Name the item and its field, as a schema error would.
        raise SchemaValidationError([{"loc": ["body", "marks", e.params["index"], e.params["field"]],
                                      "msg": e.message, "type": "value_error"} for e in items]) from None
    return _marks(session)


@router.post("/training/check-in", response=CheckInOut, summary="A TKS checks in with the session's code")
def check_in(request, payload: CheckInIn):
    row = service.check_in(request.auth, payload.code)
    s = row.session
    return {"session": s.pk, "cohort": s.cohort.name, "module": f"{s.module.code} {s.module.title}", "date": s.date,
            "starts_at": s.starts_at, "ends_at": s.ends_at, "mark": row.mark, "source": row.source}

"""The mentoring API: the field app's sync operations (field.py, under /api/field/; records.py for
indicators outside a visit and follow-ups done) and the supervisors' review (review.py); one
router, each module adds its operations to it."""

from ninja import Router

router = Router()

from sukarela.mentoring.api import field, records, review  # noqa: E402  (they register on router)

__all__ = ["router", "field", "records", "review"]

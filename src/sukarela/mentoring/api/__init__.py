"""The mentoring API: the field app's sync operations (field.py, under /api/field/) and the
supervisors' review (review.py); one router, each module adds its operations to it."""

from ninja import Router

router = Router()

from sukarela.mentoring.api import field, review  # noqa: E402  (they register on router)

__all__ = ["router", "field", "review"]

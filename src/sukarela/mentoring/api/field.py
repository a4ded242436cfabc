"""The field app's sync operations (H1 fills this in)."""

from sukarela.mentoring.api import router  # noqa: F401

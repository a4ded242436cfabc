"""The supervisors' review operations (H3 fills this in)."""

from sukarela.mentoring.api import router  # noqa: F401

"""Training API: cohorts."""

from sukarela.training.api import router  # noqa: F401

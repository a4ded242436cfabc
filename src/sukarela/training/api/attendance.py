"""Training API: attendance."""

from sukarela.training.api import router  # noqa: F401

"""Training API: certificates."""

from sukarela.training.api import router  # noqa: F401

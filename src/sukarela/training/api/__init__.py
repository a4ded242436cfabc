"""The training API: one router; each module below adds its operations to it."""

from ninja import Router

router = Router(tags=["training"])

from sukarela.training.api import attendance, catalogue, certificates, cohorts  # noqa: E402  (they register on router)

__all__ = ["router", "attendance", "catalogue", "certificates", "cohorts"]

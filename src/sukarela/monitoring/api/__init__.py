"""The monitoring API: indicator definitions and figures (figures.py), budgets (budget.py), monthly
reports (reports.py) and the public open data (open_data.py); one router, each module adds its
operations to it."""

from ninja import Router

router = Router()

from sukarela.monitoring.api import budget, figures, open_data, reports  # noqa: E402  (they register on router)

__all__ = ["router", "figures", "budget", "reports", "open_data"]

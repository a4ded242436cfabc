"""Agreements that need attention: those still marked "berlaku" that end within the warning window
(settings.SUKARELA_AGREEMENT_WARN_DAYS, both ends included: ending today or on the window's last
day counts) or have already ended. Drafts and agreements marked ended or terminated are not
flagged: nobody has to renew them."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from sukarela.partners.models import Agreement, AgreementStatus, Partner
from sukarela.partners.selectors import editable_q, visible_q


def warn_days() -> int:
    return int(getattr(settings, "SUKARELA_AGREEMENT_WARN_DAYS", 90))


def expiring_q(today: dt.date, days: int | None = None, prefix: str = "") -> Q:
    days = warn_days() if days is None else days
    return Q(**{f"{prefix}status": AgreementStatus.ACTIVE, f"{prefix}ends_on__isnull": False,
                f"{prefix}ends_on__lte": today + dt.timedelta(days=days)})


def expiring_all(today: dt.date, days: int | None = None):
    """Every flagged agreement in the country (the scheduled command), soonest first."""
    return (Agreement.objects.filter(expiring_q(today, days)).select_related("partner", "partner__region")
            .order_by("ends_on", "partner__name", "id"))


def expiring(user, today: dt.date, days: int | None = None):
    """The flagged agreements of the partners `user` sees, soonest (or most overdue) first; each
    with `days_left` (negative: ended that many days ago) and `may_edit`."""
    partners = Partner.objects.filter(visible_q(user))
    rows = list(expiring_all(today, days).filter(partner__in=partners.values("pk"))
                .annotate(may_edit=Exists(Partner.objects.filter(editable_q(user), pk=OuterRef("partner_id")))))
    for a in rows:
        a.days_left = (a.ends_on - today).days
        a.days_overdue = max(0, -a.days_left)
    return rows


def expiring_exists(today: dt.date, days: int | None = None):
    """An Exists for annotating partners with a flagged agreement (the list's badge)."""
    return Exists(Agreement.objects.filter(expiring_q(today, days), partner_id=OuterRef("pk")))

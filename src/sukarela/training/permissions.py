"""Who may write what in training; services check here before they change anything.

Officers act inside their region (a cohort's region, a venue's region); curricula are
programme-wide and national. Trainers record attendance and scores for the cohorts they
teach, and nothing else.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sukarela.core.permissions import is_officer, require_in_scope, require_national
from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.training.models import Cohort, taught_by

__all__ = ["is_officer", "require_in_scope", "require_national", "manages", "teaches", "may_record",
           "require_manager", "require_recorder"]


def manages(user, cohort) -> bool:
    return is_officer(user) and in_scope(user, cohort.region_id)


def teaches(user, cohort) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.TRAINER):
        return False
    return Cohort.objects.filter(taught_by(user, "pk"), pk=cohort.pk).exists()


def may_record(user, cohort) -> bool:
    """Attendance and scores: the cohort's officers and its trainers."""
    return manages(user, cohort) or teaches(user, cohort)


def require_manager(actor, cohort) -> None:
    require_in_scope(actor, cohort.region_id)


def require_recorder(actor, cohort) -> None:
    if not may_record(actor, cohort):
        raise PermissionDenied(_("Hanya petugas wilayah ini atau pelatih angkatan ini yang dapat mencatat."))

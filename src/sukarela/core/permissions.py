"""Who may write: the checks every app's services make before they change anything."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sukarela.core.roles import Role
from sukarela.core.scope import in_scope


def is_officer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_officer)


def require_officer(actor) -> None:
    if not is_officer(actor):
        raise PermissionDenied(_("Hanya petugas yang dapat melakukan ini."))


def require_national(actor) -> None:
    """Programme-wide settings (campaigns, curricula, selection) are national decisions."""
    if not is_officer(actor) or actor.role != Role.NATIONAL:
        raise PermissionDenied(_("Hanya petugas nasional yang dapat melakukan ini."))


def require_in_scope(actor, region_code: str | None) -> None:
    require_officer(actor)
    if not in_scope(actor, region_code):
        raise PermissionDenied(_("Wilayah ini di luar wilayah kerja Anda."))


def api_officer(request):
    """The API caller, when an officer; PermissionDenied (403) otherwise."""
    if not is_officer(request.auth):
        raise PermissionDenied("Officers only")
    return request.auth

"""Who may do what in recruitment; every service checks here before it writes."""

from sukarela.core.permissions import is_officer, require_in_scope, require_national, require_officer
from sukarela.core.roles import Role

__all__ = ["is_officer", "require_in_scope", "require_national", "require_officer", "sees_contact_data"]


def sees_contact_data(user) -> bool:
    """Provincial and district officers verify documents and call applicants, so their
    exports carry NIK and contacts in full; national officers need counts and names only."""
    return is_officer(user) and user.role in (Role.PROVINCIAL, Role.DISTRICT)

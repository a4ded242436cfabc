"""Who may do what in recruitment; every service checks here before it writes. Who sees personal
data in full in a download is decided once for every list: core.pii.show_personal."""

from sukarela.core.permissions import is_officer, require_in_scope, require_national, require_officer

__all__ = ["is_officer", "require_in_scope", "require_national", "require_officer"]

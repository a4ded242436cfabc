"""Who may write what in groups: the officers whose region holds the group's village
(core.permissions); a group chair only reads their own group (the models' `owned_by`)."""

from sukarela.core.permissions import is_officer, require_in_scope
from sukarela.core.scope import in_scope

__all__ = ["is_officer", "require_in_scope", "manages", "require_manager"]


def manages(user, group) -> bool:
    """Officers of the group's region: they edit it and see its bank account in full."""
    return is_officer(user) and in_scope(user, group.village_id)


def require_manager(actor, group) -> None:
    require_in_scope(actor, group.village_id)

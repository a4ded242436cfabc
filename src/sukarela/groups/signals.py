"""Signals other apps listen to, so groups need not import them (they depend on groups)."""

from django.dispatch import Signal

# Sent by services.groups.change_status inside its transaction, after a group stopped or graduated
# to TKM Lanjutan: sender=Group, group=<the Group, new status saved>, on=<the date of the change>.
# The assignments app ends the group's current mentoring posting on it; a receiver that raises
# undoes the status change.
group_closed = Signal()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "sukarela.assignments"
    label = "assignments"
    verbose_name = _("Penugasan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sukarela.groups.signals import group_closed

        group_closed.connect(_end_postings, dispatch_uid="assignments.end_postings")


def _end_postings(sender, group, on, actor=None, **kwargs):
    """A group that stopped or moved up to TKM Lanjutan no longer has its mentor's posting."""
    from sukarela.assignments.services.publishing import end_postings_of

    end_postings_of(group, on, actor)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "sukarela.alumni"
    label = "alumni"
    verbose_name = _("Alumni")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sukarela.assignments.signals import posting_ended

        posting_ended.connect(_record_alumni, dispatch_uid="alumni.record_alumni")


def _record_alumni(sender, mentors, on, actor=None, **kwargs):
    """A TKS whose last open posting ended becomes an alumnus (in the same transaction)."""
    from sukarela.alumni.services.records import on_postings_ended

    on_postings_ended(actor, mentors, on)

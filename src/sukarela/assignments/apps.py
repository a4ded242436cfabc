from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "sukarela.assignments"
    label = "assignments"
    verbose_name = _("Penugasan")
    default_auto_field = "django.db.models.BigAutoField"

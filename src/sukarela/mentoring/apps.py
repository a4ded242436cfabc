from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "sukarela.mentoring"
    label = "mentoring"
    verbose_name = _("Pendampingan")
    default_auto_field = "django.db.models.BigAutoField"

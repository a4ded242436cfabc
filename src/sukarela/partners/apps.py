from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sukarela.partners"
    label = "partners"
    verbose_name = _("Mitra & BLK")
    default_auto_field = "django.db.models.BigAutoField"

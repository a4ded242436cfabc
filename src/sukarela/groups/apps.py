from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "sukarela.groups"
    label = "groups"
    verbose_name = _("Kelompok TKM")
    default_auto_field = "django.db.models.BigAutoField"

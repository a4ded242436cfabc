from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sukarela.training"
    label = "training"
    verbose_name = _("Pelatihan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sukarela.core.signals import account_erased
        from sukarela.training.services.certificates import erase_holder

        account_erased.connect(erase_holder, dispatch_uid="training.erase_holder")

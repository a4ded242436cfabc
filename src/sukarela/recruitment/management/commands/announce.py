from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from sukarela.recruitment.management.commands._common import actor, add_actor_argument, campaign, explain
from sukarela.recruitment.services.notices import announce


class Command(BaseCommand):
    help = "Send every decided applicant their result and make TKS accounts for the selected."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        try:
            counts = announce(actor(o["actor"]), campaign(o["campaign"]))
        except (ValidationError, PermissionDenied) as exc:
            raise explain(exc) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))

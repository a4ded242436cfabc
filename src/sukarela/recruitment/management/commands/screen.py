from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand

from sukarela.recruitment.management.commands._common import actor, add_actor_argument, campaign, explain
from sukarela.recruitment.services.screening import rule_label, screen


class Command(BaseCommand):
    help = "Check every application of a campaign against its eligibility rules."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        c = campaign(o["campaign"])
        try:
            counts = screen(actor(o["actor"]), c)
        except PermissionDenied as exc:
            raise explain(exc) from None
        self.stdout.write(f"eligible: {counts.pop('eligible')}")
        for code, n in counts.items():
            self.stdout.write(f"failed {code} ({rule_label(code, c)}): {n}")

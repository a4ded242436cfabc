from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from sukarela.recruitment.management.commands._common import actor, add_actor_argument, campaign, explain


class Command(BaseCommand):
    help = "Split a campaign's target seats over its regions by weight."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("--method", default="hamilton", choices=["hamilton", "webster", "dhondt"])
        parser.add_argument("--minimum", type=int, default=0, help="seats every region gets at least")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        from sukarela.recruitment.services.quotas import apportion_quotas

        try:
            seats = apportion_quotas(actor(o["actor"]), campaign(o["campaign"]), o["method"], o["minimum"])
        except (ValidationError, PermissionDenied) as exc:
            raise explain(exc) from None
        for code, n in seats.items():
            self.stdout.write(f"{code}\t{n}")

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from sukarela.core.progress import ProgressPrinter
from sukarela.recruitment.management.commands._common import actor, add_actor_argument, campaign, explain
from sukarela.recruitment.services import selection


class Command(BaseCommand):
    help = "Rank and select a campaign's applicants within each region's quota, with a waitlist per region."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("--dry-run", action="store_true", help="show the outcome, write nothing")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        printer = ProgressPrinter(self.stdout, "selection")
        try:
            result = selection.run(actor(o["actor"]), campaign(o["campaign"]), dry_run=o["dry_run"], progress=printer)
        except (PermissionDenied, ValidationError) as exc:
            raise explain(exc) from None
        printer.finish()
        self.stdout.write(f"{'region':<14}{'quota':>8}{'applicants':>12}{'eligible':>10}{'selected':>10}"
                          f"{'waitlisted':>12}")
        for r in result.rows:
            self.stdout.write(f"{r.region:<14}{r.quota:>8}{r.applicants:>12}{r.eligible:>10}{r.selected:>10}"
                              f"{r.waitlisted:>12}")
        self.stdout.write(f"{'dry run: ' if result.dry_run else ''}selected {result.selected}, "
                          f"waitlisted {result.waitlisted}")

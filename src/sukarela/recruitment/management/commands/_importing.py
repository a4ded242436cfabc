"""The shared body of import-applications and import-scores."""

import io
import shutil
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from sukarela.core.progress import ProgressPrinter
from sukarela.engines.tabular import unguarded, write_xlsx
from sukarela.recruitment.management.commands._common import actor, add_actor_argument, campaign, explain
from sukarela.recruitment.models import ImportState
from sukarela.recruitment.services import imports
from sukarela.recruitment.services.imports import REPORT_HEADERS


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("file")
        parser.add_argument("--mode", default="valid", choices=["all", "valid"],
                            help="all: nothing is stored when any row is wrong; valid: store the valid rows")
        parser.add_argument("--report", metavar="FILE", help="write the rejected rows here (.csv or .xlsx)")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as f:
            upload = File(f, name=path.name)
            try:
                job = imports.start(actor(o["actor"]), campaign(o["campaign"]), self.kind, o["mode"], upload,
                                    max_bytes=None)
            except (ValidationError, PermissionDenied) as exc:
                raise explain(exc) from None
        printer = ProgressPrinter(self.stdout, path.name)
        job = imports.run(job.pk, progress=printer)
        printer.finish()
        if o["report"] and job.report:
            self._report(job, Path(o["report"]))
        self.stdout.write(f"{job.get_state_display()}: {job.message}")
        if job.state == ImportState.FAILED:
            raise CommandError(job.message)
        if job.state == ImportState.REJECTED:
            raise CommandError(job.message, returncode=2)

    def _report(self, job, target: Path) -> None:
        if target.suffix.lower() == ".xlsx":
            import polars as pl

            with job.report.open("rb") as f:
                frame = pl.read_csv(f.read(), infer_schema=False)
            buffer = io.BytesIO()
            write_xlsx(buffer, REPORT_HEADERS, (tuple(map(unguarded, r)) for r in frame.iter_rows()),
                       title="Kesalahan")
            target.write_bytes(buffer.getvalue())
        else:
            with job.report.open("rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        self.stdout.write(f"report: {target}")

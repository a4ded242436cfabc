"""Compile the project's .po catalogues to .mo with polib.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine
with only Python does not have; set-up runs this instead. Compiled files are
build output and stay out of git.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogues(force: bool = False) -> list[Path]:
    written = []
    for base in settings.LOCALE_PATHS:
        for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) without GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        for path in compile_catalogues(force):
            self.stdout.write(f"compiled {path}")

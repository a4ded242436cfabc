"""Serve Sukarela with granian (a production WSGI server); WhiteNoise serves static files.
Beside it runs `sukarela scheduler` (monitoring refresh and monthly reports), started as a child
before this process becomes granian, so it watches granian's pid and ends with it."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app with granian (not runserver). Compiles translations and collects static files first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("SUKARELA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("SUKARELA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("SUKARELA_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SUKARELA_THREADS", "4")))
        parser.add_argument("--no-scheduler", action="store_true",
                            help="do not start the scheduler (monitoring refresh, monthly reports) beside the server")

    def handle(self, *args, host, port, workers, threads, no_scheduler=False, **options):
        call_command("compiletranslations", verbosity=0)  # only stale catalogues are rebuilt
        # Always: after an upgrade the collected copies are stale (unchanged files are skipped quickly).
        call_command("collectstatic", interactive=False, verbosity=0)
        # Workers must find the same data folder whatever their working directory.
        os.environ["SUKARELA_DATA_DIR"] = str(settings.DATA_DIR)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sukarela.settings")
        self.stdout.write(f"Sukarela on http://{host}:{port}/ (granian, {workers} workers × {threads} threads)")
        if not no_scheduler:
            # exec keeps this pid, so the scheduler's --parent is granian itself.
            scheduler = subprocess.Popen([sys.executable, "-m", "sukarela", "scheduler", "--parent", str(os.getpid())],
                                         stdin=subprocess.DEVNULL, close_fds=True)
            self.stdout.write(f"Scheduler started (pid {scheduler.pid}); --no-scheduler to run without it")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws", "sukarela.wsgi:application",
        ]
        os.execv(sys.executable, argv)

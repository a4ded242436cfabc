"""Build (or bring up to date) the demo programme on the configured database, then serve it."""

import importlib
import os
from random import Random

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sukarela.core.demo import DEMO_REGENCIES, DemoContext

DEMO_PASSWORD = os.environ.get("SUKARELA_DEMO_PASSWORD", "sukarela-demo")


class Command(BaseCommand):
    help = "Create or upgrade the demo database (regions + a synthetic programme) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Build the demo database and exit")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--small", action="store_true",
                            help="Load only the demo's own regencies instead of all 91,599 regions (quicker)")

    def handle(self, *args, no_serve, host, port, small, **options):
        self.stdout.write("1/5 database schema")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("2/5 translations and static files")
        call_command("compiletranslations", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("3/5 regions")
        args = ["--within", *DEMO_REGENCIES] if small else []
        call_command("loadregions", *args, stdout=self.stdout)
        call_command("loadpoints", *args, stdout=self.stdout)
        self.stdout.write("4/5 synthetic programme")
        ctx = DemoContext(rng=Random(2021), password=DEMO_PASSWORD, out=self.stdout)
        for config in apps.get_app_configs():
            if config.name.startswith("sukarela."):
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.build(ctx)
        self.stdout.write("5/5 ready. Demo logins (password: %s):" % DEMO_PASSWORD)
        for username, role, region in ctx.logins:
            self.stdout.write(f"  {username:<16} {role} · {region}")
        if not no_serve:
            call_command("serve", host=host, port=port)

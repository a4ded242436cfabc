"""Create the first national officer of a new installation (audited, unlike Django's createsuperuser)."""

import getpass
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from sukarela.core import services


class Command(BaseCommand):
    help = "Create the first national officer. Password from SUKARELA_PASSWORD or asked for."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, full_name, email, **options):
        password = os.environ.get("SUKARELA_PASSWORD") or getpass.getpass("Kata sandi / password: ")
        try:
            user = services.create_first_national_officer(username, password, full_name=full_name, email=email)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages)
            ) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"national officer {user.username} created")

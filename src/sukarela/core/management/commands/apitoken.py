from django.core.management.base import BaseCommand, CommandError

from sukarela.core import services
from sukarela.core.models import User


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username.lower()).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        _token, secret = services.create_api_token(None, user, name)
        self.stdout.write(secret)

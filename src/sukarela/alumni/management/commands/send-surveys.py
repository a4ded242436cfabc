"""`sukarela send-surveys [--today D] [--dry-run] [--as USERNAME]`: the daily job (cron or a
systemd timer) that creates the tracer surveys now due and mails their private links."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sukarela.alumni.services.surveys import send_due
from sukarela.core.models import User


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Create the alumni tracer surveys due (6 and 12 months after the posting) and e-mail their links."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="the day to act as (YYYY-MM-DD); default: today")
        parser.add_argument("--dry-run", action="store_true", help="report what would be created and sent; write nothing")
        parser.add_argument("--as", dest="actor", metavar="USERNAME",
                            help="the user the audit trail names (default: system)")

    def handle(self, *args, **o):
        actor = None
        if o["actor"]:
            actor = User.objects.filter(username=o["actor"].lower(), is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {o['actor']!r}")
        today = _date(o["today"]) if o["today"] else None
        run = send_due(actor, today, dry_run=o["dry_run"])
        prefix = "dry run: would create" if o["dry_run"] else "created"
        verb = "would send" if o["dry_run"] else "sent"
        self.stdout.write(f"{prefix} {len(run.created)}, {verb} {len(run.sent)}, "
                          f"without e-mail {len(run.no_email)}, mail failed {len(run.failed)}")
        for pk, wave in run.no_email:
            self.stdout.write(f"  no e-mail address: alumni record {pk}, {wave}-month survey")
        for pk, wave in run.failed:
            self.stdout.write(f"  mail failed (tried again next run): alumni record {pk}, {wave}-month survey")

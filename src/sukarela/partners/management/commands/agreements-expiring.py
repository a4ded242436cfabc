"""`sukarela agreements-expiring [--days N] [--region CODE]`: the agreements still marked "berlaku"
that end within N days (default settings.SUKARELA_AGREEMENT_WARN_DAYS) or have already ended, one
per line, soonest first; meant for a daily schedule (cron, a systemd timer) whose output is mailed.
Exit status 0 either way; nothing is printed when nothing is flagged, so a quiet day sends no mail."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sukarela.partners.selectors.agreements import expiring_all, warn_days
from sukarela.regions.models import subtree_q


class Command(BaseCommand):
    help = "List partner agreements (MoU/PKS) marked berlaku that end soon or have ended."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="the warning window in days (default: SUKARELA_AGREEMENT_WARN_DAYS)")
        parser.add_argument("--region", default="", help="only partners whose home region lies in this code")

    def handle(self, *args, days=None, region="", **options):
        if days is not None and not 0 <= days <= 3650:
            raise CommandError("--days must be between 0 and 3650")
        today = timezone.localdate()
        rows = expiring_all(today, days)
        if region:
            rows = rows.filter(subtree_q("partner__region__code", region.strip()))
        n = 0
        for a in rows:
            left = (a.ends_on - today).days
            when = f"ended {-left} days ago" if left < 0 else "ends today" if left == 0 else f"ends in {left} days"
            where = a.partner.region_id or a.partner.reach
            self.stdout.write(f"{a.ends_on.isoformat()}\t{when}\t{a.partner.name} ({where})\t"
                              f"{a.get_kind_display()} {a.number}\tpartner #{a.partner_id}")
            n += 1
        if n:
            self.stderr.write(f"{n} agreement(s) flagged; window {warn_days() if days is None else days} days")

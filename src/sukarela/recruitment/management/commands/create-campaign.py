from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from sukarela.recruitment.management.commands._common import actor, add_actor_argument, explain
from sukarela.recruitment.services import campaigns
from sukarela.regions.models import Region


class Command(BaseCommand):
    help = "Create a recruitment campaign with its quota regions; prints the new campaign's id."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--year", type=int, default=date.today().year)
        parser.add_argument("--seats", type=int, required=True, help="target seats (TKS)")
        parser.add_argument("--opens", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--closes", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--provinces", action="store_true", help="all 38 provinces, weight 1")
        where.add_argument("--regencies", action="store_true", help="all regencies/cities, weight 1")
        where.add_argument("--weights", metavar="FILE", help="CSV/XLSX with 'Kode Wilayah' and 'Bobot'")
        parser.add_argument("--min-age", type=int, default=20)
        parser.add_argument("--max-age", type=int, default=35)
        parser.add_argument("--min-education", default="D3")
        parser.add_argument("--test-weight", default="60")
        parser.add_argument("--interview-weight", default="40")
        parser.add_argument("--no-admin-check", action="store_true")
        parser.add_argument("--household-cap", type=int, default=2, help="selectees per family card; 0: no cap")
        parser.add_argument("--overflow", default="none", choices=["none", "province", "national"])
        parser.add_argument("--published", action="store_true")
        add_actor_argument(parser)

    def handle(self, *args, **o):
        if o["weights"]:
            try:
                regions = campaigns.weights_from_file(o["weights"])
            except ValidationError as exc:
                raise explain(exc) from None
        else:
            level = 1 if o["provinces"] else 2
            regions = [(c, 1) for c in Region.objects.filter(level=level, active=True).values_list("code", flat=True)]
        if not regions:  # create_campaign would make a campaign without regions
            raise CommandError("regions: none given (an empty weights file, or no regions loaded yet: "
                               "run `sukarela loadregions`)")
        try:
            campaign = campaigns.create_campaign(
                actor(o["actor"]), regions=regions, name=o["name"], year=o["year"], target_seats=o["seats"],
                opens_on=o["opens"], closes_on=o["closes"], min_age=o["min_age"], max_age=o["max_age"],
                min_education=o["min_education"], test_weight=o["test_weight"],
                interview_weight=o["interview_weight"], use_admin_check=not o["no_admin_check"],
                household_cap=o["household_cap"] or None, overflow=o["overflow"], published=o["published"])
        except (ValidationError, PermissionDenied) as exc:
            raise explain(exc) from None
        self.stdout.write(str(campaign.pk))

"""Training venues (BLK and other rooms), kept by the officers of their region."""

from django.db import transaction

from sukarela.core import audit
from sukarela.training.models import Venue
from sukarela.training.permissions import require_in_scope
from sukarela.training.services.common import assign, fields_of, save_audited

VENUE_FIELDS = ("name", "kind", "region", "address", "capacity")


@transaction.atomic
def create_venue(actor, **data) -> Venue:
    venue = Venue()
    assign(venue, data, VENUE_FIELDS)
    require_in_scope(actor, venue.region_id)
    save_audited(actor, venue, action="create")
    return venue


@transaction.atomic
def update_venue(actor, venue: Venue, **data) -> Venue:
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    require_in_scope(actor, venue.region_id)
    before = audit.snapshot(venue, fields_of(venue))
    assign(venue, data, VENUE_FIELDS)
    require_in_scope(actor, venue.region_id)
    save_audited(actor, venue, action="update", before=before)
    return venue

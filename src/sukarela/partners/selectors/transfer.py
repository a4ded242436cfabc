"""The partner export: the import's columns (so a corrected export can be imported elsewhere) plus
the partner's id and its soonest flagged agreement; one row per partner, several contacts joined
by "; ". Phone and e-mail are masked unless the officer asked for personal data (core.pii.show_personal:
`personal`) AND may edit that partner: the stricter of the app-wide rule and this app's own (contacts in
full only for the office that keeps the partner)."""

import datetime as dt

from sukarela.core.pii import mask
from sukarela.partners.selectors.listing import Filters, export_rows
from sukarela.partners.services.imports import COLUMNS


def export_table(user, filters: Filters, today: dt.date, personal: bool = False) -> tuple[list[str], list[list]]:
    headers = ["ID", *(c.header for c in COLUMNS if c.key != "allow_duplicate"), "Perjanjian Segera Berakhir"]
    rows = []
    for p in export_rows(user, filters, today):
        contacts = list(p.contacts.all())
        full = personal and p.may_edit

        def joined(values):
            return "; ".join(v for v in values if v)

        rows.append([
            p.pk, p.name, p.kind_id, p.reach, p.region_id or "",
            ", ".join(sorted(r.code for r in p.regions_served.all())), "; ".join(o.code for o in p.offers.all()),
            p.address, p.website, p.notes, "ya" if p.active else "tidak",
            joined(c.full_name for c in contacts), joined(c.position for c in contacts),
            joined(c.phone if full else mask("PHONE", c.phone) for c in contacts),
            joined(c.email if full else mask("EMAIL", c.email) for c in contacts),
            "ya" if p.expiring_soon else "",
        ])
    return headers, rows

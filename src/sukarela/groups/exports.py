"""The columns of the groups lists' downloads (core.exporting): groups, a group's members, sectors."""

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

GROUP_COLUMNS = [
    Column(_("ID"), "pk"), Column(_("Kelompok"), "name"), Column(_("Tingkat"), "get_tier_display"),
    Column(_("Sektor"), "sector.name"), Column(_("Kode desa"), "village_id"),
    Column(_("Desa/kelurahan"), "village.name"),
    Column(_("Alamat"), "address", "ADDRESS"), Column(_("Anggota aktif"), "n_members"),
    Column(_("Status"), "get_status_display"), Column(_("Terdaftar"), "registered_on"),
    Column(_("Berhenti"), "stopped_on"), Column(_("Bantuan (Rp)"), "aid_amount"),
    Column(_("Bantuan diterima"), "aid_received_on"), Column(_("Bank"), "bank_name"),
    Column(_("Nomor rekening"), "bank_account", "BANK_ACCOUNT"),
]

MEMBER_COLUMNS = [
    Column(_("Nama"), "full_name"), Column(_("NIK"), "nik", "NIK"), Column(_("Jenis kelamin"), "sex"),
    Column(_("Tanggal lahir"), "birth_date", "BIRTH_DATE"), Column(_("Ketua"), "is_chair"),
    Column(_("Aktif"), "active"), Column(_("Bergabung"), "joined_on"), Column(_("Keluar"), "left_on"),
    Column(_("Menyatakan belum bekerja"), "unemployed_declared"),
]

SECTOR_COLUMNS = [Column(_("Urutan"), "order"), Column(_("Kode"), "code"), Column(_("Nama sektor"), "name")]

"""The columns of the core lists' downloads (core.exporting): users and the audit trail."""

import json

from django.utils.translation import gettext_lazy as _

from sukarela.core.exporting import Column

USER_COLUMNS = [
    Column(_("Nama pengguna"), "username"), Column(_("Nama"), "full_name"), Column(_("Peran"), "get_role_display"),
    Column(_("Kode wilayah"), "region_id"), Column(_("Wilayah"), "region.name"),
    Column(_("Nomor HP"), "phone", "PHONE"), Column(_("Email"), "email", "EMAIL"), Column(_("Aktif"), "is_active"),
    Column(_("Terdaftar"), "date_joined"),
]


# The trail stores personal values masked already (core.audit), so no column here is personal.
AUDIT_COLUMNS = [
    Column(_("Waktu"), "at"), Column(_("Pelaku"), "actor_label"), Column(_("Tindakan"), "action"),
    Column(_("Jenis objek"), "target_type"), Column(_("ID objek"), "target_id"), Column(_("Objek"), "target_label"),
    Column(_("Perubahan"), lambda e: json.dumps(e.changes, ensure_ascii=False, sort_keys=True, default=str)),
]

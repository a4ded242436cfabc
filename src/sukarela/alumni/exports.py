"""The columns of the alumni lists' downloads (core.exporting): alumni and survey response rates."""

from django.utils.translation import gettext_lazy as _

from sukarela.alumni.models import Employment
from sukarela.core.exporting import Column

_STATUS = dict(Employment.choices)

ALUMNI_COLUMNS = [
    Column(_("Nama"), "tks.full_name"), Column(_("Nama pengguna"), "tks.username"),
    Column(_("Kode wilayah"), "tks.region_id"), Column(_("Wilayah"), "tks.region.name"),
    Column(_("Nomor HP"), "tks.phone", "PHONE"), Column(_("Email"), "tks.email", "EMAIL"),
    Column(_("Angkatan"), "cohort.name"), Column(_("Penugasan berakhir"), "posting_ended_on"),
    Column(_("Status terakhir"), lambda r: str(_STATUS.get(r.latest_status, "")) if r.latest_status else ""),
    Column(_("Per tanggal"), "latest_as_of"),
]

# Rows are alumni.selectors.Rate, one per cohort, then the total (its cohort named "Jumlah").
RATE_COLUMNS = [
    Column(_("Angkatan"), lambda r: r.cohort or _("Tanpa angkatan")), Column(_("Dikirim"), "sent"),
    Column(_("Dijawab"), "answered"), Column(_("Tingkat tanggapan (%)"), "rate"),
]

"""The lifecycle stages of DESIGN.md section 3, in the order the programme runs them.

A stage whose app has not been built yet points at an honest 'not available yet'
page; when its issue lands, its `url_name` moves to the real page.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Stage:
    slug: str
    title: Promise
    summary: Promise
    url_name: str = "core:stage"

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=[self.slug]) if self.url_name == "core:stage" else reverse(self.url_name)


STAGES = (
    Stage("rekrutmen", _("Rekrutmen"), _("Kampanye dengan kuota per wilayah, lamaran, seleksi dan pemeringkatan."),
          "recruitment:campaign_list"),
    Stage("pelatihan", _("Pelatihan"), _("Angkatan pelatihan lima bulan: modul, kehadiran, penilaian, kelulusan."),
          "training:cohort_list"),
    Stage("kelompok", _("Kelompok TKM"), _("Kelompok usaha TKM: anggota, sektor, lokasi dan bantuan."),
          "groups:group_list"),
    Stage("penugasan", _("Penugasan"), _("Pencocokan TKS dengan kelompok TKM: kapasitas, jarak, sektor, wilayah."),
          "assignments:run_list"),
    Stage("pendampingan", _("Pendampingan"), _("Kunjungan dan kegiatan lapangan, indikator kelompok, luring."),
          "mentoring:review_list"),
    Stage("mitra", _("Mitra & BLK"), _("Lembaga mitra, BLK dan jejaring kemitraan kelompok."),
          "partners:partner_list"),
    Stage("alumni", _("Alumni"), _("Hasil setelah penugasan: pekerjaan, usaha dan inkubator."),
          "alumni:alumni_list"),
    Stage("pemantauan", _("Pemantauan"), _("Dasbor, peta, laporan XLSX/PDF dan data terbuka."),
          "monitoring:home"),
)
BY_SLUG = {s.slug: s for s in STAGES}

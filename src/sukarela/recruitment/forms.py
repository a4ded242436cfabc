"""Forms of the recruitment pages. They only shape input: every rule lives in the
services and engines, whose errors come back onto the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.recruitment.models import (EDUCATION_CHOICES, AdminStatus, DocumentKind, ImportKind, ImportMode,
                                         Method, Overflow)
from sukarela.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nama kampanye"), max_length=150)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    target_seats = forms.IntegerField(label=_("Target kursi (TKS)"), min_value=1, max_value=10_000_000)
    opens_on = forms.DateField(label=_("Pendaftaran dibuka"), widget=DATE)
    closes_on = forms.DateField(label=_("Pendaftaran ditutup"), widget=DATE)
    screening_closes_on = forms.DateField(
        label=_("Penyaringan ditutup"), widget=DATE, required=False,
        help_text=_("Pelamar dapat memperbaiki data sampai tanggal ini. Kosong: sama dengan tanggal tutup."))
    published = forms.BooleanField(label=_("Tampilkan di halaman pendaftaran publik"), required=False)
    min_age = forms.IntegerField(label=_("Usia minimum pada tanggal tutup"), min_value=15, max_value=80)
    max_age = forms.IntegerField(label=_("Usia maksimum pada tanggal tutup"), min_value=15, max_value=80)
    min_education = forms.ChoiceField(label=_("Pendidikan minimum"), choices=EDUCATION_CHOICES)
    use_admin_check = forms.BooleanField(label=_("Tahap verifikasi administrasi"), required=False)
    test_weight = forms.DecimalField(label=_("Bobot nilai tes (0 = tanpa tes)"), min_value=0, max_digits=5,
                                     decimal_places=2)
    test_pass_mark = forms.DecimalField(label=_("Nilai lulus tes"), required=False, min_value=0, max_value=100)
    interview_weight = forms.DecimalField(label=_("Bobot nilai wawancara (0 = tanpa wawancara)"), min_value=0,
                                          max_digits=5, decimal_places=2)
    interview_pass_mark = forms.DecimalField(label=_("Nilai lulus wawancara"), required=False, min_value=0,
                                             max_value=100)
    household_cap = forms.IntegerField(label=_("Maksimum terpilih per KK"), required=False, min_value=1,
                                       help_text=_("Kosongkan bila tanpa batas."))
    overflow = forms.ChoiceField(label=_("Kursi yang tidak terisi di suatu wilayah"), choices=Overflow.choices)
    consent_purpose = forms.CharField(label=_("Tujuan pemrosesan data (ditampilkan ke pelamar)"),
                                      widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["screening_closes_on"] = data.get("screening_closes_on") or data.get("closes_on")
        return data


class RegionsForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Isi cepat"), required=False,
        choices=[("", _("— tidak —")), ("provinces", _("Semua 38 provinsi, bobot 1")),
                 ("regencies", _("Semua kabupaten/kota, bobot 1"))])
    weights = forms.CharField(
        label=_("Wilayah dan bobot"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Satu wilayah per baris: kode dan bobot, misalnya “32 1250” (bobot: jumlah kelompok "
                    "TKM yang perlu didampingi, jumlah penganggur, dan sebagainya)."))
    file = forms.FileField(label=_("atau unggah berkas bobot (CSV/XLSX: Kode Wilayah, Bobot)"), required=False)


class ApportionForm(forms.Form):
    method = forms.ChoiceField(label=_("Metode"), choices=Method.choices)
    minimum = forms.IntegerField(label=_("Kursi minimum per wilayah"), min_value=0, initial=0)


class QuotaForm(forms.Form):
    quota = forms.IntegerField(label=_("Kuota"), min_value=0, max_value=10_000_000)
    reason = forms.CharField(label=_("Alasan perubahan"), max_length=200)


class RuleForm(forms.Form):
    key = forms.SlugField(label=_("Kode"), max_length=40, help_text=_("Misalnya: tidak_bekerja"))
    statement = forms.CharField(label=_("Pernyataan"), max_length=200,
                                help_text=_("Misalnya: Saya tidak sedang bekerja"))
    required_answer = forms.TypedChoiceField(
        label=_("Syarat lolos"), choices=[("1", _("Pelamar menjawab ya")), ("0", _("Pelamar menjawab tidak"))],
        coerce=lambda v: v == "1")


class ApplicationForm(forms.Form):
    """Every field as text: the engine's rules (the same as the bulk import's) judge them."""

    nik = forms.CharField(label=_("NIK"), max_length=40, help_text=_("16 digit, sesuai KTP"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    birth_date = forms.CharField(label=_("Tanggal lahir"), max_length=20, widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—"), ("L", _("Laki-laki")), ("P", _("Perempuan"))])
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, help_text=_("Contoh: 0812 3456 7890"))
    email = forms.CharField(label=_("Email"), max_length=254, required=False,
                            help_text=_("Tautan status lamaran dikirim ke sini."))
    education_level = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=[("", "—"), *EDUCATION_CHOICES])
    education_field = forms.CharField(label=_("Jurusan"), max_length=100, required=False)
    domicile = RegionField(label=_("Domisili (desa/kelurahan)"), min_level=4, max_level=4)
    address = forms.CharField(label=_("Alamat"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    household_id = forms.CharField(label=_("Nomor KK"), max_length=40, required=False,
                                   help_text=_("Nomor Kartu Keluarga (16 digit)"))
    motivation = forms.CharField(label=_("Motivasi"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    experience = forms.CharField(label=_("Pengalaman"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    doc_ktp = forms.FileField(label=_("KTP (PDF/JPG/PNG, maks. 2 MB)"), required=False)
    doc_ijazah = forms.FileField(label=_("Ijazah (PDF/JPG/PNG, maks. 2 MB)"), required=False)
    doc_cv = forms.FileField(label=_("Daftar riwayat hidup (PDF/JPG/PNG, maks. 2 MB)"), required=False)
    consent = forms.BooleanField(label=_("Saya menyetujui pemrosesan data pribadi saya untuk tujuan di atas."),
                                 required=False)

    DOCS = (("doc_ktp", DocumentKind.KTP), ("doc_ijazah", DocumentKind.DIPLOMA), ("doc_cv", DocumentKind.CV))

    def __init__(self, *args, campaign, root="", correcting=None, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["domicile"] = RegionField(label=_("Domisili (desa/kelurahan)"), min_level=4, max_level=4,
                                              root=root)
        self.rules = list(campaign.declaration_rules.all())
        for rule in self.rules:
            self.fields[f"rule_{rule.key}"] = forms.TypedChoiceField(
                label=rule.statement, choices=[("", "—"), ("1", _("Ya")), ("0", _("Tidak"))], required=False,
                coerce=lambda v: v == "1", empty_value=None)
        if staff:
            self.fields["consent"].label = _("Pelamar telah menyetujui pemrosesan datanya secara tertulis.")
        if correcting is not None:
            del self.fields["consent"]
            self.initial.update({
                "nik": correcting.nik, "full_name": correcting.full_name,
                "birth_date": correcting.birth_date.isoformat() if correcting.birth_date else "",
                "sex": correcting.sex, "phone": correcting.phone, "email": correcting.email,
                "education_level": correcting.education_level, "education_field": correcting.education_field,
                "domicile": correcting.domicile_id, "address": correcting.address,
                "household_id": correcting.household_id, "motivation": correcting.motivation,
                "experience": correcting.experience,
                **{f"rule_{k}": ("1" if v else "0") for k, v in correcting.declarations.items()},
            })

    def raw(self) -> dict:
        """The row as the engine reads it: text cells keyed like the import columns."""
        data = self.cleaned_data
        raw = {key: str(data.get(key) or "") for key in (
            "nik", "full_name", "birth_date", "sex", "phone", "email", "education_level", "education_field",
            "address", "household_id", "motivation", "experience")}
        raw["domicile"] = data["domicile"].code if data.get("domicile") else ""
        raw["consent"] = "ya" if data.get("consent", True) else ""
        for rule in self.rules:
            answer = data.get(f"rule_{rule.key}")
            raw[rule.key] = "" if answer is None else ("ya" if answer else "tidak")
        return raw

    def documents(self) -> list:
        return [(kind, self.cleaned_data[name]) for name, kind in self.DOCS if self.cleaned_data.get(name)]


class RequestLinkForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Kampanye"), queryset=None, empty_label=None)
    nik = forms.CharField(label=_("NIK"), max_length=40)
    email = forms.EmailField(label=_("Email yang tercatat di lamaran"))

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class VerifyForm(forms.Form):
    admin_status = forms.ChoiceField(label=_("Hasil verifikasi administrasi"), choices=AdminStatus.choices)
    admin_note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    test_score = forms.CharField(label=_("Nilai tes (0–100)"), required=False, max_length=10)
    interview_score = forms.CharField(label=_("Nilai wawancara (0–100)"), required=False, max_length=10)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Isi berkas"), choices=ImportKind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.VALID,
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=200)

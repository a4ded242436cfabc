"""Forms of the group pages. They shape input only: the rules live in groups.rules and the
services, whose errors come back onto the fields (core.web.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.core.importing import MODE_CHOICES
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.core.scope import scoped
from sukarela.groups.models import GroupStatus, Member, Sector, Tier
from sukarela.groups.rules import parse_rupiah, rupiah_format_error
from sukarela.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEXES = [("L", _("Laki-laki")), ("P", _("Perempuan"))]
MEMBER_FIELDS = ("nik", "full_name", "sex", "birth_date", "unemployed_declared")


def chair_accounts(viewer, free_for=None):
    """Group-chair logins the officer may link to a chair: active, inside the officer's region; with
    `free_for`, only those not linked to the active chair of another group (for the choice lists)."""
    qs = scoped(viewer, User.objects.filter(role=Role.GROUP_CHAIR, is_active=True))
    if free_for is not None:
        taken = (Member.objects.filter(is_chair=True, active=True, chair_account__isnull=False)
                 .exclude(group=free_for).values("chair_account"))
        qs = qs.exclude(pk__in=taken)
    return qs.order_by("full_name")


class RupiahField(forms.CharField):
    """Whole rupiah as an officer types it (groups.rules.parse_rupiah): digits, thousands grouped by
    "." or a space, "Rp" in front; a decimal or scientific notation ("1e7") is refused here, an amount
    too large by the service."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 40})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)  # no max_length: its validator would see the Decimal

    def to_python(self, value):
        amount = parse_rupiah(super().to_python(value))
        if amount == "bad":
            raise forms.ValidationError(rupiah_format_error(), code="invalid")
        return amount


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Nama kelompok"), max_length=150)
    tier = forms.ChoiceField(label=_("Tingkat"), choices=Tier.choices, initial=Tier.PEMULA)
    sector = forms.ModelChoiceField(label=_("Sektor usaha"), queryset=Sector.objects.all())
    village = RegionField(label=_("Desa/kelurahan"), min_level=4, max_level=4)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Lintang (GPS)"), required=False, help_text=_("Misalnya -6,5971; boleh kosong."))
    lon = forms.FloatField(label=_("Bujur (GPS)"), required=False, help_text=_("Misalnya 106,8060; boleh kosong."))
    registered_on = forms.DateField(label=_("Tanggal terdaftar"), widget=DATE, required=False,
                                    help_text=_("Kosong: hari ini."))
    aid_amount = RupiahField(label=_("Bantuan (Rp)"), help_text=_("Misalnya 10.000.000."))
    aid_received_on = forms.DateField(label=_("Tanggal bantuan diterima"), widget=DATE, required=False)
    aid_tools = RupiahField(label=_("Rencana alat (Rp)"), help_text=_("60% dari bantuan."))
    aid_materials = RupiahField(label=_("Rencana bahan (Rp)"), help_text=_("40% dari bantuan."))
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account = forms.CharField(label=_("Nomor rekening"), max_length=30, required=False)

    def __init__(self, *args, root="", **kwargs):
        super().__init__(*args, **kwargs)
        # The picker starts at the officer's own region, so an outside village cannot be chosen.
        self.fields["village"] = RegionField(label=_("Desa/kelurahan"), min_level=4, max_level=4, root=root)

    def group_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("chair_")}
        data["bank_account"] = data.get("bank_account") or ""
        return data


class MemberForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=32, help_text=_("16 digit, sesuai KTP."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=SEXES)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE)
    unemployed_declared = forms.BooleanField(
        label=_("Menyatakan belum bekerja saat mendaftar"), required=False,
        help_text=_("Wajib: anggota TKM adalah penganggur saat mendaftar."))

    def member_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in MEMBER_FIELDS}


class AddMemberForm(MemberForm):
    joined_on = forms.DateField(label=_("Tanggal bergabung"), widget=DATE, required=False,
                                help_text=_("Kosong: hari ini. Umur 17–55 tahun dihitung pada tanggal ini."))

    def member_data(self) -> dict:
        return {**super().member_data(), "joined_on": self.cleaned_data["joined_on"]}


class GroupCreateForm(GroupForm):
    """The group and its chair in one form: an active group always has exactly one chair."""

    chair_nik = MemberForm.base_fields["nik"]
    chair_full_name = MemberForm.base_fields["full_name"]
    chair_sex = MemberForm.base_fields["sex"]
    chair_birth_date = MemberForm.base_fields["birth_date"]
    chair_unemployed_declared = MemberForm.base_fields["unemployed_declared"]
    chair_account = forms.ModelChoiceField(label=_("Akun masuk ketua (opsional)"), queryset=User.objects.none(),
                                           required=False)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MEMBER_FIELDS:
            self.fields[f"chair_{name}"].label = _("Ketua: %(f)s") % {"f": MemberForm.base_fields[name].label}
        if accounts is not None:
            self.fields["chair_account"].queryset = accounts

    def chair_data(self) -> dict:
        data = {name: self.cleaned_data[f"chair_{name}"] for name in MEMBER_FIELDS}
        if self.cleaned_data.get("chair_account"):
            data["chair_account"] = self.cleaned_data["chair_account"]
        return data

    @staticmethod
    def target_of(field: str) -> str:
        """The service names the chair's fields "chair.nik"; the form "chair_nik"."""
        return "chair_account" if field == "chair.chair_account" else field.replace("chair.", "chair_")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=[c for c in GroupStatus.choices if c[0] != "active"])
    on = forms.DateField(label=_("Sejak tanggal"), widget=DATE, required=False, help_text=_("Kosong: hari ini."))


class LeaveForm(forms.Form):
    on = forms.DateField(label=_("Tanggal keluar"), widget=DATE, required=False)


class ChairForm(forms.Form):
    chair_account = forms.ModelChoiceField(label=_("Akun masuk ketua (opsional)"), queryset=User.objects.none(),
                                           required=False)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair_account"].queryset = accounts


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama kelompok"), max_length=80, required=False)
    sector = forms.ModelChoiceField(label=_("Sektor"), queryset=Sector.objects.all(), required=False,
                                    empty_label=_("Semua"), to_field_name="code")
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Semua")), *GroupStatus.choices], required=False)
    tier = forms.ChoiceField(label=_("Tingkat"), choices=[("", _("Semua")), *Tier.choices], required=False)
    region = RegionField(label=_("Wilayah"), required=False)

    def __init__(self, *args, root="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(label=_("Wilayah"), required=False, root=root)

    def filters(self) -> dict:
        """The selector's filters; a value that does not clean (unknown code) filters nothing."""
        self.is_valid()
        c = self.cleaned_data
        sector, region = c.get("sector"), c.get("region")
        return {"q": c.get("q", ""), "sector": sector.code if sector else "", "status": c.get("status", ""),
                "tier": c.get("tier", ""), "region": region.code if region else ""}


class SectorForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=30,
                           help_text=_("Huruf kecil, angka dan tanda hubung, misalnya kerajinan-tangan. Tidak dapat "
                                       "diubah nanti: berkas impor boleh memakainya."))
    name = forms.CharField(label=_("Nama sektor"), max_length=100)
    order = forms.IntegerField(label=_("Urutan"), initial=100, help_text=_("Urutan dalam daftar pilihan; kecil "
                                                                            "di atas."))


class ImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Jika ada baris yang salah"), choices=MODE_CHOICES, initial="valid",
                             widget=forms.RadioSelect,
                             help_text=_("Dengan “simpan yang benar”, kelompok yang punya satu baris salah ditolak "
                                         "seluruhnya; kelompok lain tetap disimpan."))
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))

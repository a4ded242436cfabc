"""Forms of the review pages (the list's filters, the reviewer's decision), a follow-up marked done,
and a group's indicator snapshot recorded from its page."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.mentoring.models import Flag, ReviewStatus, Task, TksRole
from sukarela.mentoring.selectors.review import VisitFilters
from sukarela.mentoring.services.review import MAX_COMMENT


def _all(choices):
    return [("", _("Semua")), *choices]


class VisitFilterForm(forms.Form):
    """The list's filters. A regency's officer picks the TKS and the group from what their scope
    holds; wider scopes (a province, the country) search them by name, and take a TKS or group id
    only from a link (hidden). A value outside the scope simply finds nothing (the list is scoped)."""

    tks = forms.TypedChoiceField(label=_("TKS"), required=False, coerce=int, empty_value=None)
    tks_name = forms.CharField(label=_("Nama TKS"), required=False, max_length=100)
    group = forms.TypedChoiceField(label=_("Kelompok"), required=False, coerce=int, empty_value=None)
    group_name = forms.CharField(label=_("Nama kelompok"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    role = forms.ChoiceField(label=_("Peran"), choices=_all(TksRole.choices), required=False)
    task = forms.ChoiceField(label=_("Tugas"), choices=_all(Task.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_all(ReviewStatus.choices), required=False)
    flag = forms.ChoiceField(label=_("Tanda"), choices=_all(Flag.choices), required=False)
    overdue = forms.BooleanField(label=_("Ada tindak lanjut lewat tenggat"), required=False)

    def __init__(self, *args, tks_choices=None, group_choices=None, **kwargs):
        """`tks_choices`/`group_choices`: [(id, name)] to pick from, or None to search by name."""
        super().__init__(*args, **kwargs)
        for name, choices in (("tks", tks_choices), ("group", group_choices)):
            if choices is None:
                self.fields[name] = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                                       widget=forms.HiddenInput)
            else:
                self.fields[name].choices = _all(list(choices))
                del self.fields[f"{name}_name"]

    def filters(self) -> VisitFilters:
        """The selector's filters; a field that does not clean filters nothing (its error shows)."""
        self.is_valid()
        c = getattr(self, "cleaned_data", {})
        return VisitFilters(tks=c.get("tks"), group=c.get("group"), tks_name=(c.get("tks_name") or "").strip(),
                            group_name=(c.get("group_name") or "").strip(), date_from=c.get("date_from"),
                            date_to=c.get("date_to"), role=c.get("role") or "", task=c.get("task") or "",
                            status=c.get("status") or "", flag=c.get("flag") or "", overdue=bool(c.get("overdue")))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Komentar untuk TKS"), max_length=MAX_COMMENT, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Wajib saat mengembalikan: apa yang perlu diperbaiki."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ApproveForm(forms.Form):
    """The version the officer read (the page sends it): an approval is of content seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, error_messages={
        "required": _("Versi kunjungan tidak terkirim; muat ulang halaman dan setujui lagi."),
        "invalid": _("Versi kunjungan tidak sah; muat ulang halaman dan setujui lagi.")})


class VisitVersionsField(forms.Field):
    """The checked visits of the list, each as "id:version" (the version the row showed), at most a
    page's worth; cleans to {UUID: version}. A bare id is refused: approving from a list must not
    approve content the officer did not see."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        if len(values) > 500:
            raise forms.ValidationError(_("Terlalu banyak kunjungan dipilih sekaligus."))
        picked = {}
        for item in values:
            ident, _sep, version = str(item).partition(":")
            try:
                key, number = uuid.UUID(ident), int(version)
            except ValueError:
                raise forms.ValidationError(_("Pilihan kunjungan tidak sah.")) from None
            if not 1 <= number < 2**31 or picked.get(key, number) != number:
                raise forms.ValidationError(_("Pilihan kunjungan tidak sah."))
            picked[key] = number
        return picked


class BulkApproveForm(forms.Form):
    visits = VisitVersionsField(label=_("Kunjungan terpilih"), error_messages={
        "required": _("Pilih dulu kunjungan yang akan disetujui.")})
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


def _money(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10**13)


def _count(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=32767)


class IndicatorForm(forms.Form):
    """A monthly snapshot from the group's page. `id` is made when the form is shown, so a second
    click (or a resent POST) stores one snapshot, as the phone's id does."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    recorded_on = forms.DateField(label=_("Tanggal"), initial=timezone.localdate,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    turnover = _money(_("Omzet sebulan (Rp)"))
    capital = _money(_("Modal (Rp)"))
    active_members = _count(_("Anggota masih aktif"))
    new_workers = _count(_("Pekerja baru"))
    products = forms.CharField(label=_("Produk"), required=False, max_length=200)
    price = _money(_("Harga satuan (Rp)"))
    aid_spent_tools = _money(_("Bantuan terpakai: alat (Rp)"))
    aid_spent_materials = _money(_("Bantuan terpakai: bahan (Rp)"))
    lpj_done = forms.BooleanField(label=_("LPJ selesai"), required=False)

    def values(self) -> dict:
        """The cleaned values as the indicator service takes them (a visit's `indicators`)."""
        values = {k: v for k, v in self.cleaned_data.items() if k != "recorded_on"}
        values["id"] = str(values["id"])
        return values


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Selesai pada"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

from django import forms
from django.utils.translation import gettext_lazy as _

from sukarela.core.roles import Role, manageable_roles
from sukarela.regions.forms import RegionField


class UserForm(forms.Form):
    """Create or edit a user; choices and the region picker are bounded by the acting officer."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=60)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False, help_text=_("Contoh: 0812 3456 7890"))
    role = forms.ChoiceField(label=_("Peran"))
    region = RegionField(label=_("Wilayah"), required=False)
    password = forms.CharField(
        label=_("Kata sandi awal"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Kosongkan bila pengguna akan diberi kata sandi nanti."),
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, actor, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        allowed = manageable_roles(actor.role)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]
        root = actor.scope_code or ""
        self.fields["region"] = RegionField(label=_("Wilayah"), required=False, root=root)
        if instance is None:
            del self.fields["is_active"]
        else:
            del self.fields["username"], self.fields["password"]
            self.initial.update(
                full_name=instance.full_name, email=instance.email, phone=instance.phone, role=instance.role,
                region=instance.region_id or "", is_active=instance.is_active,
            )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["region"] = data["region"].code if data.get("region") else None
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=80, help_text=_("Misalnya: laptop kantor, skrip ekspor"))

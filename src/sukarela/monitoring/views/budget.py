"""The programme budget page: the budgets the officer may see, and a form that sets one (the nation
for a national officer; a province or regency within the officer's region). Saving runs the
incremental refresh, so cost per job created shows the new budget at once."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core.scope import scoped
from sukarela.core.views import officer_required
from sukarela.core.web import page, run_service
from sukarela.monitoring.models import Budget
from sukarela.monitoring.services import budget as service
from sukarela.monitoring.services import refresh as refreshing
from sukarela.regions.forms import RegionField
from sukarela.regions.models import Level


class BudgetForm(forms.Form):
    region = RegionField(label=gettext_lazy("Wilayah"), required=False, max_level=Level.REGENCY,
                         help_text=gettext_lazy("Kosongkan untuk wilayah kerja Anda sendiri."))
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=service.FIRST_YEAR, max_value=9999)
    amount = forms.CharField(label=gettext_lazy("Anggaran (Rp)"), max_length=30,
                             help_text=gettext_lazy("Rupiah bulat, mis. 1.500.000.000"))
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, max_length=300)

    def __init__(self, data=None, *, user):
        super().__init__(data, initial={"year": timezone.localdate().year})
        self.root = user.scope_code or ""
        field = self.fields["region"]
        field.root = field.widget.root = self.root
        if self.root == "":
            field.help_text = _("Kosongkan untuk anggaran nasional.")

    def region_code(self) -> str:
        """The region chosen; none chosen is the officer's own (the nation for a national officer)."""
        region = self.cleaned_data.get("region")
        return region.code if region else self.root


def budgets_for(user):
    """The budgets inside the officer's region (the national ones for a national officer only)."""
    return scoped(user, Budget.objects.select_related("region", "entered_by")).order_by("-year", "region_id")


@officer_required
def budget_page(request):
    user = request.user
    form = BudgetForm(request.POST or None, user=user)
    if request.method == "POST":
        result = run_service(form, lambda: service.set_budget(user, form.region_code(), form.cleaned_data["year"],
                                                              form.cleaned_data["amount"], form.cleaned_data["note"]))
        if result is not None:
            budget, created = result
            where = budget.region.name.title() if budget.region else "Indonesia"
            refreshing.refresh()
            messages.success(request, (_("Anggaran %(r)s %(y)d disimpan.") if created else
                                       _("Anggaran %(r)s %(y)d diganti.")) % {"r": where, "y": budget.year}
                             + " " + _("Biaya per lapangan kerja sudah dihitung ulang."))
            return redirect("monitoring:budget")
    return render(request, "monitoring/budget.html", {
        "form": form, "budgets": page(request, budgets_for(user))})


urlpatterns = [path("pantau/anggaran/", budget_page, name="budget")]

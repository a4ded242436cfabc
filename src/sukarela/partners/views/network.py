"""The network page for officers: filters (region within the scope, partner type, linkage status),
the graph drawn in the browser by Cytoscape.js from the API's graph operation, and the figures as
tables rendered here, so the page says everything even when the script does not load (or is not
installed: see `optional_static`). Each table downloads as XLSX."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.core.views import officer_required
from sukarela.core.web import download, optional_static, page, spreadsheet
from sukarela.partners.models import LinkageStatus, PartnerType
from sukarela.partners.selectors import network as selectors
from sukarela.regions.forms import RegionField
from sukarela.regions.models import Level


class NetworkFilterForm(forms.Form):
    region = RegionField(label=gettext_lazy("Wilayah"), required=False, max_level=Level.DISTRICT)
    kind = forms.ModelChoiceField(label=gettext_lazy("Jenis mitra"), queryset=PartnerType.objects.all(),
                                  required=False, empty_label=gettext_lazy("Semua"))
    status = forms.ChoiceField(label=gettext_lazy("Status keterkaitan"), required=False,
                               choices=[("", gettext_lazy("Semua")), *LinkageStatus.choices])

    def __init__(self, data, *, user):
        super().__init__(data)
        # The picker starts at the officer's own region: what lies outside is not theirs to see.
        root = user.scope_code or ""
        field = self.fields["region"]
        field.root = field.widget.root = root

    def filters(self) -> selectors.Filters:
        """The selectors' filters. A region that does not clean (outside the scope, unknown) is still
        passed on: the selectors intersect it with the scope, so it shows nothing, never more."""
        self.is_valid()
        c = getattr(self, "cleaned_data", {})
        region = c.get("region")
        code = region.code if region else ("" if "region" in c else (self.data.get("region") or "").strip())
        kind = c.get("kind")
        return selectors.Filters(region=code, kind=kind.pk if kind else "", status=c.get("status") or "")


def _query(filters: selectors.Filters, *, status: bool) -> str:
    params = {"region": filters.region, "kind": filters.kind}
    if status:
        params["status"] = filters.status
    return urlencode({k: v for k, v in params.items() if v})


CYTOSCAPE = "vendor/cytoscape/cytoscape.min.js"
NETWORK_JS = "sukarela/network.js"


@officer_required
def network(request):
    form = NetworkFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    user = request.user
    query = _query(filters, status=True)
    context = {
        "form": form,
        "filters": filters,
        "level": selectors.level_for(selectors.root_for(user, filters.region)),
        "share": selectors.share_linked(user, filters),
        "credit": selectors.credit_per_province(user, filters),
        "top_partners": selectors.top_partners(user, filters),
        "status_counts": selectors.status_counts(user, filters),
        "unlinked": page(request, selectors.unlinked_groups(user, filters)),
        "graph_url": reverse("api:network_graph") + (f"?{query}" if query else ""),
        "export_query": _query(filters, status=False),
        "cap": selectors.NODE_CAP,
    }
    scripts = [optional_static(CYTOSCAPE), optional_static(NETWORK_JS)]
    context["graph_scripts"] = scripts if all(scripts) else []
    return render(request, "partners/network.html", context)


def _share_table(user, filters):
    share = selectors.share_linked(user, filters)
    headers = [_("Kode wilayah"), _("Wilayah"), _("Kelompok aktif"), _("Dengan keterkaitan terealisasi"), _("%")]
    rows = [[r["code"], r["name"], r["groups"], r["linked"], r["percent"]] for r in share["rows"]]
    total = share["total"]
    rows.append(["", _("Jumlah"), total["groups"], total["linked"], total["percent"]])
    return _("Kelompok terealisasi"), headers, rows


def _credit_table(user, filters):
    credit = selectors.credit_per_province(user, filters)
    headers = [_("Kode provinsi"), _("Provinsi"), _("Pinjaman terealisasi"), _("Nilai (Rp)")]
    rows = [[r["code"], r["name"], r["loans"], r["amount"]] for r in credit["rows"]]
    rows.append(["", _("Jumlah"), credit["total"]["loans"], credit["total"]["amount"]])
    return _("Kredit per provinsi"), headers, rows


def _partners_table(user, filters):
    headers = [_("Mitra"), _("Jenis"), _("Keterkaitan terealisasi"), _("Nilai (Rp)"), _("Orang terlatih")]
    rows = [[r["name"], r["kind"], r["realised"], r["amount"], r["people"]]
            for r in selectors.top_partners(user, filters)]
    return _("Mitra teratas"), headers, rows


def _status_table(user, filters):
    headers = [_("Status"), _("Keterkaitan")]
    return _("Per status"), headers, [[r["label"], r["count"]] for r in selectors.status_counts(user, filters)]


def _unlinked_table(user, filters):
    headers = [_("ID kelompok"), _("Kelompok"), _("Kode desa"), _("Desa/kelurahan"), _("TKS")]
    rows = ([g.pk, g.name, g.village_id, g.village_name, g.tks_name or ""]
            for g in selectors.unlinked_groups(user, filters).iterator())
    return _("Tanpa keterkaitan"), headers, rows


TABLES = {"kelompok": _share_table, "kredit": _credit_table, "mitra": _partners_table, "status": _status_table,
          "tanpa-keterkaitan": _unlinked_table}


@officer_required
def network_export(request, table: str):
    make = TABLES.get(table)
    if make is None:
        raise Http404
    filters = NetworkFilterForm(request.GET or None, user=request.user).filters()
    title, headers, rows = make(request.user, filters)
    stamp = timezone.localdate().isoformat()
    return download(spreadsheet("xlsx", headers, rows, title), f"jejaring-{table}-{stamp}.xlsx", "xlsx")


urlpatterns = [
    path("mitra/jaringan/", network, name="network"),
    path("mitra/jaringan/<slug:table>.xlsx", network_export, name="network_export"),
]

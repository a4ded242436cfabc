"""Group pages: each view module lists its own routes, all under the `groups` namespace."""

from sukarela.groups.views import groups, importing, members, sectors

app_name = "groups"

urlpatterns = [
    *importing.urlpatterns,
    *groups.urlpatterns,
    *members.urlpatterns,
    *sectors.urlpatterns,
]

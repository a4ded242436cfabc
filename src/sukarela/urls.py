from django.urls import include, path

from sukarela.api import api
from sukarela.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wilayah/", include("sukarela.regions.urls")),
    path("", include("sukarela.recruitment.urls")),
    path("", include("sukarela.training.urls")),
    path("", include("sukarela.assignments.urls")),
    path("", include("sukarela.groups.urls")),
    path("", include("sukarela.mentoring.urls")),
    path("", include("sukarela.alumni.urls")),
    path("", include("sukarela.partners.urls")),
    path("", include("sukarela.monitoring.urls")),
    path("", include("sukarela.core.urls")),
]

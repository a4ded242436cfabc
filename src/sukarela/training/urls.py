"""Training pages: each view module lists its own routes, all under the `training` namespace."""

from sukarela.training.views import (attendance, certificates, cohorts, curricula, graduation, participants, sessions,
                                     venues)

app_name = "training"

urlpatterns = [
    *curricula.urlpatterns,
    *venues.urlpatterns,
    *cohorts.urlpatterns,
    *sessions.urlpatterns,
    *participants.urlpatterns,
    *attendance.urlpatterns,
    *graduation.urlpatterns,
    *certificates.urlpatterns,
]

"""Training pages: cohorts."""

urlpatterns = []

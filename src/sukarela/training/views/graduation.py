"""Training pages: graduation."""

urlpatterns = []

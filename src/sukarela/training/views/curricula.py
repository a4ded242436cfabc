"""Training pages: curricula."""

urlpatterns = []

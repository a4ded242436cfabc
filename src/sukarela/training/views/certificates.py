"""Training pages: certificates."""

urlpatterns = []

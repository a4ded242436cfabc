"""Training pages: participants."""

urlpatterns = []

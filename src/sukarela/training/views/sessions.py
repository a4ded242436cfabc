"""Training pages: sessions."""

urlpatterns = []

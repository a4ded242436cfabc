"""Training pages: attendance."""

urlpatterns = []

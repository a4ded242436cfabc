from sukarela.mentoring.views import field, review

app_name = "mentoring"

urlpatterns = [*field.urlpatterns, *review.urlpatterns]

from sukarela.mentoring.views import field, records, review

app_name = "mentoring"

urlpatterns = [*field.urlpatterns, *review.urlpatterns, *records.urlpatterns]

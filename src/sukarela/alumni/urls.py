from sukarela.alumni.views import alumni, survey

app_name = "alumni"

urlpatterns = [*survey.urlpatterns, *alumni.urlpatterns]

from sukarela.assignments.views import mentors, runs

app_name = "assignments"

urlpatterns = [*runs.urlpatterns, *mentors.urlpatterns]

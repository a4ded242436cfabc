from sukarela.monitoring.views import budget, dashboards, maps, open_data, reports

app_name = "monitoring"

urlpatterns = [*dashboards.urlpatterns, *maps.urlpatterns, *budget.urlpatterns, *reports.urlpatterns,
               *open_data.urlpatterns]

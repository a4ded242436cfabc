from sukarela.partners.views import agreements, centres, linkages, network, partners, transfer

app_name = "partners"

urlpatterns = [*transfer.urlpatterns, *agreements.urlpatterns, *partners.urlpatterns, *centres.urlpatterns,
               *linkages.urlpatterns, *network.urlpatterns]

"""Pages of the partnership network: partners (partners.py), training centres (centres.py),
linkages (linkages.py) and the network view (network.py); urls.py joins their urlpatterns."""

from django.urls import path

from sukarela.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("pilih/", views.picker, name="picker"),
    path("cari/", views.search, name="search"),
    path("<str:code>/", views.region_list, name="detail"),
]

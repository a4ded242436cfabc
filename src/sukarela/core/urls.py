from django.urls import path

from sukarela.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/aktifkan/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/ubah/", views.user_edit, name="user_edit"),
    path("audit/", views.audit_list, name="audit_list"),
    path("tahap/<slug:slug>/", views.stage, name="stage"),
]

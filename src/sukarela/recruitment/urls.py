from django.urls import path

from sukarela.recruitment.views import applications, campaigns, imports, public, selection

app_name = "recruitment"

urlpatterns = [
    # Public: no login.
    path("daftar/", public.apply_index, name="apply_index"),
    path("daftar/<int:campaign_id>/", public.apply, name="apply"),
    path("daftar/dihapus/", public.erased, name="erased"),
    path("daftar/tautan/", public.request_link, name="request_link"),
    path("daftar/lamaran/<str:token>/", public.my_application, name="my_application"),
    path("daftar/lamaran/<str:token>/ubah/", public.my_application_edit, name="my_application_edit"),
    path("daftar/lamaran/<str:token>/dokumen/<int:doc_id>/", public.my_document, name="my_document"),
    # Officers.
    path("rekrutmen/", campaigns.campaign_list, name="campaign_list"),
    path("rekrutmen/baru/", campaigns.campaign_create, name="campaign_create"),
    path("rekrutmen/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("rekrutmen/<int:pk>/ubah/", campaigns.campaign_edit, name="campaign_edit"),
    path("rekrutmen/<int:pk>/wilayah/", campaigns.campaign_regions, name="campaign_regions"),
    path("rekrutmen/<int:pk>/aturan/", campaigns.campaign_rules, name="campaign_rules"),
    path("rekrutmen/<int:pk>/kuota/", campaigns.quota_list, name="quotas"),
    path("rekrutmen/<int:pk>/kuota/<str:code>/", campaigns.quota_edit, name="quota_edit"),
    path("rekrutmen/<int:pk>/pelamar/", applications.application_list, name="application_list"),
    path("rekrutmen/<int:pk>/pelamar/baru/", applications.application_create, name="application_create"),
    path("rekrutmen/pelamar/<int:pk>/", applications.application_detail, name="application_detail"),
    path("rekrutmen/pelamar/<int:pk>/ubah/", applications.application_edit, name="application_edit"),
    path("rekrutmen/pelamar/<int:pk>/verifikasi/", applications.application_verify, name="application_verify"),
    path("rekrutmen/pelamar/<int:pk>/nilai/", applications.application_score, name="application_score"),
    path("rekrutmen/pelamar/<int:pk>/tarik/", applications.application_withdraw, name="application_withdraw"),
    path("rekrutmen/pelamar/<int:pk>/hapus/", applications.application_erase, name="application_erase"),
    path("rekrutmen/dokumen/<int:pk>/", applications.document, name="document"),
    path("rekrutmen/<int:pk>/impor/", imports.import_new, name="import_new"),
    path("rekrutmen/<int:pk>/templat.<str:fmt>", imports.import_template, name="import_template"),
    path("rekrutmen/impor/<int:pk>/", imports.import_detail, name="import_detail"),
    path("rekrutmen/impor/<int:pk>/laporan.<str:fmt>", imports.import_report, name="import_report"),
    path("rekrutmen/<int:pk>/saring/", selection.screen, name="screen"),
    path("rekrutmen/<int:pk>/seleksi/", selection.run_selection, name="selection"),
    path("rekrutmen/<int:pk>/hasil/", selection.results, name="results"),
    path("rekrutmen/<int:pk>/hasil.xlsx", selection.results_export, name="results_export"),
    path("rekrutmen/<int:pk>/umumkan/", selection.announce, name="announce"),
]

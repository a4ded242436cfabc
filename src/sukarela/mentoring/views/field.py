"""The TKS's offline-first field app: the app shell at /lapangan/, its service worker and its web
manifest. Everything after the first load runs in the phone's browser (static/sukarela/field/) and
talks to the field API (mentoring/api/field.py); these views only serve the shell."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sukarela.core.roles import Role
from sukarela.core.views import SIGNED_IN_COOKIE, mark_signed_in
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Kind, ReviewStatus, Visit

# The app's own files: the service worker precaches them so the shell opens with no network.
# Order matters for nothing; every file here must exist (tests/mentoring/test_field_pages.py).
ASSETS = (
    "sukarela/field/field.css",
    "sukarela/field/db.js",
    "sukarela/field/api.js",
    "sukarela/field/photos.js",
    "sukarela/field/outbox.js",
    "sukarela/field/form.js",
    "sukarela/field/app.js",
    "sukarela/field/icon.svg",
    "sukarela/field/icon-192.png",
    "sukarela/field/icon-512.png",
)
SCRIPTS = tuple(name for name in ASSETS if name.endswith(".js"))  # in this order: app.js uses the rest
TEMPLATES = ("mentoring/field/app.html", "mentoring/field/sw.js")
USER_HEADER = "X-Sukarela-User"
HISTORY_PAGE = 100  # visits per request when the phone reads its history (the API allows up to 500)

# The words the app's JavaScript shows; `{name}` is filled in by the script.
STRINGS = {
    "online": gettext_lazy("Daring"),
    "offline": gettext_lazy("Luring"),
    "states": {"menunggu": gettext_lazy("menunggu"), "mengirim": gettext_lazy("mengirim"),
               "terkirim": gettext_lazy("terkirim"), "konflik": gettext_lazy("konflik"),
               "ditolak": gettext_lazy("ditolak")},
    "groups_fresh": gettext_lazy("Data kelompok terbaru dari server."),
    "groups_cached": gettext_lazy("Data kelompok tersimpan di ponsel, dimuat {time}."),
    "groups_none": gettext_lazy("Belum ada kelompok yang ditugaskan kepada Anda."),
    "groups_missing": gettext_lazy("Data kelompok belum tersimpan di ponsel. Sambungkan ke internet sekali "
                                   "untuk memuatnya."),
    "members": gettext_lazy("{n} anggota"),
    "chair": gettext_lazy("ketua"),
    "record": gettext_lazy("Catat kunjungan"),
    "last_indicators": gettext_lazy("Indikator terakhir ({date}): omzet Rp {turnover}, {active} anggota aktif"),
    "choose_group": gettext_lazy("Pilih kelompok"),
    "no_members": gettext_lazy("Pilih kelompok dulu."),
    "gps_wait": gettext_lazy("Mengambil lokasi…"),
    "gps_ok": gettext_lazy("Lokasi: {lat}, {lon} (±{acc} m)"),
    "gps_none": gettext_lazy("Lokasi tidak tersedia; kunjungan tetap dapat disimpan."),
    "photo_busy": gettext_lazy("Memperkecil foto…"),
    "photo_ready": gettext_lazy("{n} dari {max} foto."),
    "photo_too_many": gettext_lazy("Paling banyak {max} foto."),
    "photo_bad": gettext_lazy("Berkas ini bukan gambar yang dapat dibaca."),
    "photo_too_big": gettext_lazy("Foto masih terlalu besar setelah diperkecil."),
    "photo_sent": gettext_lazy("sudah di server"),
    "photo_lost": gettext_lazy("Foto ini tidak tersimpan lagi di ponsel; hapus lalu tambahkan lagi."),
    "remove": gettext_lazy("Hapus"),
    "action": gettext_lazy("Tindakan"),
    "due_on": gettext_lazy("Tenggat"),
    "saved": gettext_lazy("Kunjungan disimpan di antrean ponsel; dikirim begitu ada sinyal."),
    "required": gettext_lazy("{field}: wajib diisi."),
    "future": gettext_lazy("Waktu kunjungan tidak boleh di masa depan."),
    "duration_range": gettext_lazy("Lama harus 1 sampai 720 menit."),
    "followup_incomplete": gettext_lazy("Setiap tindak lanjut perlu tindakan dan tenggat."),
    "editing": gettext_lazy("Mengubah kunjungan {label}. Simpan untuk mengirim ulang."),
    "edit": gettext_lazy("Ubah"),
    "delete": gettext_lazy("Hapus dari antrean"),
    "confirm_delete": gettext_lazy("Hapus kunjungan ini dari ponsel? Yang belum terkirim akan hilang."),
    "photos_progress": gettext_lazy("foto {done}/{total}"),
    "retry": gettext_lazy("Gagal terhubung ({reason}); dicoba lagi pukul {time}."),
    "sync_idle": gettext_lazy("Tidak ada yang menunggu."),
    "sync_waiting": gettext_lazy("{n} kunjungan menunggu sinyal."),
    "sync_running": gettext_lazy("Mengirim…"),
    "sync_done": gettext_lazy("Terakhir dikirim pukul {time}."),
    "session_expired": gettext_lazy("Sesi Anda berakhir. Masuk lagi, lalu antrean dikirim."),
    "login": gettext_lazy("Masuk"),
    "reload": gettext_lazy("Muat ulang"),
    "rejected": gettext_lazy("Ditolak server. Ubah lalu simpan lagi:"),
    "conflict": gettext_lazy("Kunjungan ini sudah berubah di server. Pilih versi yang dipakai:"),
    "mine": gettext_lazy("Versi saya"),
    "theirs": gettext_lazy("Versi server"),
    "keep_mine": gettext_lazy("Pakai versi saya"),
    "take_theirs": gettext_lazy("Pakai versi server"),
    "sent_at": gettext_lazy("Diterima server {time}, versi {version}, status {status}."),
    "took_theirs": gettext_lazy("Versi server dipakai."),
    "left_group": gettext_lazy("sudah keluar"),
    "member_no": gettext_lazy("Anggota no. {id}"),
    "photo_refused": gettext_lazy("dikirim ulang sekali, tetap ditolak: {msg}"),
    "not_you": gettext_lazy("Aplikasi yang tersimpan di ponsel ini milik akun lain, atau Anda sudah keluar. "
                            "Masuk dengan akun Anda saat ada sinyal."),
    "other_account": gettext_lazy("Peramban ini sekarang masuk dengan akun lain. Muat ulang halaman ini; "
                                  "antrean Anda tetap tersimpan dan dikirim saat Anda masuk lagi."),
    "kept_aside": gettext_lazy("{n} kunjungan dari akun lain tersimpan di ponsel ini. Kunjungan itu tidak "
                               "dikirim dengan akun Anda; dikirim saat pemiliknya masuk lagi."),
    "logout_unsent": gettext_lazy("{n} kunjungan belum terkirim akan terhapus dari ponsel ini bila Anda keluar. "
                                  "Tetap keluar?"),
    "kinds": dict(Kind.choices),
    "statuses": dict(ReviewStatus.choices),
    "yes": gettext_lazy("ya"),
    "no": gettext_lazy("tidak"),
}
EXTRA_LABELS = {"follow_ups": gettext_lazy("Tindak lanjut"), "photos": gettext_lazy("Foto"), "photo": gettext_lazy("Foto"),
                "id": gettext_lazy("Nomor kunjungan"), "base_version": gettext_lazy("Versi")}


def cache_version() -> str:
    """A digest of everything the service worker precaches: a deploy that changes any of it changes
    sw.js byte for byte, so browsers install the new worker, which drops the old cache.
    (With the hashed static names of production the URLs change too; in development only the
    contents do, hence the contents.)"""
    digest = hashlib.sha256()
    for name in ASSETS:
        with open(finders.find(name), "rb") as f:
            digest.update(f.read())
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()[:12]


@login_required
@never_cache
@require_GET
def app(request):
    if request.user.role != Role.TKS:
        return render(request, "mentoring/field/forbidden.html", status=403)
    response = render(request, "mentoring/field/app.html", {
        "scripts": SCRIPTS, "kinds": Kind.choices, "config": _config(request)})
    # The service worker keeps this page per account (it cannot read the session), and the cookie
    # is renewed for a browser signed in before it existed.
    response[USER_HEADER] = str(request.user.pk)
    return mark_signed_in(response, request.user)


def _labels(model, names) -> dict:
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in names}


def _config(request) -> dict:
    """What the script needs besides the API: where things are, who is signed in (the outbox keeps
    each user's visits apart on a shared phone), the CSRF token and the words to show."""
    fields = _labels(Visit, ("group", "kind", "title", "place", "started_at", "duration_minutes", "lat", "lon",
                             "accuracy_m", "roles", "tasks", "details", "notes", "innovation", "attendance",
                             "indicators", "status"))
    fields.update(EXTRA_LABELS)
    indicators = _labels(IndicatorSnapshot, ("turnover", "capital", "active_members", "new_workers", "products",
                                             "price", "aid_spent_tools", "aid_spent_materials", "lpj_done"))
    return {
        "user": {"id": request.user.pk, "full_name": request.user.full_name},
        "cookie": SIGNED_IN_COOKIE,
        "history_page": HISTORY_PAGE,
        "csrf": get_token(request),
        "urls": {"shell": reverse("mentoring:field_app"), "sw": reverse("mentoring:field_sw"),
                 "api": "/api/", "login": reverse("core:login")},
        "strings": {**STRINGS, "fields": fields, "indicator_fields": indicators},
    }


@require_GET
def service_worker(request):
    # Public on purpose: a browser re-checks its worker even after the session has ended, and a
    # redirect to the login page would make that check fail. It holds no personal data.
    response = render(request, "mentoring/field/sw.js", {
        "version": cache_version(),
        "shell": reverse("mentoring:field_app"),
        "bootstrap": "/api/field/bootstrap",
        "precache": [static(name) for name in ASSETS],
        "cookie": SIGNED_IN_COOKIE,
        "user_header": USER_HEADER,
        "not_stored": _("Aplikasi lapangan belum tersimpan di ponsel ini untuk akun yang sedang masuk. Buka "
                        "sekali saat ada sinyal."),
    }, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    # Public like the worker: the browser fetches it without credentials.
    shell = reverse("mentoring:field_app")
    response = JsonResponse({
        "name": _("Sukarela Lapangan"),
        "short_name": _("Lapangan"),
        "description": _("Catat kunjungan dan kegiatan kelompok, juga tanpa sinyal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": shell,
        "scope": shell,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f9",
        "theme_color": "#0b3d6b",
        "icons": [
            {"src": static("sukarela/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("sukarela/field/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static("sukarela/field/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("lapangan/", app, name="field_app"),
    path("lapangan/sw.js", service_worker, name="field_sw"),
    path("lapangan/manifest.webmanifest", manifest, name="field_manifest"),
]

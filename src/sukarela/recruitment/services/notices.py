"""Telling applicants the outcome (e-mail through Django's mail backend) and turning
selectees into TKS accounts, ready for training."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core import services as core_services
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.recruitment.models import Application, Campaign, Decision, Status
from sukarela.recruitment.permissions import require_national


def absolute(path: str) -> str:
    return settings.SUKARELA_BASE_URL.rstrip("/") + path


def activation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("core:activate", args=[uid, default_token_generator.make_token(user)]))


def send_receipt(app: Application, token: str) -> None:
    """Right after applying: the private link, the only time it exists in clear."""
    if not app.email:
        return
    link = absolute(reverse("recruitment:my_application", args=[token]))
    send_mail(
        _("Lamaran TKS Anda diterima: %(c)s") % {"c": app.campaign.name},
        _("Halo %(n)s,\n\nLamaran Anda untuk %(c)s sudah kami terima. Lihat status, perbaiki data, atau tarik "
          "lamaran lewat tautan pribadi ini (jangan dibagikan):\n%(l)s\n\nKementerian Ketenagakerjaan")
        % {"n": app.full_name, "c": app.campaign.name, "l": link},
        None, [app.email])


def _ensure_volunteer(actor, app: Application) -> User:
    if app.volunteer_id:
        return app.volunteer
    user = core_services.create_user(
        actor, username=f"tks-{app.campaign.year}-{app.pk}", full_name=app.full_name, role=Role.TKS,
        region=app.domicile_id, email=app.email, phone=app.phone)
    Application.objects.filter(pk=app.pk).update(volunteer=user)
    app.volunteer = user
    return user


def _message(app: Application) -> tuple[str, str]:
    campaign = app.campaign
    if app.decision == Decision.SELECTED:
        user = app.volunteer
        body = _("Halo %(n)s,\n\nSelamat! Anda terpilih sebagai Tenaga Kerja Sukarela (TKS) pada %(c)s. Akun TKS "
                 "Anda: %(u)s. Buat kata sandi lewat tautan ini:\n%(l)s\n\nJadwal pelatihan akan diberitahukan "
                 "kemudian.\n\nKementerian Ketenagakerjaan") % {
            "n": app.full_name, "c": campaign.name, "u": user.username, "l": activation_link(user)}
        return _("Hasil seleksi TKS: terpilih"), body
    if app.decision == Decision.WAITLISTED:
        body = _("Halo %(n)s,\n\nAnda berada di daftar cadangan %(c)s, nomor urut %(p)s di wilayah Anda. Bila ada "
                 "kursi yang kosong, kami akan menghubungi Anda.\n\nKementerian Ketenagakerjaan") % {
            "n": app.full_name, "c": campaign.name, "p": app.waitlist_position}
        return _("Hasil seleksi TKS: cadangan"), body
    body = _("Halo %(n)s,\n\nTerima kasih atas lamaran Anda untuk %(c)s. Kali ini Anda belum terpilih. "
             "Alasan dan rinciannya ada di halaman status lamaran Anda.\n\nKementerian Ketenagakerjaan") % {
        "n": app.full_name, "c": campaign.name}
    return _("Hasil seleksi TKS"), body


def notify(actor, app_ids) -> int:
    """Send each application its outcome once (notified_at marks it); selectees get a TKS account."""
    sent = 0
    for app in Application.objects.filter(pk__in=list(app_ids), status=Status.ACTIVE, notified_at__isnull=True) \
            .exclude(decision="").select_related("campaign", "volunteer"):
        with transaction.atomic():
            if app.decision == Decision.SELECTED:
                _ensure_volunteer(actor, app)
            subject, body = _message(app)
            if app.email:
                send_mail(subject, body, None, [app.email])
                sent += 1
            Application.objects.filter(pk=app.pk).update(notified_at=timezone.now())
    return sent


def announce(actor, campaign: Campaign) -> dict[str, int]:
    require_national(actor)
    if campaign.selected_at is None:
        raise ValidationError(_("Jalankan seleksi sebelum mengumumkan hasil."))
    ids = list(Application.objects.filter(campaign=campaign, status=Status.ACTIVE, notified_at__isnull=True)
               .exclude(decision="").values_list("pk", flat=True))
    before = Application.objects.filter(campaign=campaign, volunteer__isnull=False).count()
    sent = notify(actor, ids)
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(announced_at=now)
    campaign.announced_at = now
    made = Application.objects.filter(campaign=campaign, volunteer__isnull=False).count() - before
    audit.record(actor, "announce", campaign, {"notified": [None, len(ids)], "emails": [None, sent],
                                               "tks_accounts": [None, made]})
    return {"notified": len(ids), "emails": sent, "tks_accounts": made}

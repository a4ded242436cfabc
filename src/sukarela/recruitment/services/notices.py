"""Telling applicants the outcome (e-mail through Django's mail backend) and turning
selectees into TKS accounts, ready for training."""

import logging

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

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SUKARELA_BASE_URL.rstrip("/") + path


def activation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("core:activate", args=[uid, default_token_generator.make_token(user)]))


def _mail(subject: str, body: str, to: str) -> bool:
    """Send one message; a mail server's failure is logged and reported, never raised at the user."""
    try:
        send_mail(" ".join(subject.split()), body, None, [to])  # a header cannot hold a line break
        return True
    except Exception:  # SMTP errors come in many classes; the caller records what was not sent
        log.exception("mail to applicant failed")
        return False


def send_receipt(app: Application, token: str) -> bool:
    """Right after applying (or asking for the link again): the private link, the only time it
    exists in clear. False when there is no address or the mail could not go."""
    if not app.email:
        return False
    link = absolute(reverse("recruitment:my_application", args=[token]))
    return _mail(
        _("Lamaran TKS Anda diterima: %(c)s") % {"c": app.campaign.name},
        _("Halo %(n)s,\n\nLamaran Anda untuk %(c)s sudah kami terima. Lihat status, perbaiki data, atau tarik "
          "lamaran lewat tautan pribadi ini (jangan dibagikan):\n%(l)s\n\nKementerian Ketenagakerjaan")
        % {"n": app.full_name, "c": app.campaign.name, "l": link},
        app.email)


def _ensure_volunteer(actor, app: Application) -> User:
    if app.volunteer_id:
        return app.volunteer
    # The system makes the account: a replacement may be triggered by the applicant's own link or
    # by a district officer, for a selectee whom neither could create an account for.
    user = core_services.create_programme_account(
        username=f"tks-{app.campaign.year}-{app.pk}", full_name=app.full_name, role=Role.TKS,
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


def notify(actor, applications) -> tuple[int, int]:
    """Tell each decided application in `applications` its outcome, once (notified_at marks it);
    selectees get a TKS account. Returns (told, mails that failed); a failed mail is tried again
    at the next announcement."""
    told = failed = 0
    pending = applications.filter(status=Status.ACTIVE, notified_at__isnull=True).exclude(decision="")
    for app in pending.select_related("campaign", "volunteer").iterator(chunk_size=2000):
        with transaction.atomic():
            if app.decision == Decision.SELECTED:
                _ensure_volunteer(actor, app)
            subject, body = _message(app)
            if app.email and not _mail(subject, body, app.email):
                failed += 1
                continue
            Application.objects.filter(pk=app.pk).update(notified_at=timezone.now())
            told += 1
    return told, failed


def notify_safely(actor, applications) -> None:
    """After a replacement has committed: telling the new selectee must not undo or fail it;
    whoever was not told is told at the next announcement."""
    try:
        notify(actor, applications)
    except Exception:
        log.exception("notifying a replacement failed")


def announce(actor, campaign: Campaign) -> dict[str, int]:
    """Results to every decided applicant. At national scale run it from the command line
    (`sukarela announce`): it sends one mail per applicant."""
    require_national(actor)
    if campaign.selected_at is None:
        raise ValidationError(_("Jalankan seleksi sebelum mengumumkan hasil."))
    before = Application.objects.filter(campaign=campaign, volunteer__isnull=False).count()
    told, failed = notify(actor, Application.objects.filter(campaign=campaign))
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(announced_at=now)
    campaign.announced_at = now
    made = Application.objects.filter(campaign=campaign, volunteer__isnull=False).count() - before
    audit.record(actor, "announce", campaign, {"notified": [None, told], "mail_failed": [None, failed],
                                               "tks_accounts": [None, made]})
    return {"notified": told, "mail_failed": failed, "tks_accounts": made}

"""Users with a role and a region scope, the audit trail, and API tokens."""

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sukarela.core.roles import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        fields.update(role=Role.NATIONAL, region=None, is_superuser=True)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(_("nama pengguna"), max_length=60, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    # The user's scope: a province for provincial officers, a regency/city for
    # district officers, empty for national officers, home or posting region otherwise.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]
    # Where core.scope finds this model's region; fields masked in lists and the audit trail.
    scope_region_path = "region"
    personal_fields = {"email": "EMAIL", "phone": "PHONE"}

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        indexes = [models.Index(fields=["region", "role"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    @classmethod
    def owned_by(cls, user):
        """Field roles see only their own account."""
        return models.Q(pk=user.pk)

    @property
    def is_staff(self) -> bool:
        # Django's own staff flag means "may use the admin", which Sukarela does not ship.
        return False

    @property
    def is_officer(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def scope_code(self) -> str | None:
        """Region code that bounds what this officer sees; '' means the whole country."""
        if self.role == Role.NATIONAL:
            return ""
        if self.role in STAFF_ROLES:
            return self.region_id
        return None


class AuditEvent(models.Model):
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    # No index of its own: (actor, at) below serves it, and every field visit writes an event.
    actor = models.ForeignKey(
        User, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )
    # Kept as text so the record still says who acted after that account is gone.
    actor_label = models.CharField(_("pelaku (teks)"), max_length=200)
    action = models.CharField(_("tindakan"), max_length=40)
    target_type = models.CharField(_("jenis objek"), max_length=80)
    target_id = models.CharField(_("ID objek"), max_length=200)
    target_label = models.CharField(_("objek"), max_length=200)
    # {"field": [old, new]}; personal fields are stored masked.
    changes = models.JSONField(_("perubahan"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"


class ApiToken(models.Model):
    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=80)
    # Only a SHA-256 digest is stored: the token itself is shown once, when made.
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=12)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Session(AbstractBaseSession):
    """A browser session (SESSION_ENGINE "sukarela.core.sessions"), with the signed-in user's id in
    a column of its own so one query reads the session and its user together."""

    # No database constraint: a sign-in racing the user's deletion must not make the session's
    # INSERT fail (Django's create() retries forever on an IntegrityError). Deleting a user still
    # deletes their sessions, through the ORM.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, db_constraint=False,
                             related_name="+", verbose_name=_("pengguna"))

    class Meta(AbstractBaseSession.Meta):
        db_table = "core_session"

    @classmethod
    def get_session_store_class(cls):
        from sukarela.core.sessions import SessionStore

        return SessionStore

"""Every write to users and API tokens: one function per use case, each in a
transaction and each leaving an audit record."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import normalize_phone

from sukarela.core import audit
from sukarela.core.models import ApiToken, Session, User
from sukarela.core.roles import REQUIRED_LEVEL, Role, manageable_roles
from sukarela.core.scope import in_scope
from sukarela.regions import selectors as regions

USER_FIELDS = ("username", "full_name", "email", "phone", "role", "region", "is_active")


def _require_officer(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or not actor.is_officer:
        raise PermissionDenied(_("Hanya petugas yang dapat mengelola pengguna."))


def _clean_user(actor, data: dict, instance: User | None) -> dict:
    """Validate user fields as `actor` may set them; collect every error, field by field.

    `actor` None is the installation itself (the bootstrap of the first national
    officer), bound by no role or region.
    """
    errors: dict[str, list[str]] = {}
    # An explicit null clears an optional text field; a required one is reported below.
    clean = {k: ("" if v is None and k in ("email", "phone") else v) for k, v in data.items()}
    data = clean

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    if "username" in data:
        username = (data["username"] or "").strip().lower()
        clean["username"] = username
        if not username:
            fail("username", _("Nama pengguna wajib diisi."))
        elif User.objects.filter(username=username).exclude(pk=getattr(instance, "pk", None)).exists():
            fail("username", _("Nama pengguna '%(u)s' sudah dipakai.") % {"u": username})
    if "full_name" in data:
        clean["full_name"] = (data["full_name"] or "").strip()
        if not clean["full_name"]:
            fail("full_name", _("Nama lengkap wajib diisi."))
    if data.get("email"):
        clean["email"] = str(data["email"]).strip().lower()
        try:
            validate_email(clean["email"])
        except ValidationError:
            fail("email", _("Alamat email tidak valid: %(e)s") % {"e": data["email"]})
    if data.get("phone"):
        phone = normalize_phone(str(data["phone"]))
        if phone is None:
            fail("phone", _("Nomor HP tidak valid: %(p)s") % {"p": data["phone"]})
        clean["phone"] = phone or ""
    role = data.get("role", getattr(instance, "role", None))
    if not role:
        fail("role", _("Peran wajib diisi."))
    elif role not in Role.values:
        fail("role", _("Peran tidak dikenal: %(r)s") % {"r": role})
    elif actor is not None and role not in manageable_roles(actor.role):
        fail("role", _("Anda tidak dapat mengelola pengguna berperan %(r)s.") % {"r": role})
    if "region" in data or "role" in data:
        code = data.get("region", getattr(instance, "region_id", None)) or ""
        region = regions.get(code) if code else None
        clean["region"] = region
        if code and region is None:
            fail("region", _("Kode wilayah tidak dikenal: %(c)s") % {"c": code})
        elif role == Role.NATIONAL and region is not None:
            fail("region", _("Petugas nasional tidak memiliki wilayah."))
        elif role != Role.NATIONAL and region is None and role in Role.values:
            fail("region", _("Wilayah wajib diisi untuk peran ini."))
        elif region is not None:
            level = REQUIRED_LEVEL.get(role)
            if level is not None and region.level != level:
                fail("region", _("Peran ini memerlukan wilayah tingkat %(l)s.") % {"l": level.label})
            elif actor is not None and not in_scope(actor, region.code):
                fail("region", _("Wilayah %(c)s berada di luar wilayah Anda.") % {"c": region.code})
    if "is_active" in data and not isinstance(data["is_active"], bool):
        fail("is_active", _("Status aktif harus ya atau tidak."))
    if data.get("password"):
        try:
            validate_password(data["password"], instance)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return clean


def _insert_user(actor, data: dict) -> User:
    clean = _clean_user(actor, data, None)
    password = clean.pop("password", None)
    user = User(**{k: v for k, v in clean.items() if k in USER_FIELDS})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "create", user, audit.diff(User, {}, audit.snapshot(user, USER_FIELDS)))
    return user


@transaction.atomic
def create_user(actor, **data) -> User:
    _require_officer(actor)
    data.setdefault("region", None)
    return _insert_user(actor, data)


@transaction.atomic
def create_programme_account(**data) -> User:
    """An account the programme itself makes as a consequence of a decision (a selected TKS),
    whoever triggered it: audited as the system, bound by no officer's region."""
    return _insert_user(None, data)


@transaction.atomic
def create_first_national_officer(username: str, password: str, **data) -> User:
    """Bootstrap: the first national officer, whom no officer exists yet to create."""
    if User.objects.filter(role=Role.NATIONAL).exists():
        raise PermissionDenied(_("Petugas nasional sudah ada; buat pengguna baru lewat petugas itu."))
    if not password:
        raise ValidationError({"password": [_("Kata sandi wajib diisi.")]})
    return _insert_user(None, {**data, "username": username, "password": password, "role": Role.NATIONAL,
                               "region": None})


@transaction.atomic
def update_user(actor, user: User, **data) -> User:
    """Change a user that `actor` can already see (fetch it with selectors.user_for)."""
    _require_officer(actor)
    if user.role not in manageable_roles(actor.role):
        raise PermissionDenied(_("Anda tidak dapat mengubah pengguna ini."))
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ValidationError({"is_active": [_("Anda tidak dapat menonaktifkan akun Anda sendiri.")]})
    data.pop("username", None)  # the login name is fixed once made
    clean = _clean_user(actor, data, user)
    before = audit.snapshot(user, USER_FIELDS)
    for field in ("full_name", "email", "phone", "role", "region", "is_active"):
        if field in clean:
            setattr(user, field, clean[field])
    user.save()
    changes = audit.diff(User, before, audit.snapshot(user, USER_FIELDS))
    if changes:
        audit.record(actor, "update", user, changes)
    return user


@transaction.atomic
def create_api_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the secret, once.

    Users make their own tokens; only the command line (actor None, a server
    administrator) makes one for somebody else.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Nama token wajib diisi.")]})
    if actor is not None and user.pk != actor.pk:
        raise PermissionDenied(_("Token hanya dapat dibuat untuk akun sendiri."))
    secret = "skr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], digest=ApiToken.digest_of(secret), prefix=secret[:10])
    audit.record(actor, "create", token, {"user": [None, user.username], "name": [None, token.name]})
    return token, secret


@transaction.atomic
def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    if actor is not None and token.user_id != actor.pk:
        raise PermissionDenied(_("Token hanya dapat dicabut oleh pemiliknya."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "revoke", token, {"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


def touch_api_token(token: ApiToken) -> None:
    """Note when a token was last used; bookkeeping, not a change anyone made, so not audited."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def clear_expired_sessions() -> int:
    """Deletes the sessions past their expiry, as Django's `clearsessions` does; the database store
    never does it by itself. The scheduler calls it once a day."""
    return Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]

"""What the recruitment commands share: the acting officer, the campaign, errors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.recruitment.models import Campaign


def add_actor_argument(parser) -> None:
    parser.add_argument("--as", dest="actor", metavar="USERNAME",
                        help="officer the audit trail names (default: the first active national officer)")


def actor(username: str | None) -> User:
    qs = User.objects.filter(is_active=True)
    user = qs.filter(username=username.lower()).first() if username else \
        qs.filter(role=Role.NATIONAL).order_by("id").first()
    if user is None:
        raise CommandError(f"No active user {username!r}" if username else
                           "No national officer yet: run `sukarela createnationalofficer` first")
    return user


def campaign(pk) -> Campaign:
    try:
        return Campaign.objects.get(pk=int(pk))
    except (Campaign.DoesNotExist, ValueError):
        raise CommandError(f"No campaign with id {pk!r}") from None


def explain(exc: Exception) -> CommandError:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
        return CommandError(" ".join(exc.messages))
    if isinstance(exc, PermissionDenied):
        return CommandError(str(exc) or "Permission denied")
    return CommandError(str(exc))

"""Scoped reads of users and the audit trail."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.dateparse import parse_datetime

from sukarela.core.models import ApiToken, AuditEvent, User
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.regions.models import subtree_q


def users_for(viewer, *, query: str = "", role: str = "", region: str = "") -> QuerySet[User]:
    qs = scoped(viewer, User.objects.select_related("region"))
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role:
        qs = qs.filter(role=role)
    if region:
        qs = qs.filter(subtree_q("region__code", region))
    return qs


def user_for(viewer, pk) -> User:
    return get_scoped_or_404(viewer, User.objects.select_related("region"), pk=pk)


def role_counts(viewer) -> dict[str, int]:
    return dict(scoped(viewer, User.objects.filter(is_active=True)).values_list("role").annotate(n=Count("id")))


def audit_events(viewer, *, target_type: str = "", target_id: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    """The audit trail is for national officers only (DESIGN.md section 5)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_national:
        raise PermissionDenied
    qs = AuditEvent.objects.all()
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if actor:
        qs = qs.filter(actor_label=actor)
    return qs


def audit_target_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct())


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def active_token(secret: str) -> ApiToken | None:
    """The token in force for `secret`, with its active user. Every API request of the field app
    asks this, so it is one hand-written query (the ORM building a select_related query cost
    more than the database answering it: bench/field_sync)."""
    user_table, token_table = User._meta.db_table, ApiToken._meta.db_table
    found = list(User.objects.raw(
        f'SELECT u.*, t.id AS token_pk, t.last_used_at AS token_last_used_at FROM "{user_table}" u '
        f'JOIN "{token_table}" t ON t.user_id = u.id '
        "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active", [ApiToken.digest_of(secret)]))
    if not found:
        return None
    user = found[0]
    last_used = user.token_last_used_at
    # SQLite hands a column outside the model back unconverted: text or a naive datetime, in UTC.
    if isinstance(last_used, str):
        last_used = parse_datetime(last_used)
    if last_used is not None and last_used.tzinfo is None:
        last_used = last_used.replace(tzinfo=dt.timezone.utc)
    return ApiToken(pk=user.token_pk, user=user, last_used_at=last_used)

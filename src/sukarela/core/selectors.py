"""Scoped reads of users and the audit trail."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from sukarela.core import batch
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
    """The token in force for `secret`, with its active user. Every API request sent with a bearer
    token asks this (scripts, other systems, the field-sync benchmark), so it is one hand-written
    query read by a plain cursor (the ORM building a select_related query, or a raw() queryset,
    cost more than the database answering it: bench/field_sync)."""
    sql = (f"SELECT t.id, t.last_used_at, {batch.columns(User, 'u')} FROM {User._meta.db_table} u "
           f"JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
           "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active")
    rows = batch.fetch([batch.statement("sukarela_token", sql, ("varchar",), [ApiToken.digest_of(secret)])])[0]
    if not rows:
        return None
    token_pk, last_used, *user = rows[0]
    return ApiToken(pk=token_pk, user=batch.instance(User, user),
                    last_used_at=batch.from_db(ApiToken._meta.get_field("last_used_at"), last_used))

"""Members: add one, let one leave, make another the chair.

A member who leaves stays on the record (inactive, with the day they left): the group's history
keeps them, and their NIK is free to join another group.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.groups.models import Group, GroupStatus, Member
from sukarela.groups.permissions import require_manager
from sukarela.groups.services.common import member_label
from sukarela.groups.services.groups import _member, chair_account_errors, save_member


def _open_group(actor, group: Group) -> Group:
    group = Group.objects.select_for_update().select_related("village").get(pk=group.pk)
    require_manager(actor, group)
    if group.status == GroupStatus.STOPPED:
        raise ValidationError(_("Kelompok %(g)s sudah berhenti; anggotanya tidak dapat diubah.") % {"g": group.name})
    return group


@transaction.atomic
def add_member(actor, group: Group, *, is_chair: bool = False, **data) -> Member:
    group = _open_group(actor, group)
    today = timezone.localdate()
    if data.get("joined_on") and data["joined_on"] < group.registered_on:
        raise ValidationError({"joined_on": _("Tanggal bergabung tidak boleh sebelum kelompok terdaftar (%(d)s).")
                               % {"d": group.registered_on.isoformat()}})
    if is_chair and group.members.filter(active=True, is_chair=True).exists():
        raise ValidationError({"is_chair": _("Kelompok ini sudah punya ketua; jadikan anggota ini ketua dari "
                                             "daftar anggota bila ketua berganti.")})
    member = _member(data, group, today, actor=actor)
    if member.chair_account_id and not is_chair:
        raise ValidationError({"chair_account": _("Akun masuk hanya untuk ketua kelompok.")})
    member.is_chair = is_chair
    save_member(member)
    changes = audit.diff(Member, {}, audit.snapshot(member, ["nik", "full_name", "sex", "birth_date", "is_chair",
                                                             "joined_on"]))
    audit.record(actor, "add_member", member, changes)
    return member


@transaction.atomic
def remove_member(actor, member: Member, on: dt.date | None = None) -> Member:
    """The member leaves on `on` (default today); the chair of an active group must be replaced first."""
    group = _open_group(actor, member.group)
    member = Member.objects.select_for_update().get(pk=member.pk, group=group)
    on = on or timezone.localdate()
    if not member.active:
        raise ValidationError(_("%(n)s sudah tidak aktif.") % {"n": member.full_name})
    if member.is_chair:
        raise ValidationError(_("Ketua tidak dapat dikeluarkan: jadikan anggota lain ketua lebih dulu."))
    if not member.joined_on <= on <= timezone.localdate():
        raise ValidationError({"on": _("Tanggal keluar antara tanggal bergabung (%(d)s) dan hari ini.") % {
            "d": member.joined_on.isoformat()}})
    changes = {"active": [True, False], "left_on": [None, on.isoformat()]}
    if member.chair_account_id:  # a login left on a former chair opens nothing once they leave
        changes["chair_account"] = [member.chair_account.get_username(), None]
    member.active, member.left_on, member.chair_account = False, on, None
    member.save(update_fields=["active", "left_on", "chair_account"])
    audit.record(actor, "remove_member", member, changes)
    return member


@transaction.atomic
def set_chair(actor, member: Member, chair_account=None) -> Member:
    """`member` becomes the chair (or, already the chair, gets `chair_account` as their login); the
    previous chair stays a member, and their login is unlinked: it opened the group as its chair."""
    group = _open_group(actor, member.group)
    # of=("self",): PostgreSQL locks no row on the nullable side of the login's outer join.
    member = (Member.objects.select_for_update(of=("self",)).select_related("chair_account")
              .get(pk=member.pk, group=group))
    if not member.active:
        raise ValidationError(_("Hanya anggota aktif yang dapat menjadi ketua."))
    errors = chair_account_errors(actor, chair_account, group)
    if errors:
        raise ValidationError(errors)
    previous = (group.members.filter(active=True, is_chair=True).exclude(pk=member.pk)
                .select_related("chair_account").first())
    if member.is_chair and chair_account is None:
        raise ValidationError(_("%(n)s sudah ketua kelompok ini.") % {"n": member.full_name})
    if member.is_chair and member.chair_account_id == chair_account.pk:
        raise ValidationError({"chair_account": _("%(n)s sudah ketua dengan akun %(u)s.") % {
            "n": member.full_name, "u": chair_account.get_username()}})
    changes = {}
    if previous is not None:  # first, or the one-chair constraint would see two for a moment
        changes["chair"] = [member_label(previous), member_label(member)]
        if previous.chair_account_id:
            changes["previous_chair_account"] = [previous.chair_account.get_username(), None]
        previous.is_chair, previous.chair_account = False, None
        previous.save(update_fields=["is_chair", "chair_account"])
    elif not member.is_chair:
        changes["chair"] = [None, member_label(member)]
    was = member.chair_account.get_username() if member.chair_account_id else None
    member.is_chair = True
    if chair_account is not None:
        member.chair_account = chair_account
    member.save(update_fields=["is_chair", "chair_account"])
    if chair_account is not None and was != chair_account.get_username():
        changes["chair_account"] = [was, chair_account.get_username()]
    audit.record(actor, "set_chair", group, changes)
    return member

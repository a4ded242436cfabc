"""Groups: register one with its chair, edit it, change its status.

A group is registered with its chair in one step, so an active group always has exactly one
(the model allows at most one; removing the chair is refused until another member is made
chair). Stopping a group releases its members (inactive, with the day they left), so their
NIKs may join another group; graduating to TKM Lanjutan keeps them.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.core.scope import scoped
from sukarela.groups.models import Group, GroupStatus, Member, Sector, Tier
from sukarela.groups.permissions import require_in_scope, require_manager
from sukarela.groups.rules import account_digits, group_errors, member_errors, nik_digits
from sukarela.groups.services.common import (GROUP_FIELDS, MEMBER_FIELDS, active_memberships, conflict_message,
                                             group_snapshot, member_label, regencies_for)
from sukarela.groups.signals import group_closed
from sukarela.regions.models import Level, Region

# The moves a group's status may make; a stopped group stays stopped (register a new one).
NEXT_STATUS = {
    GroupStatus.ACTIVE: {GroupStatus.STOPPED, GroupStatus.GRADUATED},
    GroupStatus.GRADUATED: {GroupStatus.STOPPED},
    GroupStatus.STOPPED: set(),
}


def _village(value) -> Region | None:
    code = value.code if isinstance(value, Region) else str(value or "").strip()
    return Region.objects.filter(code=code, level=Level.VILLAGE, active=True).first() if code else None


def _normalise(data: dict) -> dict:
    """Foreign keys by object or key ("village" or "village_id"); the account as its digits."""
    data = dict(data)
    for name in ("village", "sector"):
        if f"{name}_id" in data:
            data[name] = data.pop(f"{name}_id")
    unknown = sorted(set(data) - set(GROUP_FIELDS))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    if "bank_account" in data:
        data["bank_account"] = account_digits(data["bank_account"])
    for name in ("name", "address", "bank_name"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data


def _check_group(actor, data: dict, today: dt.date) -> dict:
    errors = group_errors(data, today)
    village = _village(data.get("village"))
    if village is None:
        errors["village"] = _("Pilih desa/kelurahan yang dikenal.")
    else:
        data["village"] = village
    sector = data.get("sector")
    sector = sector if isinstance(sector, Sector) else Sector.objects.filter(pk=str(sector or "")).first()
    if sector is None:
        errors["sector"] = _("Pilih sektor usaha yang dikenal.")
    else:
        data["sector"] = sector
    if errors:
        raise ValidationError(errors)
    require_in_scope(actor, village.code)
    return data


def _apply(group: Group, data: dict) -> None:
    for name, value in data.items():
        setattr(group, name, value)


def chair_account_errors(actor, account, group: Group | None = None) -> dict:
    """The login a chair uses: an active group-chair account the officer can see (their region),
    not already the login of another active group's chair (one login opens one group)."""
    if account is None:
        return {}
    if account.role != Role.GROUP_CHAIR or not account.is_active:
        return {"chair_account": _("Pilih akun aktif dengan peran Ketua kelompok TKM.")}
    if not scoped(actor, User.objects.filter(pk=account.pk)).exists():
        return {"chair_account": _("Akun ini di luar wilayah kerja Anda.")}
    # Locking the login's row makes two officers linking the same login at once take turns.
    User.objects.select_for_update().filter(pk=account.pk).first()
    other = (Member.objects.filter(chair_account=account, is_chair=True, active=True)
             .exclude(group__status=GroupStatus.STOPPED).select_related("group", "group__village"))
    if group is not None and group.pk is not None:
        other = other.exclude(group=group)
    other = other.first()
    if other is not None:
        return {"chair_account": _("Akun %(u)s sudah dipakai ketua kelompok %(g)s (desa %(v)s); satu akun untuk "
                                   "satu kelompok aktif.") % {
            "u": account.get_username(), "g": other.group.name, "v": other.group.village.name}}
    return {}


def _member(data: dict, group: Group, today: dt.date, *, prefix: str = "", actor=None) -> Member:
    """A checked, unsaved member of `group`; errors named `prefix + field` (e.g. "chair.nik")."""
    unknown = sorted(set(data) - set(MEMBER_FIELDS) - {"chair_account"})
    if unknown:
        raise ValidationError({prefix + name: _("Kolom tidak dikenal.") for name in unknown})
    data = dict(data)
    data["joined_on"] = data.get("joined_on") or today
    data["full_name"] = " ".join((data.get("full_name") or "").split())
    nik = nik_digits(data.get("nik"))
    errors = member_errors(data, regencies_for([nik]), today)
    errors.update(chair_account_errors(actor, data.get("chair_account"), group))
    if "nik" not in errors:
        other = active_memberships([nik]).get(nik)
        if other is not None:
            errors["nik"] = conflict_message(nik, other, group.name, group.village.name)
    if errors:
        raise ValidationError({prefix + k: v for k, v in errors.items()})
    data["nik"] = nik
    return Member(group=group, **data)


def save_member(member: Member) -> None:
    """Save, turning a lost race on the one-active-membership constraint into the named refusal."""
    member.full_clean(exclude=["group", "chair_account"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        other = active_memberships([member.nik]).get(member.nik)
        if other is None:
            raise
        raise ValidationError({"nik": conflict_message(member.nik, other, member.group.name,
                                                       member.group.village.name)}) from None


@transaction.atomic
def create_group(actor, *, chair: dict, **data) -> Group:
    """A new active group and its chair; errors of the chair's fields are named "chair.<field>"."""
    today = timezone.localdate()
    data = _normalise(data)
    data.setdefault("tier", Tier.PEMULA)
    data["registered_on"] = data.get("registered_on") or today
    try:
        data = _check_group(actor, data, today)
    except ValidationError as exc:
        # Report the chair's errors with the group's, so one submission shows everything wrong.
        try:
            _member({**chair, "joined_on": chair.get("joined_on") or data["registered_on"]},
                    Group(name=data.get("name") or "", village=_village(data.get("village")) or Region(name="?")),
                    today, prefix="chair.", actor=actor)
        except ValidationError as chair_exc:
            raise ValidationError({**exc.message_dict, **chair_exc.message_dict}) from None
        raise
    group = Group(status=GroupStatus.ACTIVE)
    _apply(group, data)
    member = _member({**chair, "joined_on": chair.get("joined_on") or group.registered_on}, group, today,
                     prefix="chair.", actor=actor)
    group.full_clean()
    group.save()
    member.group, member.is_chair = group, True
    try:
        save_member(member)
    except ValidationError as exc:
        raise ValidationError({f"chair.{k}": v for k, v in exc.message_dict.items()}) from None
    changes = audit.diff(Group, {}, group_snapshot(group))
    changes["chair"] = [None, member_label(member)]
    audit.record(actor, "create", group, changes)
    return group


@transaction.atomic
def update_group(actor, group: Group, **data) -> Group:
    group = Group.objects.select_for_update().select_related("village").get(pk=group.pk)
    require_manager(actor, group)
    if group.status == GroupStatus.STOPPED:
        raise ValidationError(_("Kelompok yang sudah berhenti tidak dapat diubah."))
    before = group_snapshot(group)
    changes = _normalise(data)
    if changes.get("registered_on") is None:  # left empty: the date it was registered stays
        changes.pop("registered_on", None)
    merged = {name: getattr(group, name) for name in GROUP_FIELDS} | changes
    data = _check_group(actor, merged, timezone.localdate())
    _apply(group, data)
    group.full_clean()
    group.save()
    changes = audit.diff(Group, before, group_snapshot(group))
    if changes:
        audit.record(actor, "update", group, changes)
    return group


@transaction.atomic
def change_status(actor, group: Group, status: str, on: dt.date | None = None) -> Group:
    """Stop (members released, with `on` as the day they left) or graduate to TKM Lanjutan."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    require_manager(actor, group)
    today = timezone.localdate()
    on = on or today
    if status not in GroupStatus.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    if status not in NEXT_STATUS[group.status]:
        raise ValidationError({"status": _("Status %(a)s tidak dapat diubah menjadi %(b)s.") % {
            "a": group.get_status_display(), "b": GroupStatus(status).label}})
    if not group.registered_on <= on <= today:
        raise ValidationError({"on": _("Tanggal antara tanggal terdaftar (%(d)s) dan hari ini.") % {
            "d": group.registered_on.isoformat()}})
    before = group_snapshot(group)
    changes = {}
    if status == GroupStatus.GRADUATED:
        if group.tier == Tier.LANJUTAN:
            raise ValidationError({"status": _("Kelompok ini sudah TKM Lanjutan.")})
        group.tier = Tier.LANJUTAN
    if status == GroupStatus.STOPPED:
        # The chair's login opens nothing once the group stops: unlink it, so it may chair another group.
        unlinked = list(Member.objects.filter(group=group, chair_account__isnull=False)
                        .values_list("chair_account__username", flat=True))
        released = Member.objects.filter(group=group, active=True).update(active=False, left_on=on)
        Member.objects.filter(group=group, chair_account__isnull=False).update(chair_account=None)
        changes["members_released"] = [None, released]
        if unlinked:
            changes["chair_account"] = [", ".join(sorted(unlinked)), None]
        group.stopped_on = on
    group.status = status
    group.save(update_fields=["status", "tier", "stopped_on"])
    changes.update(audit.diff(Group, before, group_snapshot(group)))
    changes["on"] = [None, on.isoformat()]
    audit.record(actor, "change_status", group, changes)
    # Inside the transaction: a receiver (assignments ends the group's posting) that fails undoes all.
    group_closed.send(sender=Group, group=group, on=on, actor=actor)
    return group

"""What the group services share: the reference sets a member is checked against, the one-NIK-one-
active-group rule with both groups named, and a group's audited field snapshot."""

from django.utils.translation import gettext as _

from sukarela.core.pii import mask
from sukarela.groups.models import Group, Member
from sukarela.groups.rules import nik_digits
from sukarela.regions.models import Region

GROUP_FIELDS = ("name", "tier", "sector", "village", "address", "lat", "lon", "aid_amount", "aid_received_on",
                "aid_tools", "aid_materials", "bank_name", "bank_account", "registered_on")
MEMBER_FIELDS = ("nik", "full_name", "sex", "birth_date", "unemployed_declared", "joined_on")
CHUNK = 900  # below SQLite's oldest limit of bound parameters per statement


def regency_of(nik: str) -> str:
    digits = nik_digits(nik)
    return f"{digits[:2]}.{digits[2:4]}" if len(digits) >= 4 else ""


def regencies_for(niks) -> frozenset[str]:
    """The regency codes (level 2, old ones included) that the given NIKs name and that exist."""
    wanted = sorted({regency_of(n) for n in niks} - {""})
    return frozenset(Region.objects.filter(level=2, code__in=wanted).values_list("code", flat=True))


def active_memberships(niks) -> dict[str, Member]:
    """{nik: active membership} for the NIKs that already belong to an active group."""
    niks = sorted(set(niks))
    found = {}
    for i in range(0, len(niks), CHUNK):
        for m in (Member.objects.filter(active=True, nik__in=niks[i:i + CHUNK])
                  .select_related("group", "group__village")):
            found[m.nik] = m
    return found


def conflict_message(nik: str, other: Member, this_name: str, this_village: str) -> str:
    """Both groups named, so the officer can settle it with the other group's officer."""
    return _("NIK %(nik)s sudah anggota aktif kelompok %(other)s (desa %(ov)s); tidak dapat menjadi anggota "
             "kelompok %(this)s (desa %(tv)s) juga.") % {
        "nik": nik, "other": other.group.name, "ov": other.group.village.name, "this": this_name,
        "tv": this_village}


def group_snapshot(group: Group) -> dict:
    from sukarela.core import audit

    return audit.snapshot(group, GROUP_FIELDS + ("status",))


def member_label(member: Member) -> str:
    return f"{member.full_name} ({mask('NIK', member.nik)})"

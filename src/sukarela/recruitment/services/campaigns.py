"""Campaigns, the regions they cover (with weights) and their declaration rules."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.engines.applicant_rows import COLUMNS
from sukarela.engines.tabular import Column, TableError, header_key, read_table
from sukarela.recruitment.models import Application, Campaign, CampaignRegion, DeclarationRule, Overflow
from sukarela.recruitment.permissions import require_national
from sukarela.regions.models import Region, subtree_q

# What the weight column holds (14 digits, 2 after the point).
MAX_WEIGHT = Decimal(10**12)
# Declaration keys become import columns beside these.
RESERVED_KEYS = frozenset(COLUMNS) | {"test_score", "interview_score"}

CAMPAIGN_FIELDS = (
    "name", "year", "target_seats", "opens_on", "closes_on", "screening_closes_on", "published", "min_age",
    "max_age", "min_education", "use_admin_check", "test_weight", "test_pass_mark", "interview_weight",
    "interview_pass_mark", "household_cap", "overflow", "consent_purpose",
)


def _check_campaign(c: Campaign) -> None:
    errors = {}
    for name in CAMPAIGN_FIELDS:
        try:
            setattr(c, name, c._meta.get_field(name).to_python(getattr(c, name)))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    if not (c.name or "").strip():
        errors["name"] = _("Nama kampanye wajib diisi.")
    if c.target_seats is None or c.target_seats < 1:
        errors["target_seats"] = _("Target kursi harus lebih dari 0.")
    if c.opens_on and c.closes_on and c.closes_on < c.opens_on:
        errors["closes_on"] = _("Tanggal tutup tidak boleh sebelum tanggal buka.")
    if c.closes_on and c.screening_closes_on and c.screening_closes_on < c.closes_on:
        errors["screening_closes_on"] = _("Penyaringan tidak boleh ditutup sebelum pendaftaran ditutup.")
    if c.min_age is not None and c.max_age is not None and c.max_age < c.min_age:
        errors["max_age"] = _("Usia maksimum tidak boleh di bawah usia minimum.")
    for field in ("test_weight", "interview_weight"):
        value = getattr(c, field)
        if value is None or value < 0:
            errors[field] = _("Bobot tidak boleh negatif.")
    for field in ("test_pass_mark", "interview_pass_mark"):
        value = getattr(c, field)
        if value is not None and not 0 <= value <= 100:
            errors[field] = _("Nilai lulus harus antara 0 dan 100.")
    if c.household_cap is not None and c.household_cap < 1:
        errors["household_cap"] = _("Batas per KK minimal 1 (kosongkan bila tanpa batas).")
    if c.overflow not in Overflow.values:
        errors["overflow"] = _("Aturan kursi tak terisi tidak dikenal.")
    if errors:
        raise ValidationError(errors)
    try:
        c.full_clean(exclude=["apportion_method"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@transaction.atomic
def create_campaign(actor, *, regions=None, rules=None, **fields) -> Campaign:
    require_national(actor)
    fields.setdefault("screening_closes_on", fields.get("closes_on"))
    campaign = Campaign(**{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    _check_campaign(campaign)
    campaign.save()
    audit.record(actor, "create", campaign, audit.diff(Campaign, {}, audit.snapshot(campaign, CAMPAIGN_FIELDS)))
    if regions:
        set_regions(actor, campaign, regions)
    for rule in rules or ():
        add_rule(actor, campaign, **rule)
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, **fields) -> Campaign:
    require_national(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    for key, value in fields.items():
        if key in CAMPAIGN_FIELDS:
            setattr(campaign, key, value)
    _check_campaign(campaign)
    campaign.save()
    changes = audit.diff(Campaign, before, audit.snapshot(campaign, CAMPAIGN_FIELDS))
    if changes:
        audit.record(actor, "update", campaign, changes)
    return campaign


def parse_weights(text: str) -> list[tuple[str, Decimal]]:
    """Lines of "code weight" (comma, semicolon, tab or spaces between); errors name the line."""
    out, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # Semicolons, tabs or spaces separate; a comma only when nothing else does,
        # so "52;10,5" keeps its decimal comma and "52,10,5" reads as 52 → 10,5.
        parts = [p for p in re.split(r"[;\t ]+", line) if p]
        if len(parts) == 1 and "," in line:
            parts = [p.strip() for p in line.split(",", 1)]
        if len(parts) == 1:
            parts.append("1")
        try:
            weight = Decimal(parts[-1].replace(",", "."))
            if not weight.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_("Baris %(n)d: bobot '%(w)s' bukan angka.") % {"n": number, "w": parts[-1][:30]})
            continue
        out.append((parts[0], weight))
    if errors:
        raise ValidationError({"regions": errors})
    return out


WEIGHT_COLUMNS = (Column("code", "Kode Wilayah", ("kode", "code", "region code", "region"), True),
                  Column("weight", "Bobot", ("weight",), True))


def weights_from_file(source) -> list[tuple[str, Decimal]]:
    """[(code, weight)] from a CSV/XLSX upload or path; errors name the row as the file shows it."""
    try:
        table = read_table(source, WEIGHT_COLUMNS)
    except (TableError, OSError) as exc:
        raise ValidationError({"file": str(exc)}) from None
    # One line per spreadsheet row, so parse_weights' "Baris N" is the file's row N; a blank
    # weight cell is an error here, not the weight 1 that a bare code means in the text box.
    lines = [""] * (table.frame["_row"].max() or 0)
    for code, weight, row in table.frame.select("code", "weight", "_row").iter_rows():
        code = code or "-"
        if any(ch.isspace() for ch in code):  # "32 01" must not read as region 32 with weight 01
            raise ValidationError({"file": _("Baris %(n)d: kode wilayah '%(c)s' berisi spasi.")
                                   % {"n": row, "c": code[:20]}})
        lines[row - 1] = f"{code} {weight or '-'}"
    for row, message in table.row_errors:
        raise ValidationError({"file": _("Baris %(n)d: %(m)s") % {"n": row, "m": message}})
    regions = parse_weights("\n".join(lines))
    if not regions:
        raise ValidationError({"file": _("Berkas bobot tidak berisi wilayah.")})
    return regions


@transaction.atomic
def set_regions(actor, campaign: Campaign, regions) -> list[CampaignRegion]:
    """Replace the campaign's quota regions; `regions` is [(code, weight)]. Quotas of regions
    that stay are kept; applications are re-attached to their quota region."""
    require_national(actor)
    if campaign.selected_at:
        raise ValidationError({"regions": _("Seleksi sudah dijalankan; wilayah tidak dapat diubah lagi.")})
    wanted: dict[str, Decimal] = {}
    errors = []
    for code, weight in regions:
        code = str(code).strip()
        if code in wanted:
            errors.append(_("Wilayah %(c)s disebut dua kali.") % {"c": code})
        weight = Decimal(weight or 0)
        if weight < 0:
            errors.append(_("Bobot wilayah %(c)s tidak boleh negatif.") % {"c": code})
        elif not weight.is_finite() or weight >= MAX_WEIGHT:
            errors.append(_("Bobot wilayah %(c)s terlalu besar (maksimum %(m)s).") % {"c": code, "m": MAX_WEIGHT - 1})
        wanted[code] = weight.quantize(Decimal("0.01")) if weight.is_finite() and weight < MAX_WEIGHT else weight
    found = {r.code: r for r in Region.objects.filter(code__in=list(wanted))}
    for code in wanted:
        region = found.get(code)
        if region is None:
            errors.append(_("Kode wilayah tidak dikenal: %(c)s") % {"c": code[:20]})
        elif region.level > 3:
            errors.append(_("%(r)s: kuota dibagi per provinsi, kabupaten/kota atau kecamatan, bukan desa.")
                          % {"r": region})
    codes = sorted(found)
    for a in codes:
        for b in codes:
            if a != b and b.startswith(a + "."):
                errors.append(_("%(b)s berada di dalam %(a)s: wilayah kuota tidak boleh bertumpuk.") % {"a": a, "b": b})
    if not wanted:
        errors.append(_("Pilih setidaknya satu wilayah."))
    if errors:
        raise ValidationError({"regions": errors})
    existing = {cr.region_id: cr for cr in campaign.quota_regions.all()}
    before = {code: str(cr.weight) for code, cr in existing.items()}
    campaign.quota_regions.exclude(region_id__in=list(wanted)).delete()
    rows = []
    for code, weight in wanted.items():
        cr = existing.get(code) or CampaignRegion(campaign=campaign, region_id=code)
        cr.weight = weight
        rows.append(cr)
    CampaignRegion.objects.bulk_create([r for r in rows if r.pk is None])
    CampaignRegion.objects.bulk_update([r for r in rows if r.pk is not None], ["weight"])
    attach_quota_regions(campaign)
    after = {code: str(w.quantize(Decimal("0.01"))) for code, w in wanted.items()}
    changes = {code: [before.get(code), after.get(code)] for code in sorted(set(before) | set(after))
               if before.get(code) != after.get(code)}
    if changes:
        audit.record(actor, "set_regions", campaign, changes)
    return rows


def attach_quota_regions(campaign: Campaign, applications=None) -> None:
    """Point each application at the campaign region containing its domicile (None: outside)."""
    qs = applications if applications is not None else Application.objects.filter(campaign=campaign)
    qs.update(quota_region=None)
    for code in campaign.quota_regions.values_list("region_id", flat=True):
        qs.filter(subtree_q("domicile__code", code)).update(quota_region_id=code)


def quota_region_of(campaign: Campaign, village_code: str) -> str | None:
    codes = set(campaign.quota_regions.values_list("region_id", flat=True))
    parts = village_code.split(".")
    for i in range(1, len(parts) + 1):
        code = ".".join(parts[:i])
        if code in codes:
            return code
    return None


def _lookup_names() -> set[str]:
    from django.db.models import JSONField
    from django.db.models.fields.json import KeyTransform

    return set(JSONField.get_lookups()) | set(KeyTransform.get_lookups())


def _taken_headers(campaign: Campaign) -> set[str]:
    """Headers an import already reads: a new statement becomes a column beside them."""
    from sukarela.recruitment.columns import SCORE_COLUMNS, applicant_columns

    return {header_key(name) for col in applicant_columns(campaign) + SCORE_COLUMNS
            for name in (col.key, col.header, *col.aliases)}


@transaction.atomic
def add_rule(actor, campaign: Campaign, *, key: str, statement: str, required_answer: bool = True) -> DeclarationRule:
    require_national(actor)
    key = (key or "").strip().lower()
    errors = {}
    # The key names a JSON key in screening's queries and a column in imports, so it must not
    # read as a query lookup ("in", "isnull", "a__b") nor as a header the import already knows.
    if not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", key) or not 2 <= len(key) <= 40:
        errors["key"] = _("Kode aturan: 2–40 huruf kecil atau angka, diawali huruf, dipisah satu garis bawah.")
    elif campaign.declaration_rules.filter(key=key).exists():
        errors["key"] = _("Kode aturan '%(k)s' sudah ada.") % {"k": key}
    elif key in RESERVED_KEYS or key in _lookup_names() or key in _taken_headers(campaign):
        errors["key"] = _("Kode '%(k)s' sudah dipakai kolom baku; pilih kode lain.") % {"k": key}
    if not (statement or "").strip():
        errors["statement"] = _("Pernyataan wajib diisi.")
    elif header_key(statement) in _taken_headers(campaign):
        errors["statement"] = _("Pernyataan ini sama dengan judul kolom yang sudah ada.")
    if errors:
        raise ValidationError(errors)
    rule = DeclarationRule.objects.create(
        campaign=campaign, key=key, statement=statement.strip()[:200], required_answer=bool(required_answer))
    audit.record(actor, "add_rule", campaign,
                 {f"rule:{key}": [None, f"{rule.statement} = {'ya' if rule.required_answer else 'tidak'}"]})
    return rule


@transaction.atomic
def delete_rule(actor, rule: DeclarationRule) -> None:
    require_national(actor)
    audit.record(actor, "delete_rule", rule.campaign, {f"rule:{rule.key}": [rule.statement, None]})
    rule.delete()

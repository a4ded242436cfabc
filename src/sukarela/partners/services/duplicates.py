"""Duplicate detection on entry (form, API and import): a new partner is a likely duplicate of an
existing one of the same type whose name key is equal or very similar (rapidfuzz's token-sort
ratio ≥ FUZZY_MIN). Candidates come from a cheap prefilter — same type, and the same first word or
the same words after it — so the check stays fast with 10,000 partners and a typo in the first
word ("Bnak Rakyat Indonesia") still meets its partner.

A similar but not equal key is not counted when the names differ only in compass words ("Kabupaten
Bandung" / "Kabupaten Bandung Barat", "Jawa Barat" / "Jawa Timur": other regions' offices), nor
when both partners have a home region at the same level and the regions differ (the BRI branch of
Bogor and that of Bekasi).

The whole register is compared, not only the partners the actor sees: two offices registering
the same bank is the duplicate this exists to stop, and an institution's name and home region are
not personal data."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from sukarela.partners.models import Partner

FUZZY_MIN = 90
# Words that name a different region when they are all that differs (Indonesian compass points and
# the "barat daya" / "barat laut" compounds).
COMPASS = frozenset({"barat", "timur", "utara", "selatan", "tengah", "daya", "laut"})


@dataclass(frozen=True)
class Known:
    """What a duplicate message names: a stored partner, or an earlier row of an import."""

    pk: int | None
    name: str
    where: str
    key: str
    region: str | None = None  # the home region's code


def first_token(key: str) -> str:
    return key.split(" ", 1)[0]


def tail(key: str) -> str:
    """The key without its first word (the key itself when it is one word): a typo in the first word
    ("Bnak Rakyat Indonesia") leaves the tail whole."""
    parts = key.split(" ", 1)
    return parts[1] if len(parts) > 1 else key


def _level(code: str) -> int:
    return code.count(".")


ROMAN = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})


def _only_compass(key: str, other: str) -> bool:
    """The keys differ only in compass words ("Bandung" / "Bandung Barat") or in numbers ("SMK
    Negeri 1 Bogor" / "SMK Negeri 2 Bogor"): two institutions, however alike the rest."""
    a, b = Counter(key.split()), Counter(other.split())
    differ = set((a - b) + (b - a))
    return bool(differ) and all(w in COMPASS or w in ROMAN or w.isdigit() for w in differ)


def similar(key: str, other: str, region: str | None = None, other_region: str | None = None) -> bool:
    if key == other:
        return True
    if fuzz.token_sort_ratio(key, other) < FUZZY_MIN or _only_compass(key, other):
        return False
    return not (region and other_region and region != other_region and _level(region) == _level(other_region))


def _where(partner: Partner) -> str:
    return partner.region.name.title() if partner.region_id else partner.get_reach_display()


def _known(partner: Partner) -> Known:
    return Known(partner.pk, partner.name, _where(partner), partner.name_key, partner.region_id)


def _prefilter(key: str) -> Q:
    """Stored keys with the same first word, or equal to this key's tail or ending with it."""
    first, end = first_token(key), tail(key)
    return (Q(name_key=first) | Q(name_key__startswith=first + " ") | Q(name_key=end)
            | Q(name_key__endswith=" " + end))


def _stored():
    return Partner.objects.select_related("region").only("pk", "name", "name_key", "reach", "kind_id",
                                                         "region__name")


def candidates(kind_id: str, key: str, exclude_pk=None) -> list[Known]:
    qs = _stored().filter(_prefilter(key), kind_id=kind_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return [_known(p) for p in qs]


def matches(key: str, known, region: str | None = None) -> list[Known]:
    return [k for k in known if similar(key, k.key, region, k.region)]


def find(kind_id: str, key: str, exclude_pk=None, region: str | None = None) -> list[Known]:
    """The stored partners of type `kind_id` that a partner keyed `key` (home region code `region`)
    would likely duplicate."""
    if not key or not kind_id:
        return []
    return matches(key, candidates(kind_id, key, exclude_pk), region)


class Register:
    """The register of the given types read once, indexed like the prefilter, for an import: rows
    are checked against it and added to it, so a file's duplicates of its own earlier rows are found
    too — one query for the whole file instead of one per row."""

    def __init__(self, kind_ids):
        self._by = defaultdict(list)
        for p in _stored().filter(kind_id__in=sorted(set(kind_ids))).iterator(chunk_size=2000):
            self.add(p.kind_id, _known(p))

    def add(self, kind_id: str, known: Known) -> None:
        words = known.key.split(" ")
        self._by[(kind_id, "first", words[0])].append(known)
        self._by[(kind_id, "key", known.key)].append(known)
        for start in range(1, len(words)):  # every proper ending: what `endswith` finds in the database
            self._by[(kind_id, "ending", " ".join(words[start:]))].append(known)

    def find(self, kind_id: str, key: str, region: str | None = None) -> list[Known]:
        """Like `find`, over the register and the rows added since (the same prefilter)."""
        if not key or not kind_id:
            return []
        end = tail(key)
        found = [k for slot in (("first", first_token(key)), ("key", end), ("ending", end))
                 for k in self._by.get((kind_id, *slot), ())]
        return matches(key, list({id(k): k for k in found}.values()), region)


def message(found) -> str:
    names = "; ".join(f"{k.name}, {k.where}" for k in found[:5]) + ("; …" if len(found) > 5 else "")
    return _("Kemungkinan duplikat: %(names)s. Periksa daftar mitra; jika memang lembaga yang berbeda, centang "
             "“bukan duplikat”.") % {"names": names}


def audit_value(found) -> str:
    return ", ".join(f"{k.name} (#{k.pk})" if k.pk else k.name for k in found)[:500]

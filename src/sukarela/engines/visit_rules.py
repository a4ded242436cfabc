"""Field visits: the catalogue of TKS roles and tasks (with each task's structured fields) and the
rules a visit submitted from the phone must pass. No Django: the service gives the context (the
group as the database knows it, the clock, the limits) and gets back clean values or problems.

`validate(payload, context) -> (clean, problems)`. The payload is JSON-shaped (strings for times,
dates and UUIDs; parsed values are accepted too, so a caller that already parsed loses nothing).
Each problem names its field as a dotted path ("started_at", "roles.1", "details.kemitraan.partner",
"photos.0.size") and carries an Indonesian message template with its parameters, so the web layer
can translate it (templates are marked with `gettext_noop` for makemessages). Every failing field
is reported, one problem per field; `clean` is only meaningful when there are no problems.

Also here: the visit-level flag rules, a visit far from its group's point and two visits of one
TKS overlapping in time.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sukarela.engines.matching.geo import haversine_km


def gettext_noop(text: str) -> str:
    """Marks a string for translation (makemessages finds it by this name); translated later."""
    return text


# --- the catalogue ------------------------------------------------------------------------------

KINDS = (("kunjungan", gettext_noop("Kunjungan")), ("kegiatan", gettext_noop("Kegiatan kelompok")))

ROLES = (
    ("motivator", gettext_noop("Motivator")),
    ("fasilitator", gettext_noop("Fasilitator")),
    ("mediator", gettext_noop("Mediator")),
    ("inovator", gettext_noop("Inovator")),
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str  # text | int | choice | date
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    min: int | None = None  # int fields
    max_length: int = 300  # text fields


@dataclass(frozen=True)
class TaskSpec:
    value: str
    label: str
    fields: tuple[FieldSpec, ...]


PARTNER_TYPES = (
    ("bank", gettext_noop("Bank")), ("bumn", gettext_noop("BUMN")), ("pemda", gettext_noop("Pemerintah daerah")),
    ("blk", gettext_noop("BLK")), ("pendidikan", gettext_noop("Lembaga pendidikan")),
    ("pemberdayaan", gettext_noop("Lembaga pemberdayaan")), ("swasta", gettext_noop("Swasta")),
    ("lainnya", gettext_noop("Lainnya")),
)
PURPOSES = (
    ("pinjaman", gettext_noop("Pinjaman")), ("pelatihan", gettext_noop("Pelatihan")),
    ("pasar", gettext_noop("Pemasaran")), ("peralatan", gettext_noop("Peralatan")),
    ("perizinan", gettext_noop("Perizinan")), ("pendampingan", gettext_noop("Pendampingan")),
)
OUTCOMES = (
    ("dihubungi", gettext_noop("Baru dihubungi")), ("sepakat", gettext_noop("Sepakat bekerja sama")),
    ("terealisasi", gettext_noop("Terealisasi")), ("gagal", gettext_noop("Tidak berhasil")),
)
SUPPORTS = (
    ("kredit", gettext_noop("Kredit/pinjaman")), ("izin", gettext_noop("Perizinan")),
    ("pasar", gettext_noop("Akses pasar")), ("peralatan", gettext_noop("Peralatan")),
)
SUPPORT_STATUSES = (
    ("diajukan", gettext_noop("Diajukan")), ("diproses", gettext_noop("Diproses")),
    ("disetujui", gettext_noop("Disetujui")), ("ditolak", gettext_noop("Ditolak")), ("cair", gettext_noop("Cair")),
)

TASKS = (
    TaskSpec("usaha", gettext_noop("Pengembangan usaha"), (
        FieldSpec("topic", gettext_noop("Topik pendampingan"), "text", required=True),
        FieldSpec("result", gettext_noop("Hasil"), "text"),
    )),
    TaskSpec("kemitraan", gettext_noop("Jejaring kemitraan"), (
        FieldSpec("partner", gettext_noop("Mitra yang dihubungi"), "text", required=True),
        FieldSpec("partner_type", gettext_noop("Jenis mitra"), "choice", choices=PARTNER_TYPES),
        FieldSpec("purpose", gettext_noop("Tujuan"), "choice", choices=PURPOSES),
        FieldSpec("outcome", gettext_noop("Hasil"), "choice", required=True, choices=OUTCOMES),
        FieldSpec("note", gettext_noop("Keterangan"), "text"),
    )),
    TaskSpec("kapasitas", gettext_noop("Peningkatan kapasitas"), (
        FieldSpec("training", gettext_noop("Pelatihan yang diberikan"), "text", required=True),
        FieldSpec("trainer", gettext_noop("Pelatih"), "text"),
        FieldSpec("attendees", gettext_noop("Jumlah peserta"), "int", required=True, min=0),
    )),
    TaskSpec("akses", gettext_noop("Akses dukungan usaha"), (
        FieldSpec("support", gettext_noop("Jenis dukungan"), "choice", required=True, choices=SUPPORTS),
        FieldSpec("provider", gettext_noop("Pemberi dukungan"), "text"),
        FieldSpec("amount", gettext_noop("Nilai (Rp)"), "int", min=0),
        FieldSpec("applied_on", gettext_noop("Tanggal pengajuan"), "date"),
        FieldSpec("status", gettext_noop("Status"), "choice", required=True, choices=SUPPORT_STATUSES),
    )),
)
TASK_BY_VALUE = {t.value: t for t in TASKS}
ROLE_VALUES = frozenset(v for v, _ in ROLES)
KIND_VALUES = frozenset(v for v, _ in KINDS)

# Indonesia's bounding box (Sabang to Merauke, Rote to Miangas), generous by a little.
LAT_RANGE = (-11.0, 6.5)
LON_RANGE = (94.5, 141.5)
DURATION_RANGE = (1, 720)
CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone clock a little ahead is not "the future"
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
MAX_INT = 10**13  # rupiah amounts: far above any group's, far below the columns' 14 digits
SMALL_INT = 32767  # counts of people (PositiveSmallIntegerField)
MAX_LIST = 200
MAX_FOLLOW_UPS = 20
INDICATOR_MONEY = ("turnover", "capital", "price", "aid_spent_tools", "aid_spent_materials")
INDICATOR_COUNTS = ("active_members", "new_workers")
INDICATOR_KEYS = frozenset({"id", *INDICATOR_MONEY, *INDICATOR_COUNTS, "products", "lpj_done"})
# Dates a TKS types (a follow-up's due day, a loan's application day): a year typed wrong (0025,
# 2205) is refused rather than stored, so lists sorted by date and "overdue" stay meaningful.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_AFTER_VISIT = dt.timedelta(days=731)  # two years after the visit
HEX64 = re.compile(r"[0-9a-f]{64}")

M = {
    "required": gettext_noop("Wajib diisi."),
    "text": gettext_noop("Harus berupa teks."),
    "too_long": gettext_noop("Terlalu panjang: paling banyak %(max)d karakter."),
    "nul": gettext_noop("Tidak boleh memuat karakter NUL."),
    "int": gettext_noop("Harus berupa bilangan bulat."),
    "number": gettext_noop("Harus berupa angka."),
    "min": gettext_noop("Tidak boleh kurang dari %(min)s."),
    "range": gettext_noop("Harus antara %(min)s dan %(max)s."),
    "bool": gettext_noop("Harus benar atau salah."),
    "uuid": gettext_noop("Harus berupa UUID."),
    "choice": gettext_noop("Pilihan tidak dikenal: %(value)s."),
    "list": gettext_noop("Harus berupa daftar."),
    "object": gettext_noop("Harus berupa objek."),
    "too_many": gettext_noop("Paling banyak %(max)d."),
    "duplicate": gettext_noop("Tercantum lebih dari sekali."),
    "datetime": gettext_noop("Harus berupa waktu ISO 8601 dengan zona waktu, mis. 2025-03-01T09:30:00+07:00."),
    "date": gettext_noop("Harus berupa tanggal ISO, mis. 2025-03-01."),
    "future": gettext_noop("Waktu kunjungan tidak boleh di masa depan."),
    "too_old": gettext_noop("Kunjungan lebih dari %(days)d hari yang lalu tidak dapat dikirim."),
    "group": gettext_noop("Kelompok ini tidak sedang Anda dampingi."),
    "point_pair": gettext_noop("Lintang dan bujur harus diisi keduanya atau dikosongkan keduanya."),
    "accuracy_alone": gettext_noop("Akurasi GPS hanya berarti bersama lintang dan bujur."),
    "outside": gettext_noop("Di luar wilayah Indonesia (%(min)s sampai %(max)s)."),
    "one_role": gettext_noop("Pilih sedikitnya satu peran."),
    "one_task": gettext_noop("Pilih sedikitnya satu tugas."),
    "role": gettext_noop("Peran tidak dikenal: %(value)s."),
    "task": gettext_noop("Tugas tidak dikenal: %(value)s."),
    "task_not_chosen": gettext_noop("Rincian untuk tugas yang tidak dipilih."),
    "field": gettext_noop("Isian tidak dikenal untuk tugas ini: %(value)s."),
    "unknown_task": gettext_noop("Rincian untuk tugas yang tidak dikenal: %(value)s."),
    "date_range": gettext_noop("Tanggal harus antara %(min)s dan %(max)s."),
    "innovation": gettext_noop("Wajib diisi bila peran inovator dipilih."),
    "title": gettext_noop("Judul wajib diisi untuk kegiatan kelompok."),
    "member": gettext_noop("Bukan anggota kelompok ini."),
    "photo_type": gettext_noop("Jenis foto harus image/jpeg, image/png atau image/webp."),
    "photo_size": gettext_noop("Ukuran foto harus 1 sampai %(max)d bita."),
    "sha256": gettext_noop("Harus berupa SHA-256 (64 digit heksadesimal huruf kecil)."),
    "indicator_key": gettext_noop("Isian indikator tidak dikenal: %(value)s."),
}


@dataclass(frozen=True)
class Problem:
    """One failing field: `path` (dotted) and an Indonesian message (template % params)."""

    path: str
    template: str
    params: Mapping = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params if self.params else self.template

    def __iter__(self):  # `for path, message in problems`
        return iter((self.path, self.message))


@dataclass(frozen=True)
class GroupInfo:
    """What the database knows of the visited group: its point and who may be marked present."""

    lat: float | None
    lon: float | None
    member_ids: frozenset[int]


@dataclass(frozen=True)
class Context:
    now: dt.datetime  # aware
    groups: Mapping[int, GroupInfo]  # the groups this TKS may report on (usually just the one asked for)
    max_past_days: int = 90
    max_photos: int = 5
    max_photo_bytes: int = 1_500_000


# --- value checks: each returns the clean value or raises _Bad(template, params) --------------------

class _Bad(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def _text(value, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _Bad("text")
    value = value.strip()
    if "\x00" in value:
        raise _Bad("nul")
    if len(value) > max_length:
        raise _Bad("too_long", max=max_length)
    if required and not value:
        raise _Bad("required")
    return value


def _int(value, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _Bad("int")
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise _Bad("range", min=lo, max=hi)
    if lo is not None and value < lo:
        raise _Bad("min", min=lo)
    return value


def _float(value, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN
        raise _Bad("number")
    try:
        value = float(value)
    except OverflowError:  # an int past float's range
        raise _Bad("number") from None
    if not lo <= value <= hi:
        raise _Bad("outside", min=lo, max=hi)
    return value


def _uuid(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value)) if isinstance(value, str) else _raise("uuid")
    except ValueError:
        raise _Bad("uuid") from None


def _raise(key):
    raise _Bad(key)


def _datetime(value) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Bad("datetime") from None
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise _Bad("datetime")
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:  # 0001-01-01T00:30+07:00 or 9999-12-31T23:30-07:00: no such instant in UTC
        raise _Bad("datetime") from None


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Bad("date")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _Bad("date") from None
    if not isinstance(value, dt.date):
        raise _Bad("date")
    return value


def _date_between(value, latest: dt.date) -> dt.date:
    value = _date(value)
    if not EARLIEST_DATE <= value <= latest:
        raise _Bad("date_range", min=EARLIEST_DATE.isoformat(), max=latest.isoformat())
    return value


def _list(value, max_items: int | None = None) -> list:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise _Bad("list")
    if max_items is not None and len(value) > max_items:
        raise _Bad("too_many", max=max_items)
    return list(value)


class _Collector:
    """Runs checks and gathers one problem per failing path."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, key: str, **params) -> None:
        self.problems.append(Problem(path, M[key], params))

    def check(self, path: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _Bad as bad:
            self.problems.append(Problem(path, M[bad.key], bad.params))
            return None


# --- the rules ---------------------------------------------------------------------------------------

def _values(c: _Collector, payload: Mapping, path: str, allowed: frozenset[str], kind: str) -> list[str]:
    """A list of catalogue values, de-duplicated in order; unknown ones named by their index."""
    out = []
    items = c.check(path, _list, payload.get(path), 10)
    for i, value in enumerate(items or ()):
        if not isinstance(value, str) or value not in allowed:
            c.add(f"{path}.{i}", kind, value=str(value)[:40])
        elif value not in out:
            out.append(value)
    if items is not None and not items:
        c.add(path, "one_role" if kind == "role" else "one_task")
    return out


def _key(value) -> str:
    """A client's key quoted in a message (never in a path: paths are the catalogue's own names)."""
    return str(value)[:40]


def _task_field(c: _Collector, path: str, spec: FieldSpec, value, latest: dt.date):
    if value is None or value == "":
        if spec.required:
            c.add(path, "required")
        return None
    if spec.type == "text":
        return c.check(path, _text, value, spec.max_length, spec.required)
    if spec.type == "int":
        return c.check(path, _int, value, spec.min, MAX_INT)
    if spec.type == "date":
        clean = c.check(path, _date_between, value, latest)
        return clean.isoformat() if clean else None
    # choice: a list or an object is no choice (and could not be looked up in a set)
    if not isinstance(value, str) or value not in {v for v, _ in spec.choices}:
        c.add(path, "choice", value=_key(value))
        return None
    return value


def _details(c: _Collector, payload: Mapping, tasks: list[str], latest: dt.date) -> dict:
    """{task: {field: value}} of the chosen tasks. A key the catalogue does not know is named in
    the message at "details" (or "details.<task>" for a field), never made part of the path: a
    client's key can hold dots or digits that would split the path wrongly."""
    raw = payload.get("details") or {}
    if not isinstance(raw, Mapping):
        c.add("details", "object")
        return {}
    clean = {}
    for task in raw:
        if task not in TASK_BY_VALUE:
            c.add("details", "unknown_task", value=_key(task))
        elif task not in tasks:
            c.add(f"details.{task}", "task_not_chosen")
    for task in tasks:
        given = raw.get(task) or {}
        if not isinstance(given, Mapping):
            c.add(f"details.{task}", "object")
            continue
        spec = TASK_BY_VALUE[task]
        names = {f.name for f in spec.fields}
        for name in given:
            if name not in names:
                c.add(f"details.{task}", "field", value=_key(name))
        values = {}
        for f in spec.fields:
            value = _task_field(c, f"details.{task}.{f.name}", f, given.get(f.name), latest)
            if value not in (None, ""):
                values[f.name] = value
        clean[task] = values
    return clean


def _point(c: _Collector, payload: Mapping) -> tuple:
    lat, lon, acc = payload.get("lat"), payload.get("lon"), payload.get("accuracy_m")
    if (lat is None) != (lon is None):
        c.add("lon" if lon is None else "lat", "point_pair")
        return None, None, None
    if lat is None:
        if acc is not None:
            c.add("accuracy_m", "accuracy_alone")
        return None, None, None
    lat = c.check("lat", _float, lat, *LAT_RANGE)
    lon = c.check("lon", _float, lon, *LON_RANGE)
    if acc is not None:
        acc = c.check("accuracy_m", _float, acc, 0.0, 100_000.0)
    return lat, lon, acc


def _started(c: _Collector, payload: Mapping, context: Context):
    started = c.check("started_at", _datetime, payload.get("started_at"))
    if started is None:
        if payload.get("started_at") is None:
            c.problems[-1] = Problem("started_at", M["required"])
        return None
    if started > context.now + CLOCK_SKEW:
        c.add("started_at", "future")
    elif started < context.now - dt.timedelta(days=context.max_past_days):
        c.add("started_at", "too_old", days=context.max_past_days)
    return started


def _attendance(c: _Collector, payload: Mapping, group: GroupInfo | None) -> list[int]:
    out = []
    for i, value in enumerate(c.check("attendance", _list, payload.get("attendance"), MAX_LIST) or ()):
        member = c.check(f"attendance.{i}", _int, value, 1)
        if member is None:
            continue
        if group is not None and member not in group.member_ids:
            c.add(f"attendance.{i}", "member")
        elif member not in out:
            out.append(member)
    return out


def _follow_ups(c: _Collector, payload: Mapping, latest: dt.date) -> list[dict]:
    out = []
    for i, item in enumerate(c.check("follow_ups", _list, payload.get("follow_ups"), MAX_FOLLOW_UPS) or ()):
        if not isinstance(item, Mapping):
            c.add(f"follow_ups.{i}", "object")
            continue
        action = c.check(f"follow_ups.{i}.action", _text, item.get("action"), 300, True)
        due = c.check(f"follow_ups.{i}.due_on", _date_between, item.get("due_on"), latest) \
            if item.get("due_on") is not None \
            else c.add(f"follow_ups.{i}.due_on", "required")
        if action and due:
            out.append({"action": action, "due_on": due.isoformat()})
    return out


def _indicators(c: _Collector, payload: Mapping) -> dict | None:
    raw = payload.get("indicators")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        c.add("indicators", "object")
        return None
    clean = {}
    for key in raw:
        if key not in INDICATOR_KEYS:
            c.add("indicators", "indicator_key", value=_key(key))
    ident = c.check("indicators.id", _uuid, raw.get("id"))
    clean["id"] = str(ident) if ident else None
    for key in INDICATOR_MONEY:
        clean[key] = None if raw.get(key) is None else c.check(f"indicators.{key}", _int, raw[key], 0, MAX_INT)
    for key in INDICATOR_COUNTS:
        clean[key] = None if raw.get(key) is None else c.check(f"indicators.{key}", _int, raw[key], 0, SMALL_INT)
    clean["products"] = c.check("indicators.products", _text, raw.get("products"), 200) or ""
    lpj = raw.get("lpj_done", False)
    if not isinstance(lpj, bool):
        c.add("indicators.lpj_done", "bool")
    clean["lpj_done"] = lpj is True
    return clean


def _photos(c: _Collector, payload: Mapping, context: Context) -> list[dict]:
    out, seen = [], set()
    for i, item in enumerate(c.check("photos", _list, payload.get("photos"), context.max_photos) or ()):
        path = f"photos.{i}"
        if not isinstance(item, Mapping):
            c.add(path, "object")
            continue
        ident = c.check(f"{path}.id", _uuid, item.get("id"))
        if ident is not None and ident in seen:
            c.add(f"{path}.id", "duplicate")
        size = c.check(f"{path}.size", _int, item.get("size"), 1, context.max_photo_bytes)
        if size is None and c.problems[-1].path == f"{path}.size":
            c.problems[-1] = Problem(f"{path}.size", M["photo_size"], {"max": context.max_photo_bytes})
        sha = item.get("sha256")
        if not isinstance(sha, str) or not HEX64.fullmatch(sha):
            c.add(f"{path}.sha256", "sha256")
        kind = item.get("content_type")
        known_type = isinstance(kind, str) and kind in PHOTO_TYPES
        if not known_type:
            c.add(f"{path}.content_type", "photo_type")
        if ident is not None and ident not in seen and size and isinstance(sha, str) and known_type:
            out.append({"id": str(ident), "size": size, "sha256": sha, "content_type": kind})
        if ident is not None:
            seen.add(ident)
    return out


def validate(payload: Mapping, context: Context) -> tuple[dict, list[Problem]]:
    """Checks a visit submission; returns (clean values, problems). JSON-ready clean values: the
    UUIDs, times and dates as ISO strings (times in UTC), so the clean dict is also the canonical
    form a submission's digest is taken over."""
    c = _Collector()
    if not isinstance(payload, Mapping):
        return {}, [Problem("body", M["object"])]
    clean: dict = {}
    ident = c.check("id", _uuid, payload.get("id"))
    clean["id"] = str(ident) if ident else None
    group_id = c.check("group", _int, payload.get("group"), 1) if payload.get("group") is not None \
        else c.add("group", "required")
    group = context.groups.get(group_id) if group_id is not None else None
    if group_id is not None and group is None:
        c.add("group", "group")
    clean["group"] = group_id
    kind = payload.get("kind") or "kunjungan"
    if not isinstance(kind, str) or kind not in KIND_VALUES:
        c.add("kind", "choice", value=_key(kind))
    clean["kind"] = kind
    clean["title"] = c.check("title", _text, payload.get("title"), 150)
    if kind == "kegiatan" and clean["title"] == "":
        c.add("title", "title")
    clean["place"] = c.check("place", _text, payload.get("place"), 150)
    started = _started(c, payload, context)
    clean["started_at"] = started.isoformat() if started else None
    duration = payload.get("duration_minutes")
    clean["duration_minutes"] = c.check("duration_minutes", _int, duration, *DURATION_RANGE) \
        if duration is not None else c.add("duration_minutes", "required")
    clean["lat"], clean["lon"], clean["accuracy_m"] = _point(c, payload)
    clean["roles"] = _values(c, payload, "roles", ROLE_VALUES, "role")
    clean["tasks"] = _values(c, payload, "tasks", frozenset(TASK_BY_VALUE), "task")
    # Dates typed with the visit may lie up to two years after it (the clock when its time is bad).
    latest = (started or context.now).date() + LATEST_AFTER_VISIT
    clean["details"] = _details(c, payload, clean["tasks"], latest)
    clean["notes"] = c.check("notes", _text, payload.get("notes"), 5000)
    clean["innovation"] = c.check("innovation", _text, payload.get("innovation"), 2000)
    if "inovator" in clean["roles"] and clean["innovation"] == "":
        c.add("innovation", "innovation")
    clean["attendance"] = _attendance(c, payload, group)
    clean["follow_ups"] = _follow_ups(c, payload, latest)
    clean["indicators"] = _indicators(c, payload)
    clean["photos"] = _photos(c, payload, context)
    return clean, _first_per_path(c.problems)


def validate_indicators(values) -> tuple[dict | None, list[Problem]]:
    """The indicator snapshot alone (a monthly record outside a visit), paths as in a visit."""
    c = _Collector()
    if values is None:
        return None, [Problem("indicators", M["required"])]
    clean = _indicators(c, {"indicators": values})
    return clean, _first_per_path(c.problems)


def _first_per_path(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p.path not in seen:
            seen.add(p.path)
            out.append(p)
    return out


# --- flags -------------------------------------------------------------------------------------------

def km_from_group(lat, lon, group_lat, group_lon) -> float | None:
    """Great-circle km from the visit's point to the group's, when both are known."""
    if None in (lat, lon, group_lat, group_lon):
        return None
    return float(haversine_km(lat, lon, group_lat, group_lon))


def is_far(km: float | None, accuracy_m: float | None, far_km: float) -> bool:
    """Farther than `far_km` beyond what the GPS accuracy can explain."""
    return km is not None and km > far_km + (accuracy_m or 0.0) / 1000.0


def overlaps(a_start: dt.datetime, a_minutes: int, b_start: dt.datetime, b_minutes: int) -> bool:
    """Whether [a_start, a_start + a_minutes) and [b_start, b_start + b_minutes) share a moment."""
    a_end = a_start + dt.timedelta(minutes=a_minutes)
    b_end = b_start + dt.timedelta(minutes=b_minutes)
    return a_start < b_end and b_start < a_end


def catalogue() -> dict:
    """The catalogue as the field app reads it (labels untranslated: the API layer translates)."""
    return {
        "kinds": [{"value": v, "label": label} for v, label in KINDS],
        "roles": [{"value": v, "label": label} for v, label in ROLES],
        "tasks": [{"value": t.value, "label": t.label, "fields": [
            {"name": f.name, "label": f.label, "type": f.type, "required": f.required,
             **({"choices": [{"value": v, "label": label} for v, label in f.choices]} if f.choices else {})}
            for f in t.fields]} for t in TASKS],
    }

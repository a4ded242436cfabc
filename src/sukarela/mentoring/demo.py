"""Demo programme, mentoring: about twenty weeks of field work by the posted TKS — visits to each
of their groups every one to three weeks with roles, tasks and their structured details, members
present, follow-up actions, group activities (a training at a BLK, a market fair), monthly
indicator snapshots whose trends differ by group (most grow, some decline, a few stop trading),
a few visits flagged (far from the group's point, overlapping another visit), review statuses
mixed, and a couple of groups left without a visit for weeks (so the flags page has content).
Every name and number is synthetic.

How it is written:
- The matching demo publishes its postings today; field history needs postings that began months
  ago, so the demo's open postings are dated back to the start of the history (audited).
- Visits of the last two weeks go through `services.visits.submit`, as a phone would send them
  (validated, flagged, audited).
- Older visits are refused by that service (older than SUKARELA_FIELD["max_past_days"]) and are
  the bulk of the volume: they are checked by the same rules (engines.visit_rules, judged as of
  the day they were recorded), flagged by the same rules, and written with `bulk_create` together
  with their follow-ups, snapshots and one audit event each.
- Monthly indicators without a visit that month go through `services.indicators.record` when the
  TKS still mentors the group, dated by the month.
- Reviews go through `services.review` (approve_many per reviewer, return_visit with a comment).

Idempotent: nothing is added when any posted TKS already has a visit.
"""

import datetime as dt
import uuid
from random import Random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core import audit
from sukarela.core.models import AuditEvent, User
from sukarela.core.roles import Role
from sukarela.engines import visit_rules
from sukarela.groups.models import IndicatorSnapshot, Member
from sukarela.mentoring.models import FollowUp, Visit
from sukarela.mentoring.services import review, visits
from sukarela.mentoring.services import indicators as indicator_services
from sukarela.regions.models import Region

HISTORY_DAYS = 140          # 20 weeks: the demo's field history starts this long ago
VIA_SERVICE_DAYS = 14       # visits this recent are submitted through the service
FATES = (("tumbuh", 0.72), ("menurun", 0.18), ("berhenti", 0.10))
TOPICS = ["Pencatatan keuangan sederhana", "Penetapan harga jual", "Perencanaan produksi mingguan",
          "Pengemasan dan label produk", "Pemasaran lewat media sosial", "Pembagian tugas anggota"]
PARTNERS = ["Bank BRI Unit Cibinong", "Koperasi Simpan Pinjam Sejahtera", "Dinas Koperasi dan UKM",
            "Toko Oleh-oleh Khas Daerah", "Rumah BUMN", "Pasar Induk Kecamatan"]
TRAININGS = ["Higiene dan sanitasi pangan", "Pembukuan usaha kecil", "Foto produk dengan ponsel",
             "Pengurusan NIB dan PIRT", "Teknik pengemasan vakum"]
PROVIDERS = ["BRI (KUR Mikro)", "DPMPTSP Kabupaten", "Dinas Perdagangan", "Baznas Kabupaten", "CSR Bank BJB"]
INNOVATIONS = ["Penjualan lewat lokapasar daring", "Kemasan standing pouch berlabel", "Pembukuan dengan aplikasi di HP",
               "Pengering tenaga surya sederhana", "Sistem pesan antar lewat WhatsApp"]
FOLLOW_UPS = ["Lengkapi buku kas harian", "Siapkan berkas pengajuan KUR", "Foto produk untuk katalog",
              "Hubungi pemasok bahan baku baru", "Rapat anggota bulanan", "Urus NIB lewat OSS"]
NOTES = ["Kelompok aktif, penjualan stabil.", "Anggota hadir lengkap; dibahas rencana produksi.",
         "Kendala bahan baku mahal; dicari pemasok lain.", "Ketua minta pendampingan pembukuan.",
         "Pesanan meningkat menjelang hari raya.", "Dua anggota jarang hadir; akan didatangi."]
PRODUCTS = {"pertanian-peternakan": ("Sayur hidroponik", 8_000), "perikanan-kelautan": ("Lele segar (kg)", 25_000),
            "jasa-boga": ("Keripik singkong", 15_000), "usaha-kreatif": ("Tas anyaman", 85_000),
            "perdagangan": ("Paket sembako", 120_000)}
ACTIVITIES = [("Pelatihan pengemasan di BLK", "BLK {regency}", "kapasitas"),
              ("Bazar UMKM hari jadi kabupaten", "Alun-alun {regency}", "akses")]
RETURN_COMMENTS = ["Lokasi GPS jauh dari titik kelompok; mohon jelaskan di catatan.",
                   "Daftar hadir belum sesuai; mohon periksa anggota yang hadir.",
                   "Rincian tugas terlalu singkat; tuliskan hasil pendampingan."]


def build(ctx) -> None:
    if ctx.system is None:
        return
    postings = list(Posting.objects.filter(ends_on__isnull=True).select_related("group", "group__village",
                                                                                 "group__sector", "mentor")
                    .order_by("mentor_id", "group_id"))
    if not postings or Visit.objects.filter(tks_id__in={p.mentor_id for p in postings}).exists():
        return
    with transaction.atomic():  # all or nothing: a half-built history would be skipped by the next run
        _history(ctx, postings)


def _history(ctx, postings) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    _date_back(ctx.system, postings, start)
    members = {}
    for gid, mid in Member.objects.filter(group__in=[p.group_id for p in postings], active=True).values_list(
            "group_id", "pk").order_by("group_id", "pk"):
        members.setdefault(gid, []).append(mid)
    rng = Random(2026)
    how_many = max(2 if len(postings) >= 20 else 1, round(len(postings) * 0.04))
    quiet = {p.group_id for p in rng.sample(postings, k=how_many)}
    plan = Plan(rng, today, start, members, quiet)
    plan.regencies = dict(Region.objects.filter(code__in={p.group.village_id[:5] for p in postings})
                          .values_list("code", "name"))
    for mentor_postings in _by_mentor(postings):
        plan.mentor(mentor_postings)
    plan.write(ctx.system)
    _review(ctx, rng, plan.visit_ids, today)
    ctx.out.write(f"  pendampingan: {len(plan.visit_ids)} kunjungan/kegiatan, {plan.snapshots} catatan indikator "
                  f"({start:%d-%m-%Y} s.d. {today:%d-%m-%Y})")


def _by_mentor(postings):
    out: dict[int, list] = {}
    for p in postings:
        out.setdefault(p.mentor_id, []).append(p)
    return list(out.values())


def _date_back(actor, postings, start: dt.date) -> None:
    late = [p for p in postings if p.starts_on > start]
    Posting.objects.filter(pk__in=[p.pk for p in late]).update(starts_on=start)
    AuditEvent.objects.bulk_create([AuditEvent(
        actor=actor, actor_label=audit.actor_label(actor), action="update", target_type=Posting._meta.label_lower,
        target_id=str(p.pk), target_label=Posting.describe(p.mentor_id, p.group_id, start, None),
        changes={"starts_on": [p.starts_on.isoformat(), start.isoformat()]}) for p in late])
    for p in late:
        p.starts_on = start


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


class Plan:
    """Every visit and snapshot of the history, made in memory, then written in one go."""

    def __init__(self, rng: Random, today: dt.date, start: dt.date, members: dict, quiet: set[int]):
        self.rng, self.today, self.start, self.members, self.quiet = rng, today, start, members, quiet
        self.payloads: list[tuple[User, dict, object]] = []  # (tks, payload, group)
        self.monthly: list[tuple[User, object, dict, dt.date]] = []  # snapshots outside a visit
        self.visit_ids: list[uuid.UUID] = []
        self.snapshots = 0
        self.overlaps_left = 4
        self.regencies: dict[str, str] = {}

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def mentor(self, postings) -> None:
        rng, tks = self.rng, postings[0].mentor
        busy: dict[dt.date, tuple[int, int]] = {}  # a day of the TKS: (free again at, last start), minutes
        for posting in postings:
            group = posting.group
            fate = rng.choices([f for f, _w in FATES], [w for _f, w in FATES])[0]
            last = self.today - dt.timedelta(days=1)
            if group.pk in self.quiet:  # no visit for the last 5-7 weeks
                last = self.today - dt.timedelta(days=rng.randint(36, 50))
            days, day = [], self.start + dt.timedelta(days=rng.randint(0, 12))
            while day <= last:
                if day.weekday() > 4:  # a weekend: the Monday after
                    day += dt.timedelta(days=7 - day.weekday())
                    continue
                days.append(day)
                day += dt.timedelta(days=rng.randint(8, 20))
            first_in_month: dict[tuple[int, int], dt.date] = {}
            for day in days:
                first_in_month.setdefault((day.year, day.month), day)
            # Indicators once a month, in month order (the trend moves month by month): at the
            # month's first visit, else recorded on their own near the month's end.
            trend, indicators_on = Trend(rng, group, fate, len(self.members.get(group.pk, []))), {}
            for month in _months(self.start, last):
                values = trend.month(self._uuid())
                if month in first_in_month:
                    indicators_on[first_in_month[month]] = values
                else:
                    recorded = min(last, max(self.start, dt.date(*month, 25)))
                    self.monthly.append((tks, group, values, recorded))
            for day in days:
                self._visit(tks, group, day, busy, indicators_on.get(day), last)
        self._activities(tks, postings, busy)

    def _slot(self, day: dt.date, minutes: int, busy: dict, last: dt.date) -> tuple[dt.date, int]:
        """When the TKS can be there: after their earlier visit that day (plus travel), a few
        deliberately at the same time as it (the overlap flag), or on a following weekday."""
        rng = self.rng
        for _try in range(4):
            free, last_start = busy.get(day, (8 * 60 + rng.randint(0, 60), None))
            if last_start is not None and self.overlaps_left and rng.random() < 0.15:
                self.overlaps_left -= 1
                return day, last_start + 30
            if free + minutes <= 17 * 60:
                return day, free
            following = day + dt.timedelta(days=3 if day.weekday() == 4 else 1)
            if following > last:
                break
            day = following
        return day, 18 * 60 - minutes

    def _visit(self, tks, group, day: dt.date, busy: dict, indicators, last: dt.date, activity=None) -> None:
        rng = self.rng
        minutes = rng.randint(6, 12) * 10 if activity is None else rng.randint(24, 36) * 10
        day, begin = self._slot(day, minutes, busy, last)
        free, _last_start = busy.get(day, (0, None))
        busy[day] = (max(free, begin + minutes + rng.randint(30, 90)), begin)  # then travel to the next group
        started = _at(day, begin)
        lat, lon = _point(group)
        far = lat is not None and group.lat is not None and rng.random() < 0.03
        if lat is not None:
            shift = rng.uniform(0.04, 0.07) if far else 0.0015
            lat, lon = lat + rng.uniform(-shift, shift), lon + rng.uniform(-shift, shift)
        roles = rng.sample(["motivator", "fasilitator", "mediator", "inovator"], k=rng.choice([1, 1, 2]))
        tasks = [activity[2]] if activity else rng.sample([t.value for t in visit_rules.TASKS], k=rng.choice([1, 1, 2]))
        present = self.members.get(group.pk, [])
        payload = {
            "id": self._uuid(), "group": group.pk, "kind": "kegiatan" if activity else "kunjungan",
            "title": activity[0] if activity else "", "place": activity[1] if activity else "",
            "started_at": started.isoformat(), "duration_minutes": minutes,
            "lat": round(lat, 5) if lat is not None else None, "lon": round(lon, 5) if lon is not None else None,
            "accuracy_m": rng.randint(5, 30) if lat is not None else None,
            "roles": roles, "tasks": tasks, "details": {t: _details(rng, t, len(present)) for t in tasks},
            "notes": rng.choice(NOTES), "innovation": rng.choice(INNOVATIONS) if "inovator" in roles else "",
            "attendance": rng.sample(present, k=min(len(present), rng.randint(2, 6))) if present else [],
            "follow_ups": [{"action": rng.choice(FOLLOW_UPS),
                            "due_on": (day + dt.timedelta(days=rng.randint(7, 21))).isoformat()}
                           ] if rng.random() < 0.45 else [],
            "indicators": indicators, "photos": [],
        }
        self.payloads.append((tks, payload, group))

    def _activities(self, tks, postings, busy: dict) -> None:
        """A group activity about once a month per TKS: a BLK training or a market fair."""
        rng = self.rng
        for month in _months(self.start, self.today):
            if rng.random() < 0.6:
                day, last = dt.date(*month, rng.randint(5, 26)), self.today - dt.timedelta(days=1)
                posting = rng.choice(postings)
                if self.start <= day <= last and day.weekday() < 5 and posting.group_id not in self.quiet:
                    title, place, task = rng.choice(ACTIVITIES)
                    regency = self.regencies.get(posting.group.village_id[:5], "")
                    self._visit(tks, posting.group, day, busy, None, last,
                                (title, place.format(regency=regency).strip(), task))

    def write(self, system) -> None:
        cut = timezone.now() - dt.timedelta(days=VIA_SERVICE_DAYS)
        old = [(t, p, g) for t, p, g in self.payloads if dt.datetime.fromisoformat(p["started_at"]) < cut]
        recent = [(t, p, g) for t, p, g in self.payloads if dt.datetime.fromisoformat(p["started_at"]) >= cut]
        self._bulk(old)
        for tks, payload, _group in sorted(recent, key=lambda r: r[1]["started_at"]):
            visit, _created = visits.submit(tks, payload)
            self.visit_ids.append(visit.pk)
            self.snapshots += payload["indicators"] is not None
        for tks, group, values, recorded in self.monthly:
            indicator_services.record(tks, group, values, recorded_on=recorded)
            self.snapshots += 1

    def _bulk(self, rows) -> None:
        """The older visits, checked and flagged as the service would have done on the day."""
        far_km = float(settings.SUKARELA_FIELD["far_km"])
        made, snapshots, follow_ups, events = [], [], [], []
        by_tks: dict[int, list[Visit]] = {}
        for tks, payload, group in rows:
            started = dt.datetime.fromisoformat(payload["started_at"])
            received = started + dt.timedelta(minutes=payload["duration_minutes"] + self.rng.randint(30, 600))
            info = {group.pk: visit_rules.GroupInfo(group.lat, group.lon, frozenset(self.members.get(group.pk, ())))}
            clean, problems = visit_rules.validate(payload, visit_rules.Context(now=received, groups=info))
            if problems:  # the demo's own data: a refused visit is a bug here, not input to skip
                raise ValueError(f"demo visit refused: {[(p.path, p.template) for p in problems]}")
            visit = Visit(id=uuid.UUID(clean["id"]), tks=tks, group=group, digest=visits.digest_of(clean),
                          received_at=received, updated_at=received, started_at=started,
                          **{k: clean[k] for k in ("kind", "title", "place", "duration_minutes", "lat", "lon",
                                                   "accuracy_m", "roles", "tasks", "details", "notes",
                                                   "innovation", "attendance")})
            visit.km_from_group = visit_rules.km_from_group(visit.lat, visit.lon, group.lat, group.lon)
            visit.flags = ["jauh"] if visit_rules.is_far(visit.km_from_group, visit.accuracy_m, far_km) else []
            if clean["indicators"] is not None:
                snapshot = indicator_services.build(tks, group.pk, clean["indicators"], timezone.localdate(started))
                snapshot.created_at = received
                snapshots.append(snapshot)
                visit.indicators = snapshot
            follow_ups += [FollowUp(visit=visit, action=f["action"], due_on=dt.date.fromisoformat(f["due_on"]),
                                    done_on=self._done_on(dt.date.fromisoformat(f["due_on"])))
                           for f in clean["follow_ups"]]
            events.append(AuditEvent(at=received, actor=tks, actor_label=audit.actor_label(tks), action="submit_visit",
                                     target_type=Visit._meta.label_lower, target_id=str(visit.pk),
                                     target_label=str(visit)[:200],
                                     changes={"group": [None, group.pk], "started_at": [None, clean["started_at"]]}))
            by_tks.setdefault(tks.pk, []).append(visit)
            made.append(visit)
        for own in by_tks.values():  # the overlap flag, between a TKS's own visits
            own.sort(key=lambda v: v.started_at)
            for a, b in zip(own, own[1:]):
                if visit_rules.overlaps(a.started_at, a.duration_minutes, b.started_at, b.duration_minutes):
                    for v in (a, b):
                        v.flags = sorted({*v.flags, "tumpang"})
        IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=200)
        Visit.objects.bulk_create(made, batch_size=100)
        FollowUp.objects.bulk_create(follow_ups, batch_size=200)
        AuditEvent.objects.bulk_create(events, batch_size=200)
        self.visit_ids += [v.pk for v in made]
        self.snapshots += len(snapshots)

    def _done_on(self, due: dt.date) -> dt.date | None:
        if due < self.today - dt.timedelta(days=3) and self.rng.random() < 0.8:
            return due - dt.timedelta(days=self.rng.randint(0, 5))
        return None


class Trend:
    """A group's monthly indicators along its fate: growing, declining, or stopping (trade falls to
    nothing in the last months and members leave)."""

    def __init__(self, rng: Random, group, fate: str, members: int):
        self.rng, self.group, self.fate, self.members = rng, group, fate, max(members, 3)
        self.turnover = rng.randint(8, 40) * 250_000
        self.capital = rng.randint(6, 30) * 500_000
        self.month_no = 0
        self.product, self.price = PRODUCTS.get(group.sector_id, ("Produk olahan", 20_000))

    def month(self, ident: str) -> dict:
        rng, self.month_no = self.rng, self.month_no + 1
        if self.fate == "tumbuh":
            self.turnover = int(self.turnover * rng.uniform(1.04, 1.14))
            self.capital = int(self.capital * rng.uniform(1.01, 1.06))
        elif self.fate == "menurun":
            self.turnover = int(self.turnover * rng.uniform(0.82, 0.96))
            self.members = max(2, self.members - (rng.random() < 0.3))
        elif self.month_no >= 4:  # stopping: trade ends, members drift away
            self.turnover = 0 if self.month_no >= 5 else self.turnover // 3
            self.members = max(1, self.members - rng.randint(1, 2))
        tools, materials = (None if v is None else int(v) for v in (self.group.aid_tools, self.group.aid_materials))
        share = min(1.0, self.month_no / 4)
        return {
            "id": ident, "turnover": self.turnover // 1000 * 1000, "capital": self.capital // 1000 * 1000,
            "active_members": self.members, "new_workers": rng.randint(0, 2) if self.fate == "tumbuh" else 0,
            "products": self.product, "price": int(self.price * rng.uniform(0.95, 1.1)) // 100 * 100,
            "aid_spent_tools": int(tools * share) if tools is not None else None,
            "aid_spent_materials": int(materials * min(1.0, share * 1.2)) if materials is not None else None,
            "lpj_done": tools is not None and self.month_no >= 5 and rng.random() < 0.8,
        }


def _months(start: dt.date, end: dt.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _point(group):
    """Where the TKS stood: the group's GPS point, or its village's; None when neither is known."""
    if group.lat is not None:
        return group.lat, group.lon
    village = group.village
    if village is not None and getattr(village, "lat", None) is not None:
        return float(village.lat), float(village.lon)
    return None, None


def _details(rng: Random, task: str, members: int) -> dict:
    spec = visit_rules.TASK_BY_VALUE[task]
    values = {}
    for f in spec.fields:
        if not f.required and rng.random() < 0.4:
            continue
        if f.choices:
            values[f.name] = rng.choice(f.choices)[0]
        elif f.type == "int":
            attendees = f.name == "attendees"
            values[f.name] = rng.randint(2, max(2, members)) if attendees else rng.randint(5, 50) * 1_000_000
        elif f.type == "date":
            values[f.name] = (timezone.localdate() - dt.timedelta(days=rng.randint(150, 200))).isoformat()
        else:
            values[f.name] = rng.choice({"topic": TOPICS, "partner": PARTNERS, "training": TRAININGS,
                                         "provider": PROVIDERS}.get(f.name, NOTES))
    return values


def _reviewer(group, cache: dict):
    """The district officer of the group's regency, else the provincial one, else national."""
    code = group.village_id
    for role, prefix in ((Role.DISTRICT, code[:5]), (Role.PROVINCIAL, code[:2]), (Role.NATIONAL, None)):
        key = (role, prefix)
        if key not in cache:
            cache[key] = User.objects.filter(role=role, region_id=prefix, is_active=True).order_by("pk").first()
        if cache[key] is not None:
            return cache[key]
    return None


def _review(ctx, rng: Random, ids, today: dt.date) -> None:
    """Older visits mostly approved, a few returned with a comment, the recent ones mostly waiting."""
    cache: dict = {}
    approve: dict[int, list] = {}
    returns = []
    chosen = list(Visit.objects.filter(pk__in=ids).select_related("group").order_by("started_at", "id"))
    for visit in chosen[:-1]:  # the newest always waits: every status shows, even in a small demo
        age = (today - timezone.localdate(visit.started_at)).days
        officer = _reviewer(visit.group, cache) or ctx.system
        draw = rng.random()
        if "jauh" in visit.flags and draw < 0.7 or draw < (0.06 if age > 21 else 0.04):
            returns.append((officer, visit))
        elif draw < (0.88 if age > 21 else 0.25):
            approve.setdefault(officer.pk, [officer, []])[1].append(visit)
    if not returns and approve:  # a small demo still shows a returned visit
        officer, some = max(approve.values(), key=lambda pair: len(pair[1]))
        returns.append((officer, some.pop(0)))
    for officer, some in approve.values():
        review.approve_many(officer, some)
    for officer, visit in returns:
        review.return_visit(officer, visit, rng.choice(RETURN_COMMENTS))

"""The visit rules alone (no database): any valid submission passes and its clean form passes
again unchanged; breaking any one field names exactly that field; the flag rules."""

import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.engines import visit_rules as rules

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
MEMBERS = frozenset({11, 12, 13})
CONTEXT = rules.Context(now=NOW, groups={7: rules.GroupInfo(-6.55, 106.8, MEMBERS)})

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
required_texts = texts.filter(lambda s: s.strip() != "")


def field_value(spec: rules.FieldSpec):
    if spec.type == "text":
        return required_texts if spec.required else texts
    if spec.type == "int":
        return st.integers(spec.min or 0, 10**9)
    if spec.type == "date":
        # up to two years after the visit (visits are at most 90 days before NOW)
        return st.dates(dt.date(2000, 1, 1), dt.date(2027, 3, 1)).map(dt.date.isoformat)
    return st.sampled_from([v for v, _ in spec.choices])


@st.composite
def details_for(draw, tasks):
    out = {}
    for task in tasks:
        values = {}
        for spec in rules.TASK_BY_VALUE[task].fields:
            if spec.required or draw(st.booleans()):
                values[spec.name] = draw(field_value(spec))
        out[task] = values
    return out


@st.composite
def payloads(draw):
    roles = draw(st.lists(st.sampled_from(sorted(rules.ROLE_VALUES)), min_size=1, max_size=4, unique=True))
    tasks = draw(st.lists(st.sampled_from(sorted(rules.TASK_BY_VALUE)), min_size=1, max_size=4, unique=True))
    kind = draw(st.sampled_from(["kunjungan", "kegiatan"]))
    offset = draw(st.integers(-10, 89 * 24 * 60))  # minutes before NOW (a little ahead is skew)
    tz = dt.timezone(dt.timedelta(hours=draw(st.sampled_from([7, 8, 9, 0]))))
    point = draw(st.one_of(st.none(), st.tuples(st.floats(-11, 6.5), st.floats(94.5, 141.5),
                                                  st.one_of(st.none(), st.floats(0, 5000)))))
    body = {
        "id": str(draw(st.uuids())), "group": 7, "kind": kind,
        "title": draw(required_texts if kind == "kegiatan" else texts), "place": draw(texts),
        "started_at": (NOW - dt.timedelta(minutes=offset)).astimezone(tz).isoformat(),
        "duration_minutes": draw(st.integers(1, 720)),
        "lat": point[0] if point else None, "lon": point[1] if point else None,
        "accuracy_m": point[2] if point else None,
        "roles": roles, "tasks": tasks, "details": draw(details_for(tasks)), "notes": draw(texts),
        "innovation": draw(required_texts if "inovator" in roles else texts),
        "attendance": draw(st.lists(st.sampled_from(sorted(MEMBERS)), unique=True)),
        "follow_ups": draw(st.lists(st.fixed_dictionaries({
            "action": required_texts, "due_on": st.dates(dt.date(2025, 1, 1), dt.date(2026, 1, 1)).map(str)}),
            max_size=3)),
        "indicators": draw(st.one_of(st.none(), st.fixed_dictionaries({
            "id": st.uuids().map(str), "turnover": st.one_of(st.none(), st.integers(0, 10**12)),
            "active_members": st.one_of(st.none(), st.integers(0, 500)), "products": texts,
            "lpj_done": st.booleans()}))),
        "photos": draw(st.lists(st.fixed_dictionaries({
            "id": st.uuids().map(str), "size": st.integers(1, 1_500_000),
            "sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
            "content_type": st.sampled_from(sorted(rules.PHOTO_TYPES))}), max_size=5, unique_by=lambda p: p["id"])),
    }
    return body


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(payloads())
def test_any_valid_payload_passes_and_its_clean_form_round_trips(body):
    clean, problems = rules.validate(body, CONTEXT)
    assert problems == []
    json.dumps(clean)  # JSON-ready: the digest is taken over it
    again, problems = rules.validate(clean, CONTEXT)
    assert problems == [] and again == clean


def _breakers(body):
    """(path, broken body) pairs, each breaking exactly one field of a valid body."""
    task = body["tasks"][0]
    required = next(f for f in rules.TASK_BY_VALUE[task].fields if f.required)
    yield "id", {**body, "id": "nope"}
    yield "group", {**body, "group": 8}
    yield "started_at", {**body, "started_at": (NOW + dt.timedelta(hours=1)).isoformat()}
    yield "started_at", {**body, "started_at": (NOW - dt.timedelta(days=91)).isoformat()}
    yield "duration_minutes", {**body, "duration_minutes": 721}
    yield "roles.0", {**body, "roles": ["dukun", *body["roles"]]}
    yield "tasks", {**body, "tasks": [], "details": {}}
    yield f"details.{task}.{required.name}", {**body, "details": {**body["details"], task: {
        k: v for k, v in body["details"][task].items() if k != required.name}}}
    yield f"details.{task}", {**body, "details": {**body["details"], task: {**body["details"][task],
                                                                              "extra": 1}}}
    yield "details", {**body, "details": {**body["details"], "x.1": {}}}
    yield "follow_ups.0.due_on", {**body, "follow_ups": [{"action": "x", "due_on": "1999-12-31"}]}
    yield "follow_ups.0.due_on", {**body, "follow_ups": [{"action": "x", "due_on": "2030-01-01"}]}
    yield "kind", {**body, "kind": ["kunjungan"]}
    yield "attendance.0", {**body, "attendance": [99, *body["attendance"]]}
    yield "follow_ups.0.due_on", {**body, "follow_ups": [{"action": "x", "due_on": "31-12-2025"}]}
    yield "photos", {**body, "photos": [{"id": str(uuid.uuid4()), "size": 1, "sha256": "a" * 64,
                                         "content_type": "image/png"} for _ in range(6)]}
    yield "notes", {**body, "notes": "x" * 5001}
    if body["lat"] is not None:
        yield "lat", {**body, "lat": -12.0}
        yield "lon", {**body, "lon": 142.0}
    else:
        yield "lon", {**body, "lat": -6.5}
    if body["indicators"] is not None:
        yield "indicators.turnover", {**body, "indicators": {**body["indicators"], "turnover": -1}}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(payloads())
def test_breaking_one_field_names_exactly_that_field(body):
    for path, broken in _breakers(body):
        _, problems = rules.validate(broken, CONTEXT)
        assert [p.path for p in problems] == [path], (path, problems)
        assert all(isinstance(message, str) and message for _, message in problems)


def test_messages_are_indonesian_and_carry_their_parameters():
    body = {"id": str(uuid.uuid4()), "group": 7, "started_at": "2024-01-01T00:00:00+07:00", "duration_minutes": 5,
            "roles": ["motivator"], "tasks": ["usaha"], "details": {"usaha": {"topic": "x"}}}
    _, problems = rules.validate(body, CONTEXT)
    assert [(p.path, p.message) for p in problems] == [
        ("started_at", "Kunjungan lebih dari 90 hari yang lalu tidak dapat dikirim.")]
    assert problems[0].template == rules.M["too_old"] and problems[0].params == {"days": 90}


def test_kegiatan_needs_a_title_and_inovator_an_innovation():
    body = {"id": str(uuid.uuid4()), "group": 7, "kind": "kegiatan", "started_at": NOW.isoformat(),
            "duration_minutes": 60, "roles": ["inovator"], "tasks": ["kapasitas"],
            "details": {"kapasitas": {"training": "Pemasaran daring", "attendees": 0}}}
    _, problems = rules.validate(body, CONTEXT)
    assert [p.path for p in problems] == ["title", "innovation"]


def test_flags_far_and_overlap():
    km = rules.km_from_group(-6.55 + 3 / 111.2, 106.8, -6.55, 106.8)
    assert 2.9 < km < 3.1
    assert rules.is_far(km, None, 2.0) and not rules.is_far(km, 1500.0, 2.0)
    assert rules.km_from_group(None, None, -6.55, 106.8) is None and not rules.is_far(None, None, 2.0)
    start = NOW
    assert rules.overlaps(start, 60, start + dt.timedelta(minutes=59), 10)
    assert not rules.overlaps(start, 60, start + dt.timedelta(minutes=60), 10)  # touching ends do not overlap
    assert rules.overlaps(start + dt.timedelta(minutes=30), 5, start, 60)  # contained


def test_the_catalogue_names_every_field():
    cat = rules.catalogue()
    assert {t["value"] for t in cat["tasks"]} == {"usaha", "kemitraan", "kapasitas", "akses"}
    akses = next(t for t in cat["tasks"] if t["value"] == "akses")
    assert {f["type"] for f in akses["fields"]} == {"choice", "text", "int", "date"}


def _valid(**over):
    body = {"id": str(uuid.uuid4()), "group": 7, "started_at": NOW.isoformat(), "duration_minutes": 60,
            "roles": ["motivator"], "tasks": ["usaha"], "details": {"usaha": {"topic": "x"}}}
    return {**body, **over}


def test_a_list_or_an_object_is_no_choice():
    for bad in ([], ["terealisasi"], {"a": 1}):
        body = _valid(tasks=["kemitraan"], details={"kemitraan": {"partner": "Bank", "outcome": bad}})
        _, problems = rules.validate(body, CONTEXT)
        assert [(p.path, p.template) for p in problems] == [("details.kemitraan.outcome", rules.M["choice"])]
        _, problems = rules.validate(_valid(kind=bad), CONTEXT)
        assert [p.path for p in problems] == (["kind"] if bad else [])  # empty: the default kind
        photo = {"id": str(uuid.uuid4()), "size": 10, "sha256": "a" * 64, "content_type": bad}
        _, problems = rules.validate(_valid(photos=[photo]), CONTEXT)
        assert [p.path for p in problems] == ["photos.0.content_type"]


def test_times_with_no_instant_in_utc_are_a_datetime_problem():
    for text in ("0001-01-01T00:30:00+07:00", "9999-12-31T23:30:00-07:00"):
        for value in (text, dt.datetime.fromisoformat(text)):
            _, problems = rules.validate(_valid(started_at=value), CONTEXT)
            assert [(p.path, p.template) for p in problems] == [("started_at", rules.M["datetime"])]
    _, problems = rules.validate(_valid(lat=10**400, lon=106.8), CONTEXT)
    assert [p.path for p in problems] == ["lat"]


def test_typed_dates_must_be_in_a_sane_range():
    """A follow-up's due day and a loan's application day: from 2000 to two years after the visit."""
    latest = (NOW.date() + dt.timedelta(days=731)).isoformat()
    for day, ok in (("1999-12-31", False), ("2000-01-01", True), (latest, True), ("0001-01-01", False),
                    ((NOW.date() + dt.timedelta(days=732)).isoformat(), False)):
        _, problems = rules.validate(_valid(follow_ups=[{"action": "Periksa", "due_on": day}]), CONTEXT)
        assert [p.path for p in problems] == ([] if ok else ["follow_ups.0.due_on"]), day
        details = {"akses": {"support": "kredit", "status": "diajukan", "applied_on": day}}
        _, problems = rules.validate(_valid(tasks=["akses"], details=details), CONTEXT)
        assert [p.path for p in problems] == ([] if ok else ["details.akses.applied_on"]), day
    _, problems = rules.validate(_valid(follow_ups=[{"action": "x", "due_on": "2030-01-01"}]), CONTEXT)
    assert problems[0].params == {"min": "2000-01-01", "max": latest}


def test_unknown_keys_are_named_in_the_message_never_in_the_path():
    """A client's key may hold dots or digits ("x.1", "²", "١"): it must not become part of a path."""
    for key in ("²", "١", "x.1", "0", "kemitraan.partner"):
        _, problems = rules.validate(_valid(details={"usaha": {"topic": "x"}, key: {}}), CONTEXT)
        assert [(p.path, p.params) for p in problems] == [("details", {"value": key})]
        _, problems = rules.validate(_valid(details={"usaha": {"topic": "x", key: 1}}), CONTEXT)
        assert [(p.path, p.params) for p in problems] == [("details.usaha", {"value": key})]
        _, problems = rules.validate(_valid(indicators={"id": str(uuid.uuid4()), key: 1}), CONTEXT)
        assert [(p.path, p.params) for p in problems] == [("indicators", {"value": key})]
    _, problems = rules.validate(_valid(details={"usaha": {"topic": "x"}, "kemitraan": {}}), CONTEXT)
    assert [(p.path, p.template) for p in problems] == [("details.kemitraan", rules.M["task_not_chosen"])]

"""The benchmark's programme, written in bulk into an empty database: 1,000 TKS, each with an open
posting to 10 groups (10,000 groups, 5 members each, a GPS point each), one API bearer token and
one signed-in browser session (as the field app has: a session cookie and a CSRF token); then the
files the load generators read (tks.txt, sessions.txt).

    python bench/field_sync/programme.py --db postgres://sukarela:sukarela-ci@127.0.0.1/empty_db --out DIR

Tokens are made as core.services.create_api_token makes them ("skr_" + 32 random bytes, only the
SHA-256 digest stored), but with one COPY instead of 1,000 audited calls: this is test data, not a
use case. Sessions likewise: the rows a sign-in would store (user, backend, the password's auth
hash), and a CSRF secret with the masked token a page hands the field app. The task fields a
visit must carry come from the catalogue the API itself serves
(engines/visit_rules.py, the `catalogue` of `GET /api/field/bootstrap`), so the payloads stay
valid whatever fields a task requires.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path
from random import Random

N_TKS, GROUPS_PER_TKS, MEMBERS_PER_GROUP = 1_000, 10, 5
REGENCIES = ["32.01", "32.05", "52.03"]  # the demo's regencies: a small, quick region load
PASSWORD_UNUSABLE = "!bench"  # no login by password: the benchmark's sessions are made, not signed in


def setup_django(db: str, data_dir: str) -> None:
    os.environ["SUKARELA_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sukarela.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    import django

    django.setup()


def build(rng: Random, out_dir: Path) -> dict:
    """Create the programme; write out_dir/tks.txt; return a few counts."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from sukarela.assignments.models import Posting
    from sukarela.core import bulk
    from sukarela.core import services as accounts
    from sukarela.core.models import ApiToken, User
    from sukarela.core.roles import Role
    from sukarela.groups.models import Group, GroupStatus, Member, Sector, Tier
    from sukarela.regions.models import Region

    quiet = open(os.devnull, "w")
    call_command("migrate", verbosity=0)
    call_command("loadregions", "--within", *REGENCIES, verbosity=0, stdout=quiet)
    call_command("loadpoints", "--within", *REGENCIES, verbosity=0, stdout=quiet)
    national = accounts.create_first_national_officer("bench", "bench-password-123", full_name="Bench")
    villages = list(Region.objects.filter(level=4, lat__isnull=False).values_list("code", "lat", "lon"))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    today = dt.date.today()
    now = dt.datetime.now(dt.timezone.utc)
    with transaction.atomic():
        tks_rows, homes = [], []
        for i in range(N_TKS):
            code, lat, lon = rng.choice(villages)
            homes.append((code, lat, lon))
            tks_rows.append((f"bench-tks-{i:04d}", PASSWORD_UNUSABLE, f"TKS Bench {i:04d}", Role.TKS, code, True,
                             False, "", "", now))
        bulk.insert_rows(User, ["username", "password", "full_name", "role", "region", "is_active",
                                "is_superuser", "email", "phone", "date_joined"], tks_rows)
        tks_ids = dict(User.objects.filter(username__startswith="bench-tks-").values_list("username", "pk"))
        group_rows = []
        for i in range(N_TKS):
            code, lat, lon = homes[i]
            for g in range(GROUPS_PER_TKS):
                # A group within ~5 km of its TKS's village point.
                group_rows.append((f"Kelompok Bench {i:04d}-{g}", Tier.PEMULA, rng.choice(sectors), code,
                                   lat + rng.uniform(-0.045, 0.045), lon + rng.uniform(-0.045, 0.045),
                                   GroupStatus.ACTIVE,
                                   today - dt.timedelta(days=200), now, "", "", ""))
        bulk.insert_rows(Group, ["name", "tier", "sector", "village", "lat", "lon", "status", "registered_on",
                                 "created_at", "address", "bank_name", "bank_account"], group_rows)
        groups = list(Group.objects.filter(name__startswith="Kelompok Bench ").order_by("name")
                      .values_list("pk", "name", "lat", "lon"))
        member_rows, serial = [], 0
        for pk, _name, _lat, _lon in groups:
            for m in range(MEMBERS_PER_GROUP):
                serial += 1
                member_rows.append((pk, f"99{serial:014d}", f"Anggota {serial}", "LP"[m % 2], dt.date(1990, 1, 1),
                                    m == 0, True, False, today - dt.timedelta(days=200)))
        bulk.insert_rows(Member, ["group", "nik", "full_name", "sex", "birth_date", "is_chair", "active",
                                  "unemployed_declared", "joined_on"], member_rows)
        members: dict[int, list[int]] = {}
        for gid, mid in Member.objects.filter(group__name__startswith="Kelompok Bench ").order_by("id").values_list(
                "group_id", "pk"):
            members.setdefault(gid, []).append(mid)
        posting_rows, token_rows, lines = [], [], []
        for i in range(N_TKS):
            user_pk = tks_ids[f"bench-tks-{i:04d}"]
            mine = groups[i * GROUPS_PER_TKS:(i + 1) * GROUPS_PER_TKS]
            for gid, _name, _lat, _lon in mine:
                posting_rows.append((gid, user_pk, today - dt.timedelta(days=60), None, national.pk))
            secret = "skr_" + secrets.token_urlsafe(32)
            token_rows.append((user_pk, "bench", ApiToken.digest_of(secret), secret[:10], now))
            places = " ".join(f"{gid}:{lat:.5f}:{lon:.5f}:{','.join(map(str, members[gid]))}"
                              for gid, _name, lat, lon in mine)
            lines.append(f"T {secret} {places}")
        bulk.insert_rows(Posting, ["group", "mentor", "starts_on", "ends_on", "created_by"], posting_rows)
        bulk.insert_rows(ApiToken, ["user", "name", "digest", "prefix", "created_at"], token_rows)
        session_lines = sessions([tks_ids[f"bench-tks-{i:04d}"] for i in range(N_TKS)])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Statistics and visibility maps, as autovacuum keeps them on a database in use; else its
            # workers vacuum the bulk-loaded tables in the first minute, inside the measured runs.
            cursor.execute("VACUUM ANALYZE")
    (out_dir / "tks.txt").write_text("\n".join(lines) + "\n")
    (out_dir / "sessions.txt").write_text("\n".join(session_lines) + "\n")
    write_fragments(catalogue(), out_dir)
    return {"tks": N_TKS, "groups": len(groups), "members": len(member_rows), "postings": len(posting_rows)}


def sessions(user_ids: list[int]) -> list[str]:
    """One stored session a TKS (in `user_ids` order) as a sign-in makes it; lines "SESSION_KEY
    CSRF_SECRET CSRF_TOKEN": the cookies and the X-CSRFToken header the field app sends."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from sukarela.core.models import User

    users = User.objects.in_bulk(user_ids)
    engine = import_module(settings.SESSION_ENGINE).SessionStore
    rows, lines = [], []
    backend = settings.AUTHENTICATION_BACKENDS[-1]  # the one a password sign-in records
    for pk in user_ids:
        data = {SESSION_KEY: str(pk), BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: users[pk].get_session_auth_hash()}
        store = engine()
        store._session_key, store._session_cache = store._get_new_session_key(), dict(data)  # as after a sign-in
        rows.append(store.create_model_instance(data))  # the row its save() writes; expires in SESSION_COOKIE_AGE
        secret = _get_new_csrf_string()  # the page masks it afresh each time, as get_token does
        lines.append(f"{store.session_key} {secret} {_mask_cipher_secret(secret)}")
    engine.get_model_class().objects.bulk_create(rows, batch_size=500)
    return lines


def catalogue() -> dict:
    """The roles and tasks as `GET /api/field/bootstrap` lists them (from the same engine)."""
    from sukarela.engines import visit_rules

    return {"roles": [{"value": v, "label": label} for v, label in visit_rules.ROLES],
            "tasks": [{"value": t.value, "label": t.label,
                       "fields": [{"name": f.name, "label": f.label, "type": f.type, "required": f.required,
                                   "choices": [{"value": v, "label": label} for v, label in f.choices]}
                                  for f in t.fields]} for t in visit_rules.TASKS]}


def _sample_value(field: dict, today: dt.date):
    """A valid value for one catalogue field, by its declared type."""
    kind = field.get("type")
    if field.get("choices"):
        first = field["choices"][0]
        return first["value"] if isinstance(first, dict) else first
    if kind == "int":
        return 3
    if kind == "date":
        return today.isoformat()
    return f"Isian {field['name']} untuk uji beban"


def write_fragments(spec: dict, out_dir: Path) -> list[str]:
    """From the field catalogue: a few JSON fragments `"roles": [...], "tasks": [...], "details": {...}`
    (one or two tasks, every required field filled, some optional ones too), appended to tks.txt as
    lines "F <fragment>". Both load generators pick one per visit."""
    today = dt.date.today()
    roles = [r["value"] for r in spec["roles"]]
    tasks = spec["tasks"]
    plain_roles = [r for r in roles if r != "inovator"] or roles
    fragments = []
    for i, task in enumerate(tasks):
        pair = [task] + ([tasks[(i + 1) % len(tasks)]] if i % 2 and len(tasks) > 1 else [])
        details = {t["value"]: {f["name"]: _sample_value(f, today) for f in t["fields"]
                                if f.get("required") or (i % 2 == 0)} for t in pair}
        chosen = [plain_roles[i % len(plain_roles)], plain_roles[(i + 1) % len(plain_roles)]]
        fragment = (f'"roles": {json.dumps(sorted(set(chosen)))}, "tasks": {json.dumps([t["value"] for t in pair])}, '
                    f'"details": {json.dumps(details, ensure_ascii=True)}')
        fragments.append(fragment)
    with open(out_dir / "tks.txt", "a") as fh:
        for fragment in fragments:
            fh.write(f"F {fragment}\n")
    return fragments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="URL of an empty PostgreSQL database")
    parser.add_argument("--out", required=True, help="folder for tks.txt")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    setup_django(args.db, str(out))
    print(build(Random(2021), out))


if __name__ == "__main__":
    main()

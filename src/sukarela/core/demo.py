"""Demo programme, part 1: officers and field users in a few regions.

Every name and number here is synthetic. Each app with a `demo.py` adds its part
(called in INSTALLED_APPS order by `sukarela demo`); builders skip what exists,
so running the demo twice adds nothing.
"""

from dataclasses import dataclass, field
from random import Random

from sukarela.core import services
from sukarela.core.models import User
from sukarela.core.roles import Role

GIVEN = ["Agus", "Ayu", "Bayu", "Dewi", "Eko", "Fitri", "Gilang", "Hana", "Indra", "Joko", "Kartika", "Lestari",
         "Made", "Nur", "Putri", "Rizky", "Sari", "Teguh", "Wahyu", "Yuni"]
FAMILY = ["Saputra", "Wulandari", "Pratama", "Hidayat", "Lestari", "Nugroho", "Siregar", "Wijaya", "Kusuma",
          "Rahmawati", "Santoso", "Simanjuntak"]

# (username, role, region code, full name); officers first so later rows have an actor in scope.
OFFICERS = [
    ("nasional", Role.NATIONAL, None, "Rina Anggraini"),
    ("jabar", Role.PROVINCIAL, "32", "Dadang Suherman"),
    ("bogor", Role.DISTRICT, "32.01", "Siti Rahayu"),
    ("garut", Role.DISTRICT, "32.05", "Asep Hermawan"),
    ("ntb", Role.PROVINCIAL, "52", "Lalu Ahmad"),
    ("lotim", Role.DISTRICT, "52.03", "Baiq Nurul"),
]
FIELD_DISTRICTS = ["32.01", "32.05", "52.03"]
# Every region the demo needs (`sukarela demo --small` loads only these).
DEMO_REGENCIES = ["32.01", "32.05", "52.03"]


@dataclass
class DemoContext:
    rng: Random
    password: str
    out: object
    logins: list = field(default_factory=list)
    system: User | None = None


def synthetic_phone(rng: Random) -> str:
    return f"08{rng.choice([11, 12, 13, 21, 52, 57, 77, 81, 95])}{rng.randrange(10**7, 10**8)}"


def _ensure(ctx: DemoContext, actor, username, role, region, full_name, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.create_user(
            actor, username=username, full_name=full_name, role=role, region=region,
            email=f"{username}@contoh.go.id", phone=synthetic_phone(ctx.rng), password=ctx.password, **extra,
        )
    return user


def build(ctx: DemoContext) -> None:
    from sukarela.regions import selectors as regions

    national = User.objects.filter(username="nasional").first()
    if national is None:
        national = services.create_first_national_officer(
            "nasional", ctx.password, full_name="Rina Anggraini", email="nasional@contoh.go.id",
            phone=synthetic_phone(ctx.rng),
        )
    ctx.system = national
    for username, role, region, name in OFFICERS:
        user = _ensure(ctx, national, username, role, region, name)
        ctx.logins.append((username, role.label, str(user.region) if user.region else "Indonesia"))
    for district in FIELD_DISTRICTS:
        villages = list(regions.active().filter(level=4, code__startswith=district + ".").order_by("code"))
        picks = Random(district).sample(villages, k=min(6, len(villages)))
        for i, village in enumerate(picks):
            role = Role.GROUP_CHAIR if i == 5 else Role.TKS
            name = f"{ctx.rng.choice(GIVEN)} {ctx.rng.choice(FAMILY)}"
            username = f"{'ketua' if role == Role.GROUP_CHAIR else 'tks'}-{district.replace('.', '')}-{i + 1}"
            _ensure(ctx, national, username, role, village.code, name)
            if i in (0, 5):
                ctx.logins.append((username, role.label, str(village)))

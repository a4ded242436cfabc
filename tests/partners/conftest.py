"""Partner fixtures. Other helpers import `partner` (a factory) and use the `partners_world`
fixture: keep the names.

`partner(world, **kw)` makes a partner directly (no service, no audit), with its name key:
defaults a district-reach bank of Kab. Bogor (32.01) registered by the Bogor officer. Keywords:
name, kind (a PartnerType code), reach, region (a code or None), served (codes), offers (codes),
contacts (dicts of Contact fields), and any other Partner field."""

import importlib
import itertools
from types import SimpleNamespace

import pytest

from sukarela.partners.models import Contact, Partner, PartnerType, Reach
from sukarela.partners.names import name_key

_n = itertools.count(1)


def ensure_catalogue():
    """The seeded partner types and offers (migration 0002), again after a transactional test flushed them."""
    from django.apps import apps

    if not PartnerType.objects.exists():
        seed = importlib.import_module("sukarela.partners.migrations.0002_types_and_offers").seed
        seed(apps, None)


def partner(world, *, name=None, kind="bank", reach=Reach.DISTRICT, region="32.01", served=(), offers=(),
            contacts=(), **fields) -> Partner:
    ensure_catalogue()
    name = name or f"Mitra Uji {next(_n)}"
    if reach in (Reach.NATIONAL, Reach.INTERNATIONAL) and region == "32.01":
        region = None
    fields.setdefault("created_by", world.national if region is None else world.district)
    made = Partner.objects.create(name=name, name_key=name_key(name), kind_id=kind, reach=reach,
                                  region_id=region, **fields)
    if served:
        made.regions_served.set(served)
    if offers:
        made.offers.set(offers)
    for contact in contacts:
        Contact.objects.create(partner=made, **contact)
    return made


@pytest.fixture
def partners_world(world):
    """`world` plus partners around it:
    .bri — national bank, no home region (everyone sees it; only national officers edit it);
    .jabar — provincial "pemda" of Jawa Barat (32), home 32;
    .bogor — district bank of Kab. Bogor (32.01) with a contact and offers kredit/pelatihan;
    .sukabumi — district "pendidikan" of Kab. Sukabumi (32.02);
    .serves_bogor — home Kab. Sukabumi (32.02), serves Kab. Bogor (32.01);
    .ntb — provincial "pemberdayaan" of NTB (52)."""
    w = world
    return SimpleNamespace(
        world=w,
        bri=partner(w, name="PT Bank Rakyat Indonesia (Persero) Tbk", kind="bank", reach=Reach.NATIONAL,
                    region=None, offers=["kredit"]),
        jabar=partner(w, name="Dinas Koperasi dan UKM Provinsi Jawa Barat", kind="pemda", reach=Reach.PROVINCIAL,
                      region="32", created_by=w.provincial),
        bogor=partner(w, name="Bank Perkreditan Rakyat Bogor Sejahtera", kind="bank", region="32.01",
                      offers=["kredit", "pelatihan"],
                      contacts=[{"full_name": "Siti Rahmawati", "position": "Kepala cabang",
                                 "phone": "+6281311112222", "email": "siti@bprbogor.co.id"}]),
        sukabumi=partner(w, name="Politeknik Sukabumi", kind="pendidikan", region="32.02",
                         created_by=w.district_other),
        serves_bogor=partner(w, name="Yayasan Tani Sukabumi", kind="pemberdayaan", region="32.02",
                             served=["32.01"], created_by=w.district_other),
        ntb=partner(w, name="Lembaga Pemberdayaan Lombok", kind="pemberdayaan", reach=Reach.PROVINCIAL,
                    region="52", created_by=w.provincial_other),
        **{k: getattr(w, k) for k in ("national", "provincial", "district", "district_other", "provincial_other",
                                      "tks_in", "tks_out", "village_in", "village_out")},
    )

"""Seeded synthetic mentors and groups for the matching benchmark.

    python bench/matching/generate.py --size a --out /tmp/matching-a.npz [--seed 2021]

Sizes: a = 664 mentors x 6,250 groups (the 2021 programme), b = 10,000 x 40,000,
c = 100,000 x 400,000.

500 town centres are drawn (seeded) uniformly inside a fixed list of land boxes on the main
islands, so many towns per island: Sumatra 120, Java 140, Kalimantan 60, Sulawesi 80,
Bali and Nusa Tenggara 45, Maluku 20, Papua 35. Each island's towns, west to east, are cut
into its real number of provinces carrying the real province codes (Sumatra 11-19 and 21,
Java 31-36, Bali/NT 51-53, Kalimantan 61-65, Sulawesi 71-76, Maluku 81-82, Papua 91-96:
38 provinces); each town is one regency of its province (code PP.RR), so the boundary
policy means something. Towns get a log-normal size; mentors and groups are drawn to towns
by size, placed at a Gaussian offset of 6 km around the centre, with a district (1-15) and
a village (2001-2020) code in that regency. 2 % of mentors and of groups get no point (the
engine falls back on the region hierarchy for them). Sectors: 5, a group has one, a
mentor 1-3; capacity 3-12. Same seed, same instance.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

SIZES = {"a": (664, 6_250), "b": (10_000, 40_000), "c": (100_000, 400_000)}
SECTORS = ("pertanian_peternakan", "perikanan_kelautan", "jasa_makanan", "usaha_kreatif", "perdagangan_jasa")

# island: (towns, province codes, land boxes (lat_min, lat_max, lon_min, lon_max))
ISLANDS = {
    "Sumatra": (120, (11, 12, 13, 14, 21, 15, 17, 16, 19, 18),
                [(2.0, 5.0, 96.5, 99.0), (-1.0, 2.0, 99.0, 102.0), (-4.0, -1.0, 102.0, 105.0), (-5.5, -4.0, 104.0, 105.8)]),
    "Java": (140, (36, 31, 32, 33, 34, 35),
             [(-7.8, -6.3, 106.0, 111.0), (-8.3, -6.9, 111.0, 114.3)]),
    "Kalimantan": (60, (61, 62, 63, 64, 65),
                   [(-3.0, 1.0, 110.0, 116.0), (1.0, 3.5, 114.0, 117.5)]),
    "Sulawesi": (80, (76, 73, 74, 72, 75, 71),
                 [(-5.5, -3.0, 119.5, 120.5), (-2.5, 0.5, 120.0, 122.5), (0.3, 1.3, 122.5, 125.0)]),
    "Bali-Nusa Tenggara": (45, (51, 52, 53),
                           [(-8.8, -8.1, 114.6, 116.7), (-9.0, -8.2, 116.8, 123.0), (-10.3, -9.2, 123.5, 125.0)]),
    "Maluku": (20, (81, 82), [(-3.8, -2.8, 126.0, 130.0), (0.0, 2.0, 127.3, 128.5)]),
    "Papua": (35, (96, 92, 94, 93, 95, 91), [(-1.5, -0.5, 131.0, 134.0), (-4.5, -2.0, 135.0, 141.0)]),
}
SPREAD_KM = 6.0
NO_POINT = 0.02


def towns(rng):
    lat, lon, province = [], [], []
    for n, codes, boxes in ISLANDS.values():
        area = np.array([(b[1] - b[0]) * (b[3] - b[2]) for b in boxes])
        box = rng.choice(len(boxes), size=n, p=area / area.sum())
        b = np.array(boxes)[box]
        la = rng.uniform(b[:, 0], b[:, 1])
        lo = rng.uniform(b[:, 2], b[:, 3])
        order = np.argsort(lo, kind="stable")
        prov = np.empty(n, np.int64)
        prov[order] = np.asarray(codes)[np.arange(n) * len(codes) // n]
        lat.append(la)
        lon.append(lo)
        province.append(prov)
    lat, lon, province = np.concatenate(lat), np.concatenate(lon), np.concatenate(province)
    regency = np.zeros(len(lat), np.int64)
    for p in np.unique(province):
        idx = np.flatnonzero(province == p)
        regency[idx] = np.arange(1, len(idx) + 1)
    size = rng.lognormal(0.0, 1.0, len(lat))
    return lat, lon, province, regency, size / size.sum()


def _people(rng, n, town):
    lat0, lon0, province, regency, p = town
    t = rng.choice(len(p), size=n, p=p)
    dlat = rng.normal(0, SPREAD_KM / 111.2, n)
    dlon = rng.normal(0, SPREAD_KM / 111.2, n) / np.cos(np.radians(lat0[t]))
    lat, lon = lat0[t] + dlat, lon0[t] + dlon
    missing = rng.random(n) < NO_POINT
    lat[missing] = np.nan
    lon[missing] = np.nan
    district = rng.integers(1, 16, n)
    village = rng.integers(2001, 2021, n)
    region = np.array([f"{a}.{b:02d}.{c:02d}.{d}" for a, b, c, d in
                       zip(province[t].tolist(), regency[t].tolist(), district.tolist(), village.tolist())])
    return lat, lon, region


def make(size: str, seed: int = 2021) -> dict[str, np.ndarray]:
    n_mentors, n_groups = SIZES[size]
    rng = np.random.default_rng([seed, ord(size)])
    town = towns(np.random.default_rng(seed))  # the same 500 towns at every size
    m_lat, m_lon, m_region = _people(rng, n_mentors, town)
    g_lat, g_lon, g_region = _people(rng, n_groups, town)
    k = rng.integers(1, 4, n_mentors)
    masks = np.array([sum(1 << s for s in rng.choice(5, size=kk, replace=False)) for kk in k.tolist()])
    return {
        "m_id": np.arange(1, n_mentors + 1), "m_lat": m_lat, "m_lon": m_lon, "m_region": m_region,
        "m_sectors": masks, "m_cap": rng.integers(3, 13, n_mentors),
        "g_id": np.arange(1, n_groups + 1) * 10, "g_lat": g_lat, "g_lon": g_lon, "g_region": g_region,
        "g_sector": rng.integers(0, 5, n_groups),
    }


def to_engine(data):
    """The instance as the engine's Mentor and Group lists."""
    from sukarela.engines.matching import Group, Mentor

    def pt(x):
        return None if np.isnan(x) else x

    sector_sets = {mask: frozenset(s for i, s in enumerate(SECTORS) if mask >> i & 1) for mask in range(32)}
    mentors = [Mentor(i, r, pt(la), pt(lo), sector_sets[s], c) for i, r, la, lo, s, c in zip(
        data["m_id"].tolist(), data["m_region"].tolist(), data["m_lat"].tolist(), data["m_lon"].tolist(),
        data["m_sectors"].tolist(), data["m_cap"].tolist())]
    groups = [Group(i, r, SECTORS[s], pt(la), pt(lo)) for i, r, s, la, lo in zip(
        data["g_id"].tolist(), data["g_region"].tolist(), data["g_sector"].tolist(), data["g_lat"].tolist(),
        data["g_lon"].tolist())]
    return mentors, groups


def load(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), required=True)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    start = time.perf_counter()
    data = make(args.size, args.seed)
    np.savez(args.out, **data)
    print(f"{args.out}: {len(data['m_id']):,} mentors, {len(data['g_id']):,} groups "
          f"in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

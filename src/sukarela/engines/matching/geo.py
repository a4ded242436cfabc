"""Distances: great-circle kilometres between points, and a stand-in from the region hierarchy.

Points are compared on the unit sphere: a point (lat, lon) becomes the 3-D unit vector
(cos lat cos lon, cos lat sin lon, sin lat). The straight-line (chord) distance c between two
such vectors and the great-circle distance d are tied by d = 2 R asin(c / 2), a monotone map,
so "k nearest within d" on the sphere is "k nearest within chord(d)" in a 3-D k-d tree.

When a mentor or a group has no point, the distance between them is read from how much of
their Kemendagri region codes they share (``region_km``). The values are a coarse guess at
the typical travel inside each level, chosen to rank "same village" before "same district"
before "same regency", and so that the default 50 km limit admits the same regency but not
merely the same province:

==========================  =======  ===================
codes share                 km       example
==========================  =======  ===================
village (4 segments)              2  32.01.05.2006
district (3 segments)             8  32.01.05
regency (2 segments)             30  32.01
province (1 segment)            120  32
nothing                         800
==========================  =======  ===================

Codes of different precision share what their common leading segments share: a mentor known
only by regency ``32.01`` is 30 km from any group in Kabupaten Bogor, even one in his village.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)

# km by the number of leading code segments two regions share (0 = none ... 4 = same village).
LEVEL_KM = (800.0, 120.0, 30.0, 8.0, 2.0)
LEVELS = 4


def segments(code: str) -> list[str]:
    return [s for s in (code or "").split(".") if s][:LEVELS]


def shared_depth(a: str, b: str) -> int:
    depth = 0
    for x, y in zip(segments(a), segments(b)):
        if x != y:
            break
        depth += 1
    return depth


def region_km(a: str, b: str) -> float:
    """Distance in km assumed between two regions by the codes they share (table above)."""
    return LEVEL_KM[shared_depth(a, b)]


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on floats and, element-wise, on numpy arrays.

    The engine computes every candidate's km with this very function (on arrays), so a
    caller re-checking a pair with floats gets the same number.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return float(km) if np.ndim(km) == 0 else km


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lmb = np.radians(lat), np.radians(lon)
    cphi = np.cos(phi)
    return np.column_stack((cphi * np.cos(lmb), cphi * np.sin(lmb), np.sin(phi)))


def chord_for_km(km: float) -> float:
    """The chord length on the unit sphere of a great-circle distance of ``km``."""
    angle = min(km / EARTH_KM, math.pi)
    return 2 * math.sin(angle / 2)


def chord_km(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Great-circle km between rows of unit vectors ``u`` and ``v`` (from ``unit_vectors``).

    The engine's km for two points: the same distance as ``haversine_km`` (they agree to
    about 1e-9 km), computed from the vectors the k-d tree holds, element by element, so a
    pair gets the same km however it is reached (candidate search, pins, current pairs).
    """
    d = np.sqrt(((u - v) ** 2).sum(axis=-1))
    return 2 * EARTH_KM * np.arcsin(np.minimum(d / 2, 1.0))

"""Split a whole number of seats (quota places) among keys in proportion to weights.

Three methods are offered (``METHODS``):

* ``hamilton`` - largest remainder: every key gets the floor of its exact quota
  ``w_i * seats / sum(w)``, the seats left over go to the largest remainders.
* ``webster`` - Sainte-Laguë: ``seats_i = round(w_i / d)`` (halves round up).
* ``dhondt`` - D'Hondt / Jefferson: ``seats_i = floor(w_i / d)``.

For the divisor methods ``d`` is chosen so that the seats add up to the target.

Minimums (``minimum``: one int for every key, or a mapping with missing keys 0):

* Hamilton: a key whose exact quota is below its minimum is fixed at the
  minimum and the remaining seats are re-apportioned among the other keys by
  their weights. Fixing keys lowers the others' quotas, so this repeats until
  no remaining key falls below its minimum; the rest are then apportioned by
  largest remainder (so each of them gets at least its minimum too).
* Webster, D'Hondt: the standard ``seats_i = max(min_i, f(w_i / d))`` with the
  divisor ``d`` searched so that the total equals the target. Equivalently,
  each key holds its minimum and the remaining seats go, one at a time, to the
  highest "next-seat" quotient ``w_i / g(seats_i)`` with ``g(s) = s + 1``
  (D'Hondt) or ``s + 1/2`` (Webster). Because that order is fixed, both
  methods are house-monotone: one more seat never takes a seat from anyone.

Ties: when exactly equal remainders (Hamilton) or quotients (divisor methods)
compete for the last seats, the key that comes earlier in ``weights`` wins.
All arithmetic is exact (weights are converted to integers over a common
denominator), so float noise never decides a tie: a float weight counts as the
exact binary value it holds, a Decimal as its exact decimal value.

Zero weights are allowed: such a key gets its minimum and nothing more.

The divisor search bisects over exact rationals until the few quotients left
undecided can be sorted directly, so the cost is about
O(keys × log(range)), never O(seats × keys).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

METHODS = {
    "hamilton": "Largest remainder (Hamilton)",
    "webster": "Webster / Sainte-Laguë",
    "dhondt": "D'Hondt (Jefferson)",
}


class ApportionError(ValueError):
    """Inputs that cannot be apportioned; the message (Indonesian) names the problem."""


def apportion(
    weights: Mapping[K, int | float | Decimal],
    seats: int,
    method: str = "hamilton",
    minimum: int | Mapping[K, int] = 0,
) -> dict[K, int]:
    """Seats per key, in the order of ``weights``; see the module docstring."""
    if method not in METHODS:
        raise ApportionError(
            f"Metode pembagian tidak dikenal: {method!r}. Pilihan: {', '.join(METHODS)}.")
    if not _is_int(seats):
        raise ApportionError(f"Jumlah kursi harus bilangan bulat, bukan {seats!r}.")
    if seats < 0:
        raise ApportionError(f"Jumlah kursi tidak boleh negatif ({seats}).")

    keys = list(weights)
    ints = _integer_weights(weights)
    mins = _minimums(keys, minimum)

    if not keys:
        if seats > 0:
            raise ApportionError(f"Tidak ada bobot yang dibagi, padahal target {seats} kursi.")
        return {}
    total_min = sum(mins)
    if total_min > seats:
        raise ApportionError(f"Jumlah kursi minimum ({total_min}) melebihi target ({seats}).")
    free = seats - total_min
    if free > 0 and not any(ints):
        raise ApportionError(
            f"Tidak ada bobot positif, padahal masih ada {free} kursi di atas jumlah minimum.")
    if free == 0:
        return dict(zip(keys, mins))

    if method == "hamilton":
        result = _hamilton(ints, seats, mins)
    else:
        result = _divisor(ints, free, mins, webster=(method == "webster"))
    return dict(zip(keys, result))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer_weights(weights: Mapping) -> list[int]:
    # Scaling every exact weight by the common denominator keeps all ratios and
    # lets the methods use integer arithmetic only.
    exact = []
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Rational)):
            raise ApportionError(f"Bobot untuk {key!r} bukan angka: {value!r}.")
        try:
            fraction = Fraction(value)
        except (ValueError, OverflowError):
            raise ApportionError(f"Bobot untuk {key!r} bukan angka terhingga: {value!r}.") from None
        if fraction < 0:
            raise ApportionError(f"Bobot untuk {key!r} negatif ({value}).")
        exact.append(fraction)
    common = math.lcm(*(f.denominator for f in exact)) if exact else 1
    return [f.numerator * (common // f.denominator) for f in exact]


def _minimums(keys: list, minimum) -> list[int]:
    if isinstance(minimum, Mapping):
        # Keys of the mapping that are not in weights are ignored on purpose:
        # a caller may keep one table of minimums for all regions.
        values = [(key, minimum.get(key, 0)) for key in keys]
    else:
        values = [(key, minimum) for key in keys]
        if not _is_int(minimum):
            raise ApportionError(f"Minimum kursi harus bilangan bulat, bukan {minimum!r}.")
        if minimum < 0:
            raise ApportionError(f"Minimum kursi tidak boleh negatif ({minimum}).")
    for key, value in values:
        if not _is_int(value):
            raise ApportionError(f"Minimum kursi untuk {key!r} harus bilangan bulat, bukan {value!r}.")
        if value < 0:
            raise ApportionError(f"Minimum kursi untuk {key!r} negatif ({value}).")
    return [value for _, value in values]


def _hamilton(w: list[int], seats: int, mins: list[int]) -> list[int]:
    n = len(w)
    fixed = [False] * n
    while True:
        rest = seats - sum(mins[i] for i in range(n) if fixed[i])
        total = sum(w[i] for i in range(n) if not fixed[i])
        # quota_i = w_i * rest / total < min_i, compared without division.
        below = [i for i in range(n) if not fixed[i] and w[i] * rest < mins[i] * total]
        if not below:
            break
        for i in below:
            fixed[i] = True
    # total > 0 here: fixing every positive weight would need more seats than exist.
    result = list(mins)
    free = [i for i in range(n) if not fixed[i]]
    for i in free:
        result[i] = w[i] * rest // total
    left = rest - sum(result[i] for i in free)
    # Remainders share the denominator `total`, so their numerators compare exactly.
    order = sorted(free, key=lambda i: (-(w[i] * rest % total), i))
    for i in order[:left]:
        result[i] += 1
    return result


def _divisor(w: list[int], free: int, mins: list[int], webster: bool) -> list[int]:
    # Key i's k-th seat has quotient w_i / g(k - 1), g(s) = s + 1 or s + 1/2.
    # With d = p/q, count(i, d) = #{k >= 1: quotient >= d}; key i then holds
    # max(min_i, count(i, d)), and `extra(d)` is the seats above the minimums.
    def count(wi: int, d: Fraction) -> int:
        p, q = d.numerator, d.denominator
        if webster:
            return (2 * wi * q + p) // (2 * p)  # floor(w/d + 1/2)
        return wi * q // p  # floor(w/d)

    def held(d: Fraction) -> list[int]:
        return [max(m, count(wi, d)) for wi, m in zip(w, mins)]

    def extra(d: Fraction) -> int:
        return sum(held(d)) - sum(mins)

    n = len(w)
    total = sum(w)
    # Above the largest first quotient beyond a minimum nobody gains a seat.
    hi = max(Fraction(2 * wi, 2 * m + 1) if webster else Fraction(wi, m + 1)
             for wi, m in zip(w, mins)) + 1
    # count(i, d) >= w_i/d - 1, so here the counts add up to at least
    # free + sum(mins): extra(lo) >= free.
    lo = Fraction(total, free + sum(mins) + n)
    extra_hi, extra_lo = extra(hi), extra(lo)
    # Invariant: extra(hi) < free <= extra(lo); narrow until the seats whose
    # quotient lies in [lo, hi) are few enough to sort.
    while extra_lo - extra_hi > n:
        mid = (lo + hi) / 2
        extra_mid = extra(mid)
        if extra_mid >= free:
            lo, extra_lo = mid, extra_mid
        else:
            hi, extra_hi = mid, extra_mid

    result = held(hi)
    candidates = []
    for i, (wi, top) in enumerate(zip(w, held(lo))):
        for k in range(result[i] + 1, top + 1):
            quotient = Fraction(2 * wi, 2 * k - 1) if webster else Fraction(wi, k)
            candidates.append((-quotient, i))
    candidates.sort()
    for _, i in candidates[:free - extra_hi]:
        result[i] += 1
    return result

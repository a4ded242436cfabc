"""Quota apportionment: hand-computed cases, properties, a slow reference and an outside oracle."""

import math
from decimal import Decimal
from fractions import Fraction

import apportionment.methods as app
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sukarela.engines.apportion import METHODS, ApportionError, apportion

PROPS = settings(max_examples=150, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])

DIVISOR_METHODS = ["webster", "dhondt"]
ALL_METHODS = list(METHODS)


# --- hand-computed examples -------------------------------------------------------------

# A=100000, B=80000, C=30000, D=20000 (total 230000), 8 seats.
# Hamilton: quotas 8*w/230000 = 3.478, 2.783, 1.043, 0.696; floors 3,2,1,0 (6 seats);
#   the two largest remainders are B (.783) and D (.696) -> 3,3,1,1.
# D'Hondt: quotients w/1, w/2, ...: 100000A 80000B 50000A 40000B 33333A 30000C 26667B 25000A
#   are the top eight -> 4,3,1,0 (D's 20000 is ninth).
# Webster: quotients w/1, w/3, w/5, ...: 100000A 80000B 33333A 30000C 26667B 20000A 20000D
#   16000B are the top eight -> 3,3,1,1.
FOUR = {"A": 100000, "B": 80000, "C": 30000, "D": 20000}


@pytest.mark.parametrize("method, expected", [
    ("hamilton", [3, 3, 1, 1]),
    ("dhondt", [4, 3, 1, 0]),
    ("webster", [3, 3, 1, 1]),
])
def test_hand_computed_without_minimum(method, expected):
    assert list(apportion(FOUR, 8, method).values()) == expected


# A=40, B=30, C=20, D=10, 10 seats, minimum 2 each (8 seats held, 2 free).
# Hamilton: quotas 4, 3, 2, 1 -> D (1 < 2) fixed at 2; 8 seats over 90: A 3.56, B 2.67,
#   C 1.78 -> C fixed at 2; 6 seats over 70: A 3.43, B 2.57 -> floors 3,2, B's remainder
#   is larger -> 3,3,2,2.
# D'Hondt: next-seat quotients beyond the minimum are w/3, w/4, ...: A 13.33, then A's
#   40/4 = 10 ties B's 30/3 = 10 for the second free seat; A comes first -> 4,2,2,2.
# Webster: quotients w/2.5, w/3.5, ...: A 16, B 12, A 11.43, C 8 -> 3,3,2,2.
@pytest.mark.parametrize("method, expected", [
    ("hamilton", [3, 3, 2, 2]),
    ("dhondt", [4, 2, 2, 2]),
    ("webster", [3, 3, 2, 2]),
])
def test_hand_computed_with_minimum(method, expected):
    assert list(apportion({"A": 40, "B": 30, "C": 20, "D": 10}, 10, method, 2).values()) == expected


def test_dhondt_tie_goes_to_the_earlier_key():
    # Same case as above with B listed first: B's 30/3 and A's 40/4 tie, B now wins.
    result = apportion({"B": 30, "A": 40, "C": 20, "D": 10}, 10, "dhondt", 2)
    assert result == {"B": 3, "A": 3, "C": 2, "D": 2}


def test_hamilton_minimum_fixing_repeats_until_stable():
    # A=15, B=5, C=2, D=2 (24), 10 seats, minimum 2: quotas 6.25, 2.08, 0.83, 0.83 fix C, D.
    # 6 seats over 20 give A 4.5, B 1.5: B now falls below and is fixed in a second round,
    # A takes the last 4. One round only would have given A 5 and B 1 (below its minimum).
    assert apportion({"A": 15, "B": 5, "C": 2, "D": 2}, 10, "hamilton", 2) == {
        "A": 4, "B": 2, "C": 2, "D": 2}


def test_hamilton_shows_the_alabama_paradox():
    # 6, 6, 2 with 10 seats: quotas 4.29, 4.29, 1.43 -> C gets the spare seat: 4,4,2.
    # With 11 seats: 4.71, 4.71, 1.57 -> A and B get the two spare seats: 5,5,1.
    # Largest remainder is not house-monotone; this pins it as the real method.
    weights = {"A": 6, "B": 6, "C": 2}
    assert apportion(weights, 10, "hamilton") == {"A": 4, "B": 4, "C": 2}
    assert apportion(weights, 11, "hamilton") == {"A": 5, "B": 5, "C": 1}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_equal_weights_give_the_spare_seats_to_the_earliest_keys(method):
    assert list(apportion({"x": 1, "y": 1, "z": 1}, 5, method).values()) == [2, 2, 1]
    assert list(apportion({"z": 1, "y": 1, "x": 1}, 5, method).values()) == [2, 2, 1]
    assert apportion({"x": 7, "y": 7}, 1, method) == {"x": 1, "y": 0}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_exact_values_decide_not_float_noise(method):
    # float 0.3 is 0.29999999999999998889..., below Decimal("0.3"): A is strictly heavier,
    # although both print as 0.3 and a float-based comparison sees a tie that B (first) wins.
    assert apportion({"B": 0.3, "A": Decimal("0.3")}, 1, method) == {"B": 0, "A": 1}
    # 0.1 + 0.2 is 0.30000000000000004: heavier than 0.3.
    assert apportion({"B": 0.3, "A": 0.1 + 0.2}, 1, method) == {"B": 0, "A": 1}
    # Decimal thirds that are really equal tie, and the tie goes by order.
    assert apportion({"B": Decimal("0.1"), "A": Fraction(1, 10)}, 1, method) == {"B": 1, "A": 0}


# Approximate 2023 population (rounded to thousands) of the 38 provinces.
PROVINCES = {
    "Aceh": 5_482_000, "Sumatera Utara": 15_386_000, "Sumatera Barat": 5_757_000,
    "Riau": 6_642_000, "Jambi": 3_679_000, "Sumatera Selatan": 8_743_000,
    "Bengkulu": 2_086_000, "Lampung": 9_314_000, "Kepulauan Bangka Belitung": 1_531_000,
    "Kepulauan Riau": 2_152_000, "DKI Jakarta": 10_672_000, "Jawa Barat": 49_860_000,
    "Jawa Tengah": 37_541_000, "DI Yogyakarta": 3_736_000, "Jawa Timur": 41_528_000,
    "Banten": 12_308_000, "Bali": 4_433_000, "Nusa Tenggara Barat": 5_560_000,
    "Nusa Tenggara Timur": 5_569_000, "Kalimantan Barat": 5_623_000,
    "Kalimantan Tengah": 2_741_000, "Kalimantan Selatan": 4_222_000,
    "Kalimantan Timur": 3_909_000, "Kalimantan Utara": 730_000, "Sulawesi Utara": 2_660_000,
    "Sulawesi Tengah": 3_087_000, "Sulawesi Selatan": 9_362_000,
    "Sulawesi Tenggara": 2_750_000, "Gorontalo": 1_213_000, "Sulawesi Barat": 1_459_000,
    "Maluku": 1_903_000, "Maluku Utara": 1_355_000, "Papua": 1_060_000,
    "Papua Barat": 561_000, "Papua Selatan": 530_000, "Papua Tengah": 1_470_000,
    "Papua Pegunungan": 1_450_000, "Papua Barat Daya": 620_000,
}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_provinces_664_seats_minimum_5(method):
    assert len(PROVINCES) == 38
    result = apportion(PROVINCES, 664, method, 5)
    assert list(result) == list(PROVINCES)
    assert sum(result.values()) == 664
    assert min(result.values()) == 5
    assert max(result, key=result.get) == "Jawa Barat"
    # About 474 seats follow population (~ 294,000 people a seat): Jawa Barat ~ 100+.
    assert 95 <= result["Jawa Barat"] <= 125
    assert result["Jawa Barat"] > result["Jawa Timur"] > result["Jawa Tengah"] > result["Banten"]
    assert result == _reference(PROVINCES, 664, method, 5)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_zero_seats_and_zero_weights(method):
    assert apportion({}, 0, method) == {}
    assert apportion({"a": 0, "b": 0}, 3, method, {"a": 1, "b": 2}) == {"a": 1, "b": 2}
    assert apportion({"a": 5, "b": 0, "c": 5}, 7, method, 1) == {"a": 3, "b": 1, "c": 3}
    assert apportion({"a": 5, "b": 3}, 0, method) == {"a": 0, "b": 0}


def test_minimum_mapping_missing_keys_are_zero_and_extra_keys_ignored():
    result = apportion({"a": 1, "b": 1, "c": 100}, 10, "dhondt", {"a": 3, "zz": 50})
    assert result == {"a": 3, "b": 0, "c": 7}


@pytest.mark.parametrize("method", ALL_METHODS)
def test_all_regencies_at_national_scale(method):
    # Speed is measured in bench/, not here; this checks the large case stays correct.
    import random
    rng = random.Random(514)
    weights = {f"r{i}": rng.randint(10_000, 5_500_000) for i in range(514)}
    weights.update({f"f{i}": rng.random() * 1e6 for i in range(20)})
    result = apportion(weights, 200_000, method, 5)
    assert sum(result.values()) == 200_000
    assert min(result.values()) >= 5


# --- errors --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    (dict(weights={"a": 1}, seats=3, method="borda"), ["Metode", "'borda'", "hamilton"]),
    (dict(weights={"a": 1}, seats=-1), ["kursi", "negatif", "-1"]),
    (dict(weights={"a": 1}, seats=2.5), ["kursi", "bilangan bulat", "2.5"]),
    (dict(weights={"a": 1, "b": -3}, seats=3), ["Bobot", "'b'", "negatif", "-3"]),
    (dict(weights={"a": 1, "b": "x"}, seats=3), ["Bobot", "'b'", "bukan angka"]),
    (dict(weights={"a": float("nan")}, seats=3), ["Bobot", "'a'", "terhingga"]),
    (dict(weights={"a": float("inf")}, seats=3), ["Bobot", "'a'", "terhingga"]),
    (dict(weights={"a": 1}, seats=3, minimum=-1), ["Minimum", "negatif", "-1"]),
    (dict(weights={"a": 1, "b": 1}, seats=3, minimum={"b": -2}), ["Minimum", "'b'", "negatif", "-2"]),
    (dict(weights={"a": 1}, seats=3, minimum=1.5), ["Minimum", "bilangan bulat"]),
    (dict(weights={"a": 1}, seats=3, minimum={"a": 1.5}), ["Minimum", "'a'", "bilangan bulat"]),
    (dict(weights={"a": 0, "b": 0}, seats=3), ["bobot positif", "3 kursi"]),
    (dict(weights={"a": 0, "b": 0}, seats=5, minimum=2), ["bobot positif", "1 kursi"]),
    (dict(weights={}, seats=4), ["bobot", "4 kursi"]),
])
def test_errors_name_the_problem(kwargs, words):
    with pytest.raises(ApportionError) as raised:
        apportion(**kwargs)
    for word in words:
        assert word in str(raised.value)


def test_minimums_over_target_message():
    weights = {f"p{i}": i + 1 for i in range(140)}
    with pytest.raises(ApportionError, match=r"^Jumlah kursi minimum \(700\) melebihi target \(664\)\.$"):
        apportion(weights, 664, "webster", 5)


def test_error_is_a_value_error():
    assert issubclass(ApportionError, ValueError)


# --- a slow, obviously-correct reference --------------------------------------------------

def _reference(weights, seats, method, minimum=0):
    keys = list(weights)
    w = [Fraction(weights[k]) for k in keys]
    mins = [minimum.get(k, 0) if isinstance(minimum, dict) else minimum for k in keys]
    if method == "hamilton":
        fixed = set()
        while True:
            rest = seats - sum(mins[i] for i in fixed)
            free = [i for i in range(len(keys)) if i not in fixed]
            total = sum(w[i] for i in free)
            quota = {i: w[i] * rest / total if total else Fraction(0) for i in free}
            below = {i for i in free if quota[i] < mins[i]}
            if not below:
                break
            fixed |= below
        result = list(mins)
        for i in free:
            result[i] = math.floor(quota[i])
        spare = sorted(free, key=lambda i: (-(quota[i] - math.floor(quota[i])), i))
        for i in spare[:rest - sum(result[i] for i in free)]:
            result[i] += 1
        return dict(zip(keys, result))
    # Divisor methods one seat at a time: highest next-seat quotient, earlier key on a tie.
    step = Fraction(1) if method == "dhondt" else Fraction(1, 2)
    result = list(mins)
    for _ in range(seats - sum(mins)):
        best = max((i for i in range(len(keys)) if w[i] > 0),
                   key=lambda i: (w[i] / (result[i] + step), -i))
        result[best] += 1
    return dict(zip(keys, result))


# --- properties ----------------------------------------------------------------------

weight_values = st.one_of(
    st.integers(0, 12),  # small integers make exact ties common
    st.integers(0, 10**7),
    st.decimals(0, 10**6, places=3, allow_nan=False, allow_infinity=False),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    st.fractions(0, 1000, max_denominator=50),
)


@st.composite
def cases(draw, with_minimum=True, max_seats=150, max_keys=12):
    n = draw(st.integers(1, max_keys))
    keys = draw(st.permutations([f"k{i}" for i in range(n)]))
    weights = {k: draw(weight_values) for k in keys}
    assume(any(weights.values()))
    if with_minimum:
        minimum = draw(st.one_of(
            st.integers(0, 3),
            st.dictionaries(st.sampled_from(keys), st.integers(0, 6), max_size=n),
        ))
    else:
        minimum = 0
    floor = n * minimum if isinstance(minimum, int) else sum(minimum.values())
    seats = draw(st.integers(floor, floor + max_seats))
    return weights, seats, minimum


def _min_of(minimum, key):
    return minimum if isinstance(minimum, int) else minimum.get(key, 0)


@PROPS
@given(case=cases(), method=st.sampled_from(ALL_METHODS))
def test_total_minimums_order_and_determinism(case, method):
    weights, seats, minimum = case
    result = apportion(weights, seats, method, minimum)
    assert list(result) == list(weights)
    assert sum(result.values()) == seats
    assert all(isinstance(v, int) for v in result.values())
    assert all(result[k] >= _min_of(minimum, k) for k in weights)
    assert all(result[k] == _min_of(minimum, k) for k in weights if weights[k] == 0)
    assert apportion(dict(weights), seats, method, minimum) == result


@PROPS
@given(case=cases(max_keys=8, max_seats=60), method=st.sampled_from(ALL_METHODS))
def test_matches_slow_reference(case, method):
    weights, seats, minimum = case
    assert apportion(weights, seats, method, minimum) == _reference(weights, seats, method, minimum)


@PROPS
@given(case=cases(with_minimum=False))
def test_hamilton_satisfies_quota(case):
    weights, seats, _ = case
    total = sum(Fraction(v) for v in weights.values())
    result = apportion(weights, seats, "hamilton")
    for key, value in weights.items():
        quota = Fraction(value) * seats / total
        assert math.floor(quota) <= result[key] <= math.ceil(quota)


@PROPS
@given(case=cases(with_minimum=False))
def test_dhondt_satisfies_lower_quota(case):
    weights, seats, _ = case
    total = sum(Fraction(v) for v in weights.values())
    result = apportion(weights, seats, "dhondt")
    for key, value in weights.items():
        assert result[key] >= math.floor(Fraction(value) * seats / total)


@PROPS
@given(case=cases(), method=st.sampled_from(DIVISOR_METHODS))
def test_divisor_methods_are_house_monotone(case, method):
    weights, seats, minimum = case
    before = apportion(weights, seats, method, minimum)
    after = apportion(weights, seats + 1, method, minimum)
    assert all(after[k] >= before[k] for k in weights)


@PROPS
@given(case=cases(with_minimum=False), method=st.sampled_from(ALL_METHODS),
       factor=st.integers(1, 1000))
def test_scaling_weights_changes_nothing(case, method, factor):
    weights, seats, _ = case
    scaled = {k: Fraction(v) * factor / 7 for k, v in weights.items()}
    as_decimal = {k: Decimal(int(Fraction(v) * 1000)) / 1000 for k, v in weights.items()}
    assert apportion(scaled, seats, method) == apportion(weights, seats, method)
    thousandths = {k: int(Fraction(v) * 1000) for k, v in weights.items()}
    assume(any(thousandths.values()))
    assert apportion(as_decimal, seats, method) == apportion(thousandths, seats, method)


@PROPS
@given(case=cases(with_minimum=False), method=st.sampled_from(DIVISOR_METHODS), data=st.data())
def test_divisor_minimum_that_does_not_bind_changes_nothing(case, method, data):
    weights, seats, _ = case
    free = apportion(weights, seats, method)
    minimum = {k: data.draw(st.integers(0, v)) for k, v in free.items()}
    assert apportion(weights, seats, method, minimum) == free


@PROPS
@given(case=cases(with_minimum=False), data=st.data())
def test_hamilton_minimum_below_every_quota_changes_nothing(case, data):
    weights, seats, _ = case
    total = sum(Fraction(v) for v in weights.values())
    minimum = {k: data.draw(st.integers(0, math.floor(Fraction(v) * seats / total)))
               for k, v in weights.items()}
    assert apportion(weights, seats, "hamilton", minimum) == apportion(weights, seats, "hamilton")


# --- the PyPI `apportionment` package as an outside oracle ------------------------------

ORACLE_NAMES = {"hamilton": "largest_remainder", "webster": "saintelague", "dhondt": "dhondt"}


@PROPS
@given(votes=st.lists(st.integers(0, 10**6), min_size=1, max_size=60),
       seats=st.integers(1, 120), method=st.sampled_from(ALL_METHODS))
def test_agrees_with_apportionment_package(votes, seats, method):
    assume(sum(votes) > 0)
    names = [f"p{i}" for i in range(len(votes))]  # more names than the default 52 letters
    try:
        expected = app.compute(ORACLE_NAMES[method], votes, seats, fractions=True,
                               parties=names, tiesallowed=False)
    except app.TiesException:
        assume(False)
    result = apportion(dict(zip(names, votes)), seats, method)
    assert list(result.values()) == expected


@pytest.mark.parametrize("method", ALL_METHODS)
def test_provinces_agree_with_apportionment_package(method):
    votes = list(PROVINCES.values())
    expected = app.compute(ORACLE_NAMES[method], votes, 474, fractions=True,
                           parties=list(PROVINCES), tiesallowed=False)
    assert list(apportion(PROVINCES, 474, method).values()) == expected

"""The report's numbers and sentences: Indonesian number format, "—" for a missing figure, the
comparison with the previous month; and every indicator has its place in a section."""

import datetime as dt

import pytest
from django.utils import translation

from sukarela.monitoring.indicators import COUNT, INDICATORS, PER_TKS, PERCENT, RUPIAH
from sukarela.monitoring.reports import content, text


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize("value, unit, expected", [
    (1234, COUNT, "1.234"),
    (1234567, COUNT, "1.234.567"),
    (0, COUNT, "0"),
    (None, COUNT, "—"),
    (45.56, PERCENT, "45,6%"),
    (100.0, PERCENT, "100,0%"),
    (1500000, RUPIAH, "Rp 1.500.000"),
    (2.25, PER_TKS, "2,2"),  # round half to even, as Python rounds
    (None, RUPIAH, "—"),
])
def test_figures_in_indonesian_format(value, unit, expected):
    assert text.figure(value, unit) == expected


@pytest.mark.parametrize("value, previous, unit, expected", [
    (12, 9, COUNT, "Kunjungan: 12, naik 3 dari 9 bulan sebelumnya."),
    (9, 12, COUNT, "Kunjungan: 9, turun 3 dari 12 bulan sebelumnya."),
    (1200, 1200, COUNT, "Kunjungan: 1.200, sama dengan bulan sebelumnya."),
    (None, 5, COUNT, "Kunjungan: belum ada data."),
    (5, None, COUNT, "Kunjungan: 5 (bulan sebelumnya belum ada data)."),
    (62.5, 50.0, PERCENT, "Kunjungan: 62,5%, naik 12,5 poin persen dari 50,0% bulan sebelumnya."),
    (2000000, 3500000, RUPIAH, "Kunjungan: Rp 2.000.000, turun Rp 1.500.000 dari Rp 3.500.000 bulan sebelumnya."),
])
def test_sentences_compare_with_the_previous_month(value, previous, unit, expected):
    assert text.sentence("Kunjungan", value, previous, unit) == expected


def test_change_column():
    assert text.change(12, 9, COUNT) == "+3"
    assert text.change(40.0, 62.5, PERCENT) == "−22,5 poin"
    assert text.change(5, 5, COUNT) == "±0"
    assert text.change(None, 5, COUNT) == "—"


def test_months_in_indonesian():
    assert text.month_label(dt.date(2026, 10, 1)) == "Oktober 2026"
    assert text.month_label(dt.date(2027, 2, 1)) == "Februari 2027"


def test_every_indicator_is_in_a_section():
    placed = {code for spec in content.SECTIONS[1:] for code in spec.codes}
    assert placed == {i.code for i in INDICATORS}
    for spec in content.SECTIONS:
        assert set(spec.lead) <= set(spec.codes)


def test_children_are_ranked_by_their_share_visited_none_last():
    ref = lambda code: content.selectors.RegionRef(code, code, 2, "32")  # noqa: E731
    kids = [content.selectors.Figures(ref(code), None, {"visited_30d": v}, {}, None)
            for code, v in (("32.01", 50.0), ("32.02", None), ("32.03", 75.0), ("32.04", 50.0))]
    ranked = content._rank(kids)
    assert [(r.rank, r.region.code) for r in ranked] == [(1, "32.03"), (2, "32.01"), (3, "32.04"), (None, "32.02")]

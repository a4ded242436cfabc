"""Building monthly reports from a hand-made programme (tests/monitoring/reports_fixtures.py) after a
full refresh: the PDF's text and the XLSX's cells hold the headings, the region, the month and the
figures counted by hand; a failing build leaves no file; building again replaces the same row."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from pypdf import PdfReader

from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.services import reports as service
from sukarela.monitoring.services.refresh import refresh
from sukarela.regions.models import Region
from tests.monitoring.reports_fixtures import month_words, programme, tmp_media


@pytest.fixture
def media(settings, tmp_path):
    return tmp_media(settings, tmp_path)

HEADINGS = ("Ringkasan", "Rekrutmen dan pelatihan", "TKS dan kunjungan", "Kelompok TKM",
            "Kemitraan dan akses pembiayaan", "Alumni")


@pytest.fixture
def data(world, media):
    made = programme(world)
    refresh(full=True)
    return made


def built(actor, code, month, fmt) -> Report:
    report = service.request_report(actor, code, f"{month:%Y-%m}", fmt)
    return service.build(report)


def pdf_text(report) -> str:
    reader = PdfReader(Path(settings.MEDIA_ROOT, report.path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_regency_pdf_has_headings_region_month_figures_and_its_groups(world, data):
    report = built(world.district, "32.01", data.month, "pdf")
    assert report.state == ReportState.DONE and report.progress == 100 and report.built_at
    file = Path(settings.MEDIA_ROOT, report.path)
    assert file.read_bytes().startswith(b"%PDF") and report.size == file.stat().st_size
    text = pdf_text(report)
    positions = [text.find(h) for h in ("Laporan Bulanan Program TKS", *HEADINGS, "Definisi indikator")]
    assert -1 not in positions and positions == sorted(positions), positions
    assert Region.objects.get(code="32.01").name in text
    assert month_words(data.month) in text
    # Bogor: 2 + 1 visits this month, 1 the month before.
    assert "Kunjungan: 3, naik 2 dari 1 bulan sebelumnya." in text
    # A regency lists its groups, not regions below it; never the other regency's group.
    assert "Wilayah di bawahnya" not in text
    assert data.bogor[0].name in text and data.bogor[1].name in text
    assert data.sukabumi.name not in text


def test_national_pdf_ranks_the_provinces(world, data):
    report = built(world.national, "", data.month, "pdf")
    text = pdf_text(report)
    assert "Indonesia" in text and "Wilayah di bawahnya" in text
    assert "Kunjungan: 7, naik 6 dari 1 bulan sebelumnya." in text  # 3 in Bogor + 4 in Sukabumi; 1 before
    for code in ("32", "52"):
        assert f"{Region.objects.get(code=code).name} ({code})" in text


def test_province_xlsx_has_its_sheets_values_and_charts(world, data):
    report = built(world.provincial, "32", data.month, "xlsx")
    assert report.state == ReportState.DONE
    raw = Path(settings.MEDIA_ROOT, report.path).read_bytes()
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Ringkasan", "Tren", "Wilayah", "Definisi"]
    summary = book["Ringkasan"]
    assert summary["A2"].value == Region.objects.get(code="32").name and summary["A3"].value == month_words(data.month)
    rows = {row[5]: row for row in summary.iter_rows(min_row=7, values_only=True)}
    assert rows["visits"][1:5] == (7, "jumlah", 1, 6)
    trend = list(book["Tren"].iter_rows(values_only=True))
    visits = trend[0].index("Kunjungan")
    assert len(trend) == 1 + 24
    assert trend[-1][0] == f"{data.month:%Y-%m}" and trend[-1][visits] == 7
    assert trend[-2][0] == f"{data.before:%Y-%m}" and trend[-2][visits] == 1
    regions = list(book["Wilayah"].iter_rows(values_only=True))
    visits = regions[0].index("Kunjungan")
    by_code = {row[1]: row for row in regions[1:]}
    assert by_code["32.01"][visits] == 3 and by_code["32.02"][visits] == 4
    codes = [row[0] for row in book["Definisi"].iter_rows(min_row=2, values_only=True)]
    assert "visited_30d" in codes and "cost_per_job" in codes
    charts = zipfile.ZipFile(io.BytesIO(raw))
    xml = " ".join(charts.read(n).decode() for n in charts.namelist() if n.startswith("xl/charts/chart"))
    assert re.search(r"<(c:)?lineChart>", xml) and re.search(r"<(c:)?barChart>", xml)


def test_regency_xlsx_lists_groups_with_formula_safe_names(world, media):
    made = programme(world)
    made.bogor[0].name = "=HYPERLINK(\"http://x\")"
    made.bogor[0].save(update_fields=["name"])
    refresh(full=True)
    report = built(world.district, "32.01", made.month, "xlsx")
    book = load_workbook(Path(settings.MEDIA_ROOT, report.path))
    names = {row[0]: row for row in book["Wilayah"].iter_rows(min_row=2, values_only=True)}
    assert set(names) == {"'=HYPERLINK(\"http://x\")", made.bogor[1].name}
    assert names[made.bogor[1].name][5] == 1  # one visit this month


def test_failed_build_ends_failed_and_removes_the_previous_file(world, data, monkeypatch):
    report = built(world.district, "32.01", data.month, "pdf")
    file = Path(settings.MEDIA_ROOT, report.path)
    assert file.is_file()

    def broken(content):
        raise RuntimeError("kertas habis")

    monkeypatch.setitem(service.RENDERERS, "pdf", broken)
    again = built(world.district, "32.01", data.month, "pdf")
    assert again.pk == report.pk and again.state == ReportState.FAILED
    assert "kertas habis" in again.error and again.path == "" and again.size == 0 and again.progress == 0
    assert not file.exists()
    assert list(file.parent.iterdir()) == []  # no temporary part left behind either


def test_building_again_replaces_the_same_row_and_file(world, data):
    first = built(world.district, "32.01", data.month, "pdf")
    second = built(world.national, "32.01", data.month, "pdf")
    assert second.pk == first.pk and Report.objects.count() == 1
    assert second.path == first.path and second.built_at > first.built_at
    assert second.requested_by == world.national
    assert Path(settings.MEDIA_ROOT, second.path).stat().st_size == second.size


def test_a_report_not_queued_is_left_alone(world, data):
    report = service.request_report(world.district, "32.01", f"{data.month:%Y-%m}", "pdf")
    Report.objects.filter(pk=report.pk).update(state=ReportState.RUNNING)
    assert service.build(report).state == ReportState.RUNNING  # another thread has it
    assert not Path(settings.MEDIA_ROOT, service.relative_path("32.01", data.month, "pdf")).exists()

"""The monthly report as an XLSX workbook (openpyxl): "Ringkasan" (each indicator this month, the
month before and the change), "Tren" (24 months × indicators, with a native line chart),
"Wilayah" (the child regions ranked, or a regency's groups, with a bar chart) and "Definisi".
Numbers stay numbers so officers can compute with them; every text cell is formula-safe
(engines.tabular.safe_cell) and stored as text, so a group named "=1+1" stays a name."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sukarela.engines.tabular import safe_cell
from sukarela.groups.models import GroupStatus, Tier
from sukarela.monitoring.indicators import BY_CODE, INDICATORS
from sukarela.monitoring.reports import text
from sukarela.monitoring.reports.content import CHILD_COLUMNS, RANK_BY, ReportContent

BOLD = Font(bold=True)
TREND_CHART = ("visits", "groups_mentored", "tks_active")  # counts of a like size on one axis


def _put(sheet, row: int, col: int, value, bold: bool = False):
    """A formula-safe cell: text is text (never a formula), a number a number, None empty."""
    cell = sheet.cell(row=row, column=col)
    if value is None:
        cell.value = None
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = "#,##0" if isinstance(value, int) or value == int(value) else "#,##0.0"
    elif isinstance(value, dt.date):
        cell.value, cell.number_format = value, "yyyy-mm-dd"
    else:
        cell.value = str(safe_cell(str(value)))
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
    if bold:
        cell.font = BOLD
    return cell


def _header(sheet, row: int, headers, widths=None) -> None:
    for col, header in enumerate(headers, start=1):
        _put(sheet, row, col, header, bold=True)
        if widths:
            sheet.column_dimensions[get_column_letter(col)].width = widths[min(col - 1, len(widths) - 1)]


def _number(value):
    """A figure as a cell value: the number, or "—" when there is none (as the PDF prints it)."""
    return text.MISSING if value is None else value


def render(content: ReportContent) -> bytes:
    with translation.override("id"):
        book = Workbook()
        _summary(book.active, content)
        _trend(book.create_sheet(_("Tren")), content)
        _regions(book.create_sheet(_("Wilayah")), content)
        _definitions(book.create_sheet(_("Definisi")))
        book.properties.title = f"{content.title} · {content.region.name} · {content.month_text}"
        book.properties.creator = "Sukarela"
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


def _summary(sheet, c: ReportContent) -> None:
    sheet.title = _("Ringkasan")
    _put(sheet, 1, 1, c.title, bold=True)
    _put(sheet, 2, 1, c.region.name)
    _put(sheet, 2, 2, c.region.code or "ID")
    _put(sheet, 3, 1, c.month_text)
    _put(sheet, 4, 1, c.stamp)
    _header(sheet, 6, [_("Indikator"), _("Nilai"), _("Satuan"), _("Bulan sebelumnya"), _("Perubahan"), _("Kode")],
            [44, 14, 10, 18, 14, 20])
    row = 7
    for indicator in INDICATORS:
        value, previous = c.values.get(indicator.code), c.previous.get(indicator.code)
        change = text.difference(value, previous)
        for col, v in enumerate((str(indicator.name), _number(value), text.UNIT_LABELS.get(indicator.unit, ""),
                                 _number(previous), _number(change), indicator.code), start=1):
            _put(sheet, row, col, v)
        row += 1
    sheet.freeze_panes = "A7"


def _trend(sheet, c: ReportContent) -> None:
    _header(sheet, 1, [_("Bulan")] + [str(i.name) for i in INDICATORS], [12, 16])
    for row, (month, values) in enumerate(c.trend, start=2):
        _put(sheet, row, 1, month.strftime("%Y-%m"))
        for col, indicator in enumerate(INDICATORS, start=2):
            _put(sheet, row, col, values.get(indicator.code))  # empty when missing: a gap in the chart
    sheet.freeze_panes = "B2"
    last = len(c.trend) + 1
    if last < 2:
        return
    chart = LineChart()
    chart.title = _("Kunjungan, kelompok didampingi dan TKS aktif per bulan")
    chart.y_axis.title = _("jumlah")
    chart.height, chart.width = 9, 22
    for code in TREND_CHART:
        col = 2 + [i.code for i in INDICATORS].index(code)
        chart.add_data(Reference(sheet, min_col=col, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, f"B{last + 3}")


def _regions(sheet, c: ReportContent) -> None:
    if c.groups is not None:
        _groups(sheet, c)
        return
    heads = [_("Peringkat"), _("Kode"), _("Wilayah")] + [str(BY_CODE[code].name) for code in CHILD_COLUMNS]
    _header(sheet, 1, heads, [11, 9, 30, 16])
    for row, r in enumerate(c.children, start=2):
        cells = [_number(r.rank), r.region.code, r.region.name] + [_number(r.values.get(code)) for code in CHILD_COLUMNS]
        for col, v in enumerate(cells, start=1):
            _put(sheet, row, col, v)
    sheet.freeze_panes = "A2"
    if c.children:
        col = 4 + CHILD_COLUMNS.index(RANK_BY)
        _bars(sheet, str(BY_CODE[RANK_BY].name), col, 3, len(c.children) + 1, f"{get_column_letter(len(heads) + 2)}2")


def _groups(sheet, c: ReportContent) -> None:
    heads = [_("Kelompok"), _("Desa/Kelurahan"), _("Sektor"), _("Tingkat"), _("Status"), _("Kunjungan"),
             _("Kunjungan terakhir"), _("Dikunjungi 30 hari"), _("Omzet terakhir (Rp)"), _("Pertumbuhan omzet (%)"),
             _("Pekerja baru")]
    _header(sheet, 1, heads, [30, 20, 16, 12, 12, 11])
    for row, g in enumerate(c.groups, start=2):
        cells = [g.name, g.village, g.sector, text.label(Tier, g.tier), text.label(GroupStatus, g.status), g.visits, g.last_visit_on,
                 _("ya") if g.visited_30d else _("tidak"), None if g.turnover is None else int(g.turnover),
                 None if g.turnover_growth is None else round(g.turnover_growth, 1), g.new_workers]
        for col, v in enumerate(cells, start=1):
            _put(sheet, row, col, v)
    sheet.freeze_panes = "A2"
    if c.groups:
        _bars(sheet, _("Kunjungan dalam bulan ini"), 6, 1, len(c.groups) + 1, f"{get_column_letter(len(heads) + 2)}2")


def _bars(sheet, title: str, value_col: int, label_col: int, last: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.height, chart.width = max(7, 0.5 * last), 16
    chart.add_data(Reference(sheet, min_col=value_col, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=last))
    chart.y_axis.scaling.min = 0
    sheet.add_chart(chart, anchor)


def _definitions(sheet) -> None:
    _header(sheet, 1, [_("Kode"), _("Indikator"), _("Rumus"), _("Satuan"), _("Sumber"), _("Tingkat terhalus")],
            [20, 34, 70, 10, 44, 14])
    for row, i in enumerate(INDICATORS, start=2):
        for col, v in enumerate((i.code, str(i.name), str(i.formula), text.UNIT_LABELS.get(i.unit, ""), str(i.source),
                                 text.LEVEL_LABELS.get(i.level, i.level)), start=1):
            _put(sheet, row, col, v)
    sheet.freeze_panes = "A2"

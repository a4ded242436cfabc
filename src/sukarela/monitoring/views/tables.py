"""One table of a dashboard, three ways: an HTML table, the data of its charts, and a download.

A dashboard builds each of its tables once (views/dashboard_tables.py); the page renders the
table, the chart script draws from the same rows (so every chart is also readable as a table, and
the table stays when the chart library is missing), and `?unduh=xlsx|csv&tabel=<key>` writes the
same rows to a file. Rows hold raw values; `units` says how each column reads on the page.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from django.http import Http404

from sukarela.core.web import download, spreadsheet
from sukarela.monitoring.templatetags.monitoring_figures import MONTH, format_figure

TEXT = "text"
FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Chart:
    kind: str                 # "bar" or "line"
    series: tuple             # the column indices drawn, one dataset each
    title: str = ""
    horizontal: bool = False  # bars along the x axis (a ranking of many regions reads better on a phone)


@dataclass
class Table:
    key: str                  # the value of `tabel` that downloads it
    title: str
    headers: list
    units: list               # per column: TEXT, MONTH, an indicator unit (indicators.COUNT...)
    rows: list = field(default_factory=list)
    links: list | None = None  # per row: where its first cell leads (None: nowhere)
    charts: list = field(default_factory=list)
    label: int = 0            # the column that names a row on a chart's axis
    empty: str = ""           # what the page says when there is no row
    note: str = ""            # said under the table (e.g. that it was cut at a cap)
    open: bool = False        # shown open under its chart: its rows are links (the drill-down)

    def cells(self) -> list[list[tuple[str, str | None]]]:
        """Each row as (text, link) cells, the link on the first cell only."""
        out = []
        for i, row in enumerate(self.rows):
            link = self.links[i] if self.links else None
            out.append([(format_figure(v, u), link if c == 0 else None)
                        for c, (v, u) in enumerate(zip(row, self.units))])
        return out

    @cached_property
    def chart_data(self) -> list[dict]:
        """What static/sukarela/monitoring/charts.js draws: labels, one dataset per series."""
        labels = [format_figure(r[self.label], self.units[self.label]) for r in self.rows]
        out = []
        for n, chart in enumerate(self.charts):
            datasets = [{"label": str(self.headers[c]), "unit": self.units[c],
                         "data": [_number(r[c]) for r in self.rows]} for c in chart.series]
            # A horizontal bar chart grows with its rows so each label stays readable on a phone.
            height = 60 + 26 * max(len(labels), 3) if chart.horizontal else 220
            # A table's only chart goes untitled: the section's heading names it.
            out.append({"id": f"chart-{self.key}-{n}", "type": chart.kind, "title": str(chart.title or ""),
                        "label": str(chart.title or self.title),
                        "horizontal": chart.horizontal, "height": height, "labels": labels,
                        "links": self.links or [], "datasets": datasets})
        return out

    def export_rows(self) -> list[list]:
        return [[_plain(v, u) for v, u in zip(row, self.units)] for row in self.rows]

    def download(self, fmt: str, stem: str):
        if fmt not in FORMATS:
            raise Http404
        content = spreadsheet(fmt, [str(h) for h in self.headers], self.export_rows(), str(self.title))
        return download(content, f"{stem}-{self.key}.{fmt}", fmt)


def _number(value):
    if value is None or isinstance(value, (str, bool)):
        return None
    return round(float(value), 2)


def _plain(value, unit):
    """A cell for a file: numbers stay numbers (rounded to 2 places), a month is its first day."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dt.date) and unit == MONTH:
        return value.strftime("%Y-%m")
    return str(value) if value is not None and not isinstance(value, (int, dt.date)) else value


def find(tables, key: str) -> Table:
    for table in tables:
        if table is not None and table.key == key:
            return table
    raise Http404


def answer_download(request, tables, stem: str):
    """The response to `?unduh=<fmt>&tabel=<key>` when asked for, else None."""
    fmt = request.GET.get("unduh")
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404
    return find(tables, request.GET.get("tabel", "")).download(fmt, stem)

"""The PDF report's charts (reportlab.graphics): a trend line over months and horizontal bars.
Each returns a Drawing that platypus places like any other flowable; a month without a figure
is a gap in the line, a bar without one is drawn as zero and its label says "—"."""

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from sukarela.monitoring.reports import text

NAVY = colors.HexColor("#1f3a5f")
TEAL = colors.HexColor("#2a9d8f")
WIDTH = 480


def _title(drawing: Drawing, title: str, font: str) -> None:
    drawing.add(String(0, drawing.height - 12, title, fontName=font, fontSize=9, fillColor=NAVY))


def trend(labels: list[str], values: list, title: str, font: str, bold: str, percent: bool = False,
          height: int = 150) -> Drawing:
    drawing = Drawing(WIDTH, height)
    _title(drawing, title, bold)
    present = [float(v) for v in values if v is not None]
    if not present:  # nothing to draw a line through (and ReportLab refuses an empty one)
        drawing.add(String(0, height - 30, str(text.NO_DATA), fontName=font, fontSize=8))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 28, WIDTH - 60, height - 52
    chart.data = [tuple(None if v is None else float(v) for v in values)]
    chart.lines[0].strokeColor = TEAL
    chart.lines[0].strokeWidth = 1.6
    chart.joinedLines = 1
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = text.number
    top = max(present)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100 if percent else max(top * 1.15, 1)
    if not percent and top < 5:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = max(math.ceil(top), 1), 1  # whole steps for small counts
    drawing.add(chart)
    return drawing


def bars(labels: list[str], values: list, value_labels: list[str], title: str, font: str, bold: str,
         percent: bool = False) -> Drawing:
    """One horizontal bar per label, top to bottom in the given order."""
    row = 14
    height = 40 + row * max(len(labels), 1)
    drawing = Drawing(WIDTH, height)
    _title(drawing, title, bold)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 12, WIDTH - 210, height - 36
    # The chart draws its first category at the bottom: reversed, the list reads top down.
    numbers = [0.0 if v is None else float(v) for v in values][::-1]
    chart.data = [tuple(numbers)] if numbers else [(0.0,)]
    chart.bars[0].fillColor = NAVY
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = [_short(label) for label in labels][::-1] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = text.number
    chart.valueAxis.valueMin = 0
    top = max(numbers) if numbers else 0
    chart.valueAxis.valueMax = 100 if percent else max(top * 1.1, 1)
    if not percent and top < 5:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = max(math.ceil(top), 1), 1  # whole steps for small counts
    drawing.add(chart)
    # The figure at the end of each bar, as the table prints it.
    step = chart.height / max(len(numbers), 1)
    for i, label in enumerate(value_labels[::-1]):
        x = chart.x + chart.width * (numbers[i] / chart.valueAxis.valueMax) + 4
        y = chart.y + step * i + step / 2 - 2.5
        drawing.add(String(x, y, label, fontName=font, fontSize=6.5))
    return drawing


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"

"""The monthly report as an A4 PDF (ReportLab platypus), in the house style of the training
certificate (training/certificate_pdf.py): navy headings, the fonts of core/pdf_fonts.py embedded
so the text can be copied and read by tests. Always in Bahasa Indonesia."""

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sukarela.core import pdf_fonts
from sukarela.core.pdf_fonts import BOLD, REGULAR
from sukarela.groups.models import GroupStatus
from sukarela.monitoring.indicators import BY_CODE, PERCENT
from sukarela.monitoring.reports import charts, text
from sukarela.monitoring.reports.content import CHILD_COLUMNS, RANK_BY, ReportContent

NAVY = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#e8edf3")
MARGIN = 40
PDF_TREND_MONTHS = 12


def _styles() -> dict:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=18, leading=22, textColor=NAVY),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=BOLD, fontSize=12.5, leading=16),
        "h": ParagraphStyle("h", parent=body, fontName=BOLD, fontSize=12.5, leading=16, textColor=NAVY,
                            spaceBefore=12, spaceAfter=5),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=7.5, leading=9, spaceAfter=0),
    }


def render(content: ReportContent) -> bytes:
    pdf_fonts.register()
    buffer = io.BytesIO()
    with translation.override("id"):
        s = _styles()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN + 10, title=f"{content.title} · {content.region.name} · "
                                f"{content.month_text}", author=_("Kementerian Ketenagakerjaan Republik Indonesia"),
                                subject=content.title)
        story = _front(content, s)
        for section in content.sections:
            story += _section(content, section, s)
        story += _below(content, s)
        story += _definitions(s)
        footer = f"{content.title} · {content.region.name} · {content.month_text}"
        doc.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return buffer.getvalue()


def _p(value, style) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _footer(label: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 24, label)
        canvas.drawRightString(A4[0] - MARGIN, 24, _("Halaman %(n)d") % {"n": doc.page})
        canvas.restoreState()
    return draw


def _front(c: ReportContent, s) -> list:
    return [
        _p(_("Kementerian Ketenagakerjaan Republik Indonesia"), s["small"]),
        _p(c.title, s["title"]),
        _p(f"{c.region.name} · {c.month_text}", s["subtitle"]),
        _p(c.stamp, s["small"]),
        Spacer(1, 6),
    ]


def _table(rows, widths, s) -> Table:
    data = [[_p(h, s["head"]) for h in rows[0]]] + [[_p(v, s["cell"]) for v in r] for r in rows[1:]]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    style += [("BACKGROUND", (0, i), (-1, i), GREY) for i in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _section(c: ReportContent, section, s) -> list:
    out = [_p(section.title, s["h"])]
    out += [_p(sentence, s["body"]) for sentence in section.sentences]
    rows = [(_("Indikator"), _("Bulan ini"), _("Bulan sebelumnya"), _("Perubahan"))]
    rows += [(str(line.indicator.name), line.text, line.previous_text, line.change_text) for line in section.lines]
    out += [Spacer(1, 4), _table(rows, [235, 90, 90, 100], s)]
    if section.key == "recruitment":
        lines = section.lines
        out.append(Spacer(1, 8))
        out.append(charts.bars([str(line.indicator.name) for line in lines], [line.value for line in lines],
                               [line.text for line in lines], _("Corong rekrutmen bulan ini"), REGULAR, BOLD))
    if section.key == "tks":
        out += _trend_charts(c)
    return out


def _trend_charts(c: ReportContent) -> list:
    months = c.trend[-PDF_TREND_MONTHS:]
    labels = [text.short_month(m) for m, _v in months]
    return [Spacer(1, 8), KeepTogether([
        charts.trend(labels, [v.get("visits") for _m, v in months],
                     _("Kunjungan per bulan, %(n)d bulan terakhir") % {"n": len(months)}, REGULAR, BOLD),
        charts.trend(labels, [v.get("visited_30d") for _m, v in months],
                     _("Kelompok dikunjungi dalam 30 hari (%)"), REGULAR, BOLD, percent=True),
    ])]


def _below(c: ReportContent, s) -> list:
    if c.groups is not None:
        return _groups(c, s)
    out = [_p(_("Wilayah di bawahnya"), s["h"])]
    if not c.children:
        return out + [_p(_("Tidak ada wilayah di bawahnya."), s["body"])]
    out.append(_p(_("Diurutkan menurut %(i)s; wilayah tanpa angka di akhir.") % {"i": BY_CODE[RANK_BY].name},
                  s["small"]))
    heads = [_("Peringkat"), _("Wilayah")] + [str(BY_CODE[code].name) for code in CHILD_COLUMNS]
    rows = [heads] + [[text.MISSING if r.rank is None else r.rank, f"{r.region.name} ({r.region.code})"]
                      + [text.figure(r.values.get(code), BY_CODE[code].unit) for code in CHILD_COLUMNS]
                      for r in c.children]
    out.append(_table(rows, [50, 135] + [66] * len(CHILD_COLUMNS), s))
    rank = BY_CODE[RANK_BY]
    out += [Spacer(1, 8), charts.bars(
        [r.region.name for r in c.children], [r.values.get(RANK_BY) for r in c.children],
        [text.figure(r.values.get(RANK_BY), rank.unit) for r in c.children], str(rank.name), REGULAR, BOLD,
        percent=rank.unit == PERCENT)]
    return out


def _groups(c: ReportContent, s) -> list:
    out = [_p(_("Kelompok TKM di wilayah ini"), s["h"])]
    if not c.groups:
        return out + [_p(_("Belum ada kelompok terdaftar."), s["body"])]
    rows = [(_("Kelompok"), _("Desa/Kelurahan"), _("Sektor"), _("Status"), _("Kunjungan"), _("Kunjungan terakhir"),
             _("Dikunjungi 30 hari"), _("Pertumbuhan omzet"), _("Pekerja baru"))]
    for g in c.groups:
        rows.append((g.name, g.village, g.sector, text.label(GroupStatus, g.status), text.number(g.visits),
                     g.last_visit_on.strftime("%d-%m-%y") if g.last_visit_on else text.MISSING,
                     _("ya") if g.visited_30d else _("tidak"), text.figure(g.turnover_growth, PERCENT),
                     text.number(g.new_workers)))
    out.append(_table(rows, [86, 73, 54, 40, 52, 52, 52, 64, 40], s))
    return out


def _definitions(s) -> list:
    from sukarela.monitoring.indicators import INDICATORS

    out = [_p(_("Definisi indikator"), s["h"])]
    rows = [(_("Indikator"), _("Rumus"), _("Satuan"), _("Sumber"))]
    rows += [(str(i.name), str(i.formula), str(text.UNIT_LABELS.get(i.unit, i.unit)), str(i.source))
             for i in INDICATORS]
    out.append(_table(rows, [110, 235, 45, 125], s))
    return out

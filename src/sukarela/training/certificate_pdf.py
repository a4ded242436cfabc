"""The certificate as a one-page A4 landscape PDF (ReportLab), with a QR code of its public check.

Always in Bahasa Indonesia: it is an official document of the ministry, whatever language
the person downloading it reads the site in. The fonts are embedded (so the text can be
copied, and read by tests; core/pdf_fonts.py). `invariant` makes the same certificate give the
same bytes. A revoked certificate is never rendered: `render` refuses it.
"""

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from sukarela.core import pdf_fonts
from sukarela.core.pdf_fonts import BOLD, REGULAR
from sukarela.training.models import Certificate

NAVY = colors.HexColor("#1f3a5f")
WIDTH, HEIGHT = landscape(A4)
TABLE_TOP, TABLE_BOTTOM, TABLE_LEFT, TABLE_WIDTH = 322, 84, 56, 560
QR_SIZE = 130


class RevokedCertificate(ValueError):
    """A revoked certificate has no PDF any more."""


def verify_url(certificate: Certificate) -> str:
    return settings.SUKARELA_BASE_URL.rstrip("/") + reverse("training:verify_code", args=[certificate.code])


def hours_text(hours) -> str:
    value = Decimal(str(hours))
    return number_format(value, 0 if value == value.to_integral() else 1)


def period_text(starts_on, ends_on) -> str:
    return f"{date_format(starts_on, 'j F Y')} – {date_format(ends_on, 'j F Y')}"


def render(certificate: Certificate, verify_url: str) -> bytes:
    if not certificate.is_valid:
        raise RevokedCertificate(certificate.code)
    pdf_fonts.register()
    buffer = io.BytesIO()
    with translation.override("id"):
        pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=1, pageCompression=1)
        pdf.setTitle(f"{_('Sertifikat')} {certificate.code}")
        pdf.setAuthor(_("Kementerian Ketenagakerjaan Republik Indonesia"))
        pdf.setSubject(_("Pelatihan Tenaga Kerja Sukarela (TKS)"))
        _frame(pdf)
        _heading(pdf, certificate)
        _modules(pdf, certificate)
        _qr(pdf, verify_url)
        _footer(pdf, certificate)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def _frame(pdf) -> None:
    pdf.setStrokeColor(NAVY)
    pdf.setLineWidth(3)
    pdf.rect(20, 20, WIDTH - 40, HEIGHT - 40)
    pdf.setLineWidth(0.8)
    pdf.rect(28, 28, WIDTH - 56, HEIGHT - 56)


def _centred(pdf, text, y, font, size, color=colors.black) -> None:
    size = _fit(text, font, size, WIDTH - 120)
    pdf.setFont(font, size)
    pdf.setFillColor(color)
    pdf.drawCentredString(WIDTH / 2, y, text)


def _fit(text, font, size, width) -> float:
    """Shrink a long line (a long name) until it fits rather than run off the page."""
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _heading(pdf, c: Certificate) -> None:
    _centred(pdf, _("Kementerian Ketenagakerjaan Republik Indonesia"), HEIGHT - 68, BOLD, 14, NAVY)
    _centred(pdf, _("SERTIFIKAT"), HEIGHT - 112, BOLD, 34, NAVY)
    _centred(pdf, _("Nomor: %(code)s") % {"code": c.code}, HEIGHT - 132, REGULAR, 10)
    _centred(pdf, _("diberikan kepada"), HEIGHT - 158, REGULAR, 12)
    _centred(pdf, c.holder_name, HEIGHT - 188, BOLD, 24)
    _centred(pdf, _("yang telah menyelesaikan"), HEIGHT - 208, REGULAR, 11)
    _centred(pdf, _("Pelatihan Tenaga Kerja Sukarela (TKS)"), HEIGHT - 228, BOLD, 15, NAVY)
    line = _("%(cohort)s · %(period)s · %(hours)s jam pelatihan") % {
        "cohort": c.cohort_name, "period": period_text(c.starts_on, c.ends_on), "hours": hours_text(c.hours)}
    _centred(pdf, line, HEIGHT - 228 - 20, REGULAR, 11)


def _score(value) -> str:
    return "—" if value is None else number_format(value, 2)


def _modules(pdf, c: Certificate) -> None:
    size = 9.0
    while True:
        table = _table(c, size)
        _w, height = table.wrapOn(pdf, TABLE_WIDTH, TABLE_TOP - TABLE_BOTTOM)
        if height <= TABLE_TOP - TABLE_BOTTOM or size <= 5.5:
            break
        size -= 0.5  # a long curriculum: smaller type rather than a second page
    table.drawOn(pdf, TABLE_LEFT, TABLE_TOP - height)


def _table(c: Certificate, size: float) -> Table:
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=size, leading=size * 1.2)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    rows = [[Paragraph(escape(t), head) for t in (pgettext("row number", "No."), _("Modul"), _("Jam"), _("Nilai"))]]
    for n, m in enumerate(c.modules, start=1):
        rows.append([Paragraph(str(n), cell), Paragraph(escape(f"{m.get('title', '')} ({m.get('code', '')})"), cell),
                     Paragraph(hours_text(m.get("hours") or 0), cell), Paragraph(_score(m.get("score")), cell)])
    rows.append([Paragraph("", head), Paragraph(escape(_("Jumlah jam pelatihan")), head),
                 Paragraph(hours_text(c.hours), head), Paragraph("", head)])
    table = Table(rows, colWidths=[34, TABLE_WIDTH - 34 - 56 - 60, 56, 60], repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY), ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return table


def _qr(pdf, url: str) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    left = WIDTH - 56 - QR_SIZE - 20
    renderPDF.draw(drawing, pdf, left, 150)
    pdf.setFillColor(colors.black)
    pdf.setFont(REGULAR, 8)
    pdf.drawCentredString(left + QR_SIZE / 2, 138, _("Periksa keaslian sertifikat:"))
    # The address under the code, for a reader without a camera; broken only where it must be.
    pdf.setFont(REGULAR, 6.5)
    lines = _wrap_url(url, REGULAR, 6.5, QR_SIZE + 40)
    for i, line in enumerate(lines):
        pdf.drawCentredString(left + QR_SIZE / 2, 128 - i * 8, line)


def _wrap_url(url: str, font: str, size: float, width: float) -> list[str]:
    lines = simpleSplit(url, font, size, width)
    if len(lines) == 1 and pdfmetrics.stringWidth(url, font, size) <= width:
        return lines
    out, line = [], ""
    for ch in url:
        if pdfmetrics.stringWidth(line + ch, font, size) > width:
            out.append(line)
            line = ""
        line += ch
    return out + [line]


def _footer(pdf, c: Certificate) -> None:
    pdf.setFillColor(colors.black)
    pdf.setFont(REGULAR, 10)
    issued = date_format(localtime(c.issued_at), "j F Y")
    pdf.drawString(TABLE_LEFT, 62, _("Diterbitkan pada %(date)s") % {"date": issued})
    pdf.setFont(REGULAR, 8)
    pdf.drawString(TABLE_LEFT, 48, _("Kode verifikasi: %(code)s") % {"code": c.code})

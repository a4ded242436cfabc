"""The fonts embedded in every PDF the programme issues (the training certificate, the monthly
report), so their text can be copied and read by tests: DejaVu Sans when the system has it
(Debian's fonts-dejavu-core, which covers names such as "Śrī" or "Đặng"), otherwise Bitstream
Vera, which ships inside ReportLab but covers little beyond Latin-1."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD = "SukarelaSans", "SukarelaSans-Bold"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def register() -> None:
    """Register REGULAR and BOLD with ReportLab (once per process)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        regular, bold = "Vera.ttf", "VeraBd.ttf"  # found on ReportLab's own font path
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))

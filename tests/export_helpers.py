"""Reading a list's download (core.exporting) back in tests: CSV and XLSX alike, as dicts by header."""

import csv
import io

from openpyxl import load_workbook

from sukarela.core.models import AuditEvent


def table(response) -> list[dict]:
    """The download's rows as {header: value}; fails on anything but a CSV or XLSX attachment."""
    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert response["Content-Disposition"].startswith("attachment")
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row)) for row in rows[1:]]


def get_table(client, url: str, fmt: str = "csv", **params) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in {"unduh": fmt, **params}.items())
    return table(client.get(url + ("&" if "?" in url else "?") + query))


def column(rows: list[dict], header: str) -> list:
    return [r[header] for r in rows]


def last_export_event():
    return AuditEvent.objects.filter(action="export_personal").order_by("-id").first()


def masked(value) -> bool:
    return value is not None and "***" in str(value)

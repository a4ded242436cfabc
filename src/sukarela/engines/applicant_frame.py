"""Applicant rows, a whole polars DataFrame at once: the bulk-import path.

The rules, patterns and messages are those of `applicant_rows` (the single-row
path), re-expressed as polars expressions so a million rows never pass through
Python one by one. Each column gets one code expression, a when/then chain in the
order of the single-row checks, so the first failing check wins exactly as there.
Only this path knows the whole file and the stored NIKs, so only it reports
"duplicate_in_file" (the first row with a NIK that passes every other NIK check
keeps it) and "already_registered".
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from lokal.provinces import PROVINCES

from sukarela.engines import applicant_rows as rules

_WS_RUN = f"[{rules.WS_CLASS}]+"
# Matches only whitespace that collapsing to one space changes, so common values skip the rewrite.
_WS_ODD = "[{0}]{{2,}}|[{1}]".format(rules.WS_CLASS, rules.WS_CLASS.replace("\\u0020", ""))
_STR = pl.String
ERROR_SCHEMA = {"row": pl.Int64, "column": _STR, "code": _STR, "message": _STR, "value": _STR}


def _raw(key: str) -> pl.Expr:
    return pl.col(f"_r_{key}")


def _text(key: str) -> pl.Expr:
    return pl.col(f"_s_{key}")


def _code(key: str) -> pl.Expr:
    return pl.col(f"_c_{key}")


def _value(key: str) -> pl.Expr:
    return pl.col(f"_v_{key}")


def _chain(checks: list[tuple[pl.Expr, str | None]]) -> pl.Expr:
    """The code of the first true condition (None: stop, valid); null when none holds."""
    lit = [pl.lit(code, _STR) for _, code in checks]
    expr = pl.when(checks[0][0]).then(lit[0])
    for (cond, _), value in zip(checks[1:], lit[1:]):
        expr = expr.when(cond).then(value)
    return expr.otherwise(pl.lit(None, _STR))


def _head(key: str) -> list[tuple[pl.Expr, str | None]]:
    """The checks every column starts with: length caps, then blank."""
    raw, text = _raw(key), _text(key)
    too_long = (raw.str.len_chars() > rules.MAX_CELL) | (text.str.len_chars() > rules.Reference.cap(key))
    return [(too_long, "too_long"), (text == "", "required" if key in rules.REQUIRED else None)]


def _real_date(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    days = (pl.when(m == 2).then(pl.when(leap).then(29).otherwise(28))
            .when(m.is_in([4, 6, 9, 11])).then(30).otherwise(31))
    return m.is_between(1, 12) & (d >= 1) & (d <= days)


def _strings(values) -> pl.Series:
    """A set of strings for `is_in`: typed even when empty, imploded as polars 2 asks."""
    return pl.Series(sorted(values), dtype=_STR).implode()


def _matches(expr: pl.Expr, pattern: str) -> pl.Expr:
    return expr.str.contains(f"^(?:{pattern})$")


def _cells(frame: pl.DataFrame, columns: tuple[str, ...]) -> list[pl.Expr]:
    out = []
    for key in columns:
        cell = pl.col(key).cast(_STR) if key in frame.columns else pl.lit(None, _STR)
        out.append(cell.fill_null("").alias(f"_r_{key}"))
    return out


def _prepare(ref: rules.Reference) -> list[list[pl.Expr]]:
    """Stages of helper columns, each computed once and read by name by the codes."""
    t = _text
    first = [
        _raw("nik").str.replace_all(rules.SEPARATORS, "").alias("_nik16"),
        _raw("household_id").str.replace_all(rules.SEPARATORS, "").alias("_v_household_id"),
        _raw("phone").str.replace_all(f"[{rules.WS_CLASS}().-]", "").alias("_phone"),
        _matches(t("birth_date"), rules.DATE).alias("_bd_ok"),
        t("birth_date").str.replace_all("/", "-", literal=True).str.split_exact("-", 2).alias("_bd"),
        (t("sex").str.to_lowercase().str.replace_all(_WS_ODD, " ")
         .replace_strict(rules.SEX_ALIASES, default=None, return_dtype=_STR).alias("_v_sex")),
        (t("education_level").str.to_uppercase().str.replace_all(_WS_RUN, "")
         .replace_strict(rules.EDUCATION_ALIASES, default=None, return_dtype=_STR).alias("_v_education_level")),
        t("full_name").str.replace_all(_WS_ODD, " ").alias("_v_full_name"),
        t("email").alias("_v_email"),
        *(t(key).alias(f"_v_{key}") for key in rules.TEXT_COLUMNS),
        *(t(key).str.to_lowercase().replace_strict(rules.DECLARATION_VALUES, default=None, return_dtype=pl.Boolean)
          .alias(f"_v_{key}") for key, _ in ref.declarations),
    ]
    dom = t("domicile")
    nik = pl.col("_nik16")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    phone = pl.col("_phone")
    rest = (pl.when(phone.str.starts_with("+62")).then(phone.str.slice(3))
            .when(phone.str.starts_with("62") & (phone.str.len_chars() >= 10)).then(phone.str.slice(2))
            .when(phone.str.starts_with("0")).then(phone.str.slice(1))
            .when(phone.str.starts_with("8")).then(phone))

    # Once the format matched, a 4-digit first part means Y-M-D, otherwise D-M-Y.
    parts = [pl.when(pl.col("_bd_ok")).then(pl.col("_bd").struct.field(f"field_{i}")) for i in range(3)]
    iso = parts[0].str.len_bytes() == 4

    def part(when_iso: int, otherwise: int) -> pl.Expr:
        return pl.when(iso).then(parts[when_iso]).otherwise(parts[otherwise]).cast(pl.Int32)

    second = [
        pl.when(day > 40).then(day - 40).otherwise(day).alias("_nik_day"),
        nik.str.slice(8, 2).cast(pl.Int32, strict=False).alias("_nik_month"),
        nik.str.slice(10, 2).cast(pl.Int32, strict=False).alias("_nik_yy"),
        pl.when(day > 40).then(pl.lit("P")).otherwise(pl.lit("L")).alias("_nik_sex"),
        part(0, 2).alias("_bd_y"), part(1, 1).alias("_bd_m"), part(2, 0).alias("_bd_d"),
        rest.is_null().alias("_phone_prefix_bad"),
        # lokal's `^0+` removal after the prefix: 0062… and +62 0812… normalise alike
        rest.str.replace("^0+", "").alias("_phone_rest"),
        (pl.when(_matches(dom, "[0-9]{10}"))
         .then(pl.concat_str(dom.str.slice(0, 2), pl.lit("."), dom.str.slice(2, 2), pl.lit("."),
                             dom.str.slice(4, 2), pl.lit("."), dom.str.slice(6, 4)))
         .when(_matches(dom, rules.VILLAGE_DOTTED)).then(dom).alias("_v_domicile")),
    ]
    y, m, d = pl.col("_bd_y"), pl.col("_bd_m"), pl.col("_bd_d")
    third = [
        _real_date(y, m, d).alias("_bd_real"),
        pl.concat_str(pl.lit("+62"), pl.col("_phone_rest")).alias("_v_phone"),
    ]
    fourth = [pl.date(*(pl.when(pl.col("_bd_real") & (y >= rules.MIN_YEAR)).then(x) for x in (y, m, d)))
              .alias("_v_birth_date")]
    return [first, second, third, fourth]


def _codes(ref: rules.Reference) -> list[pl.Expr]:
    """One code column per column (null: valid), the NIK's cross-checks aside."""
    t, v = _text, _value
    nik = pl.col("_nik16")
    out = [_chain(_head("nik") + [
        (~_matches(nik, "[0-9]{16}"), "nik_format"),
        (~nik.str.slice(0, 2).is_in(_strings(PROVINCES)), "nik_province"),
        ((nik.str.slice(2, 2) == "00") | (nik.str.slice(4, 2) == "00"), "nik_region"),
        (~pl.concat_str(nik.str.slice(0, 2), pl.lit("."), nik.str.slice(2, 2)).is_in(_strings(ref.regencies)),
         "nik_regency"),
        # lokal reads yy 00 as 2000; 19yy and 20yy share leap years otherwise
        (~_real_date(pl.col("_nik_yy") + 2000, pl.col("_nik_month"), pl.col("_nik_day")), "nik_birth_date"),
        (nik.str.slice(12, 4) == "0000", "nik_serial"),
    ]).alias("_c_nik0")]
    out.append(_chain(_head("full_name") + [(t("full_name").str.contains(rules.CONTROL), "name_control")])
               .alias("_c_full_name"))
    out.append(_chain(_head("birth_date") + [
        (pl.col("_bd_y").is_null(), "date_format"), (~pl.col("_bd_real"), "date_invalid"),
        (pl.col("_bd_y") < rules.MIN_YEAR, "date_too_early"), (v("birth_date") > pl.lit(ref.today), "date_future"),
    ]).alias("_c_birth_date"))
    out.append(_chain(_head("sex") + [(v("sex").is_null(), "sex_invalid")]).alias("_c_sex"))
    rest = pl.col("_phone_rest")
    first, size = rest.str.slice(0, 1), rest.str.len_chars()
    out.append(_chain(_head("phone") + [
        (pl.col("_phone_prefix_bad") | ~_matches(rest, "[0-9]+"), "phone_format"),
        ((first == "8") & size.is_between(9, 12), None),
        (first == "8", "phone_length"),
        (first.is_in(list("2345679")), "phone_not_mobile"),
        (pl.lit(True), "phone_format"),
    ]).alias("_c_phone"))
    out.append(_chain(_head("email") + [(~_matches(t("email"), rules.EMAIL), "email_invalid")]).alias("_c_email"))
    out.append(_chain(_head("education_level") + [(v("education_level").is_null(), "education_invalid")])
               .alias("_c_education_level"))
    out.append(_chain(_head("domicile") + [
        (v("domicile").is_null(), "domicile_format"),
        (~v("domicile").is_in(_strings(ref.villages)), "domicile_unknown"),
    ]).alias("_c_domicile"))
    out.append(_chain(_head("household_id") + [(~_matches(v("household_id"), "[0-9]{16}"), "household_format")])
               .alias("_c_household_id"))
    consent = t("consent").str.to_lowercase().is_in(_strings(rules.CONSENT_YES))
    out.append(_chain(_head("consent") + [(~consent, "consent_missing")]).alias("_c_consent"))
    out += [_chain(_head(key)).alias(f"_c_{key}") for key in rules.TEXT_COLUMNS]
    out += [_chain(_head(key) + [(v(key).is_null(), "declaration_invalid")]).alias(f"_c_{key}")
            for key, _ in ref.declarations]
    return out


def _nik_cross_check() -> pl.Expr:
    """NIK against the entered birth date and sex, when those are themselves valid."""
    return (pl.when(_code("nik0").is_not_null()).then(_code("nik0"))
            .when(_code("birth_date").is_null()
                  & ((pl.col("_nik_day") != pl.col("_bd_d")) | (pl.col("_nik_month") != pl.col("_bd_m"))
                     | (pl.col("_nik_yy") != pl.col("_bd_y") % 100)))
            .then(pl.lit("nik_birth_date_mismatch"))
            .when(_code("sex").is_null() & (pl.col("_nik_sex") != _value("sex")))
            .then(pl.lit("nik_sex_mismatch"))
            .otherwise(pl.lit(None, _STR)))


def _nik_file_checks(existing_niks: Collection[str]) -> list[pl.Expr]:
    ok = _code("nik1").is_null()
    registered = pl.col("_nik16").is_in(_strings(existing_niks)) if existing_niks else pl.lit(False)
    # An Int64 key hashes faster than the 16-character string (16 digits < 2**63).
    key = pl.when(ok & ~registered).then(pl.col("_nik16").cast(pl.Int64, strict=False))
    first_row = pl.when(key.is_not_null()).then(pl.col("_row").min().over(key))
    code = (pl.when(~ok).then(_code("nik1"))
            .when(registered).then(pl.lit("already_registered"))
            .when(first_row != pl.col("_row")).then(pl.lit("duplicate_in_file"))
            .otherwise(pl.lit(None, _STR)))
    return [first_row.alias("_first_row"), code.alias("_c_nik")]


def _context(key: str, ref: rules.Reference) -> dict[str, pl.Expr]:
    """Expressions for the placeholders of a column's messages (evaluated on error rows only)."""
    raw_len, text_len = _raw(key).str.len_chars(), _text(key).str.len_chars()
    over = raw_len > rules.MAX_CELL
    ctx = {
        "label": pl.lit(ref.label(key)),
        "length": pl.when(over).then(raw_len).otherwise(text_len),
        "cap": pl.when(over).then(pl.lit(rules.MAX_CELL)).otherwise(pl.lit(ref.cap(key))),
    }
    nik = pl.col("_nik16")
    if key == "nik":
        ctx.update(province=nik.str.slice(0, 2), nik_date=nik.str.slice(6, 6), nik=nik,
                   regency=pl.concat_str(nik.str.slice(0, 2), pl.lit("."), nik.str.slice(2, 2)),
                   birth_date=_value("birth_date"), first_row=pl.col("_first_row"),
                   nik_sex=pl.col("_nik_sex").replace_strict(rules.SEX_WORDS, return_dtype=_STR))
    elif key == "birth_date":
        ctx.update(year=pl.col("_bd_y"), birth_date=_value("birth_date"), today=pl.lit(ref.today.isoformat()))
    elif key == "domicile":
        ctx.update(village=_value("domicile"))
    return ctx


def _message(ctx: dict[str, pl.Expr], messages: dict[str, str], code: pl.Expr) -> pl.Expr:
    expr = None
    for name in messages:
        parts = rules.template_parts(messages[name])
        if any(field and field not in ctx for _, field in parts):
            continue  # this column never raises that code
        pieces = []
        for lit, field in parts:
            if lit:
                pieces.append(pl.lit(lit))
            if field:
                pieces.append(ctx[field].cast(_STR))
        text = pl.concat_str(pieces)
        expr = pl.when(code == name).then(text) if expr is None else expr.when(code == name).then(text)
    return expr.otherwise(pl.lit(None, _STR))


def _errors(wide: pl.DataFrame, columns: tuple[str, ...], ctx_of, messages) -> pl.DataFrame:
    parts = []
    for index, key in enumerate(columns):
        code = _code(key)
        bad = wide.lazy().filter(code.is_not_null())
        parts.append(bad.select(
            pl.col("_row").cast(pl.Int64).alias("row"), pl.lit(key).alias("column"), code.alias("code"),
            _message(ctx_of(key), messages, code).alias("message"),
            _raw(key).str.slice(0, 100).alias("value"), pl.lit(index).alias("_order")))
    if not parts:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    errors = pl.concat(pl.collect_all(parts)).sort("row", "_order", maintain_order=True).drop("_order")
    return errors.cast(ERROR_SCHEMA)


def _with_rows(frame: pl.DataFrame) -> pl.DataFrame:
    if "_row" in frame.columns:
        return frame.with_columns(pl.col("_row").cast(pl.Int64))
    return frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("_row"))


def validate_frame(frame: pl.DataFrame, ref: rules.Reference, *,
                   existing_niks: Collection[str] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(clean rows, errors) of an applicant frame: canonical String columns and "_row" (Int64).

    A missing column is blank. A row with any error is left out of the clean frame;
    errors are ordered by row, then column.
    """
    columns = ref.columns
    frame = _with_rows(frame)
    strip = [_raw(key).str.strip_chars(rules.WS).alias(f"_s_{key}") for key in columns]
    lazy = frame.lazy().select(pl.col("_row"), *_cells(frame, columns)).with_columns(strip)
    for stage in _prepare(ref):
        lazy = lazy.with_columns(stage)
    wide = (lazy.with_columns(_codes(ref))
            .with_columns(_nik_cross_check().alias("_c_nik1"))
            .with_columns(_nik_file_checks(existing_niks))
            .collect())

    valid = pl.all_horizontal(_code(key).is_null() for key in columns)
    clean = wide.lazy().filter(valid).select(
        pl.col("_row"), pl.col("_nik16").alias("nik"), _value("full_name").alias("full_name"),
        _value("birth_date").alias("birth_date"), _value("sex").alias("sex"), _value("phone").alias("phone"),
        _value("email").alias("email"), _value("education_level").alias("education_level"),
        _value("education_level").replace_strict(rules.EDUCATION_RANK, return_dtype=pl.Int8)
        .alias("education_rank"),
        _value("education_field").alias("education_field"), _value("domicile").alias("domicile"),
        _value("address").alias("address"), _value("motivation").alias("motivation"),
        _value("experience").alias("experience"), _value("household_id").alias("household_id"),
        pl.lit(True).alias("consent"),
        *(_value(key).alias(f"decl_{key}") for key, _ in ref.declarations),
    ).collect()
    return clean, _errors(wide, columns, lambda key: _context(key, ref), rules.MESSAGES)


# --- scores ---------------------------------------------------------------------------------------

SCORE_COLUMNS = ("test_score", "interview_score")
SCORE_HEADERS = {"nik": "NIK", "test_score": "Nilai Tes", "interview_score": "Nilai Wawancara"}
SCORE_MESSAGES_ALL = {
    **{code: rules.MESSAGES[code] for code in ("too_long", "required", "nik_format", "duplicate_in_file")},
    **{code: text for code, text in rules.SCORE_MESSAGES.items() if code != "required"},
    "no_score": "Baris tidak berisi nilai tes maupun nilai wawancara",
}


def _score(key: str) -> tuple[pl.Expr, pl.Expr]:
    """(Decimal value, code) of a score cell, as applicant_rows.score_code decides."""
    text = _text(key)
    number = text.str.replace(",", ".", literal=True)
    whole = number.str.extract(r"^([0-9]+)", 1).str.strip_chars_start("0")
    frac = number.str.extract(r"\.([0-9]+)$", 1).fill_null("")
    cents = whole.cast(pl.Int64, strict=False).fill_null(0) * 100 + frac.str.pad_end(2, "0").cast(pl.Int64,
                                                                                               strict=False)
    code = _chain([
        (_raw(key).str.len_chars() > rules.MAX_CELL, "too_long"),
        (text == "", None),
        (_matches(text, "-" + rules.SCORE_NUMBER), "score_negative"),
        (~_matches(text, rules.SCORE_NUMBER), "score_format"),
        (frac.str.len_chars() > 2, "score_precision"),
        ((whole.str.len_chars() > 3) | (cents > rules.SCORE_MAX * 100), "score_range"),
    ])
    value = pl.when(code.is_null() & (text != "")).then(
        pl.concat_str(pl.when(whole == "").then(pl.lit("0")).otherwise(whole), pl.lit("."),
                      frac.str.pad_end(2, "0")).cast(pl.Decimal(5, 2)))
    return value, code


def validate_scores_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(clean rows, errors) of a score file: "nik" and one or both score columns, plus "_row".

    Clean rows: _row, nik (16 digits), and each score column present as Decimal(5, 2)
    (null where the cell is blank: that stage is not scored). A row with no score at
    all is an error on the whole row (column ""). A NIK repeated in the file keeps its
    first row; later ones are "duplicate_in_file". Whether the NIK belongs to an
    application is the caller's question.
    """
    scores = tuple(key for key in SCORE_COLUMNS if key in frame.columns)
    if not scores:
        raise ValueError("a score frame needs test_score or interview_score")
    columns = ("nik", *scores)
    frame = _with_rows(frame)
    strip = [_raw(key).str.strip_chars(rules.WS).alias(f"_s_{key}") for key in columns]
    nik = _raw("nik").str.replace_all(rules.SEPARATORS, "")
    parsed = [nik.alias("_nik16"), _chain(_head("nik") + [(~_matches(nik, "[0-9]{16}"), "nik_format")])
              .alias("_c_nik0")]
    for key in scores:
        value, code = _score(key)
        parsed += [value.alias(f"_v_{key}"), code.alias(f"_c_{key}")]
    ok = _code("nik0").is_null()
    first_row = pl.when(ok).then(pl.col("_row")).min().over("_nik16")
    wide = (frame.lazy().select(pl.col("_row"), *_cells(frame, columns)).with_columns(strip)
            .with_columns(parsed)
            .with_columns(first_row.alias("_first_row"),
                          pl.when(~ok).then(_code("nik0")).when(first_row != pl.col("_row"))
                          .then(pl.lit("duplicate_in_file")).otherwise(pl.lit(None, _STR)).alias("_c_nik"),
                          pl.when(pl.all_horizontal(_text(key) == "" for key in scores))
                          .then(pl.lit("no_score")).alias("_c_"),
                          pl.lit("").alias("_r_"), pl.lit("").alias("_s_"))
            .collect())
    valid = pl.all_horizontal(_code(key).is_null() for key in (*columns, ""))
    clean = wide.lazy().filter(valid).select(
        pl.col("_row"), pl.col("_nik16").alias("nik"), *(_value(key).alias(key) for key in scores)).collect()

    def ctx_of(key: str) -> dict[str, pl.Expr]:
        raw_len, text_len = _raw(key).str.len_chars(), _text(key).str.len_chars()
        cap = rules.Reference.cap(key) if key == "nik" else rules.MAX_CELL
        label = SCORE_HEADERS.get(key, "Baris")
        return {"label": pl.lit(label), "nik": pl.col("_nik16"), "first_row": pl.col("_first_row"),
                "length": pl.when(raw_len > rules.MAX_CELL).then(raw_len).otherwise(text_len),
                "cap": pl.when(raw_len > rules.MAX_CELL).then(pl.lit(rules.MAX_CELL)).otherwise(pl.lit(cap))}

    return clean, _errors(wide, (*columns, ""), ctx_of, SCORE_MESSAGES_ALL)


import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sukarela.engines import tabular
from sukarela.engines.tabular import (
    Column,
    TableError,
    cell_text,
    read_table,
    safe_cell,
    write_csv,
    write_xlsx,
)

COLUMNS = (
    Column("nik", "NIK", ("nik", "no nik", "nomor nik"), required=True),
    Column("full_name", "Nama Lengkap", ("nama", "name", "full name"), required=True),
    Column("birth_date", "Tanggal Lahir", ("birth date", "date of birth", "dob"), required=True),
    Column("email", "Email", ("e-mail", "surel")),
    Column("address", "Alamat", ("address",)),
)
HEADER = ["NIK", "Nama Lengkap", "Tanggal Lahir", "Email", "Alamat"]
NIK = "3201014101990001"


def csv_bytes(lines, sep=",", encoding="utf-8", end="\n"):
    return end.join(sep.join(line) for line in lines).encode(encoding) + end.encode(encoding)


def rows(table):
    return table.frame.rows(named=True)


def xlsx_bytes(sheet_rows, title="Sheet"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row_number, values in sheet_rows:
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row_number, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patch_sheet(data, pattern, replacement, count=1):
    """Rewrite the first sheet's XML, as other spreadsheet programs write it."""
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, done = re.subn(pattern, replacement, content)
                assert done == count, content
            target.writestr(item, content)
    return patched.getvalue()


@pytest.fixture
def fast_only(monkeypatch):
    """Fail if a well-formed file takes the slow Python reader."""
    def refuse(*args, **kwargs):
        raise AssertionError("slow reader used")
    monkeypatch.setattr(tabular, "_python_csv", refuse)


# ------------------------------------------------------------------ CSV text


def test_utf8_comma_file_gives_keyed_string_columns_and_spreadsheet_rows(tmp_path):
    path = tmp_path / "pelamar.csv"
    path.write_bytes(
        csv_bytes([HEADER, [NIK, " Siti Aminah ", "1999-01-01", "siti@contoh.id", "Jl. Mawar"],
                   ["3201010101990002", "Budi", "02-01-1999", "", "Jl. Melati"]])
    )
    table = read_table(path, COLUMNS)
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.frame.columns == ["nik", "full_name", "birth_date", "email", "address", "_row"]
    assert table.frame.schema["_row"] == pl.Int64
    assert all(table.frame.schema[k] == pl.String for k in ("nik", "full_name", "email"))
    assert rows(table) == [
        {"nik": NIK, "full_name": "Siti Aminah", "birth_date": "1999-01-01",
         "email": "siti@contoh.id", "address": "Jl. Mawar", "_row": 2},
        {"nik": "3201010101990002", "full_name": "Budi", "birth_date": "02-01-1999",
         "email": "", "address": "Jl. Melati", "_row": 3},
    ]
    assert table.row_errors == [] and table.ignored_headers == []


def test_utf8_bom_is_recognised_and_not_part_of_the_first_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes([HEADER[:3], [NIK, "Ani", "1999-01-01"]]))
    table = read_table(path, COLUMNS)
    assert table.encoding == "utf-8-sig"
    assert rows(table)[0]["nik"] == NIK


def test_windows_1252_accents_are_decoded(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(csv_bytes([HEADER[:3], [NIK, "José Muñoz", "1999-01-01"]], encoding="cp1252"))
    table = read_table(path, COLUMNS)
    assert table.encoding == "cp1252"
    assert rows(table)[0]["full_name"] == "José Muñoz"


def test_utf8_accents_are_not_mistaken_for_windows_1252():
    table = read_table(csv_bytes([HEADER[:3], [NIK, "José Muñoz", "1999-01-01"]]), COLUMNS)
    assert table.encoding == "utf-8"
    assert rows(table)[0]["full_name"] == "José Muñoz"


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_are_sniffed(sep):
    data = csv_bytes([HEADER, [NIK, "Ani, S.Pd", "1999-01-01", "", "Jl. A, No. 1"]], sep=sep)
    table = read_table(data, COLUMNS)
    assert table.delimiter == sep
    assert rows(table)[0]["full_name"] == "Ani, S.Pd"
    assert rows(table)[0]["address"] == "Jl. A, No. 1"


def test_semicolon_inside_quoted_header_does_not_decide_the_delimiter():
    data = b'NIK,"Nama; Lengkap",Nama Lengkap,Tanggal Lahir\n' + f"{NIK},x,Ani,1999-01-01\n".encode()
    table = read_table(data, COLUMNS)
    assert table.delimiter == ","
    assert table.ignored_headers == ["Nama; Lengkap"]


def test_quoted_newlines_delimiters_and_quotes_follow_rfc_4180(fast_only):
    data = (
        "NIK,Nama Lengkap,Tanggal Lahir,Alamat\r\n"
        f'{NIK},"Ani ""Nenek"" Rahma",1999-01-01,"Jl. Mawar, No. 5\r\nRT 01/RW 02"\r\n'
        "3201010101990002,Budi,1999-01-02,Jl. Melati\r\n"
    ).encode()
    table = read_table(data, COLUMNS)
    assert rows(table)[0]["full_name"] == 'Ani "Nenek" Rahma'
    assert rows(table)[0]["address"] == "Jl. Mawar, No. 5\r\nRT 01/RW 02"
    # Excel shows a quoted line break inside one cell: Budi is on row 3.
    assert [r["_row"] for r in rows(table)] == [2, 3]
    assert table.row_errors == []


def test_old_mac_line_ends_are_read():
    data = csv_bytes([HEADER[:3], [NIK, "Ani", "1999-01-01"], ["2", "Budi", "x"]], end="\r")
    assert [r["full_name"] for r in rows(read_table(data, COLUMNS))] == ["Ani", "Budi"]


def test_english_aliases_match_ignoring_case_and_spacing():
    data = csv_bytes([["  no   NIK ", "FULL  NAME", "Date of Birth", "E-Mail"], [NIK, "Ani", "1999-01-01", "a@b.id"]])
    table = read_table(data, COLUMNS)
    assert rows(table) == [{"nik": NIK, "full_name": "Ani", "birth_date": "1999-01-01",
                            "email": "a@b.id", "_row": 2}]


def test_unknown_headers_are_ignored_and_reported():
    data = csv_bytes([["No", "NIK", "Nama Lengkap", "Catatan", "", "Tanggal Lahir"],
                      ["1", NIK, "Ani", "ok", "", "1999-01-01"]])
    table = read_table(data, COLUMNS)
    assert table.ignored_headers == ["No", "Catatan"]
    assert table.frame.columns == ["nik", "full_name", "birth_date", "_row"]


def test_missing_required_columns_are_named_by_their_indonesian_header():
    data = csv_bytes([["NIK", "name", "Alamat", "Tgl Lhr"], [NIK, "Ani", "Jl. A", "1999-01-01"]])
    with pytest.raises(TableError) as caught:
        read_table(data, COLUMNS)
    message = str(caught.value)
    assert "Tanggal Lahir" in message
    assert "NIK" not in message.split(":")[1].split(".")[0]  # only the missing one is listed
    assert "Email" not in message  # optional
    assert "Tgl Lhr" in message  # the unrecognised header is shown to help spot the typo


def test_two_headers_for_one_column_are_refused_naming_both():
    data = csv_bytes([["NIK", "Nama Lengkap", "Tanggal Lahir", "Nomor NIK"], [NIK, "Ani", "1999-01-01", NIK]])
    with pytest.raises(TableError, match=r'"NIK" dan "Nomor NIK"'):
        read_table(data, COLUMNS)


def test_conflicting_column_definitions_are_a_programming_error():
    columns = (*COLUMNS, Column("tidak_bekerja", "Nama"))
    with pytest.raises(ValueError, match="claimed"):
        read_table(csv_bytes([HEADER]), columns)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n \r\n"])
def test_empty_file_is_refused(content):
    with pytest.raises(TableError, match="File kosong"):
        read_table(content, COLUMNS)


def test_header_only_gives_an_empty_frame_with_the_columns():
    table = read_table(csv_bytes([HEADER]), COLUMNS)
    assert table.frame.height == 0
    assert table.frame.columns == ["nik", "full_name", "birth_date", "email", "address", "_row"]


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(TableError, match="bukan CSV .*maupun workbook XLSX"):
        read_table(path, COLUMNS)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_is_refused(encoding):
    data = "\n".join(",".join(line) for line in [HEADER[:3], [NIK, "Ani", "1999-01-01"]]).encode(encoding)
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(data, COLUMNS)


def test_bytes_undefined_in_windows_1252_are_refused():
    data = csv_bytes([HEADER[:3]]) + b"3201014101990001,\x81\x8d\x9d,1999-01-01\n"
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(data, COLUMNS)


def test_utf8_bom_with_windows_1252_bytes_is_refused_not_garbled():
    data = b"\xef\xbb\xbf" + csv_bytes([HEADER[:3], [NIK, "Jos\xe9", "1999-01-01"]], encoding="cp1252")
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(data, COLUMNS)


def test_legacy_xls_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(data, COLUMNS)


RAGGED = csv_bytes([
    HEADER[:3],
    [NIK, "Ani", "1999-01-01"],
    ["3201010101990002", "Budi"],                                 # row 3: short
    ["3201010101990003", "Jl. A, No. 1", "Citra", "1999-01-03"],  # row 4: unquoted comma
    ["3201010101990004", "Dedi", "1999-01-04", ""],               # row 5: one empty field too many
    ["", ""],                                                     # row 6: blank, whatever its width
    ["3201010101990007", '"Eka\nEkawati"', '"1999-01-07"'],      # row 7, over two lines
    ["3201010101990008", "Fajar", "1999-01-08", '"Jl. B,\nNo. 2"'],  # row 8: too long, over two lines
    ["3201010101990009", "Gita", "1999-01-09"],
])


def test_ragged_rows_are_reported_by_row_while_the_others_load():
    table = read_table(RAGGED, COLUMNS)
    assert [(r["full_name"], r["_row"]) for r in rows(table)] == [
        ("Ani", 2), ("Eka\nEkawati", 7), ("Gita", 9)
    ]
    assert [row for row, _ in table.row_errors] == [3, 4, 5, 8]
    assert "Baris 3 berisi 2 kolom" in table.row_errors[0][1]
    assert "Baris 4 berisi 5 kolom" in table.row_errors[1][1]
    assert "Baris 8 berisi 4 kolom, sedangkan judul kolom (baris 1) berisi 3" in table.row_errors[3][1]


def test_exact_python_reader_agrees_with_the_fast_one(monkeypatch):
    fast = read_table(RAGGED, COLUMNS)
    monkeypatch.setattr(tabular, "_polars_csv", lambda *args: None)
    slow = read_table(RAGGED, COLUMNS)
    assert slow.row_errors == fast.row_errors
    assert slow.frame.equals(fast.frame)


def test_short_first_data_row_is_reported_too():
    data = csv_bytes([HEADER[:3], [NIK], ["3201010101990002", "Budi", "1999-01-02"]])
    table = read_table(data, COLUMNS)
    assert table.row_errors[0][0] == 2
    assert [r["_row"] for r in rows(table)] == [3]


def test_quotes_inside_unquoted_fields_are_taken_literally():
    data = f'NIK,Nama Lengkap,Tanggal Lahir\n{NIK},Ani 5" Rahma,1999-01-01\n3201010101990002,Budi,x\n'
    table = read_table(data.encode(), COLUMNS)
    assert [(r["full_name"], r["_row"]) for r in rows(table)] == [('Ani 5" Rahma', 2), ("Budi", 3)]


def test_blank_rows_are_dropped_and_row_numbers_stay_true(fast_only):
    text = (
        "\r\n"  # a blank line above the header moves everything down one row
        "NIK;Nama Lengkap;Tanggal Lahir\r\n"
        f"{NIK};Ani;1999-01-01\r\n"
        ";;\r\n"
        "\r\n"
        "  ; \t ;\r\n"
        "3201010101990002;Budi;1999-01-02\r\n"
        ";;\r\n"
    )
    table = read_table(text.encode(), COLUMNS)
    assert [(r["full_name"], r["_row"]) for r in rows(table)] == [("Ani", 3), ("Budi", 7)]
    assert table.row_errors == []


def test_ten_megabyte_cell_is_read_whole(fast_only):
    big = "x" * 10_000_000
    data = csv_bytes([HEADER[:3] + ["Motivasi"], [NIK, "Ani", "1999-01-01", "ok"]])
    data = data.replace(b"Motivasi", b"Alamat").replace(b",ok", b"," + big.encode())
    table = read_table(data, COLUMNS)
    assert len(rows(table)[0]["address"]) == 10_000_000


def test_cell_above_max_cell_is_refused_naming_row_and_column():
    data = csv_bytes([HEADER[:3] + ["Address"], [NIK, "Ani", "1999-01-01", "ok"],
                      ["3201010101990002", "Budi", "1999-01-02", "y" * 101]])
    assert read_table(data, COLUMNS, max_cell=101).frame.height == 2
    with pytest.raises(TableError, match=r'baris 3 kolom "Address" berisi 101 karakter'):
        read_table(data, COLUMNS, max_cell=100)


def test_default_max_cell_refuses_one_character_more_than_ten_megabytes():
    data = csv_bytes([HEADER[:3], [NIK, "Ani", "z" * 10_000_001]])
    with pytest.raises(TableError, match=r'baris 2 kolom "Tanggal Lahir" berisi 10\.000\.001'):
        read_table(data, COLUMNS)


cell_texts = st.text(
    alphabet=st.sampled_from(list("ab é,;\"'\n\r\t=+@-")), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cell_texts, cell_texts, cell_texts), max_size=6))
def test_written_csv_reads_back_to_the_same_cells(data_rows):
    buffer = io.BytesIO()
    write_csv(buffer, HEADER[:3], data_rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular, "_python_csv", None)  # well-formed: the fast reader must cope
        table = read_table(buffer.getvalue(), COLUMNS)
    expected = [
        (row_number, [str(safe_cell(v)).strip() for v in values])
        for row_number, values in enumerate(data_rows, start=2)
    ]
    expected = [(n, v) for n, v in expected if any(v)]
    got = [(r["_row"], [r["nik"], r["full_name"], r["birth_date"]]) for r in rows(table)]
    assert got == expected
    assert table.row_errors == []


# ---------------------------------------------------------------------- XLSX


def test_xlsx_cells_become_the_text_an_officer_means(tmp_path):
    data = xlsx_bytes([
        (1, ["NIK", "Nama Lengkap", "Tanggal Lahir", "Email", "Nilai", "Catatan"]),
        (2, [3201014101990001, " Ani ", date(1999, 1, 1), None, 85.5, True]),
        # row 3 left empty in the sheet
        (4, [3201010101990002.0, "Budi", datetime(1999, 1, 2, 13, 45), "b@c.id", 1e-7, None]),
        (6, [None, "", None, "  ", None, "only an ignored column"]),
        (7, ["3201010101990003", "Citra", "03/01/1999", None, 90.0, None]),
    ])
    path = tmp_path / "pelamar.xlsx"
    path.write_bytes(data)
    columns = (*COLUMNS, Column("score", "Nilai"))
    table = read_table(path, columns)
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.ignored_headers == ["Catatan"]
    assert table.frame.schema["_row"] == pl.Int64
    assert rows(table) == [
        {"nik": NIK, "full_name": "Ani", "birth_date": "1999-01-01", "email": "",
         "score": "85.5", "_row": 2},
        {"nik": "3201010101990002", "full_name": "Budi", "birth_date": "1999-01-02",
         "email": "b@c.id", "score": "0.0000001", "_row": 4},
        {"nik": "3201010101990003", "full_name": "Citra", "birth_date": "03/01/1999",
         "email": "", "score": "90", "_row": 7},
    ]


def test_xlsx_is_detected_by_content_not_name(tmp_path):
    data = xlsx_bytes([(1, HEADER[:3]), (2, [NIK, "Ani", "1999-01-01"])])
    disguised = tmp_path / "pelamar.csv"
    disguised.write_bytes(data)
    for source in (data, disguised):
        table = read_table(source, COLUMNS)
        assert table.format == "xlsx"
        assert rows(table) == [{"nik": NIK, "full_name": "Ani", "birth_date": "1999-01-01", "_row": 2}]


def test_xlsx_header_may_sit_below_blank_rows_and_rows_keep_sheet_numbers():
    data = xlsx_bytes([(3, ["nama", "nik", "dob"]), (5, ["Ani", NIK, "1999-01-01"])])
    assert [r["_row"] for r in rows(read_table(data, COLUMNS))] == [5]


def test_xlsx_with_a_wrong_stored_dimension_is_read_to_the_end():
    data = xlsx_bytes([(1, HEADER[:3])] + [(n, [NIK, f"P{n}", "1999-01-01"]) for n in range(2, 12)])
    data = patch_sheet(data, rb'<dimension ref="[^"]*"', b'<dimension ref="A1"')
    assert read_table(data, COLUMNS).frame.height == 10


def test_xlsx_numbers_stored_as_floats_keep_every_digit():
    # Excel writes some integral numbers in exponent or decimal form, which
    # openpyxl hands over as floats.
    data = xlsx_bytes([(1, ["NIK", "Nama Lengkap", "Tanggal Lahir"]), (2, [1, "Ani", 2])])
    data = patch_sheet(data, rb"<v>1</v>", b"<v>3.201014101990001E+15</v>")
    data = patch_sheet(data, rb"<v>2</v>", b"<v>19990101.0</v>")
    assert rows(read_table(data, COLUMNS)) == [
        {"nik": NIK, "full_name": "Ani", "birth_date": "19990101", "_row": 2}
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Ani\n", "Ani"),
        (3201014101990001, NIK),
        (3201014101990001.0, NIK),
        (85.0, "85"),
        (85.25, "85.25"),
        (1e-7, "0.0000001"),
        (-0.5, "-0.5"),
        (True, "TRUE"),
        (False, "FALSE"),
        (date(1999, 1, 31), "1999-01-31"),
        (datetime(1999, 1, 31, 23, 59), "1999-01-31"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_xlsx_missing_column_duplicate_and_cell_cap_are_file_errors():
    with pytest.raises(TableError, match="Tanggal Lahir"):
        read_table(xlsx_bytes([(1, ["NIK", "Nama Lengkap"])]), COLUMNS)
    with pytest.raises(TableError, match='"nama" dan "Nama Lengkap"'):
        read_table(xlsx_bytes([(1, ["nama", "Nama Lengkap", "NIK", "dob"])]), COLUMNS)
    data = xlsx_bytes([(1, HEADER[:3]), (2, [NIK, "Ani", "1999-01-01"]), (3, [NIK, "B" * 51, "x"])])
    with pytest.raises(TableError, match=r'baris 3 kolom "Nama Lengkap" berisi 51'):
        read_table(data, COLUMNS, max_cell=50)


def test_xlsx_header_only_and_empty_sheet():
    assert read_table(xlsx_bytes([(1, HEADER)]), COLUMNS).frame.height == 0
    with pytest.raises(TableError, match="File kosong"):
        read_table(xlsx_bytes([]), COLUMNS)


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(buffer.getvalue(), COLUMNS)
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(b"PK\x03\x04 truncated", COLUMNS)


# ------------------------------------------------------------------- writing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+6281234567890", "'+6281234567890"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Siti = Ani", "Siti = Ani"),
        ("", ""),
        (None, ""),
        (42, 42),
        (-5, -5),
        (2.5, 2.5),
        (date(2024, 1, 2), date(2024, 1, 2)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


DANGEROUS = ["=1+1", "+6281234567890", "@SUM(A1)", "-2+3"]


def test_csv_writer_adds_bom_quotes_and_neutralises_formulas(tmp_path):
    path = tmp_path / "laporan.csv"
    write_csv(path, ["NIK", "Nama Lengkap", "Tanggal Lahir", "Alamat"], [
        [NIK, DANGEROUS[0], date(1999, 1, 1), 'Jl. "A", No. 1\nRT 2'],
        ["3201010101990002", DANGEROUS[1], None, DANGEROUS[2]],
        ["3201010101990003", DANGEROUS[3], 7, ""],
    ])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert b'"Jl. ""A"", No. 1\nRT 2"' in raw
    table = read_table(path, COLUMNS)
    assert [r["full_name"] for r in rows(table)] == ["'" + v for v in (DANGEROUS[0], DANGEROUS[1], DANGEROUS[3])]
    assert rows(table)[1]["address"] == "'@SUM(A1)"
    assert rows(table)[0]["birth_date"] == "1999-01-01"
    assert rows(table)[0]["address"] == 'Jl. "A", No. 1\nRT 2'


def test_csv_writer_leaves_the_callers_stream_open():
    buffer = io.BytesIO()
    write_csv(buffer, ["NIK"], [[NIK]])
    assert not buffer.closed
    assert buffer.getvalue() == b"\xef\xbb\xbfNIK\r\n" + NIK.encode() + b"\r\n"


def test_xlsx_writer_writes_text_never_formulas(tmp_path):
    path = tmp_path / "laporan.xlsx"
    write_xlsx(path, ["NIK", "Nama Lengkap", "Tanggal Lahir", "Alamat", "Nilai"], [
        [NIK, DANGEROUS[0], date(1999, 1, 1), DANGEROUS[2], 85.5],
        ["3201010101990002", DANGEROUS[1], datetime(2024, 5, 6, 7, 8), "#N/A", 7],
        ["3201010101990003", DANGEROUS[3], None, "bell\x07char", None],
    ], title="Kesalahan: impor [1]")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "Kesalahan impor 1"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert [c.value for c in sheet[1]] == ["NIK", "Nama Lengkap", "Tanggal Lahir", "Alamat", "Nilai"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    for cell in cells:
        if isinstance(cell.value, str):
            assert cell.data_type == "s", cell.coordinate
    assert [sheet.cell(r, 2).value for r in (2, 3, 4)] == ["'" + v for v in (DANGEROUS[0], DANGEROUS[1], DANGEROUS[3])]
    assert sheet["D2"].value == "'@SUM(A1)" and sheet["D3"].value == "#N/A"
    assert sheet["D4"].value == "bell\ufffdchar"
    assert sheet["C2"].is_date and sheet["C2"].value == datetime(1999, 1, 1)
    assert sheet["C3"].value == datetime(2024, 5, 6, 7, 8)
    assert sheet["E2"].value == 85.5 and sheet["E3"].data_type == "n"
    assert sheet["A2"].value == NIK and sheet["A2"].data_type == "s"

    table = read_table(path, COLUMNS)
    assert [r["birth_date"] for r in rows(table)] == ["1999-01-01", "2024-05-06", ""]
    assert rows(table)[0]["full_name"] == "'=1+1"


def test_xlsx_writer_accepts_a_stream():
    buffer = io.BytesIO()
    write_xlsx(buffer, ["NIK", "Nama Lengkap", "Tanggal Lahir"], ([NIK, "Ani", "=HYPERLINK(\"x\")"] for _ in range(3)))
    table = read_table(buffer.getvalue(), COLUMNS)
    assert table.frame["birth_date"].to_list() == ["'=HYPERLINK(\"x\")"] * 3

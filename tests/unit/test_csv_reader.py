"""The one CSV reader of the loaders: each record and each error on the physical line it starts on."""

import pytest

from slihub.sources import DataFileError, csv_rows

MULTI_LINE = '1,"first line\nsecond line\nthird line"\n'  # one record over three lines


def write(tmp_path, text: str | bytes, name="file.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def read(path, required=("a", "b")):
    return [(line, row) for line, row, _ in csv_rows(path, list(required))]


def refused(path) -> DataFileError:
    with pytest.raises(DataFileError) as error:
        read(path)
    return error.value


def test_each_record_is_numbered_by_the_line_it_starts_on(tmp_path):
    path = write(tmp_path, "a,b\n" + MULTI_LINE + "2,plain\n\n" + MULTI_LINE + "3,x\n")
    assert [(line, row["a"]) for line, row in read(path)] == [(2, "1"), (5, "2"), (7, "1"), (10, "3")]


def test_an_unterminated_quote_on_line_408_is_reported_on_line_408(tmp_path):
    # 135 records of three lines (lines 2 to 406), one plain record on line 407, the broken one on
    # 408, and 242 more lines: csv itself only notices at the end of the file, on line 650.
    text = "a,b\n" + MULTI_LINE * 135 + "2,plain\n" + '3,"never closed\n' + "4,plain\n" * 242
    path = write(tmp_path, text)
    assert text.splitlines()[407] == '3,"never closed' and len(text.splitlines()) == 650
    error = refused(path)
    assert error.line == 408
    assert str(error) == (
        "file.csv, line 408: a quoted cell that starts in this record is never closed (unterminated quote)"
    )


def test_a_record_with_the_wrong_number_of_cells_is_reported_on_its_first_line(tmp_path):
    path = write(tmp_path, "a,b\n" + MULTI_LINE * 2 + '5,"two\nlines",extra\n6,x\n')
    error = refused(path)
    assert (error.line, error.message) == (8, "expected 2 cells, found 3")


def test_a_stray_quote_is_reported_on_the_line_its_record_starts(tmp_path):
    path = write(tmp_path, "a,b\n" + MULTI_LINE + '2,"quoted"then more\n')
    error = refused(path)
    assert error.line == 5 and "must be doubled" in error.message


def test_a_nul_character_is_refused_with_line_and_column(tmp_path):
    path = write(tmp_path, "a,b\n" + MULTI_LINE + "2,bad\x00cell\n")
    error = refused(path)
    assert (error.line, error.column) == (5, 2) and "NUL" in error.message


def test_bytes_that_are_not_utf8_are_placed_by_line_and_column(tmp_path):
    path = write(tmp_path, b"a,b\n" + MULTI_LINE.encode() * 3 + b"2,caf\xe9\n")
    error = refused(path)
    assert (error.line, error.column) == (11, 6) and "not UTF-8" in error.message


def test_a_carriage_return_inside_a_cell_is_not_a_line(tmp_path):
    # LAIT's data dictionary has lone carriage returns inside quoted cells: grep and sed count
    # line feeds only, and so does the reader.
    path = write(tmp_path, 'a,b\r\n1,"one\rcell\r\nover two lines"\r\n2,x\r\n')
    assert [(line, row["a"]) for line, row in read(path)] == [(2, "1"), (4, "2")]


def test_missing_columns_and_an_empty_file_are_refused_on_line_1(tmp_path):
    assert refused(write(tmp_path, "a,c\n1,2\n")).line == 1
    assert refused(write(tmp_path, "", name="empty.csv")).message == "the file is empty"


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfa,b\n1,2\n")
    assert read(path) == [(2, {"a": "1", "b": "2"})]


def test_the_evidence_reader_numbers_records_by_the_line_they_start_on(tmp_path):
    from slihub.evidence.importers import Reader

    path = write(tmp_path, "a,b\n" + MULTI_LINE + "2,plain\n" + MULTI_LINE + '5,"two\nlines",extra\n')
    reader = Reader(path, ("a", "b"))
    rows = reader.rows()
    assert [next(rows)[0], next(rows)[0], next(rows)[0]] == [2, 5, 6]
    with pytest.raises(DataFileError) as error:
        next(rows)
    assert error.value.line == 9 and "3 cells where the header has 2" in error.value.message


def test_plain_digits_refuses_superscripts_that_int_cannot_read():
    from slihub.sources import plain_digits

    assert plain_digits("2024")
    assert not plain_digits("²⁰²⁴")
    assert not plain_digits("")
    assert not plain_digits("٢٠٢٤")

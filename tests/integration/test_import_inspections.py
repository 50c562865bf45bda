"""`slihub import-inspections FILE`: a further release of Ofsted's inspection outcomes that a user loads.

The files are small ones made here with Ofsted's column headings (as in the shared
derived_ofsted_ilacs_*.csv and the sheets of LA_Inspection_Outcomes_as_at_31_March_2025.ods).
"""

import zipfile
from datetime import date
from io import StringIO
from xml.sax.saxutils import escape

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from slihub.audit.models import EntryAuthority
from slihub.inspections.files import HISTORY, SCRAPE
from slihub.inspections.models import Inspection
from slihub.inspections.services import load_inspections
from slihub.places.models import DataRelease
from tests.integration.test_inspection_import import (
    HISTORY_HEADER,
    HISTORY_ROWS,
    IN_YEAR_HEADER,
    IN_YEAR_ROWS,
    SCRAPE_HEADER,
    SCRAPE_ROWS,
    stored,
    write_csv,
)
from tests.integration.warning_fixtures import add_inspection

RI = "Requires improvement to be good"
NONE = ["", "", "", "", ""]
# The next release's in-year table: a monitoring visit of Cumberland and a JTAI of Leeds.
VISIT = ["E06000063", "Cumberland", "North West", "2025-06-02", "2025-07-08", "LA Monitoring visit",
         *NONE, "Front door"]  # fmt: skip
JTAI = ["E08000035", "Leeds", "North East, Yorkshire and the Humber", "2025-05-12", "2025-06-20",
        "Joint targeted area inspection", *NONE, "Serious youth violence"]  # fmt: skip


def run(path) -> str:
    out = StringIO()
    call_command("import-inspections", str(path), stdout=out)
    return out.getvalue()


def refused(path) -> CommandError:
    with pytest.raises(CommandError) as error:
        call_command("import-inspections", str(path), stdout=StringIO())
    assert error.value.returncode == 2
    assert "Nothing was changed." in str(error.value)
    return error.value


def entries(action=None):
    found = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Inspection))
    return found if action is None else found.filter(action=action)


def inspections_release() -> int:
    return DataRelease.objects.filter(dataset="inspections").values_list("version", flat=True).first() or 0


@pytest.fixture
def existing(places):
    """What the hub held before: Camden's inspection and Leeds's focused visit, from the shared files."""
    add_inspection(places.camden, date(2024, 6, 10), "Good", published=date(2024, 7, 23))
    add_inspection(places.leeds, date(2024, 11, 5), "", published=date(2024, 12, 5), kind="focused visit")
    return places


def test_a_monitoring_visit_and_a_jtai_are_added_and_everything_else_stays(existing, tmp_path):
    before, release = stored(), inspections_release()
    output = run(write_csv(tmp_path / "in_year_2025.csv", IN_YEAR_HEADER, [VISIT, JTAI]))

    assert "2 added, 0 changed" in output
    assert "Early-warning risk scores" in output  # recomputed because the file changed something
    visit = Inspection.objects.get(authority=existing.cumberland, start_date=date(2025, 6, 2))
    assert (visit.kind, visit.visit_theme, visit.published_on) == (
        "monitoring visit",
        "Front door",
        date(2025, 7, 8),
    )
    jtai = Inspection.objects.get(authority=existing.leeds, kind="jtai")
    assert jtai.get_kind_display() == "Joint targeted area inspection"
    assert jtai.visit_theme == "Serious youth violence"
    assert jtai.sources == ["in_year_2025.csv"] and jtai.is_official
    assert not jtai.is_graded and jtai.overall_effectiveness == ""
    assert not Inspection.objects.graded().filter(kind="jtai").exists()
    assert not Inspection.objects.visits().filter(kind="jtai").exists()  # an inspection, not an ILACS visit
    # Additive: the two inspections the file does not hold are still there, unchanged.
    after = stored()
    assert all(row in after for row in before) and len(after) == len(before) + 2
    assert inspections_release() != release  # the inspection pages render afresh


def test_a_second_run_changes_nothing(existing, tmp_path):
    path = write_csv(tmp_path / "in_year_2025.csv", IN_YEAR_HEADER, [VISIT, JTAI])
    run(path)
    before, logged, release = stored(), entries().count(), inspections_release()
    output = run(path)
    assert "Already loaded: nothing changed" in output
    assert "Early-warning risk scores" not in output
    assert stored() == before
    assert entries().count() == logged
    assert inspections_release() == release


def test_each_inspection_added_is_audited_and_linked_to_its_council(existing, tmp_path):
    run(write_csv(tmp_path / "in_year_2025.csv", IN_YEAR_HEADER, [VISIT, JTAI]))
    added = entries(LogEntry.Action.CREATE)
    assert added.count() == 2
    jtai = Inspection.objects.get(kind="jtai")
    entry = added.get(object_pk=str(jtai.pk))
    assert entry.changes_dict["kind"] == ["None", "jtai"]
    assert entry.changes_dict["visit_theme"] == ["None", "Serious youth violence"]
    assert entry.changes_dict["authority"] == ["None", "Leeds"]
    assert list(EntryAuthority.objects.filter(entry=entry).values_list("authority_id", flat=True)) == [
        existing.leeds.id
    ]


@pytest.mark.parametrize(
    ("cell", "value", "words"),
    [
        (3, "2025-06-31", "line 3, column 4: Inspection/Visit date: '2025-06-31' is not a real date"),
        (0, "E06009999", "line 3, column 1: Local authority area code: 'E06009999' is not the ONS code"),
        (5, "JTAI visit", "line 3, column 6: Inspection/Visit type: 'JTAI visit' is not one of"),
        (
            6,
            "Good",
            "line 3, column 7: Overall effectiveness: a Joint targeted area inspection is not graded",
        ),
        (11, "", "line 3, column 12: Visit Theme: a Joint targeted area inspection has a theme"),
    ],
)
def test_a_bad_row_changes_nothing_and_is_named(existing, tmp_path, cell, value, words):
    bad = list(JTAI)
    bad[cell] = value
    before, logged, release = stored(), entries().count(), inspections_release()
    error = refused(write_csv(tmp_path / "in_year_2025.csv", IN_YEAR_HEADER, [VISIT, bad]))
    assert str(error).startswith(f"in_year_2025.csv, {words}")
    # The good row before it was not loaded either.
    assert stored() == before
    assert entries().count() == logged and inspections_release() == release


def test_a_file_that_is_neither_table_is_refused(existing, tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    assert "not a .csv or .ods file" in str(refused(tmp_path / "notes.txt"))
    write_csv(tmp_path / "other.csv", ["Local authority area code", "Something"], [["E09000007", "x"]])
    assert "neither of Ofsted's tables" in str(refused(tmp_path / "other.csv"))
    assert "no such file" in str(refused(tmp_path / "missing.csv"))


@pytest.fixture
def shared(tmp_path, places):
    """The three shared files loaded as load-public-data loads them, scrape-only inspections and all."""
    folder = tmp_path / "shared"
    folder.mkdir()
    write_csv(folder / HISTORY.filename, HISTORY_HEADER, HISTORY_ROWS)
    write_csv(folder / "derived_ofsted_ilacs_inyear_2024-04_to_2025-03.csv", IN_YEAR_HEADER, IN_YEAR_ROWS)
    write_csv(folder / SCRAPE.filename, SCRAPE_HEADER, SCRAPE_ROWS)
    load_inspections(folder)
    return folder


# Leeds's short inspection of June 2025, which only Data to Insight's scrape holds in the shared files;
# the next release's history has it, with a different help and protection judgment.
LEEDS_2025 = ["E08000035", "Leeds", "Current", "North East, Yorkshire and the Humber", "2025-06-30",
              "2025-08-12", "ILACS Short Inspection", "Outstanding", "Good", "Good", "Inadequate",
              RI]  # fmt: skip


def test_ofsteds_record_wins_over_the_scrape_and_keeps_what_only_the_scrape_has(shared, tmp_path):
    scraped = Inspection.objects.get(authority__code="383", start_date=date(2025, 6, 30))
    assert scraped.sources == [SCRAPE.filename] and scraped.help_and_protection == RI
    # The history as Ofsted's next release has it: every row of the shared one, and Leeds 2025.
    output = run(write_csv(tmp_path / "history_2025-09.csv", HISTORY_HEADER, [*HISTORY_ROWS, LEEDS_2025]))
    assert "0 added, 1 changed" in output
    leeds = Inspection.objects.get(pk=scraped.pk)
    assert leeds.help_and_protection == "Good" and leeds.is_official
    assert leeds.sources == ["history_2025-09.csv", SCRAPE.filename]
    assert leeds.end_date == date(2025, 7, 4) and leeds.report_url.endswith("/3")  # the scrape's, kept
    entry = entries(LogEntry.Action.UPDATE).get(object_pk=str(leeds.pk))
    assert entry.changes_dict["help_and_protection"] == [RI, "Good"]
    assert entry.changes_dict["sources"] == [SCRAPE.filename, f"history_2025-09.csv, {SCRAPE.filename}"]


def test_reloading_the_shared_files_keeps_what_a_later_release_loaded(shared, tmp_path):
    run(write_csv(tmp_path / "in_year_2025.csv", IN_YEAR_HEADER, [VISIT, JTAI]))
    run(write_csv(tmp_path / "history_2025-09.csv", HISTORY_HEADER, [*HISTORY_ROWS, LEEDS_2025]))
    after = stored()
    load_inspections(shared)  # as `make run` does every time
    assert stored() == after


# ---------------------------------------------------------------------------------- Ofsted's workbook (.ods)

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _cell(value: str) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # a date, shown the British way
        shown = f"{value[8:]}/{value[5:7]}/{value[:4]}"
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value}T00:00:00">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    if not value:
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def _sheet(name: str, header: list[str], rows: list[list[str]]) -> str:
    """A sheet as Ofsted lays it out: a title, a note, the table from row 3 with a web link first, and
    empty rows and columns repeated to the sheet's end."""
    lines = [
        f'<table:table table:name="{name}">',
        f"<table:table-row>{_cell('A title')}</table:table-row>",
        f"<table:table-row>{_cell('A note about the table')}"
        '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>',
    ]
    for cells in [["Web link", *header], *(["Ofsted Local Authority Webpage", *row] for row in rows)]:
        lines.append(
            "<table:table-row>"
            + "".join(_cell(c) for c in cells)
            + '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
        )
    lines.append(
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>'
    )
    return "".join(lines)


def write_ods(path, sheets: dict[str, tuple[list[str], list[list[str]]]]):
    body = "".join(_sheet(name, header, rows) for name, (header, rows) in sheets.items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
        f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as workbook:
        workbook.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        workbook.writestr("content.xml", content)
    return path


def test_the_workbook_loads_both_sheets(shared, tmp_path):
    path = write_ods(
        tmp_path / "LA_Inspection_Outcomes_as_at_30_September_2025.ods",
        {
            "Cover": (["Nothing"], []),
            "In-year_inspections": (IN_YEAR_HEADER, [*IN_YEAR_ROWS, VISIT, JTAI]),
            "ILACS_inspection_history": (HISTORY_HEADER, [*HISTORY_ROWS, LEEDS_2025]),
        },
    )
    output = run(path)
    assert "6 rows of the inspection history, 5 of the in-year table" in output
    assert "2 added, 1 changed" in output
    assert Inspection.objects.get(kind="jtai").sources == [path.name]
    assert (
        Inspection.objects.get(authority__code="383", start_date=date(2025, 6, 30)).help_and_protection
        == "Good"
    )
    assert "nothing changed" in run(path)


def test_a_bad_cell_in_the_workbook_is_named_by_sheet_row_and_column(shared, tmp_path):
    bad = list(JTAI)
    bad[3] = "12/05/2025"  # typed as text, not a date
    path = write_ods(tmp_path / "outcomes.ods", {"In-year_inspections": (IN_YEAR_HEADER, [VISIT, bad])})
    before = stored()
    error = refused(path)
    assert str(error).startswith(
        "outcomes.ods: sheet In-year_inspections, row 5, column E (Inspection/Visit date): "
        "'12/05/2025' is not a date in the form YYYY-MM-DD"
    )
    assert stored() == before
    (tmp_path / "broken.ods").write_bytes(b"not a zip")
    assert "not an OpenDocument spreadsheet" in str(refused(tmp_path / "broken.ods"))

"""Ofsted's workbook of March 2025 (the .ods the shared CSVs were taken from), read by import-inspections:
its two sheets give exactly the CSVs' records, and loading it over the shared files changes nothing."""

import pytest

from slihub.inspections import importers
from slihub.inspections.services import authority_codes, import_release

pytestmark = pytest.mark.django_db

WORKBOOK = "dfecsc_LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY = "derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv"
IN_YEAR = "derived_ofsted_ilacs_inyear_2024-04_to_2025-03.csv"


def plain(records) -> list[tuple]:
    return [(r.code, r.kind, r.start_date, r.published_on, r.judgments, r.visit_theme) for r in records]


def test_the_workbooks_sheets_hold_the_csvs_records(data_dir):
    codes = authority_codes()
    history, in_year = importers.read_release(data_dir / WORKBOOK, codes)
    assert plain(history) == plain(importers.read_official_history(data_dir / HISTORY, codes))
    assert plain(in_year) == plain(importers.read_official_in_year(data_dir / IN_YEAR, codes))
    assert (len(history), len(in_year)) == (271, 112)
    assert history[0].line == 4  # the sheet's row: a title, a note, then the table's header on row 3


def test_loading_the_workbook_over_the_shared_files_changes_nothing(data_dir):
    report = import_release(data_dir / WORKBOOK)
    assert not report.changed
    # Every row of both sheets, an inspection in both counted once.
    assert report.unchanged == 331

"""The profile's pages stay compact per indicator row (issue 15: a theme page of 206 rows was 843 KB,
every indicator on one page 1.9 MB). A bound on the bytes per row, never on time."""

import re

import pytest

from tests.integration import progress_bank

URL = "/authorities/202/profile/"
# An indicator's row, to the end of its figures' details (its own table's rows end in </tr> too).
ROW = re.compile(r'<tr class="govuk-table__row" id="indicator-\d+">.*?</details></td>\s*</tr>', re.S)
# A row with its chart and its table of six periods, some 100 bytes over the fixture's rows today
# (the real bank's rows average 3.5 KB, its longest names adding up to 1 KB).
THEME_ROW_BYTES = 3300
ALL_ROW_BYTES = 2400  # the same row without its small chart (1,000 bytes less)


@pytest.fixture
def bank(places):
    return progress_bank.build_bank(places)


def row_sizes(client, section: str) -> list[int]:
    html = client.get(URL, {"section": section}).content.decode()
    return [len(row.encode()) for row in ROW.findall(html)]


def test_a_theme_pages_rows_stay_compact(client, bank):
    sizes = row_sizes(client, "vulnerable_children")
    assert len(sizes) == 2
    assert max(sizes) < THEME_ROW_BYTES, sizes


def test_every_indicator_on_one_page_stays_compact_per_row(client, bank):
    sizes = row_sizes(client, "all")
    assert len(sizes) == 4
    assert max(sizes) < ALL_ROW_BYTES, sizes

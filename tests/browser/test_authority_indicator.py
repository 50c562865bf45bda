"""An authority's page of one indicator in Chromium: its CSV download. (The page itself, with axe,
reflow and no table wider than the column, is checked on the analyst's way to it from the map, in
test_progress_journey.py.)"""

import pytest

from tests.browser.progress_steps import CAMDEN, SLUG, cla_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_the_csv_download(page, cla_site):  # noqa: F811
    page.goto(cla_site + CAMDEN)
    with page.expect_download() as download:
        page.get_by_role("link", name="The table by period as CSV").click()
    assert download.value.suggested_filename == f"202_{SLUG}.csv"

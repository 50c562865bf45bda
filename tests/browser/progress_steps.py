"""Shared by the progress maps' browser tests: the looked-after rate loaded from one real tidy file (LAIT's
bank is far too big to load for each test) and the check that no table is wider than the main column."""

from pathlib import Path

import pytest

from tests.browser.conftest import DATA_DIR

SLUG = "dfe-cla-rate-31-march"
NAME = "Children looked after at 31 March, rate per 10,000 children under 18"
MAP = f"/indicators/{SLUG}/"
CAMDEN = f"/authorities/202/indicators/{SLUG}/"
AUTHORITIES = 153

# Each table (and chart) in the main column, measured against the column: its own scrollWidth (a
# table that needs scrolling sideways) and its box's, so that trend and chart are never hidden.
OVERFLOWING = """() => {
  const column = document.querySelector('main').clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('main table, main svg[role=img]')) {
    const box = el.closest('.app-table-wrapper') || el.parentElement;
    const width = el.tagName === 'TABLE' ? el.scrollWidth : el.getBoundingClientRect().width;
    if (width > column + 1 || box.scrollWidth > box.clientWidth + 1) {
      const name = el.id || el.querySelector('caption, title')?.textContent.slice(0, 60);
      wide.push(`${el.tagName} ${name}: ${width}px in ${column}px`);
    }
  }
  return wide;
}"""


@pytest.fixture
def cla_site(live_server, reference_data):
    from slihub.indicators.models import Indicator
    from slihub.indicators.services import import_tidy_file

    if not Indicator.objects.filter(source="cla_rate").exists():
        import_tidy_file(
            Path(DATA_DIR) / "dfecsc_cla_number_and_rate_per_10k_children.csv", mapping="cla_rate"
        )
    return live_server.url


def check_no_table_overflows(page):
    size = page.viewport_size
    try:
        for width in (1280, 960):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate(OVERFLOWING) == [], f"{page.url} at {width}px"
    finally:
        page.set_viewport_size(size)

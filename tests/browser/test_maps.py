"""The maps: every area named, and a data table with the same information beside each map."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AUTHORITIES = 153
TITLES = (
    "() => [...document.querySelectorAll('main svg path')]"
    ".map(p => p.querySelector(':scope > title')?.textContent.trim() || '')"
)


def test_national_map_titles_every_area_and_has_a_table_of_every_authority(page, site):
    for path in ["/map/", "/map/?colour=type"]:
        page.goto(site + path)
        table = page.get_by_role("table", name="The map as a table")
        expect(table.locator("tbody tr")).to_have_count(AUTHORITIES)
        names = table.locator("tbody tr td:first-child").all_inner_texts()
        assert len(set(names)) == AUTHORITIES
        assert {"Camden", "Cumberland", "Westmorland and Furness", "Isles of Scilly"} <= set(names)
        # Each row links to the authority's page, as each area of the map does.
        expect(table.locator("tbody tr td:first-child a")).to_have_count(AUTHORITIES)

        svg = page.locator("main svg.app-map")
        expect(svg).to_have_attribute("aria-labelledby", "national-title national-desc")
        titles = page.evaluate(TITLES)
        # London's boroughs appear twice: in place, and enlarged in the inset.
        assert len(titles) >= AUTHORITIES
        untitled = [i for i, title in enumerate(titles) if not title]
        assert not untitled, f"{len(untitled)} <path> elements on {path} have no <title>"
        assert len({title.split(":")[0] for title in titles}) == AUTHORITIES
        assert {title.split(":")[0] for title in titles} == set(names)
        links = svg.locator("a.app-map__link")
        hrefs = set(links.evaluate_all("els => els.map(a => a.getAttribute('href'))"))
        assert len(hrefs) == AUTHORITIES


def test_region_maps_have_a_table(page, site):
    for path, caption, rows in [
        ("/regions/london/", "33 authorities in London", 33),
        ("/regions/inner-london/", "14 authorities in Inner London", 14),
    ]:
        page.goto(site + path)
        table = page.get_by_role("table", name=caption)
        expect(table.locator("tbody tr")).to_have_count(rows)
        titles = page.evaluate(TITLES)
        assert len(titles) == rows and all(titles)
        names = table.locator("tbody tr td:first-child").all_inner_texts()
        assert set(titles) == set(names)

"""The 404 page's hint fits what was asked for: a council code no council has, a page a council does not
have, a region or indicator the hub does not know, an indicator's period it has no values for."""

import pytest

from tests.integration.html import page
from tests.integration.indicator_fixtures import build_bank

pytestmark = pytest.mark.django_db


def _not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    document = page(response)
    assert document.one("h1").text == "Page not found"
    return document.one("main")


@pytest.mark.parametrize("url", ["/authorities/999/", "/authorities/999/profile/", "/forecast/xyz/"])
def test_an_unknown_council_code_is_named_and_the_list_offered(client, places, url):
    main = _not_found(client, url)

    code = url.split("/")[2]
    assert f"No council has the code “{code}”" in main.one(id="not-found-hint").text
    link = main.find_all("a")[-1]
    assert link.text.startswith("Choose a council from")
    assert link.attrs["href"] == ("/authorities/" if url.startswith("/authorities") else "/forecast/")


def test_a_page_a_council_does_not_have_leads_to_the_councils_page(client, places):
    main = _not_found(client, "/authorities/202/nothing-here/")

    assert "Camden has no page at this address." in main.text
    assert main.find_all("a")[-1].attrs["href"] == "/authorities/202/"


def test_an_unknown_region_leads_to_the_list_of_regions(client, places):
    main = _not_found(client, "/regions/atlantis/")

    assert "The hub has no region at this address." in main.text
    assert main.find_all("a")[-1].attrs["href"] == "/regions/"


def test_anything_else_gets_the_general_hint(client, places):
    main = _not_found(client, "/nowhere/at/all/")

    assert "check it is correct" in main.text
    assert main.find_all("a")[-1].attrs["href"] == "/"


def test_an_unknown_period_lists_the_periods_the_indicator_has(client, places):
    rate = build_bank(places)["rate"]

    main = _not_found(client, f"/indicators/{rate.slug}/?period=1999")

    assert f"{rate.name} has no values for the period “1999”. It has values for these 2 periods:" in main.text
    periods = main.one("ul", id="periods").find_all("a")
    assert [a.text for a in periods] == ["2024", "2023"]
    assert periods[0].attrs["href"] == f"/indicators/{rate.slug}/?period=2024"


def test_the_api_still_answers_json(client, places):
    response = client.get("/api/v1/nowhere")

    assert response.status_code == 404 and "routes are listed at /api/v1/docs" in response.json()["detail"]

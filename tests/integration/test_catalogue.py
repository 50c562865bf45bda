"""The indicator catalogue: a compact table, search by relevance, filters, pages and bad parameters."""

import pytest

from slihub.indicators import catalogue_selectors, catalogue_views
from slihub.indicators.models import Indicator
from tests.integration.html import page, table_rows
from tests.integration.indicator_fixtures import build_bank

ADOPTED = "Children adopted from care, rate"
EARLY = "Three and four year olds in funded early education"


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    catalogue_selectors.forget()
    yield
    catalogue_selectors.forget()


@pytest.fixture
def bank(places):
    return build_bank(places)


def names(client, query=None) -> list[str]:
    document = page(client.get("/indicators/", query or {}))
    return [th.text for th in document.find_all("th", scope="row")]


def test_the_catalogue_is_a_compact_table_linking_to_each_indicator_page(client, bank):
    response = client.get("/indicators/")
    document = page(response)
    table = document.one("table", class_="govuk-table")
    headers = [th.text for th in table.find("thead").find_all("th")]
    assert headers == ["Indicator", "Theme", "Source", "Latest period", "Authorities"]
    rows = {th.text: th for th in table.find_all("th", scope="row")}
    assert rows[ADOPTED].find("a").attrs["href"] == "/indicators/no-of-lac-adopted/"
    cells = dict(zip([ADOPTED, EARLY], table_rows(table), strict=True))
    # Five current authorities are in the 2024 rows; Islington's figure is suppressed ('c').
    assert cells[ADOPTED] == ["Vulnerable children", "LAIT", "2024", "4"]
    assert cells[EARLY] == ["Early years", "LAIT", "2024", "4"]
    text = document.text
    # The definition and methodology are on the indicator's own page, not here.
    assert "Children adopted during the year per 10,000 looked after." not in text
    assert "Counted at 31 March." not in text
    assert len(response.content) < 300_000


def test_the_definition_and_methodology_are_on_the_indicator_page(client, bank):
    text = page(client.get("/indicators/no-of-lac-adopted/")).text
    assert "Children adopted during the year per 10,000 looked after." in text
    assert "Counted at 31 March." in text


def test_the_default_order_puts_social_care_first(client, bank):
    assert names(client) == [ADOPTED, EARLY]


def test_search_by_synonym_stem_and_code(client, bank):
    assert names(client, {"q": "adopted"}) == [ADOPTED]
    assert names(client, {"q": "adoption"}) == [ADOPTED]  # the topic
    assert names(client, {"q": "children in care"}) == [ADOPTED]  # "looked after" in the definition
    assert names(client, {"q": "CLA"}) == [ADOPTED]
    assert names(client, {"q": "3&4"}) == [EARLY]  # code
    assert names(client, {"q": "benefits"}) == [EARLY]  # "benefiting" in the definition


def test_filters_are_kept_and_combine_with_the_search(client, bank):
    assert names(client, {"theme": "early_years"}) == [EARLY]
    assert names(client, {"outcome": "stay_safe"}) == [ADOPTED]
    assert names(client, {"source": "lait", "q": "early"}) == [EARLY]
    document = page(client.get("/indicators/", {"theme": "early_years", "q": "funded"}))
    assert document.one("option", value="early_years").attrs.get("selected") is not None
    assert document.one("input", id="q").attrs["value"] == "funded"


def test_an_empty_search_says_so_plainly(client, bank):
    document = page(client.get("/indicators/", {"q": "nothing like this"}))
    assert document.one("title").text.startswith("Indicators matching ‘nothing like this’")
    assert not document.find_all("table")
    assert "No indicator matches ‘nothing like this’" in document.text
    assert "0 indicators" in document.text
    document = page(client.get("/indicators/", {"q": "adopted", "theme": "early_years"}))
    assert "No indicator matches ‘adopted’ with these filters" in document.text


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "not-a-theme", "source": "nowhere", "outcome": "x"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "999"},
        {"q": "\x00"},
        {"q": "a" * 5000},
        {"q": "%_&<script>"},
        {"q": "   "},
        {"q": "the of and"},
    ],
)
def test_bad_parameters_never_fail(client, bank, query):
    response = client.get("/indicators/", query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_unknown_filters_are_ignored(client, bank):
    assert len(names(client, {"theme": "not-a-theme", "source": "nowhere"})) == 2


def test_the_catalogue_paginates_keeping_the_search(client, bank, monkeypatch):
    monkeypatch.setattr(catalogue_views, "PER_PAGE", 1)
    first = page(client.get("/indicators/", {"source": "lait"}))
    nav = first.one("nav", class_="govuk-pagination")
    assert nav.find("a", rel="next").attrs["href"] == "?source=lait&page=2"
    assert nav.find("a", **{"aria-current": "page"}).text == "1"
    second = page(client.get("/indicators/", {"page": 2}))
    assert second.one("nav", class_="govuk-pagination").find("a", rel="prev")
    assert names(client, {"page": "999"}) == [EARLY]  # past the end: the last page


def test_a_new_indicator_is_listed_after_a_change_to_the_bank(client, bank):
    assert len(names(client)) == 2
    Indicator.objects.create(code="New", slug="new", source="lait", name="A new measure", short_name="New")
    assert "A new measure" in names(client)


def test_the_catalogue_reads_few_queries(client, bank, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/indicators/")  # builds the catalogue: the bank, its latest periods, their counts
    with django_assert_max_num_queries(4):
        client.get("/indicators/", {"q": "looked after"})

"""The public pages: open to anyone, showing the places the tests made."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.places import maps
from slihub.places.maps import TYPE_COLOURS
from slihub.places.models import Boundary, StatisticalNeighbour
from tests import factories
from tests.integration.html import heading, page, table_rows


@pytest.fixture
def get(client, places):
    """GET a public page as an anonymous visitor; it must answer 200 with HTML."""

    def fetch(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return page(response)

    return fetch


def names_in_table(document) -> list[str]:
    """The linked name in the first column of the page's table."""
    rows = document.one("main").find("table").one("tbody").find_all("tr")
    return [row.find("td").one("a").text for row in rows if row.find("td").find("a")]


def neighbours_table(document):
    """The statistical neighbours table (the authority page has other sections' tables too)."""
    (table,) = [
        t
        for t in document.find_all("table")
        if t.one("caption").text.startswith("DfE statistical neighbours")
    ]
    return table


def svg_titles(svg) -> list[str]:
    """The <title> of each area of a map (not the map's own title)."""
    return [path.one("title").text for path in svg.find_all("path")]


def test_the_home_page_offers_search_and_the_regions(get):
    document = get("/")
    assert heading(document) == "Sector-led improvement of children's services"
    search = document.one("form", role="search")
    assert search.attrs["action"] == "/authorities/"
    assert search.one("input").attrs["name"] == "q"
    region_links = [
        (a.text, a.attrs["href"])
        for a in document.find_all("a")
        if re.match("^/regions/.+/$", a.attrs["href"])
    ]
    assert region_links == [
        ("North West", "/regions/north-west/"),
        ("Yorkshire and The Humber", "/regions/yorkshire-and-the-humber/"),
        ("London", "/regions/london/"),
    ]


def test_every_page_carries_the_licence_attribution(get):
    footer = get("/").one("footer").text
    assert "Open Government Licence v3.0" in footer
    assert "Contains OS data © Crown copyright and database right 2023." in footer


# ---------------------------------------------------------------- the authority list


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Bradford", "Camden", "Cumberland", "Islington", "Leeds", "North Yorkshire"]),
        ("?region=london", ["Camden", "Islington"]),
        ("?region=yorkshire-and-the-humber", ["Bradford", "Leeds", "North Yorkshire"]),
        ("?type=MD", ["Bradford", "Leeds"]),
        ("?type=ILB&region=yorkshire-and-the-humber", []),
        ("?q=cam", ["Camden"]),
        ("?q=+Leeds+", ["Leeds"]),
        ("?q=202", ["Camden"]),
        ("?q=e08000035", ["Leeds"]),
        ("?q=Cumbria", []),
        ("?q=Cumbria&former=yes", ["Cumbria"]),
        ("?q=E10000006&former=yes", ["Cumbria"]),
        (
            "?former=yes",
            ["Bradford", "Camden", "Cumberland", "Cumbria", "Islington", "Leeds", "North Yorkshire"],
        ),
        ("?region=north-west&former=yes", ["Cumberland", "Cumbria"]),
        # Unknown filter values are ignored rather than failing.
        ("?type=XYZ", ["Bradford", "Camden", "Cumberland", "Islington", "Leeds", "North Yorkshire"]),
        ("?region=atlantis", ["Bradford", "Camden", "Cumberland", "Islington", "Leeds", "North Yorkshire"]),
    ],
)
def test_the_authority_list_filters(get, query, expected):
    document = get(f"/authorities/{query}")
    if expected:
        assert names_in_table(document) == expected
    else:
        assert "No authority matches." in document.one("tbody").text


def test_the_authority_list_says_how_many_and_where(get):
    document = get("/authorities/?region=london")
    assert document.one("caption").text == "2 authorities in London"
    assert document.one("option", value="london").attrs.get("selected") == ""
    assert get("/authorities/?q=Leeds").one("caption").text == "1 authority"


def test_the_authority_list_marks_former_authorities(get):
    rows = {row[0]: row for row in table_rows(get("/authorities/?former=yes").one("table"))}
    assert rows["Cumbria Former"] == ["Cumbria Former", "909", "E10000006", "Shire county", "North West"]
    assert rows["Camden"] == ["Camden", "202", "E09000007", "Inner London borough", "London"]


def more_authorities(places, count=8):
    """Extra Yorkshire authorities with boundaries, to show that query counts do not grow with them."""
    return [
        factories.authority(
            f"{870 + i}", f"E0600{i:04d}", f"Extra {i}", "UA", places.yorkshire, corner=(-1, 52 - i / 2)
        )
        for i in range(count)
    ]


def test_the_authority_list_makes_a_fixed_number_of_queries(client, places, django_assert_max_num_queries):
    """The regions for the filter and the authorities with their regions: not one query per authority."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/authorities/?former=yes")
    few = [query["sql"] for query in captured]
    assert len(table_rows(page(response).one("table"))) == 7
    assert len(few) <= 3, few
    more_authorities(places)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/authorities/?former=yes")
    assert len(table_rows(page(response).one("table"))) == 15


# ---------------------------------------------------------------- one authority


def test_the_authority_page_shows_codes_region_and_neighbours_in_rank_order(get):
    document = get("/authorities/202/")
    assert heading(document) == "Camden"
    summary = {
        row.one("dt").text: row.one("dd").text for row in document.find_all(class_="govuk-summary-list__row")
    }
    assert summary["DfE code"] == "202"
    assert summary["ONS code"] == "E09000007"
    assert summary["Type"] == "Inner London borough"
    assert summary["Region"] == "London (Inner London)"
    assert table_rows(neighbours_table(document)) == [
        ["1", "Islington", "London", "Extremely close"],
        ["2", "Bradford", "Yorkshire and The Humber", "Very close"],
        ["3", "Leeds", "Yorkshire and The Humber", "Close"],
    ]
    assert neighbours_table(document).one("caption").text == "DfE statistical neighbours, May 2025"
    locator = document.one("svg")
    assert locator.find("title").text == "Location of Camden in England"
    highlighted = locator.find_all("path", class_="app-map__area--highlight")  # in England and the inset
    assert [path.one("title").text for path in highlighted] == ["Camden", "Camden"]


def test_the_authority_page_shows_the_2021_neighbours_when_asked(get):
    document = get("/authorities/202/?model=2021")
    assert neighbours_table(document).one("caption").text == "DfE statistical neighbours, April 2021"
    assert [row[1] for row in table_rows(neighbours_table(document))] == ["Leeds", "Islington"]
    assert document.find("a", href="?model=2025#neighbours")


def test_the_authority_page_ignores_an_unknown_model(get):
    assert (
        neighbours_table(get("/authorities/202/?model=2099")).one("caption").text
        == "DfE statistical neighbours, May 2025"
    )


@pytest.mark.parametrize("code", ["E09000007", "e09000007", " 202", "202"])
def test_the_authority_page_opens_by_dfe_or_ons_code(client, places, code):
    response = client.get(f"/authorities/{code}/")
    assert heading(page(response)) == "Camden"


def test_the_authority_page_opens_by_a_former_ons_code(get):
    document = get("/authorities/E10000023/")
    assert heading(document) == "North Yorkshire"
    assert "Until 1 April 2023: E10000023" in document.one("main").text


def test_a_former_authority_page_names_its_successors(get):
    document = get("/authorities/909/")
    assert heading(document) == "Cumbria"
    assert "former authority" in document.one("span", class_="govuk-caption-xl").text
    inset = document.one(class_="govuk-inset-text")
    assert "Cumbria ceased to exist on 1 April 2023" in inset.text
    assert [(a.text, a.attrs["href"]) for a in inset.find_all("a")] == [("Cumberland", "/authorities/942/")]
    assert not document.find_all("svg")  # no boundary, no locator map
    assert "has no neighbours" in document.one("main").text


def test_a_successor_page_names_what_it_replaced(get):
    summary = {
        row.one("dt").text: row.one("dd").text
        for row in get("/authorities/942/").find_all(class_="govuk-summary-list__row")
    }
    assert summary["Replaced"] == "Cumbria (909), from 1 April 2023"


def test_the_authority_page_makes_a_fixed_number_of_queries(
    as_persona, places, django_assert_max_num_queries
):
    """A fixed handful of queries per section of the page, however many neighbours or authorities."""
    client = as_persona("anonymous")
    client.get("/authorities/202/")  # builds the map layout, once for all pages
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/authorities/202/")
    few = [query["sql"] for query in captured]  # now: the next request empties the query log
    assert len(table_rows(neighbours_table(page(response)))) == 3

    StatisticalNeighbour.objects.filter(authority=places.camden).delete()
    factories.neighbours(places.camden, [places.islington, places.bradford, *more_authorities(places)])
    maps._layout.cache_clear()
    client.get("/authorities/202/")
    with django_assert_max_num_queries(len(few)):
        response = client.get("/authorities/202/")
    assert len(table_rows(neighbours_table(page(response)))) == 10
    # Authority, successions, neighbours, boundary file version, former ONS codes: 5 in the foundation,
    # and room for a few more sections.
    assert len(few) <= 12, few


def test_the_pages_show_their_tables_without_a_map_before_boundaries_are_loaded(client, places):
    Boundary.objects.all().delete()
    for path, table in (
        ("/map/", lambda d: d.one("table")),
        ("/regions/london/", lambda d: d.one("table")),
        ("/authorities/202/", neighbours_table),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        document = page(response)
        assert not document.find_all("svg", class_="app-map"), path
        assert table_rows(table(document)), path


@pytest.mark.parametrize("path", ["/authorities/999/", "/authorities/E09999999/", "/authorities/nowhere/"])
def test_an_unknown_authority_is_not_found(client, places, path):
    response = client.get(path)
    assert response.status_code == 404
    document = page(response)
    assert heading(document) == "Page not found"
    assert document.find("a", href="/authorities/")


# ---------------------------------------------------------------- regions


def test_the_region_list_counts_current_authorities(get):
    assert table_rows(get("/regions/").one("table")) == [
        ["North West", "E12000002", "1"],
        ["Yorkshire and The Humber", "E12000003", "3"],
        ["London", "E12000007", "2"],
    ]


def test_a_region_page_lists_and_maps_its_authorities(get):
    document = get("/regions/london/")
    assert heading(document) == "London"
    assert names_in_table(document) == ["Camden", "Islington"]
    svg = document.one("svg", class_="app-map")
    links = {a.attrs["href"]: a.one("title").text for a in svg.find_all("a")}
    assert links == {"/authorities/202/": "Camden", "/authorities/206/": "Islington"}
    parts = {
        a.text: a.attrs["href"] for a in document.one("main").find_all("a") if "london" in a.attrs["href"]
    }
    assert parts == {"Inner London": "/regions/inner-london/", "Outer London": "/regions/outer-london/"}


def test_a_sub_region_page_lists_its_authorities(get):
    document = get("/regions/inner-london/")
    assert heading(document) == "Inner London"
    assert names_in_table(document) == ["Camden", "Islington"]
    assert names_in_table(get("/regions/outer-london/")) == []


def test_a_region_page_opens_by_ons_code(get):
    assert heading(get("/regions/E12000003/")) == "Yorkshire and The Humber"


def test_an_unknown_region_is_not_found(client, places):
    response = client.get("/regions/atlantis/")
    assert response.status_code == 404
    assert heading(page(response)) == "Page not found"


# ---------------------------------------------------------------- the national map


def test_the_map_colours_by_region_and_repeats_itself_as_a_table(get):
    document = get("/map/")
    svg = document.one("svg", class_="app-map")
    assert svg.one("title", id="national-title").text == (
        "Map of England's 6 children's services authorities by region"
    )
    assert sorted(a.attrs["href"] for a in svg.find_all("a")) == [
        "/authorities/202/",
        "/authorities/206/",
        "/authorities/380/",
        "/authorities/383/",
        "/authorities/815/",
        "/authorities/942/",
    ]
    assert "Camden: London, Inner London borough" in svg_titles(svg)
    fills = {path.one("title").text.split(":")[0]: path.attrs["fill"] for path in svg.find_all("path")}
    assert fills["Leeds"] == fills["Bradford"] != fills["Camden"] == fills["Islington"]
    legend = [item.text for item in document.one("ul", class_="app-legend").find_all("li")]
    assert legend == ["North West", "Yorkshire and The Humber", "London"]
    assert len(table_rows(document.one("table"))) == 6
    # London's boroughs are drawn in the inset.
    inset = svg.one("g", class_="app-map__inset")
    assert sorted(a.attrs["href"] for a in inset.find_all("a")) == ["/authorities/202/", "/authorities/206/"]


def test_the_map_colours_by_type_when_asked(get):
    document = get("/map/?colour=type")
    svg = document.one("svg", class_="app-map")
    assert svg.one("title", id="national-title").text.endswith("by type")
    fills = {path.one("title").text.split(":")[0]: path.attrs["fill"] for path in svg.find_all("path")}
    assert fills["Camden"] == TYPE_COLOURS["ILB"]
    assert fills["Leeds"] == TYPE_COLOURS["MD"]
    assert fills["Cumberland"] == TYPE_COLOURS["UA"]
    legend = [item.text for item in document.one("ul", class_="app-legend").find_all("li")]
    assert legend == ["Inner London borough", "Metropolitan district", "Unitary authority", "Shire county"]
    assert document.one("input", id="colour-type").attrs.get("checked") == ""


def test_the_map_falls_back_to_regions_for_an_unknown_colouring(get):
    svg = get("/map/?colour=<script>").one("svg", class_="app-map")
    assert svg.one("title", id="national-title").text.endswith("by region")


# ---------------------------------------------------------------- other pages


def test_the_data_sources_page_names_every_file_and_publisher(get):
    rows = table_rows(get("/data-sources/").one("table"))
    publisher_of = {row[2]: row[1] for row in rows}
    # The reference files (later capabilities add their own below them).
    assert {
        "derived_la_reference.csv": "Department for Education; Ofsted",
        "derived_statistical_neighbours_long.csv": "Department for Education",
        "derived_ctyua_may2023_england_buc_wgs84.geojson": "Office for National Statistics",
    }.items() <= publisher_of.items()
    assert all(row[0] and row[1] for row in rows)


def test_the_sign_in_page_has_the_fields(get):
    document = get("/accounts/login/")
    assert heading(document) == "Sign in"
    form = document.one("main").one("form")
    assert form.one("input", name="username").attrs["autocomplete"] == "username"
    assert form.one("input", name="password").attrs["type"] == "password"


def test_no_page_uses_a_cdn(get):
    for path in ("/", "/authorities/", "/authorities/202/", "/map/", "/regions/london/"):
        document = get(path)
        for element in document.find_all("script") + document.find_all("link"):
            source = element.attrs.get("src") or element.attrs.get("href") or ""
            assert not re.match(r"^(https?:)?//", source), (path, source)

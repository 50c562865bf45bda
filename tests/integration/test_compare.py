"""The compare page: a chart and a table per indicator, one-action additions (statistical neighbours, a
region), limits and bad input, and its CSV and Excel downloads. Saved groups: test_comparator_groups.py."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from slihub.indicators.compare_selectors import MAX_AUTHORITIES
from slihub.indicators.models import AreaType, Value
from slihub.indicators.services import compute_comparisons
from tests import factories
from tests.integration import progress_bank
from tests.integration.html import page

URL = "/compare/"
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."


@pytest.fixture
def bank(places):
    return progress_bank.build_bank(places)


@pytest.fixture
def ten_neighbours(places, bank):
    """Camden's ten statistical neighbours (May 2025 model): Islington, Bradford, Leeds and seven more
    Yorkshire authorities, each with figures for every indicator of the bank and two more, so that
    Camden and its neighbours are 11 authorities with 6 indicators."""
    from slihub.places.models import StatisticalNeighbour

    extra = [
        factories.authority(f"{870 + i}", f"E0600{i:04d}", f"Extra {i}", "UA", places.yorkshire)
        for i in range(7)
    ]
    StatisticalNeighbour.objects.filter(authority=places.camden).delete()
    ranked = [places.islington, places.bradford, places.leeds, *extra]
    factories.neighbours(places.camden, ranked)
    indicators = dict(bank.indicators)
    for code in ("Extra_A", "Extra_B"):
        indicators[code] = progress_bank.make_indicator(
            code, f"Extra measure {code[-1]}", "high", "schools", "enjoy_achieve", 1
        )
    everyone = [places.camden, *ranked]
    Value.objects.bulk_create(
        Value(
            indicator=indicator,
            period=period,
            area_type=AreaType.AUTHORITY,
            authority=authority,
            value=float(10 + n + i),
        )
        for i, indicator in enumerate(indicators.values())
        for period in bank.periods.values()
        for n, authority in enumerate(everyone)
        if code_missing(indicator, authority)
    )
    compute_comparisons()
    return ranked, list(indicators.values())


def code_missing(indicator, authority) -> bool:
    """The bank's indicators already hold the six authorities' values."""
    spec = progress_bank.SPECS.get(indicator.code)
    return spec is None or authority.code not in spec[5]


def sections(document) -> list[str]:
    return [s.attrs["id"] for s in document.find_all("section", class_="app-compare-indicator")]


def table(document, indicator) -> list[list[str]]:
    found = document.one("table", id=f"indicator-{indicator.id}-table")
    return [
        [tr.find("th").text, *(td.text for td in tr.find_all("td"))]
        for tr in found.find("tbody").find_all("tr")
    ]


def error_links(document):
    summary = document.one("div", class_="govuk-error-summary")
    return [(a.attrs["href"], a.text) for a in summary.find_all("a")]


def compared(document) -> list[str]:
    return [li.find("a").text for li in document.one("ul", id="compared").find_all("li")]


def addition(document, text):
    links = [a for a in document.one("div", id="additions").find_all("a") if a.text == text]
    assert len(links) == 1, [a.text for a in document.one("div", id="additions").find_all("a")]
    return links[0].attrs["href"]


def test_it_shows_the_headline_indicators_by_default(client, bank):
    document = page(client.get(URL, {"la": ["202", "206", "383"]}))
    # Of the headline list the bank holds CIN and ReReferral, in the headline order.
    assert sections(document) == [f"indicator-{bank.indicators[c].id}" for c in ("CIN", "ReReferral")]
    assert "The headline indicators of children's services." in document.text


def test_each_indicator_has_a_chart_and_a_table_highest_first_with_england(client, bank):
    rereferral = bank.indicators["ReReferral"]
    document = page(client.get(URL, {"la": ["206", "202", "383"], "indicator": ["ReReferral"]}))
    rows = table(document, rereferral)
    assert [r[0] for r in rows] == ["Camden", "Leeds", "Islington Highlighted", "England"]
    assert rows[0][1:] == ["30.0", "6 of 6", "D", "Declining"]
    assert rows[-1][:2] == ["England", "22.4"]
    chart = document.one("section", id=f"indicator-{rereferral.id}").find("svg")
    assert chart.attrs["role"] == "img"
    texts = [t.text for t in chart.find_all("text")]
    assert "\u25b6 Islington" in texts  # the first chosen: an arrow and bold, not colour alone
    assert "England 22.4" in texts  # the reference line's label
    assert "Test unit" in texts  # the axis' unit
    assert "Camden 30.0; Leeds 14.0; Islington (highlighted) 12.0" in chart.find("desc").text


def test_a_suppressed_figure_shows_its_marker_never_zero(client, bank):
    cin = bank.indicators["CIN"]
    rows = table(page(client.get(URL, {"la": ["202", "206"], "indicator": ["CIN"]})), cin)
    assert rows[0][:2] == ["Islington", "430"]
    camden = rows[1]
    assert camden[0] == "Camden Highlighted"
    assert camden[1].startswith("c") and "0" not in camden[1]
    assert rows[2][0] == "England"


def test_indicators_can_be_named_by_id_slug_or_code(client, bank):
    ks2, infant, cin = (bank.indicators[c] for c in ("KS2_RWM", "InfMort", "CIN"))
    document = page(client.get(URL, {"la": "202", "indicator": [str(ks2.id), infant.slug, cin.code]}))
    assert sections(document) == [f"indicator-{i.id}" for i in (ks2, infant, cin)]
    assert "The indicators you chose." in document.text


def test_remove_links_drop_one_authority_or_indicator(client, bank):
    ks2, infant = bank.indicators["KS2_RWM"], bank.indicators["InfMort"]
    document = page(client.get(URL, {"la": ["202", "206"], "indicator": [ks2.code, infant.code]}))
    hrefs = {a.attrs["href"] for a in document.find_all("a") if a.text.startswith("Remove")}
    assert f"{URL}?la=206&indicator={ks2.id}&indicator={infant.id}" in hrefs
    assert f"{URL}?la=202&la=206&indicator={infant.id}" in hrefs
    hidden = [(i.attrs["name"], i.attrs["value"]) for i in document.find_all("input", type="hidden")]
    assert hidden == [("la", "202"), ("la", "206"), ("indicator", str(ks2.id)), ("indicator", str(infant.id))]


def test_one_action_adds_camdens_ten_statistical_neighbours_keeping_the_indicators(client, ten_neighbours):
    ranked, indicators = ten_neighbours
    chosen = indicators[:2]
    document = page(client.get(URL, {"la": "202", "indicator": [i.code for i in chosen]}))
    href = addition(document, "Add Camden's statistical neighbours")
    codes = "".join(f"&la={a.code}" for a in ranked)
    ids = "".join(f"&indicator={i.id}" for i in chosen)
    assert href == f"{URL}?la=202{codes}{ids}"
    after = page(client.get(href))
    assert compared(after) == ["Camden", *(a.name for a in ranked)]
    assert sections(after) == [f"indicator-{i.id}" for i in chosen]
    assert len(table(after, chosen[0])) == 12  # eleven authorities and England
    # All of them (and London's two) chosen already: nothing more to add in one step.
    assert after.find("div", id="additions") is None


def test_one_action_adds_the_first_authoritys_region(client, bank, places):
    document = page(client.get(URL, {"la": ["383"]}))
    href = addition(document, "Add Yorkshire and The Humber")
    assert href == f"{URL}?la=383&la=380&la=815"  # Leeds first, then the others by name
    # Any region from the form, by slug or ONS code, added after those chosen.
    by_slug = page(client.get(URL, {"la": ["815"], "region": "london"}))
    assert compared(by_slug) == ["North Yorkshire", "Camden", "Islington"]
    by_code = page(client.get(URL, {"region": "E12000007"}))
    assert compared(by_code) == ["Camden", "Islington"]


def test_at_most_forty_authorities_with_a_clear_message(client, bank, places):
    for i in range(MAX_AUTHORITIES):
        factories.authority(f"{700 + i}", f"E0700{i:04d}", f"Borough {i:02d}", "UA", places.north_west)
    response = client.get(URL, {"la": ["202"], "region": "north-west"})
    assert response.status_code == 200
    document = page(response)
    assert error_links(document) == [
        ("#add-la", f"Choose up to {MAX_AUTHORITIES} authorities: only the first {MAX_AUTHORITIES} are shown")
    ]
    assert len(compared(document)) == MAX_AUTHORITIES
    assert document.one("select", id="add-la").attrs.get("disabled") is not None


def test_unknown_codes_get_an_error_summary_and_the_rest_is_compared(client, bank):
    response = client.get(
        URL, {"la": ["202", "ZZZ"], "region": "atlantis", "indicator": ["no-such-thing", "KS2_RWM"]}
    )
    assert response.status_code == 200
    document = page(response)
    links = error_links(document)
    assert links[0][0] == "#add-region" and "No region is called 'atlantis'" in links[0][1]
    assert links[1][0] == "#add-la" and "No authority has the code 'ZZZ'" in links[1][1]
    assert links[2][0] == "#add-indicator" and "'no-such-thing'" in links[2][1]
    assert document.find("title").text.startswith("Error:")
    assert compared(document) == ["Camden"]
    assert sections(document) == [f"indicator-{bank.indicators['KS2_RWM'].id}"]


def test_a_former_authority_is_an_error(client, bank):
    links = error_links(page(client.get(URL, {"la": ["909", "202"]})))
    assert links == [("#add-la", "Cumbria (909) is a former authority: choose a current one")]


@pytest.mark.parametrize(
    "query",
    [
        "la=%00",
        "la=2%0002&region=%00",
        "region=E12%00",
        "region=" + "x" * 5000,
        "la=" + "9" * 5000,
        "indicator=%C2%B2&la=202",
        "indicator=99999999999999999999&la=202",
        "la=202&la=202&la=E09000007",
        "region=inner-london",  # London's part, not a region: an error
        "la=202&indicator=%00",
    ],
)
def test_bad_parameters_never_give_a_server_error(client, bank, query):
    for path in (URL, "/compare/comparison.csv", "/compare/comparison.xlsx"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


def test_with_no_authority_it_invites_a_choice(client, bank):
    document = page(client.get(URL))
    assert document.find("section", class_="app-compare-indicator") is None
    assert "Add an authority to start." in document.text
    assert document.find("div", id="additions") is None


def test_the_csv_holds_what_the_page_shows_with_source_and_licence(client, bank):
    response = client.get(
        "/compare/comparison.csv", {"la": ["202", "206"], "indicator": ["ReReferral", "CIN"]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="comparison-202.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = lines[0], lines[1:]
    assert header[:9] == [
        "indicator_code",
        "indicator_name",
        "unit",
        "time_period",
        "old_la_code",
        "new_la_code",
        "la_name",
        "region_name",
        "value",
    ]
    rows = [dict(zip(header, line, strict=True)) for line in body if len(line) == len(header)]
    assert [(r["indicator_code"], r["la_name"], r["value"]) for r in rows] == [
        ("ReReferral", "Camden", "30"),
        ("ReReferral", "Islington", "12"),
        ("CIN", "Islington", "430"),
        ("CIN", "Camden", "c"),  # the marker, never zero
    ]
    assert rows[0]["band"] == "D" and rows[0]["england_value"] == "22.4" and rows[0]["source"] == "test"
    assert lines[-1] == [LICENCE]


def test_the_excel_file_opens_and_holds_each_authoritys_row(client, bank):
    response = client.get("/compare/comparison.xlsx", {"la": ["202", "206"]})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="comparison-202.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Comparison", "About"]
    rows = list(book["Comparison"].iter_rows(values_only=True))
    header = rows[0]
    named = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    camden = [r for r in named if r["la_name"] == "Camden" and r["indicator_code"] == "ReReferral"]
    assert camden and camden[0]["value"] == 30 and camden[0]["old_la_code"] == "202"
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Licence"] == LICENCE
    assert about["Comparison"] == "Camden, Islington"


def test_the_query_count_is_flat_for_eleven_authorities_and_six_indicators(client, ten_neighbours):
    ranked, indicators = ten_neighbours
    small = {"la": ["202", "206"], "indicator": [indicators[0].code]}
    client.get(URL, small)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, small)
    wide = {"la": ["202", *(a.code for a in ranked)], "indicator": [i.code for i in indicators]}
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, wide)
    document = page(response)
    assert len(compared(document)) == 11 and len(sections(document)) == 6
    assert len(document.find_all("svg", role="img")) == 6
    assert len(many) == len(few), [q["sql"] for q in many]


def test_compare_is_in_the_service_navigation(client, bank):
    document = page(client.get("/"))
    assert document.find("a", href=URL) is not None

"""The progress profile: a summary and a page per theme (or outcome), strengths and concerns, markers,
averages, comparator groups, queries."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.indicators.services import compute_comparisons
from slihub.inspections.models import Inspection
from tests.integration import progress_bank
from tests.integration.html import page

URL = "/authorities/202/profile/"


@pytest.fixture
def bank(places):
    return progress_bank.build_bank(places)


def row_of(document, bank, code):
    return document.one("tr", id=f"indicator-{bank.indicators[code].id}")


def cells(row):
    return [cell.text for cell in row.find_all("td", class_="govuk-table__cell") if cell.find("svg") is None]


def group_headings(document):
    return [
        h.text
        for h in document.find_all("h2", class_="govuk-heading-l")
        if h.attrs.get("id", "").startswith("group-")
    ]


def section_rows(document):
    """The summary's table of sections: (label, link, indicators, strengths, concerns)."""
    rows = []
    for tr in document.one("table", id="section-table").find("tbody").find_all("tr"):
        link = tr.one("th").one("a")
        rows.append((link.text, link.attrs["href"], *(td.text for td in tr.find_all("td"))))
    return rows


def test_the_first_view_is_a_summary_with_every_theme_and_no_indicator_rows(client, bank):
    document = page(client.get(URL))
    assert document.one("h1").text == "Camden"
    assert section_rows(document) == [
        ("Early years", f"{URL}?section=early_years", "1", "0", "0"),
        ("Vulnerable children", f"{URL}?section=vulnerable_children", "2", "0", "1"),
        ("Schools and communities", f"{URL}?section=schools", "1", "1", "0"),
    ]
    assert document.find("table", class_="app-profile-table") is None
    assert document.find("svg", class_="app-sparkline") is None
    assert document.one("a", href=f"{URL}?section=all").text == "All 4 indicators on one page"


def test_each_theme_is_a_page_of_its_own(client, bank):
    document = page(client.get(URL, {"section": "vulnerable_children"}))
    assert document.one("h1").text == "Vulnerable children"
    table = document.one("table", class_="app-profile-table")
    names = [
        th.text for th in table.find("tbody").find_all("th", scope="row", class_="app-profile-table__name")
    ]
    assert [n.split(" 2025")[0] for n in names] == [
        "Children in Need rate per 10,000",
        "Percentage of re-referrals to children's social care within 12 months",
    ]
    # No summary, no Ofsted judgments on a theme's page: they stay on the first view.
    assert document.find("h3", id="strengths") is None
    assert document.find("h2", id="ofsted") is None
    navigation = document.one("nav", id="sections")
    current = navigation.one("a", **{"aria-current": "page"})
    assert current.text == "Vulnerable children"
    assert [a.attrs["href"] for a in navigation.find_all("a")] == [
        URL,
        f"{URL}?section=early_years",
        f"{URL}?section=vulnerable_children",
        f"{URL}?section=schools",
        f"{URL}?section=all",
    ]


def test_a_themes_page_links_to_the_previous_and_next_theme(client, bank):
    pagination = page(client.get(URL, {"section": "vulnerable_children"})).one(
        "nav", class_="govuk-pagination"
    )
    previous, following = pagination.one("a", rel="prev"), pagination.one("a", rel="next")
    assert previous.attrs["href"] == f"{URL}?section=early_years"
    assert previous.one("span", class_="govuk-pagination__link-label").text == "Early years"
    assert following.attrs["href"] == f"{URL}?section=schools"
    first = page(client.get(URL, {"section": "early_years"})).one("nav", class_="govuk-pagination")
    assert first.find("a", rel="prev") is None


def test_every_theme_on_one_page_for_printing(client, bank):
    document = page(client.get(URL, {"section": "all"}))
    assert group_headings(document) == ["Early years", "Vulnerable children", "Schools and communities"]
    tables = document.find_all("table", class_="app-profile-table")
    names = [
        [th.text for th in t.find("tbody").find_all("th", scope="row", class_="app-profile-table__name")]
        for t in tables
    ]
    assert [len(n) for n in names] == [1, 2, 1]
    assert names[0][0].startswith("Infant mortality")
    assert names[1][0].startswith("Children in Need rate per 10,000")
    assert names[1][1].startswith("Percentage of re-referrals")
    assert names[2][0].startswith("Key stage 2")
    # The summary and the latest Ofsted judgments are printed with it; links stay on the page.
    assert document.one("h3", id="strengths").text == "Strengths: 1"
    assert document.one("h2", id="ofsted") is not None
    strength = document.find_all("ul", class_="govuk-list--bullet")[0].one("a")
    assert strength.attrs["href"] == f"#indicator-{bank.indicators['KS2_RWM'].id}"


def test_it_groups_the_indicators_by_outcome_when_asked(client, bank):
    document = page(client.get(URL, {"group": "outcome"}))
    assert [row[:2] for row in section_rows(document)] == [
        ("Be healthy", f"{URL}?group=outcome&section=be_healthy"),
        ("Stay safe", f"{URL}?group=outcome&section=stay_safe"),
        ("Enjoy and achieve", f"{URL}?group=outcome&section=enjoy_achieve"),
    ]
    assert document.one("input", id="group-outcome").attrs.get("checked") is not None
    stay_safe = page(client.get(URL, {"group": "outcome", "section": "stay_safe"}))
    assert stay_safe.one("h1").text == "Stay safe"
    assert len(stay_safe.find_all("th", class_="app-profile-table__name")) == 2


def test_an_unknown_grouping_is_an_error_and_falls_back_to_themes(client, bank):
    document = page(client.get(URL, {"group": "colour"}))
    summary = document.one("div", class_="govuk-error-summary")
    assert summary.find("a", href="#group-theme") is not None
    assert section_rows(document)[0][0] == "Early years"


def test_an_unknown_theme_is_not_found_with_the_reason_and_the_list_to_choose_from(client, bank):
    response = client.get(URL, {"section": "colour"})
    assert response.status_code == 404
    document = page(response)
    error = document.one("div", class_="govuk-error-summary").one("a")
    assert error.attrs["href"] == "#sections"
    assert error.text == "There is no theme called 'colour': choose one from the list"
    assert [row[0] for row in section_rows(document)] == [
        "Early years",
        "Vulnerable children",
        "Schools and communities",
    ]


def test_changing_the_grouping_on_a_themes_page_shows_the_outcomes(client, bank):
    # The options form keeps the section it was sent from; a theme is no outcome.
    response = client.get(URL, {"section": "early_years", "group": "outcome"})
    assert response.status_code == 200
    document = page(response)
    assert document.one("div", id="notice").text.startswith(
        "Early years is a theme: the indicators are now grouped by"
    )
    assert section_rows(document)[0][0] == "Be healthy"
    assert document.find("div", class_="govuk-error-summary") is None


def test_the_options_form_keeps_the_theme_shown(client, bank):
    form = page(client.get(URL, {"section": "schools"})).one("form", method="get")
    hidden = form.one("input", type="hidden")
    assert (hidden.attrs["name"], hidden.attrs["value"]) == ("section", "schools")
    assert page(client.get(URL)).one("form", method="get").find("input", type="hidden") is None


def test_a_theme_without_figures_says_so(client, bank):
    response = client.get(URL, {"section": "youth"})
    assert response.status_code == 200
    document = page(response)
    assert document.one("h1").text == "Youth"
    assert "There are no indicator figures for Camden under Youth" in document.text


def test_strengths_and_concerns_follow_the_polarity(client, bank):
    document = page(client.get(URL))
    assert document.one("h3", id="strengths").text == "Strengths: 1"
    assert document.one("h3", id="concerns").text == "Concerns: 1"
    strength_link, concern_link = (ul.one("a") for ul in document.find_all("ul", class_="govuk-list--bullet"))
    assert strength_link.attrs["href"] == f"{URL}?section=schools#indicator-{bank.indicators['KS2_RWM'].id}"
    assert concern_link.attrs["href"] == (
        f"{URL}?section=vulnerable_children#indicator-{bank.indicators['ReReferral'].id}"
    )
    # Infant mortality: band A (lowest) but rising, so declining: neither a strength nor a concern.
    infant = row_of(page(client.get(URL, {"section": "early_years"})), bank, "InfMort")
    assert cells(infant)[3].startswith("A Rank 1 of")
    assert "Declining" in " ".join(cells(infant))


def test_a_long_theme_runs_over_numbered_parts_and_highlights_link_to_theirs(client, bank, monkeypatch):
    monkeypatch.setattr("slihub.indicators.profile_selectors.PART_ROWS", 1)
    concern = f"#indicator-{bank.indicators['ReReferral'].id}"
    summary = page(client.get(URL))
    concern_link = summary.find_all("ul", class_="govuk-list--bullet")[1].one("a")
    assert concern_link.attrs["href"] == f"{URL}?section=vulnerable_children&part=2{concern}"

    second = page(client.get(URL, {"section": "vulnerable_children", "part": "2"}))
    assert second.one("p", id="part-rows").text == "Indicators 2 to 2 of 2, by name: part 2 of 2."
    parts = second.one("nav", **{"aria-label": "Parts of this theme"})
    assert [(a.text, a.attrs["href"]) for a in parts.find_all("a")] == [
        ("1", f"{URL}?section=vulnerable_children"),
        ("2", f"{URL}?section=vulnerable_children&part=2"),
    ]
    assert parts.one("a", **{"aria-current": "page"}).text == "2"
    assert second.find("tr", id=concern[1:]) is not None
    assert second.find("tr", id=f"indicator-{bank.indicators['CIN'].id}") is None
    # A part past the last shows the last; a part that is not a number, the first.
    assert page(client.get(URL, {"section": "vulnerable_children", "part": "9"})).find("tr", id=concern[1:])
    first = page(client.get(URL, {"section": "vulnerable_children", "part": "two"}))
    assert first.find("tr", id=concern[1:]) is None
    # A theme that fits one page has no parts.
    assert page(client.get(URL, {"section": "early_years"})).find("p", id="part-rows") is None


def test_links_between_the_pages_keep_the_options_chosen(client, bank):
    document = page(client.get(URL, {"model": "2021", "compare": ["206"], "group": "outcome"}))
    options = "group=outcome&model=2021&compare=206"
    assert section_rows(document)[0][1] == f"{URL}?{options}&section=be_healthy"
    concern = document.find_all("ul", class_="govuk-list--bullet")[1].one("a")
    assert concern.attrs["href"].startswith(f"{URL}?{options}&section=stay_safe#indicator-")
    section = page(
        client.get(URL, {"model": "2021", "compare": ["206"], "group": "outcome", "section": "stay_safe"})
    )
    assert section.one("nav", id="sections").find("a").attrs["href"] == f"{URL}?{options}"


def test_the_latest_row_shows_value_band_rank_change_and_trend(client, bank):
    document = page(client.get(URL, {"section": "vulnerable_children"}))
    rereferral = cells(row_of(document, bank, "ReReferral"))
    # Camden, neighbours (2025: Islington 12, Bradford 16, Leeds 14), England (published), band and
    # rank, trend and change (since the period before): few columns, so that the table fits.
    assert rereferral[0] == "30.0"
    assert rereferral[1] == "14.0"
    assert rereferral[2] == "22.4"
    assert rereferral[3] == "D Rank 6 of 6"
    assert re.fullmatch(r"Declining( 5 periods: \w+)? Change since \S+: \+5\.0", rereferral[4])
    # The region (the mean of Camden and Islington: no published figure) is on the indicator's page.
    link = (
        row_of(document, bank, "ReReferral")
        .one("th", class_="app-profile-table__name")
        .one("a")
        .attrs["href"]
    )
    assert (
        "not published: mean of the region&#x27;s authorities&#x27; values"
        in client.get(link).content.decode()
    )


def test_a_suppressed_latest_value_shows_its_marker_never_zero(client, bank):
    document = page(client.get(URL, {"section": "vulnerable_children"}))
    cin = row_of(document, bank, "CIN")
    value_cell = cin.find_all("td")[0]
    assert value_cell.one("abbr").text == "c"
    assert value_cell.one("abbr").attrs["title"] == "suppressed to protect confidentiality"
    assert (
        "suppressed to protect confidentiality" in value_cell.one("span", class_="govuk-visually-hidden").text
    )
    assert "0" not in value_cell.text
    # The chart has a gap for it and says so; its table shows the marker.
    svg = cin.one("svg")
    assert "2025: c (suppressed to protect confidentiality)" in svg.one("desc").text
    series = [(tr.one("th").text, tr.one("td").text) for tr in cin.one("table").find("tbody").find_all("tr")]
    assert series[-1] == ("2025", "c (suppressed to protect confidentiality)")
    assert series[0] == ("2022", "300")


def indicator_rows(document):
    rows = document.find_all("tr", class_="govuk-table__row")
    return [r for r in rows if r.attrs.get("id", "").startswith("indicator-")]


def test_every_chart_has_its_table_and_parses_as_svg(client, bank):
    sections = ["early_years", "vulnerable_children", "schools"]
    rows = [row for s in sections for row in indicator_rows(page(client.get(URL, {"section": s})))]
    assert len(rows) == 4
    for row in rows:
        svg = row.one("svg")
        assert svg.attrs["role"] == "img"
        assert svg.one("title").text
        assert row.one("details").one("table")
    response = client.get(URL, {"section": "schools"})
    text = response.content.decode()
    start = text.index("<svg", text.index(f'id="indicator-{bank.indicators["KS2_RWM"].id}"'))
    element = ET.fromstring(text[start : text.index("</svg>", start) + len("</svg>")])
    assert element.tag == "{http://www.w3.org/2000/svg}svg"


def test_every_indicator_on_one_page_has_its_figures_but_not_the_small_charts(client, bank):
    document = page(client.get(URL, {"section": "all"}))
    rows = indicator_rows(document)
    assert len(rows) == 4
    for row in rows:
        assert row.find("svg") is None
        assert row.one("details").one("table", class_="app-series__table")
    assert "its chart is on its theme's page" in document.text


def test_neighbours_follow_the_2025_model_by_default_and_2021_when_asked(client, bank):
    # KS2 2025. May 2025 model: Islington 51, Bradford 52, Leeds 56 -> 53.0.
    # April 2021 model: Leeds 56, Islington 51 -> 53.5.
    schools = {"section": "schools"}
    assert cells(row_of(page(client.get(URL, schools)), bank, "KS2_RWM"))[1] == "53.0"
    assert cells(row_of(page(client.get(URL, {**schools, "model": "2021"})), bank, "KS2_RWM"))[1] == "53.5"


def test_a_comparator_group_adds_its_average(client, bank):
    response = client.get(URL, {"compare": ["815", "942", "202"], "section": "all"})
    document = page(response)
    headers = [
        th.text for th in document.find("table", class_="app-profile-table").find("thead").find_all("th")
    ]
    assert "Your group's average" in headers
    # KS2 2025: North Yorkshire 58, Cumberland 54 -> 56.0 (Camden itself is never in its own group).
    ks2 = cells(row_of(document, bank, "KS2_RWM"))
    assert ks2[2].startswith("56.0")
    assert "mean of 2 authorities" in ks2[2]
    # CIN: Camden's latest period is 2025 -> North Yorkshire 250, Cumberland 280.
    assert cells(row_of(document, bank, "CIN"))[2].startswith("265")
    assert document.one("input", id="compare-815").attrs.get("checked") is not None
    assert document.find("input", id="compare-202") is None
    compare_link = document.find("a", href="/compare/?la=202&la=815&la=942")
    assert compare_link is not None


def test_unknown_and_former_comparators_are_errors(client, bank):
    document = page(client.get(URL, {"compare": ["XYZ", "909", "206"], "section": "schools"}))
    messages = [a.text for a in document.one("div", class_="govuk-error-summary").find_all("a")]
    assert messages[0].startswith("No authority has the code 'XYZ'")
    assert messages[1].startswith("Cumbria (909) is a former authority")
    assert all(
        a.attrs["href"] == "#comparator-group"
        for a in document.one("div", class_="govuk-error-summary").find_all("a")
    )
    assert document.one("details", id="comparator-group").attrs.get("open") is not None
    assert "Your group's average" in document.text


def test_it_shows_the_latest_ofsted_judgments(client, bank, places):
    Inspection.objects.create(
        authority=places.camden,
        kind="standard",
        start_date=date(2024, 6, 10),
        published_on=date(2024, 7, 20),
        overall_effectiveness="Outstanding",
        impact_of_leaders="Outstanding",
        help_and_protection="Good",
        children_in_care="Outstanding",
        care_leavers="Good",
        sources=["derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv"],
    )
    document = page(client.get(URL))
    judgments = document.one("dl", id="latest-judgments")
    assert "Outstanding" in judgments.text
    assert "Help and protection" in judgments.text or "help and protection" in judgments.text.lower()


def test_it_says_so_when_there_are_no_figures(client, places):
    document = page(client.get("/authorities/909/profile/"))
    assert "no indicator figures for Cumbria" in document.text
    assert "current authorities only" in document.text


def test_an_unknown_authority_is_not_found(client, places):
    assert client.get("/authorities/999/profile/").status_code == 404


def test_the_authority_page_links_to_the_profile(client, bank):
    document = page(client.get("/authorities/202/"))
    assert document.find("a", href=URL) is not None


def test_names_link_to_the_authoritys_page_of_the_indicator(client, bank):
    document = page(client.get(URL, {"section": "schools"}))
    ks2 = row_of(document, bank, "KS2_RWM")
    link = ks2.one("th", class_="app-profile-table__name").one("a").attrs["href"]
    assert link == "/authorities/202/indicators/ks2-rwm/"


def test_the_query_count_does_not_grow_with_the_indicators(client, bank, places):
    everything = {"compare": ["206", "383"], "section": "all"}
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, everything).status_code == 200
    for number in range(8):
        indicator = progress_bank.make_indicator(
            f"Extra{number}", f"Extra indicator {number}", "high", "youth", "stay_safe", 1
        )
        progress_bank.add_values(
            indicator,
            bank.periods,
            places,
            {code: [float(number + i), 2.0, 3.0, 4.0] for i, code in enumerate(["202", "206", "383"])},
        )
    compute_comparisons()
    with CaptureQueriesContext(connection) as many:
        document = page(client.get(URL, everything))
    assert len(document.find_all("table", class_="app-series__table")) == 12
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as summary:
        client.get(URL, {"compare": ["206", "383"]})
    assert len(summary) < len(few)  # the comparators' figures are read only for rows shown


def test_the_profile_reads_in_a_bounded_number_of_queries(client, bank, django_assert_max_num_queries):
    # authority, comparisons, indicators, comparators, their values, the authorities for the form,
    # the latest inspection
    options = {"compare": ["206", "383"], "group": "outcome", "model": "2021"}
    with django_assert_max_num_queries(7):
        client.get(URL, options)
    with django_assert_max_num_queries(6):  # no inspection on a theme's page
        client.get(URL, {**options, "section": "stay_safe"})


def test_strengths_and_concerns_say_the_figure_against_its_comparator(client, bank):
    document = page(client.get(URL))
    concern = document.find_all("ul", class_="govuk-list--bullet")[1].one("li").text
    assert "30.0 in" in concern
    assert "against the statistical neighbours' average of 14.0" in concern
    assert concern.endswith("higher (lower is better).")

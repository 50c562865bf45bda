"""The compare page: authorities side by side for chosen or headline indicators, and bad input."""

import pytest

from slihub.indicators.profile_selectors import MAX_COMPARE
from tests import factories
from tests.integration import progress_bank
from tests.integration.html import page

URL = "/compare/"


@pytest.fixture
def bank(places):
    return progress_bank.build_bank(places)


def comparison(document):
    table = document.one("table", id="comparison")
    header = [th.text for th in table.find("thead").find_all("th")]
    rows = {
        tr.attrs["id"]: [td.text for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")
    }
    return header, rows


def error_links(document):
    summary = document.one("div", class_="govuk-error-summary")
    return [(a.attrs["href"], a.text) for a in summary.find_all("a")]


def test_it_shows_the_headline_indicators_by_default(client, bank):
    document = page(client.get(URL, {"la": ["202", "206", "383"]}))
    header, rows = comparison(document)
    assert header == ["Indicator", "Camden", "Islington", "Leeds", "England"]
    # Of the headline list the bank holds CIN and ReReferral, in the headline order.
    ids = [bank.indicators[code].id for code in ("CIN", "ReReferral")]
    assert list(rows) == [f"indicator-{i}" for i in ids]
    assert "The headline indicators of children's services." in document.text


def test_each_cell_has_value_band_and_trend_and_england_is_given(client, bank):
    document = page(client.get(URL, {"la": ["202", "206"], "indicator": ["ReReferral"]}))
    _, rows = comparison(document)
    camden, islington, england = rows[f"indicator-{bank.indicators['ReReferral'].id}"]
    assert camden == "30.0 Band D, rank 6 of 6. Declining."
    assert islington == "12.0 Band A, rank 2 of 6. Stable."
    assert england == "22.4"


def test_a_suppressed_figure_shows_its_marker(client, bank):
    document = page(client.get(URL, {"la": ["202", "206"], "indicator": ["CIN"]}))
    _, rows = comparison(document)
    camden, islington, _ = rows[f"indicator-{bank.indicators['CIN'].id}"]
    assert camden == "c (suppressed to protect confidentiality) No band. No trend."
    assert "0" not in camden
    assert islington.startswith("430")
    # England: no published figure, so the mean of the authorities' figures (marked as such).
    assert "Not published" in rows[f"indicator-{bank.indicators['CIN'].id}"][2]


def test_indicators_can_be_named_by_id_slug_or_code(client, bank):
    ks2, infant, cin = (bank.indicators[c] for c in ("KS2_RWM", "InfMort", "CIN"))
    document = page(client.get(URL, {"la": "202", "indicator": [str(ks2.id), infant.slug, cin.code]}))
    _, rows = comparison(document)
    assert list(rows) == [f"indicator-{i.id}" for i in (ks2, infant, cin)]
    assert "The indicators you chose." in document.text


def test_remove_links_drop_one_authority_or_indicator(client, bank):
    ks2, infant = bank.indicators["KS2_RWM"], bank.indicators["InfMort"]
    document = page(client.get(URL, {"la": ["202", "206"], "indicator": [ks2.code, infant.code]}))
    hrefs = {a.attrs["href"] for a in document.find_all("a") if a.text.startswith("Remove")}
    assert f"?la=206&indicator={ks2.id}&indicator={infant.id}" in hrefs
    assert f"?la=202&la=206&indicator={infant.id}" in hrefs
    # The form keeps the choices, so adding one keeps the rest.
    hidden = [(i.attrs["name"], i.attrs["value"]) for i in document.find_all("input", type="hidden")]
    assert hidden == [("la", "202"), ("la", "206"), ("indicator", str(ks2.id)), ("indicator", str(infant.id))]


def test_unknown_codes_get_an_error_summary(client, bank):
    response = client.get(URL, {"la": ["202", "ZZZ"], "indicator": ["no-such-thing", "KS2_RWM"]})
    assert response.status_code == 200
    document = page(response)
    links = error_links(document)
    assert links[0][0] == "#add-la" and "No authority has the code 'ZZZ'" in links[0][1]
    assert links[1][0] == "#add-indicator" and "'no-such-thing'" in links[1][1]
    assert document.one("select", id="add-la").attrs["class"].endswith("govuk-select--error")
    assert document.find("title").text.startswith("Error:")
    # What was valid is still compared.
    header, rows = comparison(document)
    assert header == ["Indicator", "Camden", "England"]
    assert list(rows) == [f"indicator-{bank.indicators['KS2_RWM'].id}"]


def test_a_former_authority_is_an_error(client, bank):
    links = error_links(page(client.get(URL, {"la": ["909", "202"]})))
    assert links == [("#add-la", "Cumbria (909) is a former authority: choose a current one")]


def test_at_most_ten_authorities(client, bank, places):
    extra = [
        factories.authority(f"{900 + n}", f"E0600090{n}", f"Extra {n}", "UA", places.north_west)
        for n in range(6)
    ]
    codes = ["202", "206", "383", "380", "815", "942"] + [a.code for a in extra]
    document = page(client.get(URL, {"la": codes}))
    assert error_links(document) == [
        ("#add-la", f"Choose up to {MAX_COMPARE} authorities: only the first 10 are shown")
    ]
    header, _ = comparison(document)
    assert len(header) == 1 + MAX_COMPARE + 1
    assert document.one("select", id="add-la").attrs.get("disabled") is not None


def test_onscodes_duplicates_and_nul_characters_are_handled(client, bank):
    # A value with a control character (a NUL) is left out, as the page leaves out any it cannot use.
    document = page(client.get(URL, {"la": ["E09000007", "202", "2\x0006", "206"], "indicator": ["CIN\x00"]}))
    header, _ = comparison(document)
    assert header == ["Indicator", "Camden", "Islington", "England"]


def test_with_no_authority_it_invites_a_choice(client, bank):
    document = page(client.get(URL))
    assert document.find("table", id="comparison") is None
    assert "Add an authority to start." in document.text


def test_the_page_reads_in_a_bounded_number_of_queries(client, bank, django_assert_max_num_queries):
    # authorities, indicators, comparisons, the form's indicators and authorities
    with django_assert_max_num_queries(5):
        client.get(
            URL, {"la": ["202", "206", "383", "380", "815"], "indicator": ["KS2_RWM", "CIN", "InfMort"]}
        )


def test_compare_is_in_the_service_navigation(client, bank):
    document = page(client.get("/"))
    assert document.find("a", href=URL) is not None

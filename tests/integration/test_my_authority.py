"""The progress map's 'my authority' (a signed-in council user's own, or ?la=), its table's filter to a
region or to the chosen authority's statistical neighbours, the skip link past the map, and one meaning
of band, change and trend on the map, its downloads and the authority's page.

On indicator_fixtures' small bank (Camden's neighbours: Islington, Bradford, Leeds), plus an indicator
with three periods where Camden's change and 3-period trend point different ways."""

import csv
import io

import pytest
from openpyxl import load_workbook

from slihub.indicators.models import Comparison, Indicator, Period, Value
from slihub.indicators.services import compute_comparisons
from slihub.places.page_cache import HEADER
from tests.integration.conftest import PERSONAS
from tests.integration.html import page, table_rows
from tests.integration.indicator_fixtures import build_bank

# Camden rises then falls a little: the change from 2023 is down, the 3-period trend up (improving).
TURNS = {
    "2022": {"202": 10.0, "206": 30.0},
    "2023": {"202": 20.0, "206": 31.0},
    "2024": {"202": 18.0, "206": 32.0},
}


@pytest.fixture
def bank(places):
    built = build_bank(places)
    turns = Indicator.objects.create(
        code="turns", slug="turns", source="lait", name="Turning series", polarity="high", unit="%",
        decimal_places=1,
    )  # fmt: skip
    p2022 = Period.objects.create(label="2022", kind="year", start_year=2022, end_year=2022, sort_key=202200)
    periods = {"2022": p2022, "2023": built["2023"], "2024": built["2024"]}
    by_code = {a.code: a for a in [places.camden, places.islington]}
    Value.objects.bulk_create(
        Value(indicator=turns, period=periods[label], area_type="la", authority=by_code[code], value=value)
        for label, cells in TURNS.items()
        for code, value in cells.items()
    )
    compute_comparisons(indicator_ids={turns.id})
    return built | {"turns": turns}


def map_rows(response) -> dict[str, list[str]]:
    return {row[0]: row for row in table_rows(page(response).one("div", id="table").one("table"))}


def chosen_areas(response) -> list[str]:
    svg = page(response).one("svg", class_="app-map")
    # Once each: an area in London's inset has a hidden copy in the main frame too.
    return sorted({p.find("title").text for p in svg.find_all("path", class_="app-map__area--highlight")})


# ------------------------------------------------------------------ my authority


def test_a_council_user_sees_their_authority_outlined_marked_and_named(as_persona, bank):
    response = as_persona("camden_analyst").get(bank["rate"].get_absolute_url())
    document = page(response)
    assert chosen_areas(response) == ["Your authority, Camden: 62.0 (Rate per 10,000), A: best quarter"]
    svg = document.one("svg", class_="app-map")
    assert svg.find("g", class_="app-map__marker")  # a ring, not colour alone
    assert "Your authority, Camden, is outlined in black" in svg.find("desc").text
    rows = map_rows(response)
    assert rows["Your authority Camden"][2] == "62.0"  # the row says so in words
    assert sum("Your authority" in name for name in rows) == 1
    assert document.one("tr", id="chosen-row")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_the_map_and_only_council_users_a_highlight(as_persona, bank, persona):
    response = as_persona(persona).get(bank["rate"].get_absolute_url())
    assert response.status_code == 200
    own = {"camden_analyst": "Camden", "camden_chief_executive": "Camden", "leeds_admin": "Leeds"}
    expected = [f"Your authority, {own[persona]}"] if persona in own else []
    assert [title.split(":")[0] for title in chosen_areas(response)] == expected


def test_anyone_can_choose_an_authority_by_its_code(client, bank):
    response = client.get(bank["rate"].get_absolute_url(), {"la": "383"})
    assert [t.split(":")[0] for t in chosen_areas(response)] == ["Chosen authority, Leeds"]
    assert "Chosen authority Leeds" in map_rows(response)


def test_a_signed_in_user_may_choose_another_authority(as_persona, bank):
    response = as_persona("camden_analyst").get(bank["rate"].get_absolute_url(), {"la": "383"})
    assert [t.split(":")[0] for t in chosen_areas(response)] == ["Chosen authority, Leeds"]


def test_an_unknown_authority_shows_an_error_summary_and_the_whole_table(client, bank):
    response = client.get(bank["rate"].get_absolute_url(), {"la": "999", "show": "neighbours"})
    document = page(response)
    assert response.status_code == 200
    summary = document.one("div", class_="govuk-error-summary")
    assert summary.find("a", href="#id_la").text == "Choose an authority from the list"
    assert len(map_rows(response)) == 6 and chosen_areas(response) == []


def test_neighbours_need_an_authority(client, bank):
    document = page(client.get(bank["rate"].get_absolute_url(), {"show": "neighbours"}))
    assert (
        "Choose an authority to show its statistical neighbours"
        in document.one("div", class_="govuk-error-summary").text
    )


@pytest.mark.parametrize("bad", ["\x00", "E12000007\x00", "x" * 5000, "<script>"])
def test_bad_parameters_never_fail(client, bank, bad):
    for name in ("la", "show"):
        assert client.get(bank["rate"].get_absolute_url(), {name: bad}).status_code == 200


# ------------------------------------------------------------------ the table's filter


def test_the_table_filters_to_the_chosen_authoritys_neighbours(client, bank):
    response = client.get(bank["rate"].get_absolute_url(), {"la": "202", "show": "neighbours"})
    assert set(map_rows(response)) == {"Chosen authority Camden", "Islington", "Bradford", "Leeds"}
    caption = page(response).one("div", id="table").one("caption").text
    assert caption.startswith("4 of 6 authorities (Camden and its statistical neighbours), 2024")
    # The map still shows every authority; the sort links keep the choice.
    assert len(page(response).one("svg", class_="app-map").find_all("a", class_="app-map__link")) == 6
    hrefs = [a.attrs["href"] for a in page(response).one("div", id="table").one("thead").find_all("a")]
    assert all("la=202" in href and "show=neighbours" in href for href in hrefs)


def test_a_signed_in_users_neighbours_need_no_code(as_persona, bank):
    response = as_persona("leeds_admin").get(bank["rate"].get_absolute_url(), {"show": "neighbours"})
    assert set(map_rows(response)) == {"Your authority Leeds", "Bradford", "North Yorkshire", "Camden"}


def test_the_table_filters_to_a_region(client, bank, places):
    response = client.get(bank["rate"].get_absolute_url(), {"show": places.london.code})
    assert set(map_rows(response)) == {"Camden", "Islington"}
    assert "(authorities in London)" in page(response).one("div", id="table").one("caption").text


# ------------------------------------------------------------------ the page cache


def test_a_signed_out_visitor_never_gets_a_signed_in_users_highlight(client, bank, people, page_cache):
    path = bank["rate"].get_absolute_url()
    client.force_login(people["camden_analyst"])
    signed_in = client.get(path)
    assert chosen_areas(signed_in) and HEADER not in signed_in  # never from or into the cache
    client.logout()
    client.cookies.clear()
    public = client.get(path)
    assert public[HEADER] == "miss" and chosen_areas(public) == []
    assert "Your authority" not in public.content.decode()
    again = client.get(path)
    assert again[HEADER] == "hit" and chosen_areas(again) == []


def test_made_up_codes_do_not_fill_the_page_cache(client, bank, page_cache):
    for code in ["999", "x" * 300]:
        response = client.get(bank["rate"].get_absolute_url(), {"la": code})
        assert response.status_code == 200 and HEADER not in response  # rendered, not stored


def test_a_chosen_authority_is_part_of_the_cached_pages_address(client, bank, page_cache):
    path = bank["rate"].get_absolute_url()
    chosen = client.get(path, {"la": "202"})
    assert chosen[HEADER] == "miss" and chosen_areas(chosen)
    plain = client.get(path)
    assert plain[HEADER] == "miss" and chosen_areas(plain) == []
    assert client.get(path, {"la": "202"})[HEADER] == "hit"


# ------------------------------------------------------------------ skipping the map


def test_a_link_before_the_map_skips_to_the_table(client, bank):
    html = client.get(bank["rate"].get_absolute_url()).content.decode()
    skip = html.index('id="skip-map"')
    assert 'href="#authorities"' in html[skip - 80 : skip + 80]
    assert skip < html.index('class="app-map"') < html.index('id="authorities" tabindex="-1"')


# ------------------------------------------------------------------ one meaning of band, change and trend


def authority_page_says(client, indicator, code="202") -> dict[str, str]:
    document = page(client.get(f"/authorities/{code}/indicators/{indicator.slug}/"))
    summary = document.one("dl", id="summary")
    return dict(
        zip(
            [dt.text for dt in summary.find_all("dt")],
            [dd.text for dd in summary.find_all("dd")],
            strict=True,
        )
    )


def csv_rows(client, indicator) -> dict[str, dict]:
    response = client.get(f"/indicators/{indicator.slug}/table.csv")
    return {row["la_name"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def xlsx_rows(client, indicator) -> dict[str, dict]:
    response = client.get(f"/indicators/{indicator.slug}/table.xlsx")
    sheet = list(
        load_workbook(io.BytesIO(response.content), read_only=True)["Authorities"].iter_rows(values_only=True)
    )
    return {row[2]: dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]}


def test_an_indicator_without_polarity_has_no_band_anywhere(client, bank):
    share = bank["share"]
    row = map_rows(client.get(share.get_absolute_url()))["Camden"]
    assert row[4] == "No band"
    download, excel = csv_rows(client, share)["Camden"], xlsx_rows(client, share)["Camden"]
    assert (download["band"], download["band_meaning"]) == ("", "No band")
    assert excel["band"] in ("", None) and excel["band_meaning"] == "No band"
    assert authority_page_says(client, share)["Band"] == (
        "No band: higher is neither better nor worse for this indicator."
    )
    assert Comparison.objects.get(indicator=share, authority__code="202").quartile == ""
    profile = page(client.get("/authorities/202/profile/", {"section": "early_years"}))
    row = next(tr for tr in profile.find_all("tr") if share.name in tr.text)
    assert row.find_all("td")[3].text.startswith("No band")  # Band and rank: as on the map


def test_change_and_trend_that_differ_in_sign_say_the_same_everywhere_with_their_periods(client, bank):
    turns = bank["turns"]
    response = client.get(turns.get_absolute_url())
    headers = [th.text for th in page(response).one("div", id="table").one("thead").find_all("th")]
    assert (
        "Change since 2023 (select to sort)" in headers and "Trend 2022 to 2024 (select to sort)" in headers
    )
    row = map_rows(response)["Camden"]
    assert row[6] == "-2.0 points" and row[7].endswith("Improving")  # down one step, up over three
    assert (
        "Change: from 2023 to 2024. Trend: over the three periods 2022, 2023 and 2024." in page(response).text
    )
    download = csv_rows(client, turns)["Camden"]
    assert float(download["change"]) == -2.0 and download["change_since"] == "2023"
    assert download["trend_3_periods"] == "improving"
    assert download["trend_3_periods_covered"] == "2022, 2023, 2024"
    excel = xlsx_rows(client, turns)["Camden"]
    assert excel["change"] == -2.0 and excel["trend_3_periods"] == "improving"
    said = authority_page_says(client, turns)
    assert said["Change"] == "Down 2.0 points from 2023 to 2024, which is worse."
    assert said["Trend over 3 periods"] == "Improving over the 3 periods 2022, 2023 and 2024."
    assert said["Band"].startswith("Band ") and row[4].startswith(said["Band"][5])  # the same letter


# ------------------------------------------------------------------ the authority's page of an indicator


def test_the_authority_page_marks_a_council_users_own_among_the_neighbours(as_persona, bank, page_cache):
    leeds_page = f"/authorities/383/indicators/{bank['rate'].slug}/"
    client = as_persona("camden_analyst")
    table = page(client.get(leeds_page)).one("table", id="neighbour-table")
    marked = [row.find("th").text for row in table.find_all("tr") if "Your authority" in row.text]
    assert marked == ["Camden Your authority"]
    client.logout()
    client.cookies.clear()
    public = client.get(leeds_page)
    assert "Your authority" not in public.content.decode()
    assert public[HEADER] == "miss" and "Your authority" not in client.get(leeds_page).content.decode()


def test_the_authority_page_links_to_the_map_with_the_authority_chosen(client, bank):
    document = page(client.get(f"/authorities/202/indicators/{bank['rate'].slug}/"))
    link = document.find("a", href=f"{bank['rate'].get_absolute_url()}?la=202")
    assert link.text == "Every authority on the map, Camden highlighted"

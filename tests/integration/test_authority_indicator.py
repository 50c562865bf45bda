"""An authority's page of one indicator (/authorities/<code>/indicators/<slug>/), on the small bank of
indicator_fixtures: Camden's adoption rate beside its neighbours (Islington, Bradford, Leeds), London
and England; Islington's 2024 figure is suppressed ('c')."""

import csv
import io

import pytest

from slihub.indicators.models import Comparison
from tests.integration.conftest import PERSONAS
from tests.integration.html import page
from tests.integration.indicator_fixtures import build_bank


@pytest.fixture
def bank(places):
    return build_bank(places)


def url(code, indicator, suffix=""):
    return f"/authorities/{code}/indicators/{indicator.slug}/{suffix}"


def table_rows(table) -> list[list[str]]:
    """Each body row's header cell, then its data cells."""
    return [
        [cell.text for cell in row.find_all("th") + row.find_all("td")] for row in table.find_all("tr")[1:]
    ]


def statements(document) -> dict[str, str]:
    summary = document.one("dl", id="summary")
    keys = [dt.text for dt in summary.find_all("dt")]
    return dict(zip(keys, [dd.text for dd in summary.find_all("dd")], strict=True))


def test_camdens_page_says_its_figures_in_words_with_the_periods_they_cover(client, bank):
    document = page(client.get(url("202", bank["rate"])))
    assert document.one("h1").text == "Children adopted from care, rate"
    assert document.one("span", class_="govuk-caption-l").text == "Camden"
    said = statements(document)
    assert said["Latest figure"] == "62.0 in 2024."
    assert (
        said["Rank"] == "1 of 4 authorities with a figure in 2024 (1 is the highest, and higher is better)."
    )
    assert said["Band"].startswith("Band A: the best quarter of authorities in 2024")
    assert said["Change"] == "Up 2.0 from 2023 to 2024, which is better."
    assert said["Trend over 3 periods"] == "Not enough periods for a trend over 3 periods: only 2 published."
    # The definition and source, and the download.
    assert "Children adopted during the year per 10,000 looked after." in document.text
    assert "DfE, Children looked after in England" in document.text
    assert document.find("a", href=url("202", bank["rate"], "table.csv"))


def test_the_time_series_and_the_neighbours_charts_have_tables_and_text_alternatives(client, bank):
    document = page(client.get(url("202", bank["rate"])))
    charts = document.find_all("svg", role="img")
    assert len(charts) == 2
    for chart in charts:
        labelled = chart.attrs["aria-labelledby"].split()
        assert [chart.find(id=i).tag for i in labelled] == ["title", "desc"]
    over_time, beside = charts
    assert "against its statistical neighbours' average, London and England, 2023 to 2024" in (
        over_time.find("title").text
    )
    texts = {t.text for t in over_time.find_all("text")}
    assert {"Camden", "Statistical neighbours' average", "London", "England", "Period"} <= texts
    assert "Rate per 10,000" in texts  # the y axis names the unit
    assert "\u25b6 Camden" in {t.text for t in beside.find_all("text")}  # marked, not by colour alone

    series = {row[0]: row for row in table_rows(document.one("div", id="series").one("table"))}
    assert series["2023"][1:5] == ["60.0", series["2023"][2], "58.5", "48.0"]
    assert series["2024"][1] == "62.0" and series["2024"][5] == "1 of 4" and series["2024"][6] == "A"
    neighbours = {row[0]: row[1] for row in table_rows(document.one("table", id="neighbour-table"))}
    assert neighbours["Camden This authority"] == "62.0"
    assert neighbours["Islington"].startswith("c")
    assert neighbours["London"] == "58.5" and neighbours["England"] == "48.0"
    assert set(neighbours) == {"Camden This authority", "Islington", "Bradford", "Leeds", "London", "England"}


def test_a_suppressed_figure_is_a_gap_named_in_the_table_and_the_caption(client, bank):
    document = page(client.get(url("206", bank["rate"])))
    series = {row[0]: row[1] for row in table_rows(document.one("div", id="series").one("table"))}
    assert series["2023"] == "55.0"
    assert series["2024"].startswith("c")  # the publisher's marker, never zero
    assert document.find("abbr", title="suppressed to protect confidentiality")
    caption = document.find_all("figcaption")[0].text
    assert "2024 (c: suppressed to protect confidentiality)" in caption
    over_time = document.find_all("svg", role="img")[0]
    # One point (2023) for Islington and no line through 2024; its marker written on the axis.
    blue = [e for e in over_time.iter() if e.attrs.get("stroke") == "#1d70b8" and e.tag == "polyline"]
    assert blue == []
    assert "c" in {t.text for t in over_time.find_all("text")}
    assert statements(document)["Latest figure"] == "c (suppressed to protect confidentiality) in 2024."


def test_the_page_reads_the_derived_figures_in_a_few_queries(client, bank, django_assert_num_queries):
    # The authority, the indicator, its periods, the authority's comparisons, its neighbours and
    # their comparisons in the latest period.
    with django_assert_num_queries(6):
        response = client.get(url("202", bank["rate"]))
    assert response.status_code == 200


def test_unknown_authorities_and_indicators_are_not_found(client, bank):
    assert client.get(url("999", bank["rate"])).status_code == 404
    assert client.get("/authorities/202/indicators/no-such-indicator/").status_code == 404
    assert client.get("/authorities/202/indicators/no-such-indicator/table.csv").status_code == 404


def test_a_former_authority_has_a_page_without_figures(client, bank):
    response = client.get(url("909", bank["rate"]))  # Cumbria: comparisons cover current authorities
    assert response.status_code == 200
    assert "has no published figure" in response.content.decode()
    assert client.get(url("909", bank["rate"], "table.csv")).status_code == 404


def test_the_csv_has_a_row_per_period_at_full_precision(client, bank):
    response = client.get(url("202", bank["rate"], "table.csv"))
    assert response["Content-Disposition"] == f'attachment; filename="202_{bank["rate"].slug}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["time_period"] for r in rows] == ["2023", "2024"]
    assert rows[1]["value"] == "62" and rows[1]["england_value"] == "48.0" and rows[1]["rank"] == "1"
    assert rows[1]["change"] == "2.0" and rows[1]["band"] == "A"
    islington = list(
        csv.DictReader(io.StringIO(client.get(url("206", bank["rate"], "table.csv")).content.decode()))
    )
    assert islington[1]["value"] == "c"


def test_the_map_and_the_profile_lead_to_the_authoritys_page(client, bank):
    target = url("202", bank["rate"])
    document = page(client.get(bank["rate"].get_absolute_url()))
    area = [a for a in document.find_all("a", class_="app-map__link") if a.attrs["href"] == target]
    assert len(area) == 1 and area[0].attrs["aria-label"].startswith("Camden:")
    assert document.one("div", id="table").find("a", href=target)
    theme = page(client.get("/authorities/202/profile/?section=vulnerable_children"))
    assert theme.find("a", href=target)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_the_published_page(as_persona, bank, persona):
    assert as_persona(persona).get(url("202", bank["rate"])).status_code == 200


def test_comparisons_are_not_recomputed_per_request(client, bank, monkeypatch):
    from slihub.indicators import services

    monkeypatch.setattr(services, "compute_comparisons", lambda **_: pytest.fail("recomputed"))
    assert Comparison.objects.filter(indicator=bank["rate"]).exists()
    assert client.get(url("383", bank["rate"])).status_code == 200


def test_the_profile_opens_with_the_headline_set_by_framework_outcome(client, bank, monkeypatch):
    from slihub.indicators import headline
    from slihub.indicators.classification import FrameworkArea

    monkeypatch.setattr(
        headline,
        "HEADLINE",
        (
            headline.Headline(FrameworkArea.STABLE_HOMES, "not-loaded", "a LAIT series", bank["rate"].slug),
            headline.Headline(FrameworkArea.WORKFORCE, "no-such-indicator", "not in this bank"),
        ),
    )
    document = page(client.get("/authorities/202/profile/"))
    headings = [h.text for h in document.find_all("h2")]
    assert headings.index("Headline indicators") < headings.index("Strengths and concerns")
    section = document.one("h3", id="headline-stable-homes")
    assert section.text == "Children in care and care leavers have stable, loving homes"
    assert document.find("h3", id="headline-workforce") is None  # no figure: no empty group
    rows = document.find_all("table", class_="app-headline-table")
    assert len(rows) == 1
    [row] = table_rows(rows[0])
    assert row[0].startswith("Children adopted from care, rate 2024")
    assert row[1:] == ["62.0", row[2], "48.0", "A", "Not enough data"]
    assert rows[0].find("a").attrs["href"] == url("202", bank["rate"])
    # A theme's page has no headline section.
    assert (
        "Headline indicators" not in client.get("/authorities/202/profile/?section=schools").content.decode()
    )


def test_an_indicator_addressed_by_its_number_and_odd_codes(client, bank):
    assert client.get(f"/authorities/202/indicators/{bank['rate'].id}/").status_code == 200
    assert (
        client.get(f"/authorities/E09000007/indicators/{bank['rate'].slug}/").status_code == 200
    )  # ONS code
    assert client.get(f"/authorities/2%0002/indicators/{bank['rate'].slug}/").status_code == 404
    assert client.head(url("202", bank["rate"])).status_code == 200


def test_visitors_get_the_cached_page_until_its_indicator_changes(client, bank, page_cache):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from slihub.places import releases
    from slihub.places.page_cache import HEADER

    path = url("202", bank["rate"])
    first = client.get(path)
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert second[HEADER] == "hit" and len(queries) == 0 and second.content == first.content
    releases.bump(releases.indicator(bank["rate"].slug))
    cache.delete(releases.CACHE_PREFIX + releases.indicator(bank["rate"].slug))  # as on commit
    assert client.get(path)[HEADER] == "miss"


def test_the_maps_words_name_the_periods_of_change_and_trend(client, bank):
    text = page(client.get(bank["rate"].get_absolute_url())).text
    assert "Change: from 2023 to 2024." in text
    assert "Trend: over three periods (not enough before 2024)." in text
    earliest = page(client.get(bank["rate"].get_absolute_url() + "?period=2023")).text
    assert "Change: none, 2023 is the first period." in earliest

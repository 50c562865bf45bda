"""The indicator API: the catalogue, values with markers, periods, comparisons, and its 4xx answers."""

import pytest

from tests.integration.indicator_fixtures import build_bank


@pytest.fixture
def bank(places):
    return build_bank(places)


def get(client, path, **query):
    return client.get("/api/v1" + path, query)


def test_it_lists_and_searches_indicators(client, bank):
    body = get(client, "/indicators").json()
    assert body["count"] == 2
    first = next(i for i in body["items"] if i["code"] == "No_of LAC Adopted")
    assert first["slug"] == "no-of-lac-adopted" and first["url"] == "/indicators/no-of-lac-adopted/"
    assert first["polarity"] == "high" and first["theme_name"] == "Vulnerable children"
    assert [i["code"] for i in get(client, "/indicators", q="funded").json()["items"]] == ["%_3&4yr_olds"]
    assert [i["code"] for i in get(client, "/indicators", theme="early_years").json()["items"]] == [
        "%_3&4yr_olds"
    ]
    assert get(client, "/indicators", outcome="stay_safe").json()["count"] == 1
    assert get(client, "/indicators", limit=1, offset=1).json()["count"] == 2


def test_an_indicator_by_slug_or_id(client, bank):
    by_slug = get(client, "/indicators/no-of-lac-adopted").json()
    by_id = get(client, f"/indicators/{bank['rate'].id}").json()
    assert by_slug == by_id and by_slug["code"] == "No_of LAC Adopted"


def test_values_keep_markers_as_status(client, bank):
    body = get(client, "/indicators/no-of-lac-adopted/values", period="2024").json()
    items = {item["la"]: item for item in body["items"]}
    assert items["202"] == {
        "la": "202",
        "area_type": "la",
        "area_code": "E09000007",
        "area_name": "Camden",
        "period": "2024",
        "value": 62.0,
        "status": None,
    }
    assert items["206"] | {"value": None, "status": "c"} == items["206"]
    assert body["count"] == 5, "authorities only, unless asked for regions or England"
    camden = get(client, "/indicators/no-of-lac-adopted/values", la="E09000007").json()
    assert [(i["period"], i["value"]) for i in camden["items"]] == [("2023", 60.0), ("2024", 62.0)]


def test_periods_latest_first(client, bank):
    body = get(client, "/indicators/no-of-lac-adopted/periods").json()
    assert [p["label"] for p in body["items"]] == ["2024", "2023"]
    assert body["items"][0] == {
        "label": "2024",
        "kind": "year",
        "start_year": 2024,
        "end_year": 2024,
        "flag": "",
        "provisional": False,
    }


def test_an_authoritys_comparisons(client, bank):
    body = get(client, "/authorities/202/comparisons", indicator="no-of-lac-adopted", period="2024").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["indicator"]["slug"] == "no-of-lac-adopted"
    assert row["value"] == 62.0 and row["rank"] == 1 and row["ranked"] == 4 and row["quartile"] == "A"
    assert row["england_value"] == 48.0 and row["england_basis"] == "published"
    assert row["change"] == 2.0
    assert get(client, "/authorities/202/comparisons").json()["count"] == 3
    islington = get(client, "/authorities/206/comparisons", indicator=str(bank["rate"].id), period="2024")
    assert islington.json()["items"][0] | {} == {
        **islington.json()["items"][0],
        "value": None,
        "status": "c",
        "rank": None,
        "quartile": None,
    }


@pytest.mark.parametrize("code", ["E12000007", "986", "e12000007"])
def test_a_regions_published_values_in_the_same_shape(client, bank, code):
    body = get(client, "/indicators/no-of-lac-adopted/values", area=code).json()
    assert body["items"] == [
        {
            "la": "986",
            "area_type": "region",
            "area_code": "E12000007",
            "area_name": "London",
            "period": period,
            "value": 58.5,
            "status": None,
        }
        for period in ("2023", "2024")
    ]


@pytest.mark.parametrize(
    "query", [{"area": "E92000001"}, {"la": "970"}, {"area": "970"}, {"level": "england"}]
)
def test_englands_published_values(client, bank, query):
    body = get(client, "/indicators/no-of-lac-adopted/values", **query).json()
    assert [
        (i["la"], i["area_type"], i["area_code"], i["area_name"], i["period"], i["value"])
        for i in body["items"]
    ] == [
        ("970", "england", "E92000001", "England", "2023", 48.0),
        ("970", "england", "E92000001", "England", "2024", 48.0),
    ]


def test_every_published_cell_with_level_all_england_then_regions_then_authorities(client, bank):
    body = get(client, "/indicators/no-of-lac-adopted/values", level="all", period="2024").json()
    assert [i["la"] for i in body["items"]] == ["970", "986", "202", "206", "380", "383", "815"]
    regions = get(client, "/indicators/no-of-lac-adopted/values", level="region").json()
    assert {i["area_code"] for i in regions["items"]} == {"E12000007"} and regions["count"] == 2


def test_an_area_with_no_values_is_an_empty_list_not_an_error(client, bank):
    body = get(client, "/indicators/no-of-lac-adopted/values", area="E12000002").json()  # North West
    assert body == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/indicators/nope", {}, 404),
        ("/indicators/99999999999999999999999", {}, 404),
        ("/indicators/nope/values", {}, 404),
        ("/indicators/no-of-lac-adopted/values", {"period": "1999"}, 404),
        ("/indicators/no-of-lac-adopted/values", {"period": "2023\x00"}, 422),  # a control character
        ("/indicators/no-of-lac-adopted/values", {"la": "999"}, 404),
        ("/indicators/no-of-lac-adopted/values", {"area": "E12000099"}, 404),  # no such region
        ("/indicators/no-of-lac-adopted/values", {"area": "971"}, 404),  # not one of LAIT's areas
        ("/indicators/no-of-lac-adopted/values", {"area": "E92000002"}, 404),
        ("/indicators/no-of-lac-adopted/values", {"area": " "}, 404),
        ("/indicators/no-of-lac-adopted/values", {"area": "E12000007", "la": "202"}, 422),
        ("/indicators/no-of-lac-adopted/values", {"level": "country"}, 422),
        ("/indicators/no-of-lac-adopted/values", {"area": "E12\x00"}, 422),
        ("/indicators/%25_3%264yr_olds/values", {"period": "2023"}, 404),  # a code, not a slug
        ("/indicators/pct-3-and-4yr-olds/values", {"period": "2023"}, 404),  # no values that year
        ("/indicators/nope/periods", {}, 404),
        ("/indicators", {"theme": "nonsense"}, 422),
        ("/indicators", {"limit": "0"}, 422),
        ("/authorities/999/comparisons", {}, 404),
        ("/authorities/202/comparisons", {"indicator": "nope"}, 404),
        ("/authorities/202/comparisons", {"period": "someday"}, 404),
    ],
)
def test_bad_parameters_answer_4xx_with_a_reason(client, bank, path, query, status):
    response = get(client, path, **query)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_query_counts_are_bounded(client, bank, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        get(client, "/indicators/no-of-lac-adopted/values")
    with django_assert_max_num_queries(3):
        get(client, "/indicators/no-of-lac-adopted/values", level="all")
    with django_assert_max_num_queries(4):
        get(client, "/indicators/no-of-lac-adopted/values", area="E12000007")
    with django_assert_max_num_queries(4):
        get(client, "/authorities/202/comparisons")
    with django_assert_max_num_queries(2):
        get(client, "/indicators")

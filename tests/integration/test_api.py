"""The public API under /api/v1/: lists, filters, details, bad parameters and odd paths."""

import json

import pytest

ALL_CURRENT = ["Bradford", "Camden", "Cumberland", "Islington", "Leeds", "North Yorkshire"]


@pytest.fixture
def api(client, places):
    """GET an API route; returns (status, parsed JSON body)."""

    def fetch(path):
        response = client.get(path)
        assert response["Content-Type"].startswith("application/json"), (path, response["Content-Type"])
        return response.status_code, response.json()

    return fetch


def names(body) -> list[str]:
    return [item["name"] for item in body["items"]]


# ---------------------------------------------------------------- lists and pagination


def test_it_lists_current_authorities_with_their_details(api):
    status, body = api("/api/v1/authorities")
    assert status == 200
    assert body["count"] == 6
    assert names(body) == ALL_CURRENT
    camden = next(item for item in body["items"] if item["code"] == "202")
    assert camden == {
        "code": "202",
        "ons_code": "E09000007",
        "name": "Camden",
        "type": "ILB",
        "type_name": "Inner London borough",
        "region": {"code": "E12000007", "name": "London"},
        "sub_region": {"code": "E13000001", "name": "Inner London"},
        "ofsted_region": "London",
        "is_current": True,
        "ended_on": None,
        "url": "/authorities/202/",
    }


@pytest.mark.parametrize(
    ("query", "expected_names", "count"),
    [
        ("?limit=2", ["Bradford", "Camden"], 6),
        ("?limit=2&offset=2", ["Cumberland", "Islington"], 6),
        ("?limit=2&offset=5", ["North Yorkshire"], 6),
        ("?offset=6", [], 6),
        ("?offset=1000000", [], 6),
        ("?limit=1000", ALL_CURRENT, 6),
    ],
)
def test_it_pages_a_list_with_limit_and_offset(api, query, expected_names, count):
    status, body = api(f"/api/v1/authorities{query}")
    assert status == 200
    assert (names(body), body["count"]) == (expected_names, count)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/authorities",
        "/api/v1/authorities/202/neighbours",
        "/api/v1/regions",
        "/api/v1/authorities/202/contacts",
    ],
)
def test_every_list_route_answers_the_same_shape(client, people, contacts, path):
    client.force_login(people["national_admin"])
    body = client.get(f"{path}?limit=1").json()
    assert set(body) == {"items", "count"}
    assert len(body["items"]) == 1
    assert body["count"] >= 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=cam", ["Camden"]),
        ("?q=E08000035", ["Leeds"]),
        ("?q=383", ["Leeds"]),
        ("?region=E12000007", ["Camden", "Islington"]),
        ("?region=london", ["Camden", "Islington"]),
        ("?region=inner-london", ["Camden", "Islington"]),
        ("?region=E13000002", []),
        ("?region=yorkshire-and-the-humber&type=MD", ["Bradford", "Leeds"]),
        ("?type=UA", ["Cumberland"]),
        ("?type=SC", ["North Yorkshire"]),
        ("?type=SC&include_former=true", ["Cumbria", "North Yorkshire"]),
        ("?include_former=true&region=north-west", ["Cumberland", "Cumbria"]),
        ("?include_former=false&region=north-west", ["Cumberland"]),
    ],
)
def test_it_filters_authorities(api, query, expected):
    status, body = api(f"/api/v1/authorities{query}")
    assert status == 200
    assert names(body) == expected
    assert body["count"] == len(expected)


def test_it_lists_a_former_authority_with_its_end(api):
    _, body = api("/api/v1/authorities?q=909&include_former=true")
    assert [(item["is_current"], item["ended_on"]) for item in body["items"]] == [(False, "2023-04-01")]


# ---------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/api/v1/authorities?limit=abc", 422, "limit: Input should be a valid integer"),
        ("/api/v1/authorities?limit=-1", 422, "limit: Input should be greater than or equal to 1"),
        ("/api/v1/authorities?limit=0", 422, "limit: Input should be greater than or equal to 1"),
        ("/api/v1/authorities?limit=100000", 422, "limit: Input should be less than or equal to 1000"),
        ("/api/v1/authorities?offset=-1", 422, "offset: Input should be greater than or equal to 0"),
        ("/api/v1/authorities?offset=99999999999999999999999", 422, "offset: Input should be less than"),
        ("/api/v1/authorities?type=XYZ", 422, "type: Input should be 'ILB', 'OLB', 'MD', 'UA' or 'SC'"),
        (
            "/api/v1/authorities?include_former=perhaps",
            422,
            "include_former: Input should be a valid boolean",
        ),
        ("/api/v1/authorities?region=nowhere", 404, "Not found."),
        ("/api/v1/authorities/202/neighbours?model=2099", 422, "model: Input should be '2025' or '2021'"),
        ("/api/v1/authorities/202/neighbours?limit=abc", 422, "limit: Input should be a valid integer"),
        ("/api/v1/regions?offset=x", 422, "offset: Input should be a valid integer"),
        ("/api/v1/authorities/999", 404, "No authority has the code '999'."),
        ("/api/v1/authorities/999/neighbours", 404, "No authority has the code '999'."),
        ("/api/v1/regions/atlantis", 404, "Not found."),
        ("/api/v1/regions/inner-london", 404, "Inner London is part of a region; ask for E12000007."),
        ("/api/v1/no-such-route", 404, "No API route at /api/v1/no-such-route"),
        ("/api/v2/authorities", 404, "the routes are listed at /api/v1/docs"),
    ],
)
def test_it_answers_bad_parameters_with_a_reason(api, path, status, reason):
    got_status, body = api(path)
    assert got_status == status
    assert reason in body["detail"], body


ODD_VALUES = [
    "9" * 3000,
    "E" + "0" * 500,
    "%C3%A9",  # é
    "%E2%80%AE202",  # right-to-left override
    "%F0%9F%98%80",  # an emoji
    "%00",
    "202%00",
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2E%2E",
    "202%27%20OR%201%3D1--",
    "%20",
    "null",
]


@pytest.mark.parametrize(
    "template",
    [
        "/api/v1/authorities/{}",
        "/api/v1/authorities/{}/neighbours",
        "/api/v1/authorities/{}/contacts",
        "/api/v1/regions/{}",
        "/authorities/{}/",
        "/authorities/{}/contacts/",
        "/regions/{}/",
        "/api/v1/authorities?q={}",
        "/api/v1/authorities?region={}",
        "/authorities/?q={}",
    ],
)
def test_odd_values_never_cause_a_server_error(client, people, subtests, template):
    client.force_login(people["national_admin"])
    for value in ODD_VALUES:
        with subtests.test(value=value[:20]):
            response = client.get(template.format(value))
            assert response.status_code < 500
            if response["Content-Type"].startswith("application/json") and response.status_code >= 400:
                assert response.json()["detail"]


# ---------------------------------------------------------------- details


@pytest.mark.parametrize("code", ["202", "E09000007", "e09000007"])
def test_it_finds_an_authority_by_dfe_or_ons_code(api, code):
    status, body = api(f"/api/v1/authorities/{code}")
    assert status == 200
    assert (body["code"], body["name"], body["former_ons_codes"]) == ("202", "Camden", [])


def test_it_finds_an_authority_by_a_former_ons_code(api):
    status, body = api("/api/v1/authorities/E10000023")
    assert status == 200
    assert (body["code"], body["ons_code"], body["former_ons_codes"]) == ("815", "E06000065", ["E10000023"])


def test_it_links_a_former_authority_to_its_successors_and_back(api):
    _, cumbria = api("/api/v1/authorities/909")
    assert (cumbria["is_current"], cumbria["ended_on"]) == (False, "2023-04-01")
    assert cumbria["successors"] == [
        {
            "authority": {"code": "942", "ons_code": "E06000063", "name": "Cumberland"},
            "effective": "2023-04-01",
        }
    ]
    assert cumbria["predecessors"] == []
    _, cumberland = api("/api/v1/authorities/942")
    assert [link["authority"]["code"] for link in cumberland["predecessors"]] == ["909"]
    assert cumberland["successors"] == []


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("", [(1, "206", "extremely close"), (2, "380", "very close"), (3, "383", "close")]),
        ("?model=2025", [(1, "206", "extremely close"), (2, "380", "very close"), (3, "383", "close")]),
        ("?model=2021", [(1, "383", "extremely close"), (2, "206", "very close")]),
    ],
)
def test_it_lists_neighbours_in_rank_order_for_each_model(api, model, expected):
    status, body = api(f"/api/v1/authorities/202/neighbours{model}")
    assert status == 200
    assert [(n["rank"], n["neighbour"]["code"], n["closeness"]) for n in body["items"]] == expected
    assert {n["model"] for n in body["items"]} == {model.removeprefix("?model=") or "2025"}
    assert body["count"] == len(expected)


def test_it_lists_no_neighbours_for_an_authority_outside_a_model(api):
    assert api("/api/v1/authorities/942/neighbours?model=2021") == (200, {"items": [], "count": 0})


def test_it_lists_regions_with_their_current_authority_counts(api):
    status, body = api("/api/v1/regions")
    assert status == 200
    assert body == {
        "items": [
            {"code": "E12000002", "name": "North West", "slug": "north-west", "authority_count": 1},
            {
                "code": "E12000003",
                "name": "Yorkshire and The Humber",
                "slug": "yorkshire-and-the-humber",
                "authority_count": 3,
            },
            {"code": "E12000007", "name": "London", "slug": "london", "authority_count": 2},
        ],
        "count": 3,
    }


@pytest.mark.parametrize("key", ["E12000007", "london"])
def test_it_finds_a_region_by_code_or_slug(api, key):
    assert api(f"/api/v1/regions/{key}") == (
        200,
        {"code": "E12000007", "name": "London", "slug": "london", "authority_count": 2},
    )


# ---------------------------------------------------------------- the schema


def test_the_openapi_schema_lists_every_route(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "SLI Hub API"
    assert {
        "/api/v1/authorities",
        "/api/v1/authorities/{code}",
        "/api/v1/authorities/{code}/neighbours",
        "/api/v1/authorities/{code}/contacts",
        "/api/v1/regions",
        "/api/v1/regions/{code}",
    } <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/authorities"]["get"]["parameters"]}
    assert {"q", "region", "type", "include_former", "limit", "offset"} <= parameters
    # Only private routes need signing in: contacts, risk scores, the audit log, and the specialist exchange
    # (every route).
    secured = {
        path for path, ops in schema["paths"].items() if any(op.get("security") for op in ops.values())
    }
    exchange = {path for path in schema["paths"] if path.startswith("/api/v1/exchange/")}
    assert exchange and exchange <= secured
    assert secured - exchange == {
        "/api/v1/authorities/{code}/contacts",
        "/api/v1/warning/scores",
        "/api/v1/authorities/{code}/risk",
        "/api/v1/audit",
        # the improvement cycle's private records
        "/api/v1/self-assessments",
        "/api/v1/self-assessments/{assessment_id}",
        "/api/v1/challenges",
        "/api/v1/challenges/{challenge_id}",
        "/api/v1/support-agreements",
        "/api/v1/support-agreements/{agreement_id}",
        "/api/v1/support-capacity/{code}/{year}",
        # the menu of support, shared among signed-in councils but not published
        "/api/v1/asks",
        "/api/v1/asks/{ask_id}/matches",
        "/api/v1/offers",
        # directors recorded in the hub
        "/api/v1/directors/{code}",
        # the directors' survey: its questionnaires for signed-in users, a council's answers for its staff
        "/api/v1/survey/versions",
        "/api/v1/survey/versions/{year}",
        "/api/v1/survey/{year}/responses/{code}",
        # workshops: places are taken and given up signed in; registrations are the organisers'
        "/api/v1/workshops/{workshop_id}/registrations",
        "/api/v1/workshops/{workshop_id}/register",
        "/api/v1/workshops/{workshop_id}/cancel",
        # a council's budget for children looked after
        "/api/v1/forecasts/{code}/budget",
        # a council's saved scenarios, private to it and, once shared, its alliance
        "/api/v1/forecasts/{code}/scenarios",
        "/api/v1/forecasts/{code}/scenarios/{scenario_id}",
        # the yearly figures from a council's own 903 return, private to its members and national admins
        "/api/v1/forecasts/{code}/903",
    }

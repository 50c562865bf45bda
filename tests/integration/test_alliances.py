"""Regional improvement alliances: the public pages and API, the coordinators' pages, where each council
stands in the cycle (and who sees it), and the tartan rug."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from slihub.alliances import services
from slihub.alliances.models import Alliance, AllianceGroup, Cycle, SelfAssessment, Signature
from slihub.indicators.models import Comparison
from tests.integration.conftest import PERSONAS
from tests.integration.html import heading, page

MANAGERS_OF_LONDON = {"london_coordinator", "national_admin"}
# who sees which London councils' row in "where each council stands"
STANDINGS = {
    "anonymous": [],
    "camden_analyst": ["Camden"],
    "leeds_admin": [],
    "london_coordinator": ["Camden", "Islington"],
    "national_admin": ["Camden", "Islington"],
    "evidence_editor": [],
    "no_membership": [],
    "camden_chief_executive": ["Camden"],
}
MANAGE_PAGES = ("cycle/", "signatures/", "groups/", "settings/")


def table_rows(table) -> list[list[str]]:
    """The text of each body row's cells, its header cell (th scope=row) first."""
    body = table.find("tbody") or table
    return [
        [cell.text for cell in row.children if getattr(cell, "tag", "") in ("th", "td")]
        for row in body.find_all("tr")
    ]


@pytest.fixture
def alliances(places):
    return {a.region.slug: a for a in services.ensure_alliances()}


@pytest.fixture
def london(alliances):
    return alliances["london"]


@pytest.fixture
def cycle(london):
    """The London cycle under way: self-assessment was due yesterday."""
    today = timezone.localdate()
    return Cycle.objects.create(
        alliance=london,
        year=today.year,
        self_assessment_opens=today - timedelta(days=40),
        self_assessment_due=today - timedelta(days=1),
        challenge_opens=today + timedelta(days=10),
        challenge_closes=today + timedelta(days=50),
        plan_due=today + timedelta(days=80),
        delivery_starts=today + timedelta(days=100),
    )


def date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def cycle_form(year: int, **dates: date) -> dict:
    data = {"year": str(year)}
    for name, day in (services.suggested_cycle(year) | dates).items():
        data |= date_fields(name, day)
    return data


# ---------------------------------------------------------------- alliances exist


def test_it_makes_one_alliance_per_english_region_once(places):
    first = services.ensure_alliances()
    again = services.ensure_alliances()
    assert [a.pk for a in first] == [a.pk for a in again]
    assert sorted(Alliance.objects.values_list("name", flat=True)) == [
        "London improvement alliance",
        "North West improvement alliance",
        "Yorkshire and The Humber improvement alliance",
    ]  # Inner and Outer London are parts of London, not regions with alliances


def test_an_alliance_keeps_its_own_choices_when_made_again(london):
    london.lead_director = "Pat Director"
    london.core_indicators = ["one-of-ours"]
    london.save()
    services.ensure_alliances()
    london.refresh_from_db()
    assert (london.lead_director, london.core_indicators) == ("Pat Director", ["one-of-ours"])


def test_the_default_core_indicators_are_the_loaded_ones_in_order(places):
    from tests.integration.warning_fixtures import indicator

    for code in ("Work_Force_TO_Rate", "ReReferral", "CIN"):
        indicator(code)
    assert services.default_core_indicators() == ["rereferral", "cin", "work-force-to-rate"]
    london = services.ensure_alliances()[0]
    assert london.core_indicators == ["rereferral", "cin", "work-force-to-rate"]


# ---------------------------------------------------------------- the public pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_alliance_list_is_public(as_persona, alliances, persona):
    response = as_persona(persona).get("/alliances/")
    assert response.status_code == 200
    rows = table_rows(page(response).one("table", id="alliances"))
    assert [row[0] for row in rows] == [
        "London improvement alliance",
        "North West improvement alliance",
        "Yorkshire and The Humber improvement alliance",
    ]
    assert rows[0][2:] == ["2", "Camden, Islington"]
    assert rows[1][2:] == ["1", "Cumberland"]  # Cumbria is former: not a member


def test_the_navigation_links_to_the_alliances(as_persona, alliances):
    document = page(as_persona("anonymous").get("/"))
    assert document.find_all("a", href="/alliances/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_alliance_page_shows_where_councils_stand_only_to_those_allowed(
    as_persona, london, cycle, persona
):
    SelfAssessment.objects.create(authority=london.members().get(code="206"), cycle=cycle, status="submitted")
    response = as_persona(persona).get("/alliances/london/")
    assert response.status_code == 200
    document = page(response)
    assert heading(document) == "London improvement alliance"
    assert [row[0] for row in table_rows(document.one("table", id="members"))] == ["Camden", "Islington"]
    table = document.find("table", id="standings")
    seen = [row[0] for row in table_rows(table)] if table else []
    assert seen == STANDINGS[persona]
    # the management links only for the region's coordinators and national admins
    assert bool(document.find("ul", id="manage")) == (persona in MANAGERS_OF_LONDON)


def test_a_chief_executive_finds_their_councils_risk_summary_from_the_alliance_page(
    as_persona, london, cycle
):
    client = as_persona("camden_chief_executive")
    document = page(client.get("/alliances/london/"))
    links = [a.attrs["href"] for a in document.one("table", id="standings").find_all("a")]
    assert links == ["/warning/authorities/202/"]
    assert client.get(links[0]).status_code == 200


def test_a_london_coordinator_sees_nothing_of_yorkshires_councils(as_persona, alliances, places):
    today = timezone.localdate()
    Cycle.objects.create(alliance=alliances["yorkshire-and-the-humber"], year=today.year, **_past_due(today))
    document = page(as_persona("london_coordinator").get("/alliances/yorkshire-and-the-humber/"))
    assert document.find("table", id="standings") is None
    assert document.find("ul", id="manage") is None


def _past_due(today):
    return {
        "self_assessment_opens": today - timedelta(days=40),
        "self_assessment_due": today - timedelta(days=1),
        "challenge_opens": today,
        "challenge_closes": today,
        "plan_due": today,
        "delivery_starts": today,
    }


def test_the_alliance_page_answers_404_for_an_unknown_region(as_persona, alliances):
    response = as_persona("national_admin").get("/alliances/atlantis/")
    assert response.status_code == 404
    assert heading(page(response)) == "Page not found"


def test_the_alliance_page_is_reached_by_the_regions_code_too(as_persona, alliances):
    assert (
        heading(page(as_persona("anonymous").get("/alliances/E12000007/"))) == "London improvement alliance"
    )


def test_the_alliance_page_says_when_no_cycle_is_set(as_persona, london):
    document = page(as_persona("london_coordinator").get("/alliances/london/"))
    assert "has not set its cycle yet" in document.one("p", id="no-cycle").text
    assert document.find("table", id="standings") is None


# ---------------------------------------------------------------- where each council stands


def test_a_council_past_the_due_date_without_submitting_is_late(as_persona, london, cycle, places):
    SelfAssessment.objects.create(authority=places.islington, cycle=cycle, status="moderated")
    document = page(as_persona("london_coordinator").get("/alliances/london/"))
    rows = {row[0]: row[1:] for row in table_rows(document.one("table", id="standings"))}
    due = f"{cycle.self_assessment_due:%-d %B %Y}"
    assert rows == {
        "Camden": ["Not started", f"Late Self-assessment was due on {due}", "Risk summary for Camden"],
        "Islington": ["Moderated", "No", "Risk summary for Islington"],
    }
    assert "1 council late." in document.one("main").text


@pytest.mark.parametrize(
    ("status", "late"),
    [("draft", True), ("returned", True), ("submitted", False), ("moderated", False), ("final", False)],
)
def test_lateness_follows_the_self_assessments_status(london, cycle, places, national_admin, status, late):
    from slihub.alliances import selectors

    SelfAssessment.objects.create(authority=places.camden, cycle=cycle, status=status)
    standing = {s.authority.code: s for s in selectors.standings(national_admin, london, cycle)}["202"]
    assert (standing.status, standing.late) == (status, late)


def test_nothing_is_late_before_the_due_date(london, cycle, places, national_admin):
    from slihub.alliances import selectors

    before_due = cycle.self_assessment_due - timedelta(days=1)
    assert not [s for s in selectors.standings(national_admin, london, cycle, before_due) if s.late]


def test_the_current_cycle_is_the_latest_one_opened(london, cycle):
    from slihub.alliances import selectors

    later = Cycle.objects.create(
        alliance=london,
        year=cycle.year + 1,
        **{name: day + timedelta(days=365) for name, day in _cycle_dates(cycle).items()},
    )
    assert selectors.current_cycle(london) == cycle
    assert selectors.current_cycle(london, later.self_assessment_opens) == later


def _cycle_dates(cycle) -> dict:
    return {name: getattr(cycle, name) for name, _ in services.STAGES}


# ---------------------------------------------------------------- the coordinators' pages


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_the_management_pages_open_only_for_the_regions_coordinators_and_national_admins(
    as_persona, london, persona, path
):
    url = f"/alliances/london/{path}"
    response = as_persona(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    elif persona in MANAGERS_OF_LONDON:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert (
            "Only the London alliance's coordinators and national admins" in page(response).one("main").text
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_setting_the_cycle_is_refused_to_all_but_the_regions_coordinators_and_national_admins(
    as_persona, london, persona
):
    response = as_persona(persona).post("/alliances/london/cycle/", cycle_form(2026))
    saved = Cycle.objects.filter(alliance=london).exists()
    assert saved == (persona in MANAGERS_OF_LONDON)
    if saved:
        assert response.status_code == 302


def test_the_cycle_form_suggests_the_usual_dates(as_persona, london):
    document = page(as_persona("london_coordinator").get("/alliances/london/cycle/?year=2026"))
    form = document.one("main").one("form")
    values = {i.attrs["name"]: i.attrs.get("value", "") for i in form.find_all("input")}
    assert (values["year"], values["self_assessment_opens-month"], values["self_assessment_due-month"]) == (
        "2026",
        "11",
        "12",
    )
    assert (values["challenge_opens-month"], values["plan_due-month"], values["delivery_starts-month"]) == (
        "1",
        "3",
        "4",
    )
    assert values["delivery_starts-year"] == "2027"


def test_a_coordinator_sets_the_cycle_and_the_page_shows_its_dates(as_persona, london):
    client = as_persona("london_coordinator")
    response = client.post("/alliances/london/cycle/", cycle_form(2026))
    assert response.status_code == 302
    assert response["Location"] == "/alliances/london/"
    cycle = Cycle.objects.get(alliance=london)
    assert (cycle.year, cycle.self_assessment_opens, cycle.delivery_starts) == (
        2026,
        date(2026, 11, 1),
        date(2027, 4, 1),
    )
    rows = page(client.get("/alliances/london/")).one("dl", id="cycle-dates").text
    assert "Self-assessment opens" in rows and "1 November 2026" in rows and "1 April 2027" in rows


def test_setting_the_cycle_again_changes_it(as_persona, london):
    client = as_persona("national_admin")
    client.post("/alliances/london/cycle/", cycle_form(2026))
    client.post("/alliances/london/cycle/", cycle_form(2026, plan_due=date(2027, 3, 20)))
    assert list(Cycle.objects.values_list("plan_due", flat=True)) == [date(2027, 3, 20)]


def test_it_refuses_a_cycle_whose_stages_are_out_of_order(as_persona, london):
    data = cycle_form(2026, challenge_opens=date(2026, 12, 1))  # before self-assessment is due
    response = as_persona("london_coordinator").post("/alliances/london/cycle/", data)
    assert response.status_code == 200
    document = page(response)
    summary = document.one(class_="govuk-error-summary")
    links = [(a.attrs["href"], a.text) for a in summary.find_all("a")]
    assert links == [
        ("#challenge_opens-day", "Peer challenge opens must be the same as or after self-assessment due")
    ]
    assert document.one("title").text.startswith("Error:")
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan_due-day": "31", "plan_due-month": "2"}, "Regional plan due must be a real date"),
        ({"plan_due-day": ""}, "Regional plan due must include a day"),
        ({"plan_due-day": "", "plan_due-month": "", "plan_due-year": ""}, "Enter the date regional plan due"),
        ({"plan_due-day": "٣"}, "Regional plan due must be a real date"),
        ({"plan_due-day": "1\x00"}, "must not include control characters"),
        ({"year": "twenty"}, "Enter the year the cycle starts"),
    ],
)
def test_it_refuses_a_cycle_with_a_bad_date(as_persona, london, change, message):
    response = as_persona("london_coordinator").post("/alliances/london/cycle/", cycle_form(2026) | change)
    assert response.status_code == 200
    assert message in page(response).one(class_="govuk-error-summary").text
    assert not Cycle.objects.exists()


def test_the_service_refuses_stages_out_of_order(london, national_admin):
    from django.core.exceptions import ValidationError

    dates = services.suggested_cycle(2026) | {"delivery_starts": date(2027, 3, 1)}
    with pytest.raises(ValidationError) as refused:
        services.set_cycle(user=national_admin, alliance=london, year=2026, **dates)
    assert "delivery_starts" in refused.value.message_dict


# ---------------------------------------------------------------- signatures


def test_a_coordinator_records_who_signed_and_the_public_page_shows_it(as_persona, london):
    client = as_persona("london_coordinator")
    data = {"authority": "202", "role": "chief_executive", "name": "Jo Example"} | date_fields(
        "signed_on", date(2026, 9, 14)
    )
    response = client.post("/alliances/london/signatures/", data)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.authority.code, signature.role, signature.recorded_by.username) == (
        "202",
        "chief_executive",
        "london.coordinator",
    )
    client.logout()
    rows = table_rows(page(client.get("/alliances/london/")).one("table", id="members"))
    assert rows == [
        ["Camden", "Jo Example, chief executive, on 14 September 2026"],
        ["Islington", "Not signed yet"],
    ]
    api = client.get("/api/v1/alliances/london").json()
    assert api["signatures"] == [
        {
            "council": {"code": "202", "name": "Camden"},
            "role": "chief_executive",
            "role_name": "Chief executive",
            "name": "Jo Example",
            "signed_on": "2026-09-14",
        }
    ]


def test_recording_a_signature_again_corrects_it(as_persona, london):
    client = as_persona("national_admin")
    for name in ("Jo Exampel", "Jo Example"):
        client.post(
            "/alliances/london/signatures/",
            {"authority": "202", "role": "director", "name": name}
            | date_fields("signed_on", date(2026, 9, 1)),
        )
    assert list(Signature.objects.values_list("name", flat=True)) == ["Jo Example"]


def test_it_refuses_a_signature_in_the_future_or_without_a_date(as_persona, london):
    client = as_persona("london_coordinator")
    tomorrow = timezone.localdate() + timedelta(days=1)
    base = {"authority": "202", "role": "director", "name": "Jo"}
    future = client.post("/alliances/london/signatures/", base | date_fields("signed_on", tomorrow))
    assert "must be today or in the past" in page(future).one(class_="govuk-error-summary").text
    undated = client.post("/alliances/london/signatures/", base)
    assert "Enter the date date signed" in page(undated).one(class_="govuk-error-summary").text
    assert not Signature.objects.exists()


def test_it_refuses_a_signature_for_a_council_of_another_region(as_persona, london, places):
    data = {"authority": "383", "role": "director", "name": "Lee"} | date_fields(
        "signed_on", date(2026, 1, 5)
    )
    response = as_persona("national_admin").post("/alliances/london/signatures/", data)
    assert response.status_code == 200
    assert "Select council from the list" in page(response).one(class_="govuk-error-summary").text
    assert not Signature.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_signature_is_refused_to_all_but_managers(
    as_persona, london, places, national_admin, persona
):
    signature = services.record_signature(
        user=national_admin,
        alliance=london,
        authority=places.camden,
        role="director",
        name="Jo",
        signed_on=date(2026, 1, 5),
    )
    as_persona(persona).post(f"/alliances/london/signatures/{signature.pk}/delete/")
    assert Signature.objects.exists() == (persona not in MANAGERS_OF_LONDON)


# ---------------------------------------------------------------- groups and leadership


def test_a_coordinator_makes_a_group_of_councils(as_persona, london):
    client = as_persona("london_coordinator")
    response = client.post(
        "/alliances/london/groups/", {"name": "North Central London", "authorities": ["202", "206"]}
    )
    assert response.status_code == 302
    group = AllianceGroup.objects.get()
    assert sorted(group.authorities.values_list("code", flat=True)) == ["202", "206"]
    text = page(client.get("/alliances/london/")).one("dl", id="groups").text
    assert "North Central London" in text and "Camden, Islington" in text
    response = client.post(f"/alliances/london/groups/{group.pk}/", {"name": "NCL", "authorities": ["202"]})
    group.refresh_from_db()
    assert (group.name, list(group.authorities.values_list("code", flat=True))) == ("NCL", ["202"])


def test_it_refuses_a_group_without_councils_or_with_a_name_taken(as_persona, london):
    client = as_persona("london_coordinator")
    empty = client.post("/alliances/london/groups/", {"name": "Empty"})
    assert "Choose at least one council" in page(empty).one(class_="govuk-error-summary").text
    client.post("/alliances/london/groups/", {"name": "NCL", "authorities": ["202"]})
    taken = client.post("/alliances/london/groups/", {"name": "ncl", "authorities": ["206"]})
    assert "already has a group called ncl" in page(taken).one(class_="govuk-error-summary").text
    assert AllianceGroup.objects.count() == 1


def test_a_coordinator_sets_the_lead_director_and_core_indicators(as_persona, london, places):
    from tests.integration.indicator_fixtures import build_bank

    bank = build_bank(places)
    client = as_persona("london_coordinator")
    data = {"lead_director": "Pat Lead", "lead_authority": "206", "core_indicators": f"{bank['rate'].slug}\n"}
    assert client.post("/alliances/london/settings/", data).status_code == 302
    london.refresh_from_db()
    assert (london.lead_director, london.lead_authority.code, london.core_indicators) == (
        "Pat Lead",
        "206",
        [bank["rate"].slug],
    )
    bad = client.post("/alliances/london/settings/", data | {"core_indicators": "no-such-thing"})
    assert (
        "No indicator has the address name 'no-such-thing'"
        in page(bad).one(class_="govuk-error-summary").text
    )
    rows = table_rows(page(client.get("/alliances/")).one("table", id="alliances"))
    assert rows[0][1] == "Pat Lead, Islington"


# ---------------------------------------------------------------- the tartan rug


@pytest.fixture
def bank(places, london):
    from tests.integration.indicator_fixtures import build_bank

    made = build_bank(places)
    london.core_indicators = [made["rate"].slug, made["share"].slug, "not-loaded"]
    london.save()
    return made


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_tartan_rug_is_public_with_values_and_bands_in_words(as_persona, bank, persona):
    response = as_persona(persona).get("/alliances/london/tartan-rug/")
    assert response.status_code == 200
    document = page(response)
    table = document.one("table", id="rug")
    headers = [th.text for th in table.one("thead").find_all("th")]
    assert headers[0] == "Council"
    assert "Children adopted from care, rate" in headers[1] and "2024" in headers[1]
    assert "Higher is better" in headers[1]
    assert "Neither" in headers[2] and "not banded" in headers[2]
    assert all(th.attrs.get("scope") == "col" for th in table.one("thead").find_all("th"))
    body = table.one("tbody")
    assert [th.attrs.get("scope") for th in body.find_all("th")] == ["row", "row"]
    camden_band = Comparison.objects.get(
        authority__code="202", indicator=bank["rate"], period=bank["2024"]
    ).quartile
    assert camden_band == "A"  # the best of England's four with a value
    rows = table_rows(body)
    assert rows[0][0] == "Camden"
    assert rows[0][1].startswith("62.0") and "Q1 (best quarter)" in rows[0][1]
    assert rows[0][2] == "90%"  # not banded: no band words
    assert rows[1][1].startswith("c")  # Islington's suppressed value as published
    cells = body.find_all("td")
    assert "app-rug__cell--a" in cells[0].classes
    footer = table_rows(table.one("tfoot"))
    assert footer[0][0] == "London" and footer[0][1] == "58.5"
    assert footer[1][0] == "England" and footer[1][1] == "48.0"
    assert "not-loaded" in document.one("p", id="missing").text


def test_the_tartan_rug_reads_a_few_queries_whatever_its_size(
    client, bank, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE = False
    with django_assert_max_num_queries(6):
        response = client.get("/alliances/london/tartan-rug/")
    assert response.status_code == 200


def test_the_tartan_rug_downloads_as_csv(client, bank):
    response = client.get("/alliances/london/tartan-rug.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == [
        "area",
        "code",
        "Children adopted from care, rate (2024)",
        "No_of LAC Adopted band",
    ]
    assert rows[1][:4] == ["Camden", "202", "62.0", "Q1 (best quarter)"]
    assert [r[0] for r in rows[-2:]] == ["London", "England"]


def test_the_tartan_rug_follows_a_change_of_core_indicators_though_cached(
    client, bank, london, national_admin
):
    first = client.get("/alliances/london/tartan-rug/")
    assert "Three and four year olds" in first.content.decode()
    services.set_leadership(
        user=national_admin,
        alliance=london,
        lead_director="",
        lead_authority=None,
        core_indicators=[bank["rate"].slug],
    )
    assert "Three and four year olds" not in client.get("/alliances/london/tartan-rug/").content.decode()


def test_the_tartan_rug_answers_404_for_an_unknown_region(client, alliances):
    assert client.get("/alliances/atlantis/tartan-rug/").status_code == 404
    assert client.get("/api/v1/alliances/atlantis/tartan-rug").status_code == 404


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_alliances_api_is_public(as_persona, alliances, persona):
    client = as_persona(persona)
    listed = client.get("/api/v1/alliances").json()
    assert listed["count"] == 3
    assert listed["items"][0]["name"] == "London improvement alliance"
    assert listed["items"][0]["members"] == [
        {"code": "202", "name": "Camden"},
        {"code": "206", "name": "Islington"},
    ]
    one = client.get("/api/v1/alliances/london").json()
    assert set(one) >= {"members", "groups", "signatures", "cycles", "core_indicators"}


def test_the_alliance_api_gives_cycles_and_groups(client, london, cycle, national_admin, places):
    services.save_group(user=national_admin, alliance=london, name="Inner", authorities=[places.camden])
    body = client.get("/api/v1/alliances/E12000007").json()
    assert body["groups"] == [{"name": "Inner", "members": [{"code": "202", "name": "Camden"}]}]
    assert body["cycles"][0]["year"] == cycle.year
    assert body["cycles"][0]["self_assessment_due"] == cycle.self_assessment_due.isoformat()


def test_the_alliance_api_answers_404_for_an_unknown_region(client, alliances):
    response = client.get("/api/v1/alliances/atlantis")
    assert response.status_code == 404
    assert response.json() == {"detail": "No alliance for the region 'atlantis'."}


def test_the_alliance_api_refuses_a_control_character(client, alliances):
    assert client.get("/api/v1/alliances/lon%00don").status_code == 422


def test_the_tartan_rug_api_gives_values_and_bands(client, bank):
    body = client.get("/api/v1/alliances/london/tartan-rug").json()
    assert [c["code"] for c in body["columns"]] == ["No_of LAC Adopted", "%_3&4yr_olds"]
    assert body["rows"][0]["council"] == {"code": "202", "name": "Camden"}
    assert body["rows"][0]["cells"] == [{"value": "62.0", "band": "A"}, {"value": "90%", "band": ""}]
    assert body["england"][0] == "48.0"

"""Regional improvement priorities: public list and tracking pages, the coordinators' form (who may
write, bad input), and the API.

The bank (progress_bank.py) gives London's Camden and Islington four years, 2022 to 2025. A priority
agreed on 1 June 2024 is tracked from 2023 (the latest period ending before 2024) to 2025:
- KS2_RWM (higher is better): Camden 65 to 75, Islington 50 to 51: both improved, Camden most;
- ReReferral (lower is better): Camden 22 to 30 worsened, Islington 12 to 12 unchanged; England
  21.5 to 22.4;
- CIN (no polarity): Islington 410 to 430 rose; Camden's 2025 figure is suppressed, so not compared.
"""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from slihub.alliances import priorities, services
from slihub.alliances.models import Cycle, Priority, SelfAssessment
from tests.integration.conftest import PERSONAS
from tests.integration.html import page
from tests.integration.progress_bank import build_bank

WRITERS_FOR_LONDON = {"london_coordinator", "national_admin"}
AGREED = date(2024, 6, 1)


@pytest.fixture
def alliances(places):
    return {a.region.slug: a for a in services.ensure_alliances()}


@pytest.fixture
def london(alliances):
    return alliances["london"]


@pytest.fixture
def bank(places):
    return build_bank(places)


@pytest.fixture
def priority(london, bank, national_admin):
    return priorities.save_priority(
        user=national_admin,
        alliance=london,
        title="Fewer re-referrals, better results at school",
        description="Agreed at the March plan meeting.",
        indicators=[bank.indicators[c].slug for c in ("KS2_RWM", "ReReferral", "CIN")] + [],
        agreed_on=AGREED,
    )


def ks2_priority(user, alliance, bank, *, title, agreed_on=AGREED):
    """A priority of KS2 results alone, saved through the service."""
    return priorities.save_priority(
        user=user,
        alliance=alliance,
        title=title,
        description="",
        indicators=[bank.indicators["KS2_RWM"].slug],
        agreed_on=agreed_on,
    )


def date_fields(day: date) -> dict:
    return {"agreed_on-day": str(day.day), "agreed_on-month": str(day.month), "agreed_on-year": str(day.year)}


def form_data(bank, **changes) -> dict:
    data = {
        "title": "Stable placements",
        "description": "",
        "indicators": bank.indicators["KS2_RWM"].slug,
        "status": "active",
        **date_fields(AGREED),
    }
    data.update(changes)
    return data


def rows(table) -> list[list[str]]:
    body = table.find("tbody") or table
    return [
        [cell.text for cell in row.children if getattr(cell, "tag", "") in ("th", "td")]
        for row in body.find_all("tr")
    ]


# ---------------------------------------------------------------- public pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_priorities_list_is_public(as_persona, priority, persona):
    response = as_persona(persona).get("/alliances/london/priorities/")
    assert response.status_code == 200
    document = page(response)
    listed = rows(document.one("table", id="priorities"))
    assert listed[0][0] == "Fewer re-referrals, better results at school"
    assert listed[0][1:3] == ["Active", "1 June 2024"]
    assert "Key stage 2 pupils" in listed[0][3]
    add = document.find("a", href="/alliances/london/priorities/new/")
    assert (add is not None) == (persona in WRITERS_FOR_LONDON)


def test_the_alliance_page_links_to_its_priorities(client, london):
    document = page(client.get("/alliances/london/"))
    assert document.find("a", href="/alliances/london/priorities/") is not None


def test_the_list_says_when_there_are_none(client, london):
    document = page(client.get("/alliances/london/priorities/"))
    assert document.find("p", id="no-priorities") is not None


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_priority_page_is_public(as_persona, priority, persona):
    response = as_persona(persona).get(f"/alliances/london/priorities/{priority.pk}/")
    assert response.status_code == 200
    edit = page(response).find("a", href=f"/alliances/london/priorities/{priority.pk}/edit/")
    assert (edit is not None) == (persona in WRITERS_FOR_LONDON)


def test_the_priority_page_tracks_the_region_against_england(client, priority, bank):
    document = page(client.get(f"/alliances/london/priorities/{priority.pk}/"))
    slug = bank.indicators["ReReferral"].slug
    figures = rows(document.one("table", id=f"figures-{slug}"))
    assert [r[0] for r in figures] == ["2022", "2023 When agreed", "2024", "2025"]
    assert [r[2] for r in figures] == ["21.0", "21.5", "22.0", "22.4"]  # England, as published
    change = document.one("p", id=f"change-{slug}").text
    assert "From 2023 (when agreed) to 2025" in change
    assert "England 21.5 to 22.4 (+0.9)" in change
    section = document.one("section", id=f"indicator-{slug}")
    chart = section.one("svg")
    assert chart.attrs["role"] == "img"
    texts = [t.text for t in chart.find_all("text")]
    assert "Period" in texts and "Test unit" in texts  # axes labelled, the unit shown
    assert "England" in texts and "London" in texts  # the key
    description = chart.one("desc").text
    assert "England: 2022: 21.0, 2023: 21.5, 2024: 22.0, 2025: 22.4." in description
    assert "When the priority was agreed, the latest period was 2023." in description


def test_the_priority_page_says_which_councils_moved(client, priority, bank):
    document = page(client.get(f"/alliances/london/priorities/{priority.pk}/"))
    ks2 = bank.indicators["KS2_RWM"].slug
    improved = rows(document.one("table", id=f"improved-{ks2}"))
    assert improved == [["Camden", "65", "75", "+10"], ["Islington", "50", "51", "+1"]]  # largest first
    assert document.find("table", id=f"worsened-{ks2}") is None
    rereferral = bank.indicators["ReReferral"].slug
    assert rows(document.one("table", id=f"worsened-{rereferral}")) == [["Camden", "22.0", "30.0", "+8.0"]]
    assert "Islington" in document.one("p", id=f"unchanged-{rereferral}").text


def test_an_indicator_without_polarity_says_so_and_councils_rise_or_fall(client, priority, bank):
    document = page(client.get(f"/alliances/london/priorities/{priority.pk}/"))
    cin = bank.indicators["CIN"].slug
    section = document.one("section", id=f"indicator-{cin}")
    assert "No polarity" in section.text
    rose = document.one("table", id=f"worsened-{cin}")
    assert rose.one("caption").text.startswith("Rose")
    assert rows(rose) == [["Islington", "410", "430", "+20"]]
    assert "Camden" in document.one("p", id=f"not-compared-{cin}").text  # suppressed in 2025, never zero


def test_a_priority_agreed_before_any_figure_shows_no_change_yet(client, london, bank, national_admin):
    early = ks2_priority(national_admin, london, bank, title="Early", agreed_on=date(2020, 1, 1))
    document = page(client.get(f"/alliances/london/priorities/{early.pk}/"))
    text = document.one("p", id=f"change-{bank.indicators['KS2_RWM'].slug}").text
    assert "No figures from before the priority was agreed" in text


def test_the_priority_page_reads_a_few_queries_whatever_its_indicators(
    client, priority, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    with django_assert_max_num_queries(8):  # two of them for what works on the indicators' problems
        assert client.get(f"/alliances/london/priorities/{priority.pk}/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/alliances/london/priorities/").status_code == 200


def test_the_priority_page_renders_afresh_after_a_change_though_cached(
    client, priority, london, national_admin
):
    url = f"/alliances/london/priorities/{priority.pk}/"
    assert "Fewer re-referrals" in client.get(url).content.decode()
    priorities.save_priority(
        user=national_admin,
        alliance=london,
        title="Renamed",
        description="",
        indicators=priority.indicators,
        agreed_on=priority.agreed_on,
        priority=priority,
    )
    assert "Renamed" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/alliances/atlantis/priorities/",
        "/alliances/london/priorities/999999/",
        "/alliances/yorkshire-and-the-humber/priorities/{pk}/",  # another alliance's priority
    ],
)
def test_the_pages_answer_404_for_what_is_not_there(client, priority, alliances, url):
    assert client.get(url.format(pk=priority.pk)).status_code == 404


# ---------------------------------------------------------------- who may write


FORM_STATUS = {
    "anonymous": 302,
    "camden_analyst": 403,
    "leeds_admin": 403,
    "london_coordinator": 200,
    "national_admin": 200,
    "evidence_editor": 403,
    "no_membership": 403,
    "camden_chief_executive": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_forms_open_only_for_the_regions_coordinators_and_national_admins(as_persona, priority, persona):
    client = as_persona(persona)
    for url in ("/alliances/london/priorities/new/", f"/alliances/london/priorities/{priority.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == FORM_STATUS[persona], url
        if persona == "anonymous":
            assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_priority_is_refused_to_all_but_the_regions_coordinators_and_national_admins(
    as_persona, london, bank, persona
):
    response = as_persona(persona).post("/alliances/london/priorities/new/", form_data(bank))
    made = Priority.objects.filter(alliance=london, title="Stable placements").first()
    if persona in WRITERS_FOR_LONDON:
        assert response.status_code == 302
        assert response["Location"] == f"/alliances/london/priorities/{made.pk}/"
        assert made.indicators == [bank.indicators["KS2_RWM"].slug]
        assert made.agreed_on == AGREED
        assert made.created_by.username.replace(".", "_") == persona
    else:
        assert response.status_code == FORM_STATUS[persona]
        assert made is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_a_priority_is_refused_to_all_but_managers(as_persona, priority, bank, persona):
    response = as_persona(persona).post(
        f"/alliances/london/priorities/{priority.pk}/edit/",
        form_data(bank, title="Changed", status="achieved"),
    )
    priority.refresh_from_db()
    if persona in WRITERS_FOR_LONDON:
        assert response.status_code == 302
        assert (priority.title, priority.status) == ("Changed", "achieved")
    else:
        assert response.status_code == FORM_STATUS[persona]
        assert priority.title == "Fewer re-referrals, better results at school"


def test_a_london_coordinator_may_not_write_yorkshires_priorities(
    as_persona, alliances, bank, london_coordinator
):
    client = as_persona("london_coordinator")
    url = "/alliances/yorkshire-and-the-humber/priorities/new/"
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(bank)).status_code == 403
    with pytest.raises(PermissionDenied):
        ks2_priority(london_coordinator, alliances["yorkshire-and-the-humber"], bank, title="No")
    assert not Priority.objects.exists()


def test_a_priority_of_another_alliance_cannot_be_changed_through_this_one(
    as_persona, alliances, bank, national_admin
):
    yorkshire = ks2_priority(national_admin, alliances["yorkshire-and-the-humber"], bank, title="Yorkshire's")
    client = as_persona("london_coordinator")
    assert (
        client.post(f"/alliances/london/priorities/{yorkshire.pk}/edit/", form_data(bank)).status_code == 404
    )
    yorkshire.refresh_from_db()
    assert yorkshire.title == "Yorkshire's"


def test_adding_and_changing_a_priority_is_audited_with_who_did_it(
    as_persona, priority, bank, national_admin
):
    as_persona("london_coordinator").post(
        f"/alliances/london/priorities/{priority.pk}/edit/", form_data(bank, title="Changed")
    )
    entries = LogEntry.objects.get_for_object(priority).order_by("timestamp", "id")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].actor.username == "london.coordinator"
    assert entries[1].changes_dict["title"][1] == "Changed"


# ---------------------------------------------------------------- bad input


BAD = [
    ({"title": ""}, "title", "Enter the priority's title"),
    ({"indicators": ""}, "indicators", "Choose at least one indicator"),
    (
        {"indicators": "ks2-rwm\nno-such-thing"},
        "indicators",
        "No indicator has the address name 'no-such-thing'",
    ),
    ({"agreed_on-day": "31", "agreed_on-month": "2"}, "agreed_on-day", "Date agreed must be a real date"),
    ({"agreed_on-day": "", "agreed_on-month": "", "agreed_on-year": ""}, "agreed_on-day", "Enter the date"),
    ({"agreed_on-year": "20x4"}, "agreed_on-day", "Date agreed must be a real date"),
    ({"status": "finished"}, "status", "Select status from the list"),
    ({"title": "x" * 201}, "title", "200 characters"),
    ({"title": "A\x00B"}, "title", ""),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_input_shows_an_error_summary_and_keeps_what_was_typed(
    as_persona, london, bank, change, field, message
):
    data = form_data(bank, **change)
    response = as_persona("london_coordinator").post("/alliances/london/priorities/new/", data)
    assert response.status_code == 200
    document = page(response)
    summary = document.one("div", class_="govuk-error-summary")
    links = summary.find_all("a")
    assert any(a.attrs["href"] == f"#id_{field}" or a.attrs["href"] == f"#{field}" for a in links), [
        a.attrs["href"] for a in links
    ]
    assert message in summary.text
    assert document.one("title").text.startswith("Error:")
    assert not Priority.objects.exists()
    # nothing typed is lost
    if "title" not in change:
        assert document.one("input", name="title").attrs["value"] == "Stable placements"
    assert document.one("input", name="agreed_on-year").attrs.get("value", "") == data["agreed_on-year"]


def test_a_date_agreed_in_the_future_is_refused(as_persona, london, bank):
    later = timezone.localdate() + timedelta(days=3)
    response = as_persona("national_admin").post(
        "/alliances/london/priorities/new/", form_data(bank, **date_fields(later))
    )
    assert response.status_code == 200
    assert (
        "The date agreed must be today or in the past"
        in page(response).one("div", class_="govuk-error-summary").text
    )
    assert not Priority.objects.exists()


def test_the_service_keeps_indicators_in_order_without_repeats(london, bank, national_admin):
    ks2, cin = bank.indicators["KS2_RWM"].slug, bank.indicators["CIN"].slug
    saved = priorities.save_priority(
        user=national_admin,
        alliance=london,
        title=" Spaced ",
        description="",
        indicators=[cin, " ", ks2, cin],
        agreed_on=AGREED,
    )
    assert saved.indicators == [cin, ks2]
    assert saved.title == "Spaced"


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_priorities_api_is_public(as_persona, priority, persona):
    client = as_persona(persona)
    listed = client.get("/api/v1/alliances/london/priorities")
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == priority.pk
    assert body["items"][0]["agreed_on"] == "2024-06-01"
    assert client.get(f"/api/v1/priorities/{priority.pk}").status_code == 200


def test_the_priority_api_gives_the_tracking_figures(client, priority, bank):
    body = client.get(f"/api/v1/priorities/{priority.pk}").json()
    assert body["alliance"] == "london" and body["region"] == "London"
    assert body["not_loaded"] == []
    by_code = {t["code"]: t for t in body["tracking"]}
    assert [t["code"] for t in body["tracking"]] == ["KS2_RWM", "ReReferral", "CIN"]
    rereferral = by_code["ReReferral"]
    assert (rereferral["baseline_period"], rereferral["latest_period"]) == ("2023", "2025")
    assert [p["england"] for p in rereferral["periods"]] == [21.0, 21.5, 22.0, 22.4]
    assert rereferral["england_change"] == pytest.approx(0.9)
    assert [(c["council"]["code"], c["direction"]) for c in rereferral["councils"]] == [
        ("202", "worsened"),
        ("206", "unchanged"),
    ]
    ks2 = by_code["KS2_RWM"]
    assert [(c["council"]["name"], c["change"]) for c in ks2["councils"]] == [
        ("Camden", 10.0),
        ("Islington", 1.0),
    ]
    assert ks2["region_direction"] == "improved"
    cin = by_code["CIN"]
    assert cin["polarity"] == "none"
    assert [c["direction"] for c in cin["councils"]] == ["rose"]
    assert cin["not_compared"] == [{"code": "202", "name": "Camden"}]


def test_the_priorities_api_answers_404_for_what_is_not_there(client, priority, alliances):
    assert client.get("/api/v1/alliances/atlantis/priorities").status_code == 404
    missing = client.get("/api/v1/priorities/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No priority 999999."}
    assert client.get("/api/v1/priorities/0").status_code == 422
    assert client.get("/api/v1/priorities/abc").status_code == 422


def test_the_priorities_api_is_in_the_openapi_as_public(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/alliances/{region}/priorities", "/api/v1/priorities/{priority_id}"):
        operation = spec["paths"][path]["get"]
        assert not operation.get("security")
        assert {"200", "404", "422"} <= set(operation["responses"])


def test_the_data_pack_links_to_the_regions_priorities(as_persona, london, camden_analyst, places):
    cycle = Cycle.objects.create(
        alliance=london,
        year=2026,
        self_assessment_opens=date(2026, 11, 1),
        self_assessment_due=date(2026, 12, 18),
        challenge_opens=date(2027, 1, 4),
        challenge_closes=date(2027, 2, 26),
        plan_due=date(2027, 3, 31),
        delivery_starts=date(2027, 4, 1),
    )
    SelfAssessment.objects.create(authority=places.camden, cycle=cycle, created_by=camden_analyst)
    response = as_persona("camden_analyst").get("/alliances/self-assessments/202/2026/data-pack/")
    assert response.status_code == 200
    link = page(response).one("p", id="priorities-link").one("a")
    assert link.attrs["href"] == "/alliances/london/priorities/"

"""Every workshop page and API route against every persona, the expected outcome spelt out per case.

The rule: a published workshop is public; a draft is seen by its organisers (who made it, its region's
alliance coordinators) and national admins only (404 to others). Organisers and national admins change,
publish and cancel it and see its registrations. Signed-in council staff (any council role, chief
executives and lead members too), coordinators and national admins register; an evidence editor or
someone with no membership may not. Signed out, private pages send people to sign in; the API answers 401.
"""

import pytest

from slihub.workshops import services
from slihub.workshops.models import Event, Registration
from tests.integration.html import page
from tests.integration.test_workshops import form_data, make_event

OK, FORBIDDEN, SIGN_IN, NOT_FOUND, BACK = "ok", "forbidden", "sign in", "not found", "back to the event"
PERSONAS = (
    "anonymous",
    "camden_analyst",
    "leeds_admin",
    "london_coordinator",
    "national_admin",
    "evidence_editor",
    "no_membership",
    "camden_chief_executive",
)


@pytest.fixture
def events(places, people):
    """London's published workshop (made by its coordinator, Camden's analyst has a place), a London draft,
    and Yorkshire's published workshop (made by a national admin)."""
    london = make_event(
        people["london_coordinator"],
        places.london,
        title="London workshop",
        format=Event.Format.HYBRID,
        online_link="https://meet.example.org/london",
    )
    services.register(user=people["camden_analyst"], event=london)
    return {
        "london": london,
        "draft": make_event(people["london_coordinator"], places.london, title="London draft", publish=False),
        "yorkshire": make_event(people["national_admin"], places.yorkshire, title="Yorkshire workshop"),
    }


def outcome(response, path) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 302:
        if response["Location"] == f"/accounts/login/?next={path}":
            return SIGN_IN
        return BACK
    raise AssertionError(f"{path}: {response.status_code}")


EVERYONE = dict.fromkeys(PERSONAS, OK)


def signed_in(expected: str, **others) -> dict:
    return {"anonymous": SIGN_IN, **dict.fromkeys(PERSONAS[1:], expected), **others}


def organisers(event: str) -> dict:
    """The organisers of London's events (its coordinator) or Yorkshire's (national admins only)."""
    london = event != "yorkshire"
    return signed_in(FORBIDDEN, national_admin=OK, london_coordinator=OK if london else FORBIDDEN)


PAGES = [
    ("/workshops/", None, EVERYONE),
    ("/workshops/?when=past", None, EVERYONE),
    ("/workshops/calendar.ics", None, EVERYONE),
    ("/workshops/regions/london/calendar.ics", None, EVERYONE),
    ("/workshops/{pk}/", "london", EVERYONE),
    ("/workshops/{pk}/event.ics", "london", EVERYONE),
    ("/workshops/{pk}/", "yorkshire", EVERYONE),
    (
        "/workshops/{pk}/",
        "draft",
        {**dict.fromkeys(PERSONAS, NOT_FOUND), "london_coordinator": OK, "national_admin": OK},
    ),
    (
        "/workshops/{pk}/event.ics",
        "draft",
        {**dict.fromkeys(PERSONAS, NOT_FOUND), "london_coordinator": OK, "national_admin": OK},
    ),
    ("/workshops/mine/", None, signed_in(OK)),
    ("/workshops/new/", None, signed_in(FORBIDDEN, london_coordinator=OK, national_admin=OK)),
    ("/workshops/{pk}/edit/", "london", organisers("london")),
    ("/workshops/{pk}/edit/", "yorkshire", organisers("yorkshire")),
    ("/workshops/{pk}/publish/", "london", organisers("london")),
    ("/workshops/{pk}/publish/", "draft", signed_in(NOT_FOUND, london_coordinator=OK, national_admin=OK)),
    ("/workshops/{pk}/cancel/", "london", organisers("london")),
    ("/workshops/{pk}/cancel/", "yorkshire", organisers("yorkshire")),
    # the confirmation page is for the person with a place; others are sent back to the event
    ("/workshops/{pk}/cancel-place/", "london", signed_in(BACK, camden_analyst=OK)),
]
PAGE_CASES = [
    (path, event, persona, expected[persona]) for path, event, expected in PAGES for persona in PERSONAS
]


@pytest.mark.parametrize("path, event, persona, expected", PAGE_CASES)
def test_pages(events, as_persona, path, event, persona, expected):
    path = path.format(pk=events[event].pk) if event else path
    assert outcome(as_persona(persona).get(path), path) == expected


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("anonymous", False),
        ("camden_analyst", False),
        ("leeds_admin", False),
        ("london_coordinator", True),
        ("national_admin", True),
        ("evidence_editor", False),
        ("no_membership", False),
        ("camden_chief_executive", False),
    ],
)
def test_only_organisers_see_the_registrations_on_the_event_page(events, as_persona, persona, sees):
    document = page(as_persona(persona).get(f"/workshops/{events['london'].pk}/"))
    table = document.find("table", id="registrations")
    assert (table is not None) == sees
    if sees:
        assert "Camden Analyst" in table.text


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("anonymous", False),
        ("camden_analyst", True),  # has a place
        ("leeds_admin", False),
        ("london_coordinator", True),  # organiser
        ("national_admin", True),
        ("evidence_editor", False),
        ("no_membership", False),
        ("camden_chief_executive", False),
    ],
)
def test_the_online_link(events, as_persona, persona, sees):
    client = as_persona(persona)
    assert (b"meet.example.org/london" in client.get(f"/workshops/{events['london'].pk}/").content) == sees
    detail = client.get(f"/api/v1/workshops/{events['london'].pk}").json()
    assert (detail["online_link"] == "https://meet.example.org/london") == sees


REGISTER = {
    "anonymous": SIGN_IN,
    "camden_analyst": BACK,  # a second place on another event: see test_registering
    "leeds_admin": BACK,
    "london_coordinator": BACK,
    "national_admin": BACK,
    "evidence_editor": FORBIDDEN,
    "no_membership": FORBIDDEN,
    "camden_chief_executive": BACK,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_registering(events, as_persona, persona):
    event = events["yorkshire"]
    path = f"/workshops/{event.pk}/register/"
    response = as_persona(persona).post(path)
    assert outcome(response, path) == REGISTER[persona]
    booked = Registration.objects.filter(event=event, status="booked").count()
    assert booked == (1 if REGISTER[persona] == BACK else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_registering_for_a_draft_is_refused(events, as_persona, persona):
    path = f"/workshops/{events['draft'].pk}/register/"
    expected = {"anonymous": SIGN_IN, "london_coordinator": BACK, "national_admin": BACK}.get(
        persona, NOT_FOUND
    )
    assert outcome(as_persona(persona).post(path), path) == expected
    assert not Registration.objects.filter(event=events["draft"]).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_an_event(events, as_persona, persona):
    event = events["london"]
    path = f"/workshops/{event.pk}/edit/"
    response = as_persona(persona).post(path, form_data(title="Changed"))
    expected = organisers("london")[persona]
    assert outcome(response, path) == (BACK if expected == OK else expected)
    event.refresh_from_db()
    assert (event.title == "Changed") == (expected == OK)


@pytest.mark.parametrize("persona", PERSONAS)
def test_cancelling_an_event(events, as_persona, persona):
    event = events["yorkshire"]
    path = f"/workshops/{event.pk}/cancel/"
    expected = organisers("yorkshire")[persona]
    assert outcome(as_persona(persona).post(path, {"reason": ""}), path) == (
        BACK if expected == OK else expected
    )
    event.refresh_from_db()
    assert (event.status == "cancelled") == (expected == OK)


@pytest.mark.parametrize("persona", PERSONAS)
def test_publishing_a_draft(events, as_persona, persona):
    event = events["draft"]
    path = f"/workshops/{event.pk}/publish/"
    expected = {"anonymous": SIGN_IN, "london_coordinator": BACK, "national_admin": BACK}.get(
        persona, NOT_FOUND
    )
    assert outcome(as_persona(persona).post(path), path) == expected
    event.refresh_from_db()
    assert (event.status == "published") == (expected == BACK)


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_an_event(events, as_persona, persona):
    path = "/workshops/new/"
    expected = signed_in(FORBIDDEN, london_coordinator=BACK, national_admin=BACK)[persona]
    assert outcome(as_persona(persona).post(path, form_data(title="New one")), path) == expected
    assert Event.objects.filter(title="New one").exists() == (expected == BACK)


# The API --------------------------------------------------------------------------------------------

API = [
    ("get", "/api/v1/workshops", None, dict.fromkeys(PERSONAS, 200)),
    ("get", "/api/v1/workshops?past=true", None, dict.fromkeys(PERSONAS, 200)),
    ("get", "/api/v1/workshops/{pk}", "london", dict.fromkeys(PERSONAS, 200)),
    (
        "get",
        "/api/v1/workshops/{pk}",
        "draft",
        {**dict.fromkeys(PERSONAS, 404), "london_coordinator": 200, "national_admin": 200},
    ),
    (
        "get",
        "/api/v1/workshops/{pk}/registrations",
        "london",
        {**dict.fromkeys(PERSONAS, 403), "anonymous": 401, "london_coordinator": 200, "national_admin": 200},
    ),
    (
        "get",
        "/api/v1/workshops/{pk}/registrations",
        "yorkshire",
        {**dict.fromkeys(PERSONAS, 403), "anonymous": 401, "national_admin": 200},
    ),
    (
        "get",
        "/api/v1/workshops/{pk}/registrations",
        "draft",
        {**dict.fromkeys(PERSONAS, 404), "anonymous": 401, "london_coordinator": 200, "national_admin": 200},
    ),
    (
        "post",
        "/api/v1/workshops/{pk}/register",
        "yorkshire",
        {**dict.fromkeys(PERSONAS, 201), "anonymous": 401, "evidence_editor": 403, "no_membership": 403},
    ),
    (
        "post",
        "/api/v1/workshops/{pk}/register",
        "draft",
        {**dict.fromkeys(PERSONAS, 404), "anonymous": 401, "london_coordinator": 400, "national_admin": 400},
    ),
    # only Camden's analyst has a place to cancel; everyone else is told they have none
    (
        "post",
        "/api/v1/workshops/{pk}/cancel",
        "london",
        {**dict.fromkeys(PERSONAS, 400), "anonymous": 401, "camden_analyst": 200},
    ),
]
API_CASES = [
    (m, path, event, persona, expected[persona]) for m, path, event, expected in API for persona in PERSONAS
]


@pytest.mark.parametrize("method, path, event, persona, expected", API_CASES)
def test_api(events, as_persona, method, path, event, persona, expected):
    path = path.format(pk=events[event].pk) if event else path
    response = getattr(as_persona(persona), method)(path)
    assert response.status_code == expected
    if expected >= 400:
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_lists_published_workshops_only(events, as_persona, persona):
    titles = [w["title"] for w in as_persona(persona).get("/api/v1/workshops").json()["items"]]
    assert titles == ["London workshop", "Yorkshire workshop"]


@pytest.mark.parametrize("persona", ["london_coordinator", "national_admin"])
def test_organisers_read_the_registrations(events, as_persona, persona):
    rows = as_persona(persona).get(f"/api/v1/workshops/{events['london'].pk}/registrations").json()
    assert [(r["username"], r["status"], r["authority"]["code"]) for r in rows] == [
        ("camden.analyst", "booked", "202")
    ]

"""The exchange in people's terms: the home page counts what is going on and lists the open requests; a
matching proposal leads with who, when and why, and keeps its points in a details component."""

from datetime import date

import pytest

from slihub.exchange import runs, services
from tests.integration import exchange_helpers as ex
from tests.integration.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def asking(places, leeds_admin):
    """Camden lists Alex, free all 2030; Lee at Leeds lists no dates; Leeds asks for help with its front
    door, on site and urgently, and with child protection, remotely."""
    camden_admin = ex.camden_admin(places)
    alex = ex.specialist(
        places, camden_admin, name="Alex Unlent", swe_number="SW777", expertise=["front_door_mash"]
    )
    services.add_specialist(
        user=leeds_admin,
        authority=places.leeds,
        name="Lee Listed",
        role="Practice lead",
        seniority=2,
        expertise=["edge_of_care"],
        days_per_week=1,
        consent_to_list=True,
    )
    front_door = ex.help_request(
        places, leeds_admin, title="Front door redesign", start=date(2030, 6, 3), end=date(2030, 9, 30)
    )
    protection = ex.help_request(
        places,
        leeds_admin,
        title="Child protection plans",
        expertise_needed=["child_protection", "front_door_mash"],
        mode="remote",
        urgency=1,
        start=date(2030, 7, 1),
        end=date(2030, 8, 29),
    )
    return {"alex": alex, "front_door": front_door, "protection": protection, "camden_admin": camden_admin}


@pytest.fixture
def exchange(asking, places, leeds_admin):
    """As asking, and Camden lends Sam to Leeds (agreed)."""
    return asking | {"loan": ex.agreed_loan(places, leeds_admin, asking["camden_admin"])}


def test_the_home_page_counts_specialists_requests_and_loans(exchange, as_persona):
    document = page(as_persona("camden_analyst").get("/exchange/"))

    counts = document.one(id="exchange-counts").text
    # Sam and Alex have free dates ahead; Lee gave none. Sam's loan is agreed and not over.
    assert "2 specialists available" in counts
    assert "2 open requests for help" in counts
    assert "1 loan under way" in counts
    rows = document.one("table", id="open-requests").one("tbody").find_all("tr")
    assert [r.find_all("td")[0].text for r in rows] == ["Front door redesign", "Child protection plans"]
    assert "3 June 2030 to 30 September 2030, 2 days a week" in rows[0].text


def test_the_home_page_says_when_no_council_is_asking(places, as_persona):
    document = page(as_persona("camden_analyst").get("/exchange/"))

    assert "0 specialists available" in document.one(id="exchange-counts").text
    assert "No council is asking for help at the moment." in document.one("main").text


def test_a_proposal_says_who_when_and_why_and_keeps_the_points_on_request(asking, as_persona, national_admin):
    run, result = runs.run_matching(user=national_admin)
    assert len(result.assignments) == 1  # Alex, for the front door; nobody has child protection free

    main = page(as_persona("national_admin").get("/exchange/matching/")).one("main")

    text = main.text
    assert (
        "Alex Unlent, Camden, team manager, free from 1 January 2030: has the expertise Leeds asked for "
        "(front door and MASH), about" in text
    )
    assert "km away, the request is urgent." in text
    assert "Fit " not in text and "=" not in text and "seniority 3" not in text
    details = main.one("details")
    assert details.one("summary").text.startswith("How this match was scored")
    points = {row.find("th").text: row.find_all("td")[0].text for row in details.one("tbody").find_all("tr")}
    assert points["Expertise asked for that the specialist has"] == "40"
    assert float(points["Total"]) == pytest.approx(run.loans.get().score, abs=0.05)
    # The request left unmatched is named, with the reason in words.
    unmatched = main.one("ul", class_="govuk-list--bullet").text
    assert unmatched.startswith("Leeds: Child protection plans")
    assert "the specialists who could help are proposed for other requests" in unmatched


def test_the_borrowers_own_staff_read_you(asking, as_persona, national_admin):
    runs.run_matching(user=national_admin)
    loan = asking["alex"].loans.get()

    text = page(as_persona("leeds_admin").get(f"/exchange/loans/{loan.pk}/")).one("main").text

    assert "has the expertise you asked for (front door and MASH)" in text
    assert "How this match was scored" in text

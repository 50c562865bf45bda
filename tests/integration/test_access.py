"""Every private route against every persona.

Who may do what (the expected outcome is spelt out per case, not computed from the rule):
council members see their own council's contacts, council admins also add and remove them,
alliance coordinators see those of the authorities in their region, national admins
see and manage all; anonymous visitors are sent to sign in (pages) or get 401 (API).
"""

import pytest

from slihub.accounts.models import Contact
from tests.integration.html import heading, page, table_rows

OK, FORBIDDEN, SIGN_IN = "ok", "forbidden", "sign in"

# (persona, authority code, expected) for seeing the contact list.
VIEW = [
    ("anonymous", "202", SIGN_IN),
    ("anonymous", "383", SIGN_IN),
    ("camden_analyst", "202", OK),
    ("camden_analyst", "206", FORBIDDEN),
    ("camden_analyst", "383", FORBIDDEN),
    ("leeds_admin", "202", FORBIDDEN),
    ("leeds_admin", "206", FORBIDDEN),
    ("leeds_admin", "383", OK),
    ("london_coordinator", "202", OK),
    ("london_coordinator", "206", OK),
    ("london_coordinator", "383", FORBIDDEN),
    ("national_admin", "202", OK),
    ("national_admin", "206", OK),
    ("national_admin", "383", OK),
    # national in reach over the evidence library only: no council's private records
    ("evidence_editor", "202", FORBIDDEN),
    ("evidence_editor", "383", FORBIDDEN),
    # signed in, a member of nothing
    ("no_membership", "202", FORBIDDEN),
    ("no_membership", "383", FORBIDDEN),
    # Camden's chief executive reads its improvement cycle only, never its contacts
    ("camden_chief_executive", "202", FORBIDDEN),
    ("camden_chief_executive", "383", FORBIDDEN),
]

# (persona, authority code, expected) for adding or removing a contact.
MANAGE = [
    ("anonymous", "202", SIGN_IN),
    ("anonymous", "383", SIGN_IN),
    ("camden_analyst", "202", FORBIDDEN),
    ("camden_analyst", "383", FORBIDDEN),
    ("leeds_admin", "202", FORBIDDEN),
    ("leeds_admin", "383", OK),
    ("london_coordinator", "202", FORBIDDEN),
    ("london_coordinator", "383", FORBIDDEN),
    ("national_admin", "202", OK),
    ("national_admin", "383", OK),
    ("evidence_editor", "202", FORBIDDEN),
    ("evidence_editor", "383", FORBIDDEN),
    ("no_membership", "202", FORBIDDEN),
    ("no_membership", "383", FORBIDDEN),
    ("camden_chief_executive", "202", FORBIDDEN),
    ("camden_chief_executive", "383", FORBIDDEN),
]

NAMES = {"202": "Ada Camden", "206": "Iris Islington", "383": "Lee Leeds"}
AUTHORITY_NAMES = {"202": "Camden", "206": "Islington", "383": "Leeds"}
GOOD_CONTACT = {"name": "Pat Smith", "job_title": "Principal social worker", "email": "pat@example.gov.uk"}


def assert_sent_to_sign_in(response, path):
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def assert_forbidden_page(response):
    assert response.status_code == 403
    document = page(response)
    assert heading(document) == "You do not have access to this page"
    assert "govuk-template" in document.one("html").classes  # the house style, not Django's bare 403
    assert "national admin" in document.one("main").text


def assert_api_error(response, status, words):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert words in body["detail"], body


# ---------------------------------------------------------------- the contact list page


@pytest.mark.parametrize(("persona", "code", "expected"), VIEW)
def test_the_contact_list_page_is_open_only_to_those_who_may_see_it(
    as_persona, contacts, persona, code, expected
):
    client = as_persona(persona)
    path = f"/authorities/{code}/contacts/"
    response = client.get(path)
    if expected == SIGN_IN:
        assert_sent_to_sign_in(response, path)
    elif expected == FORBIDDEN:
        assert_forbidden_page(response)
        assert NAMES[code] not in response.content.decode()
    else:
        assert response.status_code == 200
        document = page(response)
        assert heading(document) == "Contacts"
        assert [row[0] for row in table_rows(document.one("table"))] == [NAMES[code]]


@pytest.mark.parametrize(("persona", "code", "expected"), [m for m in MANAGE if m[2] != SIGN_IN])
def test_the_contact_list_offers_add_and_remove_only_to_those_who_may_manage(
    as_persona, contacts, persona, code, expected
):
    response = as_persona(persona).get(f"/authorities/{code}/contacts/")
    if expected == FORBIDDEN and response.status_code == 403:
        return  # cannot even see the list (covered above)
    document = page(response)
    add_links = document.find_all("a", href=f"/authorities/{code}/contacts/add/")
    remove_forms = document.find_all(
        "form", action=f"/authorities/{code}/contacts/{contacts[code].id}/delete/"
    )
    assert (len(add_links), len(remove_forms)) == ((1, 1) if expected == OK else (0, 0))


# ---------------------------------------------------------------- adding a contact


@pytest.mark.parametrize(("persona", "code", "expected"), MANAGE)
def test_the_add_contact_form_is_shown_only_to_those_who_may_manage(
    as_persona, places, persona, code, expected
):
    path = f"/authorities/{code}/contacts/add/"
    response = as_persona(persona).get(path)
    if expected == SIGN_IN:
        assert_sent_to_sign_in(response, path)
    elif expected == FORBIDDEN:
        assert_forbidden_page(response)
        assert "Only" in page(response).one("main").text  # says who can
    else:
        assert response.status_code == 200
        document = page(response)
        assert heading(document) == "Add a contact"
        assert {field.attrs["name"] for field in document.one("main").one("form").find_all("input")} >= {
            "csrfmiddlewaretoken",
            "name",
            "job_title",
            "email",
            "phone",
        }


@pytest.mark.parametrize(("persona", "code", "expected"), MANAGE)
def test_adding_a_contact_is_refused_to_all_but_those_who_may_manage(
    as_persona, places, persona, code, expected
):
    path = f"/authorities/{code}/contacts/add/"
    response = as_persona(persona).post(path, GOOD_CONTACT)
    added = Contact.objects.filter(name="Pat Smith")
    if expected == SIGN_IN:
        assert_sent_to_sign_in(response, path)
        assert not added.exists()
    elif expected == FORBIDDEN:
        assert_forbidden_page(response)
        assert not added.exists()
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/authorities/{code}/contacts/"
        assert [(c.authority.code, c.created_by.username) for c in added] == [
            (code, {"leeds_admin": "leeds.admin", "national_admin": "national.admin"}[persona])
        ]


def test_it_refuses_a_council_member_adding_a_contact(as_persona, places):
    response = as_persona("camden_analyst").post("/authorities/202/contacts/add/", GOOD_CONTACT)
    assert_forbidden_page(response)
    reason = "Only Camden's council admins and national admins can change its contacts."
    assert reason in page(response).one("main").text
    assert not Contact.objects.exists()


# ---------------------------------------------------------------- removing a contact


@pytest.mark.parametrize(("persona", "code", "expected"), MANAGE)
def test_removing_a_contact_is_refused_to_all_but_those_who_may_manage(
    as_persona, contacts, persona, code, expected
):
    path = f"/authorities/{code}/contacts/{contacts[code].id}/delete/"
    response = as_persona(persona).post(path)
    still_there = Contact.objects.filter(pk=contacts[code].pk).exists()
    if expected == SIGN_IN:
        assert_sent_to_sign_in(response, path)
        assert still_there
    elif expected == FORBIDDEN:
        assert_forbidden_page(response)
        assert still_there
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/authorities/{code}/contacts/"
        assert not still_there
    assert Contact.objects.count() == (3 if still_there else 2)  # nobody else's contact went


def test_removing_a_contact_needs_a_post(as_persona, contacts):
    response = as_persona("national_admin").get(f"/authorities/202/contacts/{contacts['202'].id}/delete/")
    assert response.status_code == 405
    assert Contact.objects.filter(pk=contacts["202"].pk).exists()


def test_it_refuses_a_leeds_admin_removing_a_camden_contact_through_a_leeds_address(as_persona, contacts):
    """The contact id is looked up within the authority in the address, so Leeds' rights do not reach it."""
    response = as_persona("leeds_admin").post(f"/authorities/383/contacts/{contacts['202'].id}/delete/")
    assert response.status_code == 404
    assert Contact.objects.filter(pk=contacts["202"].pk).exists()


def test_it_shows_the_page_not_found_for_an_unknown_contact(as_persona, contacts):
    response = as_persona("national_admin").post("/authorities/202/contacts/999999/delete/")
    assert response.status_code == 404
    assert heading(page(response)) == "Page not found"


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize(("persona", "code", "expected"), VIEW)
def test_the_contacts_api_answers_only_those_who_may_see_them(as_persona, contacts, persona, code, expected):
    response = as_persona(persona).get(f"/api/v1/authorities/{code}/contacts")
    if expected == SIGN_IN:
        assert_api_error(response, 401, "Sign in")
    elif expected == FORBIDDEN:
        assert_api_error(response, 403, f"You cannot see {AUTHORITY_NAMES[code]}'s contacts.")
        assert NAMES[code] not in response.text
    else:
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert [item["name"] for item in body["items"]] == [NAMES[code]]
        assert set(body["items"][0]) == {"id", "name", "job_title", "email", "phone", "notes"}


def test_the_contacts_api_answers_404_for_an_unknown_authority(as_persona, contacts):
    response = as_persona("national_admin").get("/api/v1/authorities/999/contacts")
    assert_api_error(response, 404, "No authority has the code '999'.")


# ---------------------------------------------------------------- the admin site


@pytest.mark.parametrize(
    ("persona", "opens"),
    [
        ("anonymous", False),
        ("camden_analyst", False),
        ("leeds_admin", False),
        ("london_coordinator", False),
        ("national_admin", True),
        ("evidence_editor", False),
        ("no_membership", False),
        ("camden_chief_executive", False),
    ],
)
def test_the_admin_site_opens_only_for_national_admins(as_persona, persona, opens):
    response = as_persona(persona).get("/admin/")
    if opens:
        assert response.status_code == 200
        assert "SLI Hub administration" in response.text
    else:
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/admin/"


# ---------------------------------------------------------------- the data itself


def test_a_leeds_admin_never_sees_a_camden_contact_in_any_list(as_persona, contacts):
    client = as_persona("leeds_admin")
    seen = [
        client.get(path).content.decode()
        for path in (
            "/authorities/383/contacts/",
            "/authorities/202/contacts/",
            "/authorities/206/contacts/",
            "/api/v1/authorities/383/contacts",
            "/api/v1/authorities/202/contacts",
            "/api/v1/authorities/E09000007/contacts",
            "/api/v1/authorities/383/contacts?limit=1000",
            "/authorities/202/",
            "/admin/accounts/contact/",
        )
    ]
    assert any("Lee Leeds" in body for body in seen)  # the check would notice a name
    assert not [body for body in seen if "Ada Camden" in body or "Iris Islington" in body]


def test_a_coordinator_sees_the_contacts_of_their_region_only(london_coordinator, contacts):
    from slihub.accounts.models import Contact

    names = sorted(Contact.objects.visible_to(london_coordinator).values_list("name", flat=True))
    assert names == ["Ada Camden", "Iris Islington"]


def test_a_national_admin_membership_alone_reaches_every_council(people, contacts):
    admin = people["national_admin"]
    assert not admin.is_superuser
    assert Contact.objects.visible_to(admin).count() == 3


def test_an_inactive_member_sees_nothing(client, camden_analyst, contacts):
    camden_analyst.is_active = False
    camden_analyst.save()
    assert not Contact.objects.visible_to(camden_analyst).exists()


def test_the_authority_page_links_to_contacts_only_for_those_who_may_see_them(as_persona, places):
    link = "/authorities/202/contacts/"
    assert not page(as_persona("anonymous").get("/authorities/202/")).find_all("a", href=link)
    assert page(as_persona("camden_analyst").get("/authorities/202/")).find_all("a", href=link)


def test_the_leeds_admin_does_not_get_a_contacts_link_on_camdens_page(as_persona, places):
    document = page(as_persona("leeds_admin").get("/authorities/202/"))
    assert not document.find_all("a", href="/authorities/202/contacts/")


# ---------------------------------------------------------------- signed in, a member of nothing


@pytest.fixture
def exchange_records(places, people):
    """Camden's listed specialist, Leeds' open request for help, and a loan of one to the other."""
    from tests.integration import exchange_helpers

    camden_admin = exchange_helpers.camden_admin(places)
    listed = exchange_helpers.specialist(places, camden_admin, name="Sam Listed", consent_to_list=True)
    loan = exchange_helpers.agreed_loan(places, people["leeds_admin"], camden_admin, listed)
    open_request = exchange_helpers.help_request(
        places, people["leeds_admin"], title="Leeds still needs help"
    )
    return {"specialist": listed, "loan": loan, "request": open_request}


PRIVATE_WORDS = ("Sam Listed", "SW123456", "Our front door", "Leeds still needs help", "Ada Camden")


def no_membership_routes(records) -> list[tuple[str, int]]:
    """Every private page and API route, with what a signed-in user who is a member of nothing gets."""
    s, r, loan = records["specialist"].pk, records["request"].pk, records["loan"].pk
    return [
        ("/exchange/", 200),
        ("/exchange/specialists/", 200),
        (f"/exchange/specialists/{s}/", 404),
        (f"/exchange/specialists/{s}/change/", 404),
        ("/exchange/banks/202/", 403),
        ("/exchange/banks/202/add/", 403),
        ("/exchange/requests/", 200),
        (f"/exchange/requests/{r}/", 404),
        ("/exchange/councils/383/ask/", 403),
        ("/exchange/loans/", 200),
        (f"/exchange/loans/{loan}/", 404),
        ("/exchange/matching/", 403),
        ("/exchange/ledger/202/", 403),
        ("/exchange/overview/", 403),
        ("/exchange/concentration/", 403),
        ("/warning/", 403),
        ("/warning/backtest/", 403),
        ("/warning/directors/", 403),
        ("/warning/authorities/202/", 403),
        ("/authorities/202/contacts/", 403),
        ("/authorities/202/contacts/add/", 403),
        ("/api/v1/exchange/specialists", 200),
        (f"/api/v1/exchange/specialists/{s}", 404),
        ("/api/v1/exchange/requests", 200),
        (f"/api/v1/exchange/requests/{r}", 404),
        ("/api/v1/exchange/loans", 200),
        (f"/api/v1/exchange/loans/{loan}", 404),
        ("/api/v1/exchange/ledger/202", 403),
        ("/api/v1/exchange/flows", 403),
        ("/api/v1/exchange/concentration", 403),
        ("/api/v1/warning/scores", 403),
        ("/api/v1/authorities/202/risk", 403),
        ("/api/v1/authorities/202/contacts", 403),
    ]


def test_a_user_with_no_membership_sees_no_councils_private_records(as_persona, exchange_records, contacts):
    client = as_persona("no_membership")
    seen = {}
    for path, expected in no_membership_routes(exchange_records):
        response = client.get(path)
        seen[path] = response.status_code
        body = response.content.decode()
        assert not [w for w in PRIVATE_WORDS if w in body], path
        if path.startswith("/api/") and expected == 200:
            assert response.json() == {"items": [], "count": 0}, path
    assert seen == dict(no_membership_routes(exchange_records))


def test_a_user_with_no_membership_is_refused_every_exchange_write(as_persona, exchange_records):
    client = as_persona("no_membership")
    s, r, loan = (exchange_records[k].pk for k in ("specialist", "request", "loan"))
    api = {
        f"/api/v1/exchange/requests/{r}/offer": {"specialist": s},
        f"/api/v1/exchange/loans/{loan}/accept": None,
        f"/api/v1/exchange/loans/{loan}/decline": None,
        "/api/v1/exchange/ledger/202/redeem": {"days": 1, "memo": "Review"},
        "/api/v1/exchange/match": None,
    }
    answers = {
        path: client.post(path, body, content_type="application/json").status_code
        for path, body in api.items()
    }
    assert answers == {
        f"/api/v1/exchange/requests/{r}/offer": 404,
        f"/api/v1/exchange/loans/{loan}/accept": 404,
        f"/api/v1/exchange/loans/{loan}/decline": 404,
        "/api/v1/exchange/ledger/202/redeem": 403,
        "/api/v1/exchange/match": 403,
    }
    pages = {
        f"/exchange/requests/{r}/offer/": 404,
        f"/exchange/specialists/{s}/withdraw/": 404,
        f"/exchange/loans/{loan}/accept/": 404,
        "/exchange/ledger/202/redeem/": 403,
    }
    assert {path: client.post(path).status_code for path in pages} == pages


def test_members_of_a_council_still_see_the_listed_bank_and_open_requests(as_persona, exchange_records):
    """The rule for no membership takes nothing from council members: Camden sees Leeds' open request,
    and Leeds the specialist it borrows."""
    camden = as_persona("camden_analyst").get("/api/v1/exchange/requests").json()
    assert "Leeds still needs help" in [item["title"] for item in camden["items"]]
    as_persona("anonymous").logout()
    leeds = as_persona("leeds_admin").get("/api/v1/exchange/specialists").json()
    assert [item["reference"] for item in leeds["items"]] == [exchange_records["specialist"].reference]


# ---------------------------------------------------------------- a council's chief executive or lead member


def chief_executive_routes(records) -> list[tuple[str, int]]:
    """Every private page and API route, with what Camden's chief executive gets: the improvement cycle's
    records (its early-warning summary here) and nothing else of Camden's private records."""
    expected = dict(no_membership_routes(records))
    expected["/warning/authorities/202/"] = 200  # Camden's early-warning summary, read-only
    return list(expected.items())


def test_a_chief_executive_sees_nothing_of_their_councils_other_private_records(
    as_persona, exchange_records, contacts
):
    client = as_persona("camden_chief_executive")
    seen = {}
    for path, expected in chief_executive_routes(exchange_records):
        response = client.get(path)
        seen[path] = response.status_code
        body = response.content.decode()
        assert not [w for w in PRIVATE_WORDS if w in body], path
        if path.startswith("/api/") and expected == 200:
            assert response.json() == {"items": [], "count": 0}, path
    assert seen == dict(chief_executive_routes(exchange_records))


def test_a_chief_executive_reads_their_councils_risk_summary_without_the_exchanges_suggestions(
    as_persona, places, people
):
    from slihub.warning import selectors as warning

    client = as_persona("camden_chief_executive")
    response = client.get("/warning/authorities/202/")
    assert response.status_code == 200
    assert heading(page(response)) == "Risk of a poor next inspection"
    assert "Support, quickly" not in response.content.decode()
    assert client.get("/warning/authorities/206/").status_code == 403  # another council's: no
    assert not warning.can_see_support(people["camden_chief_executive"], places.camden)
    assert warning.can_see_support(people["camden_analyst"], places.camden)


def test_a_chief_executive_is_shown_no_way_to_the_watchlist_they_may_not_open(as_persona, places):
    client = as_persona("camden_chief_executive")
    document = client.get("/warning/authorities/202/").content.decode()
    assert 'href="/warning/"' not in document  # neither the navigation nor the back link
    assert 'href="/authorities/202/"' in document
    analyst = as_persona("camden_analyst")
    assert 'href="/warning/"' in analyst.get("/warning/authorities/202/").content.decode()


def test_a_chief_executive_reads_their_councils_self_assessment_but_no_other(places, people):
    from slihub.alliances.models import Cycle, SelfAssessment
    from slihub.alliances.services import ensure_alliances, suggested_cycle

    london = {a.region.slug: a for a in ensure_alliances()}["london"]
    cycle = Cycle.objects.create(alliance=london, year=2026, **suggested_cycle(2026))
    for authority in (places.camden, places.islington):
        SelfAssessment.objects.create(authority=authority, cycle=cycle)
    seen = SelfAssessment.objects.visible_to(people["camden_chief_executive"])
    assert [a.authority.code for a in seen] == ["202"]


def test_a_chief_executive_may_change_nothing_of_their_council(as_persona, exchange_records, contacts):
    client = as_persona("camden_chief_executive")
    assert client.post("/authorities/202/contacts/add/", GOOD_CONTACT).status_code == 403
    assert client.post(f"/authorities/202/contacts/{contacts['202'].id}/delete/").status_code == 403
    assert client.post("/exchange/banks/202/add/").status_code == 403

"""The menu of support: asks and offers (services, matching, pages, API), every persona on every route."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from slihub.alliances import menu
from slihub.alliances.models import Alliance, Ask, MenuStatus, Offer, SupportAgreement
from slihub.evidence.models import LocalPractice
from slihub.indicators.models import Comparison
from tests.integration.conftest import PERSONAS
from tests.integration.exchange_helpers import camden_admin, specialist
from tests.integration.warning_fixtures import indicator, period

TODAY = date(2026, 12, 6)


@pytest.fixture
def strong(places):
    """Camden: top quartile on re-referrals, improving on children in need; a validated practice, a draft
    one, a listed specialist and one not listed. Leeds: a listed specialist of its own. Two alliances."""
    rereferral, cin, cpp = indicator("ReReferral"), indicator("CIN"), indicator("CPP_rate")
    Comparison.objects.create(
        indicator=rereferral, period=period(2024), authority=places.camden, quartile="A", rank=3, ranked=152
    )
    Comparison.objects.create(
        indicator=cin, period=period(2024), authority=places.camden, quartile="B", trend_3="improving"
    )
    Comparison.objects.create(indicator=cpp, period=period(2024), authority=places.camden, quartile="C")
    Comparison.objects.create(
        indicator=rereferral,
        period=period(2024),
        authority=places.islington,
        quartile="C",
        rank=90,
        ranked=152,
    )
    practice = LocalPractice.objects.create(
        authority=places.camden,
        title="Edge of care hub",
        summary="s",
        evidence="e",
        status=LocalPractice.Status.VALIDATED,
        published_at=timezone.now(),
    )
    draft = LocalPractice.objects.create(
        authority=places.camden, title="Draft idea", summary="s", evidence="e"
    )
    admin = camden_admin(places)
    listed = specialist(places, admin)
    unlisted = specialist(places, admin, name="Una Unlisted", consent_to_list=False, swe_number="SW654321")
    from slihub.accounts.models import Role
    from slihub.exchange import services as exchange
    from tests import factories

    leeds_boss = factories.user("leeds.bank", Role.COUNCIL_ADMIN, authority=places.leeds)
    leeds_specialist = exchange.add_specialist(
        user=leeds_boss,
        authority=places.leeds,
        name="Lee Loaned",
        role="Practice lead",
        seniority=4,
        expertise=["children_in_care"],
        days_per_week=2,
        consent_to_list=True,
    )
    london = Alliance.objects.create(region=places.london, name="London alliance")
    yorkshire = Alliance.objects.create(region=places.yorkshire, name="Yorkshire and the Humber alliance")
    return {
        "practice": practice,
        "draft": draft,
        "listed": listed,
        "unlisted": unlisted,
        "leeds_specialist": leeds_specialist,
        "london": london,
        "yorkshire": yorkshire,
    }


def ask_for(authority, area="children_in_care", indicators=(), **fields):
    return Ask.objects.create(
        authority=authority,
        area=area,
        title=fields.pop("title", "Help us"),
        indicators=list(indicators),
        **fields,
    )


def offer_from(authority, area="children_in_care", indicators=(), **fields):
    return Offer.objects.create(
        authority=authority,
        area=area,
        title=fields.pop("title", "We can help"),
        indicators=list(indicators),
        **fields,
    )


def agreement(supporting, supported, days, *, starts_on=TODAY, status="agreed"):
    return SupportAgreement.objects.create(
        supporting=supporting,
        supported=supported,
        area="children_in_care",
        form="mentoring",
        starts_on=starts_on,
        ends_on=starts_on,
        days=days,
        expected_outcomes="Better",
        status=status,
    )


# Posting, changing, closing


def test_a_council_member_posts_an_ask_for_their_own_council_and_it_is_audited(places, camden_analyst):
    ask = menu.post_ask(
        user=camden_analyst,
        authority=places.camden,
        area="care_leavers",
        title="  Care leavers in suitable accommodation  ",
        indicators=[],
    )
    assert ask.title == "Care leavers in suitable accommodation" and ask.posted_by == camden_analyst
    assert ask.status == MenuStatus.OPEN
    assert LogEntry.objects.get_for_object(ask).count() == 1


@pytest.mark.parametrize(
    "who", ["leeds_admin", "london_coordinator", "camden_chief_executive", "evidence_editor"]
)
def test_only_the_councils_own_staff_or_national_admins_post_for_it(places, people, who):
    with pytest.raises(PermissionDenied):
        menu.post_ask(user=people[who], authority=places.camden, area="care_leavers", title="x")
    assert menu.post_ask(
        user=people["national_admin"], authority=places.camden, area="care_leavers", title="x"
    )


def test_a_former_council_cannot_post(places, national_admin):
    with pytest.raises(ValidationError) as error:
        menu.post_ask(user=national_admin, authority=places.cumbria, area="care_leavers", title="x")
    assert "successor" in str(error.value)


def test_bad_input_is_refused_in_words(places, camden_analyst, strong):
    with pytest.raises(ValidationError) as error:
        menu.post_ask(
            user=camden_analyst,
            authority=places.camden,
            area="knitting",
            title="bad\x00title",
            details="x" * 5001,
            indicators=["rereferral", "no-such-indicator"],
        )
    problems = error.value.message_dict
    assert problems["area"] == ["Choose an area of support"]
    assert "control characters" in problems["title"][0]
    assert problems["details"] == ["Details must be 5,000 characters or fewer"]
    assert problems["indicators"] == ["No indicator has the short name no-such-indicator"]
    assert not Ask.objects.exists()


def test_an_offer_is_backed_only_by_the_councils_own_strengths(places, camden_analyst, strong):
    offer = menu.post_offer(
        user=camden_analyst,
        authority=places.camden,
        area="edge_of_care",
        title="Our edge of care hub",
        indicators=["rereferral", "cin"],
        specialists=[strong["listed"].pk],
        practices=[strong["practice"].pk],
    )
    assert offer.indicators == ["rereferral", "cin"]
    assert list(offer.specialists.all()) == [strong["listed"]]
    assert list(offer.practices.all()) == [strong["practice"]]
    with pytest.raises(ValidationError) as error:
        menu.post_offer(
            user=camden_analyst,
            authority=places.camden,
            area="edge_of_care",
            title="Not ours",
            indicators=["cpp-rate"],  # Camden is in the third quartile and not improving
            specialists=[strong["leeds_specialist"].pk],
            practices=[strong["draft"].pk],
        )
    problems = error.value.message_dict
    assert "not cpp-rate" in problems["indicators"][0]
    assert problems["specialists"] == ["Choose only Camden's own specialists listed in the exchange"]
    assert problems["practices"] == ["Choose only Camden's own validated local practice"]
    with pytest.raises(ValidationError):  # listed only with consent
        menu.post_offer(
            user=camden_analyst,
            authority=places.camden,
            area="edge_of_care",
            title="x",
            specialists=[strong["unlisted"].pk],
        )
    assert Offer.objects.count() == 1


def test_change_and_close_an_ask_and_an_offer(places, camden_analyst, leeds_admin, strong):
    ask = ask_for(places.camden)
    offer = offer_from(places.camden, indicators=["rereferral"])
    menu.update_ask(user=camden_analyst, ask=ask, area="send", title="SEND", indicators=["cpp-rate"])
    ask.refresh_from_db()
    assert (ask.area, ask.title, ask.indicators) == ("send", "SEND", ["cpp-rate"])
    menu.update_offer(user=camden_analyst, offer=offer, area="send", title="Ours", indicators=["cin"])
    assert Offer.objects.get().indicators == ["cin"]
    with pytest.raises(PermissionDenied):
        menu.set_status(user=leeds_admin, item=ask, status="closed")
    menu.set_status(user=camden_analyst, item=ask, status="closed")
    assert Ask.objects.get().status == "closed"
    with pytest.raises(ValidationError):
        menu.set_status(user=camden_analyst, item=ask, status="deleted")


# Matching


def test_an_ask_matches_offers_in_its_region_first_then_nationally_never_its_own(places, strong):
    leeds_ask = ask_for(places.leeds, area="children_in_care")
    own = offer_from(places.leeds, area="children_in_care")
    bradford = offer_from(places.bradford, area="permanence_adoption")  # a related area
    camden = offer_from(places.camden, area="children_in_care")
    offer_from(places.islington, area="early_years")  # another group altogether: no match
    found = menu.match_asks([leeds_ask], today=TODAY)[leeds_ask.id]
    assert [m.offer for m in found.regional] == [bradford]
    assert [m.offer for m in found.national] == [camden]
    assert own not in [m.offer for m in found.regional + found.national]
    assert "A closely related area: Permanence and adoption" in found.regional[0].reasons
    assert "In the same region" in found.regional[0].reasons
    assert "The same area: Children in care" in found.national[0].reasons
    assert "In another region" in found.national[0].reasons


def test_the_offering_councils_strength_on_the_asks_indicators_ranks_it_higher(places, strong):
    ask = ask_for(places.leeds, indicators=["rereferral"])
    islington = offer_from(places.islington)
    camden = offer_from(places.camden)
    found = menu.match_asks([ask], today=TODAY)[ask.id]
    assert [m.offer for m in found.national] == [camden, islington]
    assert any(
        r.startswith("Camden is in England's top quartile for Re-referrals")
        for r in found.national[0].reasons
    )


def test_shared_indicators_rank_an_offer_higher(places, strong):
    ask = ask_for(places.leeds, indicators=["cpp-rate"])
    plain = offer_from(places.islington)
    sharing = offer_from(places.camden, indicators=["cpp-rate"])
    found = menu.match_asks([ask], today=TODAY)[ask.id]
    assert [m.offer for m in found.national] == [sharing, plain]
    assert any(r.startswith("Both name 1 indicator:") for r in found.national[0].reasons)


def test_load_spreading_a_council_already_giving_many_agreed_days_ranks_lower(places, strong):
    ask = ask_for(places.leeds)
    camden = offer_from(places.camden)
    islington = offer_from(places.islington)
    agreement(places.islington, places.bradford, 3)
    assert [m.offer for m in menu.match_asks([ask], today=TODAY)[ask.id].national] == [camden, islington]
    agreement(places.camden, places.bradford, 20)
    agreement(places.camden, places.leeds, 10)
    found = menu.match_asks([ask], today=TODAY)[ask.id].national
    assert [m.offer for m in found] == [islington, camden]
    assert "Camden already gives 30 agreed days of support this year" in found[1].reasons


def test_load_counts_only_this_years_agreements_not_cancelled_ones(places, strong):
    agreement(places.camden, places.leeds, 10)
    agreement(places.camden, places.leeds, 40, status="cancelled")
    agreement(places.camden, places.leeds, 50, starts_on=date(2026, 3, 31))  # the year before
    agreement(places.camden, places.leeds, 5, starts_on=date(2027, 3, 31))  # still this year
    agreement(places.camden, places.leeds, 60, starts_on=date(2027, 4, 1))  # next year
    assert menu.days_given([places.camden.id], TODAY) == {places.camden.id: 15}


def test_matching_many_asks_reads_a_fixed_number_of_queries(places, strong, django_assert_max_num_queries):
    asks = [ask_for(places.leeds, indicators=["rereferral"]) for _ in range(6)]
    for council in (places.camden, places.islington, places.bradford):
        offer_from(council)
    asks = list(Ask.objects.select_related("authority"))
    with django_assert_max_num_queries(5):
        found = menu.match_asks(asks, today=TODAY)
    assert all(len(found[a.id].national) == 2 for a in asks)


# Pages


def test_the_alliance_menu_shows_the_regions_asks_with_their_matches_and_filters_by_area(
    places, strong, as_persona, django_assert_max_num_queries
):
    ask_for(places.camden, title="Care help for Camden")
    ask_for(places.camden, area="send", title="SEND help for Camden")
    ask_for(places.leeds, title="Leeds needs")  # another region: not on London's menu
    offer_from(places.islington, title="Islington care offer")
    offer_from(places.leeds, title="Leeds care offer")
    client = as_persona("camden_analyst")
    with django_assert_max_num_queries(20):
        html = client.get("/alliances/london/menu/").content.decode()
    assert "Care help for Camden" in html and "SEND help for Camden" in html and "Leeds needs" not in html
    assert "Islington care offer" in html  # London's offers, and as a match in the region
    assert "Leeds care offer" in html  # a national match for Camden's ask
    assert "Offers that could help, in the region" in html and "In another region" in html
    filtered = client.get("/alliances/london/menu/?area=send").content.decode()
    assert "SEND help for Camden" in filtered and "Care help for Camden" not in filtered
    bad = client.get("/alliances/london/menu/?area=knitting")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    assert "Choose an area of support from the list" in bad.content.decode()


def test_the_council_page_shows_its_asks_and_offers_and_lets_its_own_staff_manage_them(
    places, strong, as_persona
):
    ask_for(places.camden, title="Camden ask")
    offer_from(places.camden, title="Camden offer", indicators=["rereferral"])
    offer_from(places.camden, title="Old offer", status="closed")
    offer_from(places.leeds, title="Leeds care offer")
    html = as_persona("camden_analyst").get("/alliances/menu/202/").content.decode()
    assert "Camden ask" in html and "Camden offer" in html and "Old offer" in html
    assert "Leeds care offer" in html  # a match for Camden's ask
    assert "Post an offer" in html and "Close<span" in html
    other = as_persona("leeds_admin").get("/alliances/menu/202/").content.decode()
    assert "Camden ask" in other and "Post an offer" not in other and "Close<span" not in other


def test_posting_an_ask_through_the_form_and_bad_input_keeps_what_was_typed(places, strong, as_persona):
    client = as_persona("camden_analyst")
    bad = client.post(
        "/alliances/menu/202/asks/new/", {"area": "", "title": "Kept title", "indicators": "nope"}
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "There is a problem" in html
    assert "Choose an area of support" in html and 'value="Kept title"' in html
    wrong = client.post(
        "/alliances/menu/202/asks/new/", {"area": "send", "title": "Kept title", "indicators": "nope"}
    )
    assert wrong.status_code == 400 and "No indicator has the short name nope" in wrong.content.decode()
    good = client.post(
        "/alliances/menu/202/asks/new/", {"area": "send", "title": "SEND help", "indicators": "cin cpp-rate"}
    )
    assert good.status_code == 302 and good.url == "/alliances/menu/202/"
    assert Ask.objects.get().indicators == ["cin", "cpp-rate"]


def test_the_offer_form_shows_the_councils_strengths_and_links_them(places, strong, as_persona):
    client = as_persona("camden_analyst")
    html = client.get("/alliances/menu/202/offers/new/").content.decode()
    assert "Re-referrals within 12 months: top quartile (3 of 152)" in html
    assert ": improving over three periods" in html
    assert "Edge of care hub" in html and "Draft idea" not in html
    assert "Sam Specialist" in html and "Una Unlisted" not in html and "Lee Loaned" not in html
    refused = client.post(
        "/alliances/menu/202/offers/new/",
        {"area": "edge_of_care", "title": "Hub", "specialists": [str(strong["leeds_specialist"].pk)]},
    )
    assert refused.status_code == 400 and "Choose only the specialists listed" in refused.content.decode()
    posted = client.post(
        "/alliances/menu/202/offers/new/",
        {
            "area": "edge_of_care",
            "title": "Hub",
            "indicators": ["rereferral"],
            "specialists": [str(strong["listed"].pk)],
            "practices": [str(strong["practice"].pk)],
        },
    )
    assert posted.status_code == 302
    offer = Offer.objects.get()
    assert offer.indicators == ["rereferral"] and offer.practices.get() == strong["practice"]


def test_changing_and_closing_through_the_pages(places, strong, as_persona):
    offer = offer_from(places.camden, title="Old title")
    client = as_persona("camden_analyst")
    page = client.get(f"/alliances/menu/offers/{offer.pk}/edit/").content.decode()
    assert 'value="Old title"' in page
    saved = client.post(f"/alliances/menu/offers/{offer.pk}/edit/", {"area": "send", "title": "New title"})
    assert saved.status_code == 302 and Offer.objects.get().title == "New title"
    assert client.post(f"/alliances/menu/offers/{offer.pk}/status/", {"status": "closed"}).status_code == 302
    assert Offer.objects.get().status == "closed"
    assert client.post(f"/alliances/menu/offers/{offer.pk}/status/", {"status": "gone"}).status_code == 400


# Every persona on every page

READ, POST = "read", "post"
# What each persona may do: read the menu, and post for Camden.
ALLOWED = {
    "anonymous": set(),
    "camden_analyst": {READ, POST},
    "leeds_admin": {READ},
    "london_coordinator": {READ},
    "national_admin": {READ, POST},
    "evidence_editor": set(),
    "no_membership": set(),
    "camden_chief_executive": {READ},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_on_every_menu_page(places, strong, as_persona, persona):
    ask = ask_for(places.camden)
    offer = offer_from(places.camden)
    client = as_persona(persona)
    pages = {
        "/alliances/london/menu/": READ,
        "/alliances/menu/202/": READ,
        "/alliances/menu/202/asks/new/": POST,
        "/alliances/menu/202/offers/new/": POST,
        f"/alliances/menu/asks/{ask.pk}/edit/": POST,
        f"/alliances/menu/offers/{offer.pk}/edit/": POST,
    }
    for url, needs in pages.items():
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response.url, url
        else:
            assert response.status_code == (200 if needs in ALLOWED[persona] else 403), url
    for url in (f"/alliances/menu/asks/{ask.pk}/status/", f"/alliances/menu/offers/{offer.pk}/status/"):
        response = client.post(url, {"status": "closed"})
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response.url
        else:
            assert response.status_code == (302 if POST in ALLOWED[persona] else 403), url
    closed = POST in ALLOWED[persona]
    assert Ask.objects.get().status == ("closed" if closed else "open")


def test_unknown_alliance_council_and_item_are_404(places, strong, as_persona):
    client = as_persona("national_admin")
    assert client.get("/alliances/atlantis/menu/").status_code == 404
    assert client.get("/alliances/menu/999/").status_code == 404
    assert client.get("/alliances/menu/asks/999999/edit/").status_code == 404
    assert client.get("/alliances/menu/offers/999999/edit/").status_code == 404


# The API


def test_api_lists_asks_and_offers_with_filters_and_pagination(places, strong, as_persona):
    ask_for(places.camden, area="send", title="Camden SEND")
    ask_for(places.leeds, title="Leeds care")
    ask_for(places.leeds, title="Leeds closed", status="closed")
    offer = offer_from(places.camden, indicators=["rereferral"])
    offer.specialists.add(strong["listed"])
    offer.practices.add(strong["practice"])
    client = as_persona("leeds_admin")
    body = client.get("/api/v1/asks").json()
    assert body["count"] == 2 and {a["title"] for a in body["items"]} == {"Camden SEND", "Leeds care"}
    assert [a["title"] for a in client.get("/api/v1/asks?region=london").json()["items"]] == ["Camden SEND"]
    assert [a["title"] for a in client.get("/api/v1/asks?area=children_in_care").json()["items"]] == [
        "Leeds care"
    ]
    assert client.get("/api/v1/asks?authority=383&status=all").json()["count"] == 2
    assert client.get("/api/v1/asks?limit=1").json()["count"] == 2
    assert len(client.get("/api/v1/asks?limit=1").json()["items"]) == 1
    offers = client.get("/api/v1/offers?region=E12000007").json()["items"]
    assert offers[0]["specialists"] == [
        {"id": strong["listed"].pk, "reference": f"S{strong['listed'].pk}", "role": "Team manager"}
    ]
    assert offers[0]["practices"][0]["title"] == "Edge of care hub"
    assert "name" not in offers[0]["specialists"][0]  # anonymised, as in the exchange
    assert client.get("/api/v1/asks?area=knitting").status_code == 422
    assert client.get("/api/v1/asks?region=atlantis").status_code == 404
    assert client.get("/api/v1/offers?authority=999").status_code == 404


def test_api_matches_of_an_ask(places, strong, as_persona):
    ask = ask_for(places.leeds, indicators=["rereferral"])
    offer_from(places.bradford, area="children_in_care", title="Bradford")
    offer_from(places.camden, title="Camden")
    body = as_persona("london_coordinator").get(f"/api/v1/asks/{ask.pk}/matches").json()
    assert body["ask"]["id"] == ask.pk
    assert [m["offer"]["title"] for m in body["regional"]] == ["Bradford"]
    assert [m["offer"]["title"] for m in body["national"]] == ["Camden"]
    assert any("top quartile" in r for r in body["national"][0]["reasons"])
    assert as_persona("london_coordinator").get("/api/v1/asks/999999/matches").status_code == 404


def test_api_posts_asks_and_offers_and_refuses_bad_input_with_a_reason(places, strong, as_persona):
    client = as_persona("camden_analyst")
    made = client.post(
        "/api/v1/asks",
        {"authority": "202", "area": "send", "title": "SEND", "indicators": ["cin"]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["indicators"] == ["cin"]
    offer = client.post(
        "/api/v1/offers",
        {
            "authority": "202",
            "area": "edge_of_care",
            "title": "Hub",
            "indicators": ["rereferral"],
            "specialists": [strong["listed"].pk],
            "practices": [strong["practice"].pk],
        },
        content_type="application/json",
    )
    assert offer.status_code == 201 and offer.json()["practices"][0]["id"] == strong["practice"].pk
    cases = [
        ({"authority": "202", "area": "knitting", "title": "x"}, 400, "area: Choose an area of support"),
        ({"authority": "202", "area": "send", "title": ""}, 400, "title: Enter a title"),
        ({"authority": "202", "area": "send", "title": "x", "indicators": ["nope"]}, 400, "nope"),
        ({"authority": "999", "area": "send", "title": "x"}, 404, "999"),
        ({"authority": "383", "area": "send", "title": "x"}, 403, "Leeds"),
        ({"authority": "202", "area": "send", "title": "x\x00"}, 422, "control characters"),
        ({"area": "send", "title": "x"}, 422, "authority"),
    ]
    for payload, status, reason in cases:
        response = client.post("/api/v1/asks", payload, content_type="application/json")
        assert response.status_code == status, payload
        assert reason in response.json()["detail"], (payload, response.json())
    foreign = client.post(
        "/api/v1/offers",
        {"authority": "202", "area": "send", "title": "x", "specialists": [strong["leeds_specialist"].pk]},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "own specialists" in foreign.json()["detail"]
    not_json = client.post("/api/v1/asks", "{nope", content_type="application/json")
    assert not_json.status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_on_every_menu_api_route(places, strong, as_persona, persona):
    ask = ask_for(places.leeds)
    offer_from(places.camden)
    client = as_persona(persona)
    reads = ["/api/v1/asks", "/api/v1/offers", f"/api/v1/asks/{ask.pk}/matches"]
    for url in reads:
        status = client.get(url).status_code
        expected = 401 if persona == "anonymous" else 200 if READ in ALLOWED[persona] else 403
        assert status == expected, url
    for url in ("/api/v1/asks", "/api/v1/offers"):
        response = client.post(
            url, {"authority": "202", "area": "send", "title": "Posted"}, content_type="application/json"
        )
        expected = 401 if persona == "anonymous" else 201 if POST in ALLOWED[persona] else 403
        assert response.status_code == expected, url
        assert "detail" in response.json() or expected == 201


@pytest.mark.parametrize(
    "persona, shown",
    [
        ("leeds_admin", True),
        ("london_coordinator", True),
        ("national_admin", True),
        # members, chief executives and lead members read the menu but record no agreement
        ("camden_analyst", False),
        ("camden_chief_executive", False),
    ],
)
def test_matches_link_to_record_a_support_agreement_for_those_who_may_record_one(
    places, strong, as_persona, persona, shown
):
    ask = ask_for(places.camden)
    offer = offer_from(places.islington)
    html = as_persona(persona).get("/alliances/london/menu/").content.decode()
    assert (f"/alliances/support/agreements/new/?ask={ask.pk}&amp;offer={offer.pk}" in html) is shown


def test_the_offer_form_keeps_every_tick_and_word_after_an_error(places, strong, as_persona):
    response = as_persona("camden_analyst").post(
        "/alliances/menu/202/offers/new/",
        {
            "area": "edge_of_care",
            "title": "",
            "details": "Kept details",
            "indicators": ["rereferral"],
            "practices": [str(strong["practice"].pk)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and '<a href="#id_title">Enter a title</a>' in html
    assert 'value="rereferral" checked' in html and f'value="{strong["practice"].pk}" checked' in html
    assert "Kept details" in html and '<option value="edge_of_care" selected>' in html


def test_the_council_page_reads_a_fixed_number_of_queries(
    places, strong, as_persona, django_assert_max_num_queries
):
    for n in range(5):
        ask_for(places.camden, title=f"Ask {n}", indicators=["rereferral"])
        offer = offer_from(places.camden, title=f"Offer {n}")
        offer.specialists.add(strong["listed"])
        offer_from(places.leeds, title=f"Leeds offer {n}")
    client = as_persona("camden_analyst")
    with django_assert_max_num_queries(16):
        response = client.get("/alliances/menu/202/")
    assert response.status_code == 200 and "Leeds offer" in response.content.decode()


def test_the_alliance_menu_offers_to_post_for_the_users_own_councils_in_the_region(
    places, strong, as_persona
):
    mine = as_persona("camden_analyst").get("/alliances/london/menu/").content.decode()
    assert 'href="/alliances/menu/202/asks/new/"' in mine and "/alliances/menu/206/asks/new/" not in mine
    assert (
        "/asks/new/"
        not in as_persona("camden_analyst").get("/alliances/yorkshire-and-the-humber/menu/").content.decode()
    )
    assert (
        "/asks/new/" not in as_persona("london_coordinator").get("/alliances/london/menu/").content.decode()
    )


def test_the_ask_form_offers_the_councils_weakest_indicators_to_tick(places, strong, as_persona):
    Comparison.objects.filter(authority=places.camden, indicator__slug="cpp-rate").update(
        quartile="D", trend_3="declining", rank=150, ranked=152
    )
    client = as_persona("camden_analyst")
    html = client.get("/alliances/menu/202/asks/new/").content.decode()
    assert "bottom quartile (150 of 152) and declining over three periods" in html
    assert 'value="rereferral"' not in html  # a strength, not a need
    posted = client.post(
        "/alliances/menu/202/asks/new/",
        {"area": "child_protection", "title": "Plans", "needs": ["cpp-rate"], "indicators": "cin cpp-rate"},
    )
    assert posted.status_code == 302
    ask = Ask.objects.get()
    assert ask.indicators == ["cpp-rate", "cin"]
    edit = client.get(f"/alliances/menu/asks/{ask.pk}/edit/").content.decode()
    assert 'value="cpp-rate" checked' in edit and 'name="indicators" value="cin"' in edit
    refused = client.post(
        "/alliances/menu/202/asks/new/", {"area": "send", "title": "x", "needs": ["rereferral"]}
    )
    assert refused.status_code == 400 and "Choose only the indicators listed" in refused.content.decode()

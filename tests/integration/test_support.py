"""Support agreements between councils and declared capacity: the capacity arithmetic (April to March,
cancelled agreements not counted), the warning before saving beyond capacity and its confirmation, who
sees and changes what (every persona against every page and API route), and bad input (never a 500)."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slihub.accounts.models import Role
from slihub.alliances import support
from slihub.alliances.models import AgreementStatus, Alliance, Offer, SupportAgreement, SupportCapacity
from tests import factories
from tests.integration import exchange_helpers
from tests.integration.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def camden_admin(places):
    return factories.user("camden.admin", Role.COUNCIL_ADMIN, authority=places.camden)


@pytest.fixture
def yorkshire_coordinator(places):
    return factories.user("yorkshire.coordinator", Role.ALLIANCE_COORDINATOR, region=places.yorkshire)


def agree(user, supporting, supported, *, starts_on=date(2026, 6, 1), days=5, confirm=True, **fields):
    values = (
        dict(
            area="front_door_mash",
            form="mentoring",
            ends_on=max(starts_on, date(2026, 9, 30)),
            expected_outcomes="A front door that sends fewer families round again",
        )
        | fields
    )
    return support.create_agreement(
        user=user,
        supporting=supporting,
        supported=supported,
        starts_on=starts_on,
        days=days,
        confirm_over_capacity=confirm,
        **values,
    )


@pytest.fixture
def records(places, people, camden_admin):
    """Camden supports Islington (in London) and Leeds (in Yorkshire); Leeds supports Bradford."""
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=20)
    return {
        "islington": agree(camden_admin, places.camden, places.islington, days=6),
        "leeds": agree(camden_admin, places.camden, places.leeds, days=4),
        "bradford": agree(people["leeds_admin"], places.leeds, places.bradford, days=3),
    }


# ------------------------------------------------------------------ capacity arithmetic


def test_the_support_year_runs_april_to_march():
    assert support.year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert support.year_label(2026) == "April 2026 to March 2027"


def test_days_count_in_the_year_the_agreement_starts_across_the_april_boundary(places, camden_admin):
    agree(camden_admin, places.camden, places.islington, starts_on=date(2027, 3, 31), days=7)
    agree(camden_admin, places.camden, places.islington, starts_on=date(2027, 4, 1), days=2)
    agree(camden_admin, places.camden, places.islington, starts_on=date(2026, 4, 1), days=1)
    assert support.counted_days(places.camden, 2026) == 8
    assert support.counted_days(places.camden, 2027) == 2
    assert support.counted_days(places.camden, 2025) == 0


def test_cancelled_agreements_do_not_count(places, camden_admin):
    agree(camden_admin, places.camden, places.islington, days=7, status=AgreementStatus.CANCELLED)
    agree(camden_admin, places.camden, places.islington, days=3, status=AgreementStatus.COMPLETED)
    assert support.counted_days(places.camden, 2026) == 3
    use = support.capacity_use([places.camden])[places.camden.pk]
    assert [(y.year, y.capacity, y.agreed, y.left) for y in use] == [(2026, None, 3, None)]


def test_capacity_use_lists_each_year_latest_first_with_what_is_left(places, camden_admin):
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=10)
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2027, days=4)
    agree(camden_admin, places.camden, places.islington, starts_on=date(2027, 3, 1), days=12)
    agree(camden_admin, places.camden, places.islington, starts_on=date(2027, 5, 1), days=3)
    use = support.capacity_use([places.camden])[places.camden.pk]
    assert [(y.year, y.capacity, y.agreed, y.left, y.over) for y in use] == [
        (2027, 4, 3, 1, False),
        (2026, 10, 12, -2, True),
    ]
    assert use[1].over_by == 2


# ------------------------------------------------------------------ the warning and its confirmation


def test_saving_beyond_capacity_is_warned_about_with_the_figures(places, camden_admin):
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=10)
    agree(camden_admin, places.camden, places.islington, days=8)
    with pytest.raises(support.OverCapacity) as raised:
        agree(camden_admin, places.camden, places.leeds, days=3, confirm=False)
    check = raised.value.check
    assert (check.year, check.capacity, check.already, check.total) == (2026, 10, 8, 11)
    assert check.figures() == {
        "council": "202",
        "year": 2026,
        "capacity": 10,
        "already_agreed": 8,
        "new_total": 11,
    }
    assert "10 days" in check.reason() and "8 days are already agreed" in check.reason()
    assert SupportAgreement.objects.count() == 1  # nothing saved
    agree(camden_admin, places.camden, places.leeds, days=3, confirm=True)
    assert support.counted_days(places.camden, 2026) == 11


def test_up_to_capacity_needs_no_confirmation(places, camden_admin):
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=10)
    agree(camden_admin, places.camden, places.islington, days=10, confirm=False)


def test_a_council_that_declared_no_capacity_is_warned_about(places, camden_admin):
    with pytest.raises(support.OverCapacity) as raised:
        agree(camden_admin, places.camden, places.islington, days=1, confirm=False)
    assert raised.value.check.capacity is None
    assert "has not declared its capacity" in raised.value.check.reason()


def test_a_cancelled_agreement_is_never_warned_about(places, camden_admin):
    agree(camden_admin, places.camden, places.islington, days=5, confirm=False, status="cancelled")


def test_changing_outcomes_of_an_agreement_beyond_capacity_is_not_warned_about_again(places, camden_admin):
    made = agree(camden_admin, places.camden, places.islington, days=5)
    support.record_progress(
        user=camden_admin, agreement=made, status="agreed", achieved_outcomes="Audit done"
    )
    made.refresh_from_db()
    assert (made.status, made.achieved_outcomes) == ("agreed", "Audit done")


def test_more_days_or_taking_back_a_cancelled_agreement_is_warned_about(places, camden_admin):
    support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=5)
    made = agree(camden_admin, places.camden, places.islington, days=5, confirm=False)
    with pytest.raises(support.OverCapacity):
        support.update_agreement(
            user=camden_admin,
            agreement=made,
            supporting=places.camden,
            supported=places.islington,
            area=made.area,
            form=made.form,
            starts_on=made.starts_on,
            ends_on=made.ends_on,
            days=6,
            expected_outcomes=made.expected_outcomes,
            achieved_outcomes="",
            status=made.status,
        )
    support.record_progress(user=camden_admin, agreement=made, status="cancelled", achieved_outcomes="")
    agree(camden_admin, places.camden, places.leeds, days=5, confirm=False)  # its days are free again
    made.refresh_from_db()
    with pytest.raises(support.OverCapacity) as raised:
        support.record_progress(user=camden_admin, agreement=made, status="agreed", achieved_outcomes="")
    assert (raised.value.check.already, raised.value.check.total) == (5, 10)
    support.record_progress(
        user=camden_admin, agreement=made, status="agreed", achieved_outcomes="", confirm_over_capacity=True
    )


# ------------------------------------------------------------------ validation and permissions


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"supported": "camden"}, "supported"),
        ({"ends_on": date(2026, 5, 1)}, "ends_on"),
        ({"days": 0}, "days"),
        ({"days": 1000}, "days"),
        ({"area": "astrology"}, "area"),
        ({"form": "lunch"}, "form"),
        ({"status": "maybe"}, "status"),
        ({"expected_outcomes": "  "}, "expected_outcomes"),
        ({"supported": "cumbria"}, "supported"),  # a former council
    ],
)
def test_bad_agreements_are_refused_naming_the_field(places, camden_admin, change, field):
    values = (
        dict(
            supporting=places.camden,
            supported=places.islington,
            area="front_door_mash",
            form="mentoring",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 9, 30),
            days=5,
            expected_outcomes="Fewer re-referrals",
            confirm_over_capacity=True,
        )
        | change
    )
    if isinstance(values["supported"], str):
        values["supported"] = getattr(places, values["supported"])
    with pytest.raises(ValidationError) as raised:
        support.create_agreement(user=camden_admin, **values)
    assert field in raised.value.message_dict


def test_a_secondment_links_a_loan_from_the_supporting_to_the_supported_council(places, people, camden_admin):
    loan = exchange_helpers.agreed_loan(places, people["leeds_admin"], camden_admin)  # Camden lends to Leeds
    made = agree(camden_admin, places.camden, places.leeds, form="secondment", loan=loan)
    assert made.loan == loan
    with pytest.raises(ValidationError) as raised:
        agree(camden_admin, places.camden, places.islington, form="secondment", loan=loan)
    assert "loan" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        agree(camden_admin, places.camden, places.leeds, form="mentoring", loan=loan)
    assert raised.value.message_dict["loan"] == ["Only a secondment links an exchange loan"]


def test_an_offer_gives_the_supporter_and_an_ask_the_supported(places, camden_admin):
    offer = Offer.objects.create(authority=places.leeds, area="send", title="Our SEND panel")
    with pytest.raises(ValidationError) as raised:
        agree(camden_admin, places.camden, places.islington, offer=offer)
    assert "supporting" in raised.value.message_dict


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("camden_analyst", False),
        ("leeds_admin", False),  # neither council is Leeds
        ("london_coordinator", True),
        ("national_admin", True),
        ("evidence_editor", False),
        ("no_membership", False),
        ("camden_chief_executive", False),  # reads, never writes
    ],
)
def test_who_may_record_camden_supporting_islington(places, people, persona, allowed):
    if allowed:
        agree(people[persona], places.camden, places.islington)
    else:
        with pytest.raises(PermissionDenied):
            agree(people[persona], places.camden, places.islington)


def test_the_admin_of_either_council_and_either_regions_coordinator_may_record(
    places, people, camden_admin, yorkshire_coordinator
):
    agree(people["leeds_admin"], places.camden, places.leeds)
    agree(yorkshire_coordinator, places.camden, places.leeds)
    agree(camden_admin, places.camden, places.leeds)
    with pytest.raises(PermissionDenied):
        agree(yorkshire_coordinator, places.camden, places.islington)


def test_capacity_is_declared_by_the_councils_admins_its_coordinators_and_national_admins(
    places, people, camden_admin, yorkshire_coordinator
):
    for user in (camden_admin, people["london_coordinator"], people["national_admin"]):
        support.declare_capacity(user=user, authority=places.camden, year=2026, days=12)
    for user in (people["camden_analyst"], people["camden_chief_executive"], people["leeds_admin"]):
        with pytest.raises(PermissionDenied):
            support.declare_capacity(user=user, authority=places.camden, year=2026, days=12)
    with pytest.raises(PermissionDenied):
        support.declare_capacity(user=yorkshire_coordinator, authority=places.camden, year=2026, days=1)
    assert SupportCapacity.objects.get(authority=places.camden, year=2026).days == 12
    with pytest.raises(ValidationError):
        support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=-1)


# ------------------------------------------------------------------ pages: every persona


def url_for(name, records, places):
    return {
        "council": "/alliances/support/202/",
        "capacity": "/alliances/support/202/capacity/",
        "new": "/alliances/support/agreements/new/",
        "agreement": f"/alliances/support/agreements/{records['islington'].pk}/",
        "edit": f"/alliances/support/agreements/{records['islington'].pk}/edit/",
        "alliance": "/alliances/london/support/",
    }[name]


PAGE_ACCESS = {
    # Camden's support page: Camden's own people (its chief executive too), London's coordinators, national
    "council": dict(
        anonymous=302,
        camden_analyst=200,
        leeds_admin=403,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=403,
        no_membership=403,
        camden_chief_executive=200,
    ),
    # Camden's capacity form: its admins, London's coordinators, national admins
    "capacity": dict(
        anonymous=302,
        camden_analyst=403,
        leeds_admin=403,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=403,
        no_membership=403,
        camden_chief_executive=403,
    ),
    # the new agreement form: anyone who may record one for some council
    "new": dict(
        anonymous=302,
        camden_analyst=403,
        leeds_admin=200,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=403,
        no_membership=403,
        camden_chief_executive=403,
    ),
    # Camden supporting Islington: those who may not see it get 404, as for one that does not exist
    "agreement": dict(
        anonymous=302,
        camden_analyst=200,
        leeds_admin=404,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=404,
        no_membership=404,
        camden_chief_executive=200,
    ),
    "edit": dict(
        anonymous=302,
        camden_analyst=403,
        leeds_admin=404,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=404,
        no_membership=404,
        camden_chief_executive=403,
    ),
    # London's support: its coordinators and national admins only
    "alliance": dict(
        anonymous=302,
        camden_analyst=403,
        leeds_admin=403,
        london_coordinator=200,
        national_admin=200,
        evidence_editor=403,
        no_membership=403,
        camden_chief_executive=403,
    ),
}


@pytest.fixture
def london_alliance(places):
    return Alliance.objects.create(region=places.london, name="London Innovation and Improvement Alliance")


@pytest.mark.parametrize("page", list(PAGE_ACCESS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_against_every_page(as_persona, records, places, london_alliance, page, persona):
    client = as_persona(persona)
    response = client.get(url_for(page, records, places))
    assert response.status_code == PAGE_ACCESS[page][persona], (page, persona)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code == 200 and page == "agreement":
        body = response.content.decode()
        assert "Camden supporting Islington" in body
        editable = persona in ("london_coordinator", "national_admin")
        assert ("Record progress" in body) is editable
        assert ("Change the agreement" in body) is editable


def test_camden_readers_see_what_it_gives_and_receives_but_not_leeds_own(as_persona, records):
    body = as_persona("camden_chief_executive").get("/alliances/support/202/").content.decode()
    assert "Islington" in body and "Leeds" in body
    assert "Bradford" not in body  # Leeds supporting Bradford is not Camden's
    assert "Declare capacity" not in body and "Record a support agreement" not in body


def test_the_council_page_shows_capacity_used_in_a_chart_and_a_table(client, records, camden_admin):
    client.force_login(camden_admin)
    body = client.get("/alliances/support/202/").content.decode()
    assert 'role="img"' in body and "Days of support" in body  # the chart's axis and unit
    assert "April 2026 to March 2027" in body
    assert "1 June 2026 to 30 September 2026" in body
    # capacity 20, 10 days agreed, 10 left
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">20</td>' in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">10</td>' in body


def test_the_alliance_page_lists_every_agreement_touching_its_councils(
    client, records, people, london_alliance
):
    client.force_login(people["london_coordinator"])
    body = client.get("/alliances/london/support/").content.decode()
    assert "Islington" in body and "Leeds" in body  # Camden's two
    assert "Bradford" not in body  # Leeds supporting Bradford: no London council
    assert client.get("/alliances/london/support/?year=%C2%B2026").status_code == 200  # ignored, not a 500


def test_the_alliance_page_reads_a_few_queries_whatever_the_agreements(
    client, records, people, london_alliance, django_assert_max_num_queries, camden_admin, places
):
    for _ in range(10):
        agree(camden_admin, places.camden, places.islington)
    client.force_login(people["london_coordinator"])
    with django_assert_max_num_queries(12):
        assert client.get("/alliances/london/support/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/alliances/support/202/").status_code == 200


# ------------------------------------------------------------------ the forms


def form_data(**change):
    data = {
        "supporting": "202",
        "supported": "206",
        "area": "front_door_mash",
        "form": "case_audit",
        "starts_on-day": "14",
        "starts_on-month": "12",
        "starts_on-year": "2026",
        "ends_on-day": "31",
        "ends_on-month": "1",
        "ends_on-year": "2027",
        "days": "15",
        "expected_outcomes": "An audit of 40 cases at the front door",
        "status": "agreed",
    }
    return data | change


def test_the_form_warns_beyond_capacity_keeps_what_was_typed_and_saves_when_confirmed(
    client, records, camden_admin
):
    client.force_login(camden_admin)
    response = client.post("/alliances/support/agreements/new/", form_data())
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-warning-text" in body and "govuk-error-summary" not in body
    assert "20 days" in body and "10 days" in body and "25 days" in body  # capacity, already, new total
    assert "Save anyway" in body
    assert 'value="An audit' not in body and "An audit of 40 cases at the front door" in body
    assert 'name="starts_on-day" type="text" inputmode="numeric" value="14"' in body
    assert SupportAgreement.objects.count() == 3
    response = client.post("/alliances/support/agreements/new/", form_data(confirm_over_capacity="on"))
    assert response.status_code == 302
    made = SupportAgreement.objects.latest("pk")
    assert response["Location"] == f"/alliances/support/agreements/{made.pk}/"
    assert (made.days, made.starts_on, made.recorded_by) == (15, date(2026, 12, 14), camden_admin)
    page = client.get(response["Location"]).content.decode()
    assert "14 December 2026 to 31 January 2027" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"supported": "202"}, "A council cannot support itself"),
        ({"ends_on-year": "2025"}, "The end date must be the same as or after the start date"),
        ({"days": "0"}, "Days must be 1 or more"),
        ({"days": "²"}, "using only the digits 0 to 9"),
        ({"days": "9" * 5000}, "Days must be 999 or fewer"),
        ({"starts_on-month": "13"}, "Start date must be a real date"),
        ({"starts_on-day": ""}, "Start date must include a day"),
        ({"supporting": "999"}, "Choose a council"),
        ({"area": "\x00"}, "control characters"),
        ({"expected_outcomes": "x" * 5001}, "5,000 characters or fewer"),
        ({"status": "maybe"}, "Choose the status"),
    ],
)
def test_bad_input_shows_an_error_summary_and_loses_nothing(client, records, camden_admin, change, message):
    client.force_login(camden_admin)
    response = client.post("/alliances/support/agreements/new/", form_data(**change))
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body
    kept = change.get("expected_outcomes", "An audit of 40 cases at the front door")
    assert kept in body


def test_the_form_is_prefilled_from_an_offer_or_an_ask_the_user_may_see(client, places, camden_admin):
    offer = Offer.objects.create(authority=places.camden, area="send", title="Our SEND panel")
    client.force_login(camden_admin)
    body = client.get(f"/alliances/support/agreements/new/?offer={offer.pk}").content.decode()
    assert "Our SEND panel" in body
    assert '<option value="202" selected>Camden</option>' in body
    assert '<option value="send" selected>SEND</option>' in body
    for bad in ("abc", "99999", "%00", "1" * 50):
        assert client.get(f"/alliances/support/agreements/new/?offer={bad}&ask={bad}").status_code == 200
    data = form_data(offer=str(offer.pk), area="send", confirm_over_capacity="on")
    assert client.post("/alliances/support/agreements/new/", data).status_code == 302
    assert SupportAgreement.objects.get().offer == offer


def test_an_ask_prefills_the_supported_council_and_the_admins_own_council_supports(
    client, places, camden_admin
):
    from slihub.alliances.models import Ask

    ask = Ask.objects.create(authority=places.leeds, area="care_leavers", title="Staying close")
    client.force_login(camden_admin)
    body = client.get(f"/alliances/support/agreements/new/?ask={ask.pk}").content.decode()
    assert "For Leeds's ask: Staying close." in body
    assert '<option value="383" selected>Leeds</option>' in body
    assert '<option value="202" selected>Camden</option>' in body
    assert '<option value="care_leavers" selected>Care leavers</option>' in body


def test_the_capacity_form_saves_and_refuses_bad_years(client, places, camden_admin):
    client.force_login(camden_admin)
    response = client.post("/alliances/support/202/capacity/", {"year": "2026", "days": "30"})
    assert response.status_code == 302 and response["Location"] == "/alliances/support/202/"
    assert SupportCapacity.objects.get(authority=places.camden, year=2026).days == 30
    for data in ({"year": "26", "days": "3"}, {"year": "2026", "days": "-1"}, {"year": "٢٠٢٦", "days": "1"}):
        response = client.post("/alliances/support/202/capacity/", data)
        assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert client.get("/alliances/support/202/capacity/?year=%00").status_code == 200


def test_progress_is_recorded_by_those_who_may_change_it_and_refused_to_readers(
    client, records, camden_admin, people
):
    url = f"/alliances/support/agreements/{records['islington'].pk}/"
    client.force_login(people["camden_chief_executive"])
    assert client.post(url, {"status": "completed", "achieved_outcomes": "x"}).status_code == 403
    client.force_login(camden_admin)
    response = client.post(url, {"status": "completed", "achieved_outcomes": "Forty cases audited"})
    assert response.status_code == 302
    records["islington"].refresh_from_db()
    assert records["islington"].status == "completed"
    assert client.post(url, {"status": "nope"}).status_code == 400


def test_unknown_pages_are_404_not_500(client, records, camden_admin):
    client.force_login(camden_admin)
    for url in (
        "/alliances/support/nowhere/",
        "/alliances/support/agreements/99999/",
        "/alliances/nowhere/support/",
    ):
        assert client.get(url).status_code == 404, url


# ------------------------------------------------------------------ API: every persona


def api(client, method, path, body=None):
    response = getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )
    return response.status_code, json.loads(response.content)


LIST_COUNTS = dict(
    anonymous=401,
    camden_analyst=2,
    leeds_admin=2,
    london_coordinator=2,
    national_admin=3,
    evidence_editor=0,
    no_membership=0,
    camden_chief_executive=2,
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_is_scoped_for_every_persona(as_persona, records, persona):
    status, body = api(as_persona(persona), "get", "/api/v1/support-agreements")
    if persona == "anonymous":
        assert status == 401
    else:
        assert status == 200 and body["count"] == LIST_COUNTS[persona]


ONE_ACCESS = dict(
    anonymous=401,
    camden_analyst=200,
    leeds_admin=404,
    london_coordinator=200,
    national_admin=200,
    evidence_editor=404,
    no_membership=404,
    camden_chief_executive=200,
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_one_agreement_for_every_persona(as_persona, records, persona):
    status, body = api(as_persona(persona), "get", f"/api/v1/support-agreements/{records['islington'].pk}")
    assert status == ONE_ACCESS[persona]
    if status == 200:
        assert body["supporting"]["code"] == "202" and body["year"] == 2026 and body["days"] == 6


def api_body(**change):
    return {
        "supporting": "202",
        "supported": "206",
        "area": "child_protection",
        "form": "diagnostic",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "days": 2,
        "expected_outcomes": "A diagnostic of child protection planning",
    } | change


POST_ACCESS = dict(
    anonymous=401,
    camden_analyst=403,
    leeds_admin=403,
    london_coordinator=201,
    national_admin=201,
    evidence_editor=403,
    no_membership=403,
    camden_chief_executive=403,
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_post_for_every_persona(as_persona, records, persona):
    status, body = api(as_persona(persona), "post", "/api/v1/support-agreements", api_body())
    assert status == POST_ACCESS[persona], body
    assert "detail" in body or status == 201


def test_api_post_beyond_capacity_answers_409_with_the_figures_until_confirmed(client, records, camden_admin):
    client.force_login(camden_admin)
    status, body = api(client, "post", "/api/v1/support-agreements", api_body(days=11))
    assert status == 409
    assert body | {"detail": ""} == {
        "detail": "",
        "council": "202",
        "year": 2026,
        "capacity": 20,
        "already_agreed": 10,
        "new_total": 21,
    }
    assert "beyond the 20 days" in body["detail"]
    status, body = api(
        client, "post", "/api/v1/support-agreements", api_body(days=11, confirm_over_capacity=True)
    )
    assert status == 201 and body["days"] == 11 and body["status"] == "proposed"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"supported": "202"}, 400),
        ({"supported": "nowhere"}, 400),
        ({"ends_on": "2026-09-01"}, 400),
        ({"days": 0}, 422),
        ({"days": 10**40}, 422),
        ({"area": "astrology"}, 400),
        ({"form": "lunch"}, 422),
        ({"starts_on": "2026-02-30"}, 422),
        ({"expected_outcomes": "a\x00b"}, 422),
        ({"loan": 99999}, 400),
        ({"offer": 99999}, 400),
        ({"loan": 0}, 422),
    ],
)
def test_api_post_bad_input_answers_4xx_with_the_reason(client, records, camden_admin, change, status):
    client.force_login(camden_admin)
    got, body = api(
        client, "post", "/api/v1/support-agreements", api_body(confirm_over_capacity=True, **change)
    )
    assert got == status, body
    assert body["detail"]


def test_api_post_refuses_a_body_that_is_not_json(client, camden_admin, places):
    client.force_login(camden_admin)
    response = client.post("/api/v1/support-agreements", data="{not json", content_type="application/json")
    assert response.status_code == 400


CAPACITY_GET = dict(
    anonymous=401,
    camden_analyst=200,
    leeds_admin=404,
    london_coordinator=200,
    national_admin=200,
    evidence_editor=404,
    no_membership=404,
    camden_chief_executive=200,
)
CAPACITY_PUT = CAPACITY_GET | dict(camden_analyst=403, camden_chief_executive=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_capacity_for_every_persona(as_persona, records, persona):
    client = as_persona(persona)
    status, body = api(client, "get", "/api/v1/support-capacity/202/2026")
    assert status == CAPACITY_GET[persona]
    if status == 200:
        assert body == {
            "council": {"code": "202", "ons_code": "E09000007", "name": "Camden"},
            "year": 2026,
            "days": 20,
            "agreed": 10,
            "left": 10,
        }
    status, body = api(client, "put", "/api/v1/support-capacity/202/2027", {"days": 8})
    assert status == CAPACITY_PUT[persona], body
    if status == 200:
        assert (body["year"], body["days"], body["agreed"], body["left"]) == (2027, 8, 0, 8)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/support-capacity/202/1999", {"days": 1}, 422),
        ("/api/v1/support-capacity/202/99999999999", {"days": 1}, 422),
        ("/api/v1/support-capacity/202/2026", {"days": -1}, 422),
        ("/api/v1/support-capacity/202/2026", {"days": "lots"}, 422),
        ("/api/v1/support-capacity/202/2026", {}, 422),
        ("/api/v1/support-capacity/nowhere/2026", {"days": 1}, 404),
    ],
)
def test_api_capacity_bad_input(client, records, camden_admin, path, body, status):
    client.force_login(camden_admin)
    got, answer = api(client, "put", path, body)
    assert got == status and answer["detail"]


def test_every_save_is_audited(places, camden_admin):
    from auditlog.models import LogEntry

    made = agree(camden_admin, places.camden, places.islington)
    support.record_progress(user=camden_admin, agreement=made, status="agreed", achieved_outcomes="")
    capacity = support.declare_capacity(user=camden_admin, authority=places.camden, year=2026, days=3)
    assert LogEntry.objects.get_for_object(made).count() == 2
    assert LogEntry.objects.get_for_object(capacity).count() == 1


def test_a_match_on_the_menu_prefills_both_councils_and_saves_the_ask_and_offer(client, places, camden_admin):
    from slihub.alliances.models import Ask

    ask = Ask.objects.create(authority=places.islington, area="send", title="Our SEND panel needs help")
    offer = Offer.objects.create(authority=places.camden, area="send", title="Our SEND panel")
    client.force_login(camden_admin)
    url = f"/alliances/support/agreements/new/?ask={ask.pk}&offer={offer.pk}"
    body = client.get(url).content.decode()
    assert '<option value="202" selected>Camden</option>' in body
    assert '<option value="206" selected>Islington</option>' in body
    data = form_data(ask=str(ask.pk), offer=str(offer.pk), area="send", confirm_over_capacity="on")
    assert client.post("/alliances/support/agreements/new/", data).status_code == 302
    made = SupportAgreement.objects.get()
    assert (made.ask, made.offer) == (ask, offer)


def test_the_api_list_reads_a_few_queries_whatever_the_agreements(
    client, records, camden_admin, places, django_assert_max_num_queries
):
    for _ in range(10):
        agree(camden_admin, places.camden, places.islington)
    client.force_login(camden_admin)
    with django_assert_max_num_queries(6):
        status, body = api(client, "get", "/api/v1/support-agreements?limit=50")
    assert status == 200 and body["count"] == 12

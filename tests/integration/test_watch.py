"""The concentration and polarisation watch (national and regional pages, API) and the directors' records.

The story: in this year (April to March) Camden gives Leeds 10 days, Leeds gives Camden 4, Bradford
gives Islington 6; Islington's 20 days to Bradford were cancelled (never counted); last year Camden
gave Islington 2. So this year England's six current councils gave 20 days, three of them gave any,
Camden and Leeds both gave and received, and the top 10% (one council, Camden) gave half the days.
Camden has had three new directors in five years (one interim); Leeds one, ten years ago.
"""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry

from slihub.alliances.models import (
    AgreementStatus,
    Alliance,
    DirectorAppointment,
    SupportAgreement,
    support_year,
)
from slihub.indicators.models import Comparison, Indicator, Period
from slihub.stats.concentration import gini
from tests.integration.conftest import PERSONAS
from tests.integration.html import parse

TODAY = date.today()
YEAR = support_year(TODAY)
NAMES_EVERYWHERE = {"national_admin"}
FIGURES = {"camden_analyst", "leeds_admin", "london_coordinator", "national_admin", "camden_chief_executive"}
RECORDERS_FOR_CAMDEN = {"london_coordinator", "national_admin"}


def agree(supporting, supported, starts_on, days, status=AgreementStatus.AGREED):
    return SupportAgreement.objects.create(
        supporting=supporting,
        supported=supported,
        area="early_years",
        form="mentoring",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=60),
        days=days,
        expected_outcomes="Better visits",
        status=status,
    )


@pytest.fixture
def story(places, people):
    for region in (places.london, places.yorkshire, places.north_west):
        Alliance.objects.create(region=region, name=f"{region.name} improvement alliance")
    agree(places.camden, places.leeds, date(YEAR, 5, 1), 10)
    agree(places.leeds, places.camden, date(YEAR, 6, 1), 4, AgreementStatus.PROPOSED)
    agree(places.bradford, places.islington, date(YEAR, 7, 1), 6, AgreementStatus.COMPLETED)
    agree(places.islington, places.bradford, date(YEAR, 8, 1), 20, AgreementStatus.CANCELLED)
    agree(places.camden, places.islington, date(YEAR - 1, 10, 1), 2)
    DirectorAppointment.objects.bulk_create(
        [
            DirectorAppointment(
                authority=places.camden,
                name="Ann Old",
                started_on=TODAY - timedelta(days=4 * 365),
                ended_on=TODAY - timedelta(days=3 * 365),
            ),
            DirectorAppointment(
                authority=places.camden,
                name="Ivy Interim",
                started_on=TODAY - timedelta(days=3 * 365 - 1),
                ended_on=TODAY - timedelta(days=2 * 365),
                interim=True,
            ),
            DirectorAppointment(
                authority=places.camden, name="Nat New", started_on=TODAY - timedelta(days=2 * 365 - 1)
            ),
            DirectorAppointment(
                authority=places.leeds, name="Len Long", started_on=TODAY - timedelta(days=3650)
            ),
        ]
    )
    return places


@pytest.fixture
def gap_bank(places):
    """Children looked after (lower is better) for England's six current councils in two periods: the
    gap between the best and the worst council (a quarter of six is one) widens from 40 to 60."""
    lac = Indicator.objects.create(
        code="LAC",
        slug="lac",
        source="lait",
        name="Children looked after, rate",
        short_name="LAC",
        polarity="low",
        unit="Rate per 10,000",
        decimal_places=0,
    )
    p2023 = Period.objects.create(label="2023", kind="year", start_year=2023, end_year=2023, sort_key=202300)
    p2024 = Period.objects.create(label="2024", kind="year", start_year=2024, end_year=2024, sort_key=202400)
    councils = [places.camden, places.islington, places.leeds, places.bradford, places.north_yorkshire]
    councils.append(places.cumberland)
    rows = []
    for period, values in [(p2023, [50, 60, 70, 80, 85, 90]), (p2024, [40, 60, 70, 80, 85, 100])]:
        for authority, value in zip(councils, values, strict=True):
            rows.append(Comparison(indicator=lac, period=period, authority=authority, value=value))
    rows.append(Comparison(indicator=lac, period=p2024, authority=places.cumbria, value=None, status="c"))
    Comparison.objects.bulk_create(rows)
    return lac


def page(client, url):
    response = client.get(url)
    return response, parse(response.content.decode())


# --- the national page, persona by persona -------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_national_watch_shows_each_persona_what_it_may_see(story, gap_bank, as_persona, persona):
    """Everyone: 200 and the gap. Council, chief executive, coordinator and national users: the support
    figures and director counts. Names of councils both giving and receiving: national admins all of
    them, the London coordinator only Camden (London's), everyone else none."""
    response, html = page(as_persona(persona), "/alliances/watch/")
    assert response.status_code == 200
    text = html.text
    assert html.find(id="gap-lac") is not None and "The gap is widening" in text
    if persona not in FIGURES:
        assert html.find(id="support-years") is None and html.find(id="directors-source") is None
        assert html.find(id="support-sign-in") is not None
        assert ("Sign in" in html.find(id="support-sign-in").text) == (persona == "anonymous")
        assert "Nat New" not in text and "Camden" not in text
        return
    years = html.find(id="support-years")
    this_year = years.find_all("tr")[-1].text
    assert f"April {YEAR} to March {YEAR + 1}" in this_year
    assert "20" in this_year and "3 of 6" in this_year and "50% (1 council)" in this_year
    assert f"{gini([10, 6, 4, 0, 0, 0]):.2f}" in this_year
    assert "2 permanent and 1 interim" in text
    assert "Camden" in html.find(id="directors-many").text
    assert "2 of 6 councils" in html.find(id="directors-source").text
    named = html.find(id="both-names")
    if persona == "national_admin":
        assert "Camden, Leeds" in named.text
        assert {"Camden", "Leeds", "Bradford", "Islington"} <= set(_rows(html, "support-councils"))
    elif persona == "london_coordinator":
        assert "Camden" in named.text and "Leeds" not in named.text
        assert set(_rows(html, "support-councils")) == {"Camden", "Islington"}
    else:
        assert named is None and html.find(id="both-hidden") is not None
        assert html.find(id="support-councils") is None


def _rows(html, table_id) -> list[str]:
    return [th.text for th in html.find(id=table_id).find_all("th") if th.attrs.get("scope") == "row"]


def test_the_national_page_reads_a_few_aggregated_queries(
    story, gap_bank, as_persona, django_assert_max_num_queries
):
    client = as_persona("national_admin")
    client.get("/alliances/watch/")
    with django_assert_max_num_queries(14):
        assert client.get("/alliances/watch/").status_code == 200


def test_the_watch_says_when_nothing_is_recorded(places, people, as_persona):
    Alliance.objects.create(region=places.london, name="London improvement alliance")
    _, html = page(as_persona("camden_analyst"), "/alliances/london/watch/")
    assert html.find(id="no-support") is not None and html.find(id="no-gap") is not None
    assert html.find(id="directors-none-many") is not None


# --- the regional page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_london_s_watch_counts_only_london_s_councils(story, gap_bank, as_persona, persona):
    """London's two councils: Camden gave 10 days (to Leeds) and received 4, so it both gave and
    received; Islington's cancelled days do not count. Too few councils for a gap (fewer than four)."""
    response, html = page(as_persona(persona), "/alliances/london/watch/")
    assert response.status_code == 200
    assert html.find(id="no-gap") is not None
    if persona not in FIGURES:
        assert html.find(id="support-years") is None
        return
    this_year = html.find(id="support-years").find_all("tr")[-1].text
    assert "10" in this_year and "1 of 2" in this_year
    if persona in {"national_admin", "london_coordinator"}:
        assert "Camden" in html.find(id="both-names").text
    else:
        assert html.find(id="both-names") is None


def test_the_london_coordinator_sees_no_names_in_yorkshire(story, as_persona):
    _, html = page(as_persona("london_coordinator"), "/alliances/yorkshire-and-the-humber/watch/")
    assert html.find(id="support-years") is not None and html.find(id="both-names") is None


@pytest.mark.parametrize("slug", ["no-such-region", "watch", "%00", "E12000099"])
def test_an_unknown_region_is_404(story, client, slug):
    assert client.get(f"/alliances/{slug}/watch/").status_code == 404


def test_the_alliance_pages_link_to_the_watch(story, client):
    assert b'href="/alliances/watch/"' in client.get("/alliances/").content
    assert b'href="/alliances/london/watch/"' in client.get("/alliances/london/").content


# --- the directors' pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_camden_s_directors_are_listed_to_every_signed_in_user(story, as_persona, persona):
    """Anonymous: sign in first. Everyone signed in: the list. The link to record one: national admins and
    London's coordinator."""
    response = as_persona(persona).get("/alliances/directors/202/")
    if persona == "anonymous":
        assert response.status_code == 302 and "/login" in response.url
        return
    assert response.status_code == 200
    html = parse(response.content.decode())
    assert [
        th.text for th in html.find(id="appointments").find_all("th") if th.attrs.get("scope") == "row"
    ] == [
        "Nat New",
        "Ivy Interim",
        "Ann Old",
    ]
    assert ("/alliances/directors/202/add/" in response.content.decode()) == (persona in RECORDERS_FOR_CAMDEN)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_national_admins_and_the_region_s_coordinators_open_the_form(story, as_persona, persona):
    """Camden (London): national admin and London coordinator 200; anonymous to sign in; others 403.
    Leeds (Yorkshire): only the national admin."""
    client = as_persona(persona)
    camden, leeds = client.get("/alliances/directors/202/add/"), client.get("/alliances/directors/383/add/")
    if persona == "anonymous":
        assert camden.status_code == leeds.status_code == 302
    else:
        assert camden.status_code == (200 if persona in RECORDERS_FOR_CAMDEN else 403)
        assert leeds.status_code == (200 if persona == "national_admin" else 403)


def _post(client, url, **fields):
    data = {
        "name": "Dee Director",
        "started_on-day": "1",
        "started_on-month": "9",
        "started_on-year": str(TODAY.year + 1),
        "ended_on-day": "",
        "ended_on-month": "",
        "ended_on-year": "",
        "source_url": "https://www.camden.gov.uk/news",
    } | fields
    return client.post(url, data)


def test_the_coordinator_records_a_director_and_the_audit_log_keeps_it(story, as_persona, people):
    client = as_persona("london_coordinator")
    # Nat New has no end date: a second permanent director would overlap, so end Nat's first.
    nat = DirectorAppointment.objects.get(name="Nat New")
    ended = _post(
        client,
        f"/alliances/directors/202/{nat.pk}/edit/",
        name="Nat New",
        **{"started_on-day": str(nat.started_on.day), "started_on-month": str(nat.started_on.month)},
        **{"started_on-year": str(nat.started_on.year), "ended_on-day": "31", "ended_on-month": "8"},
        **{"ended_on-year": str(TODAY.year + 1), "source_url": ""},
    )
    assert ended.status_code == 302
    response = _post(client, "/alliances/directors/202/add/")
    assert response.status_code == 302 and response.url == "/alliances/directors/202/"
    made = DirectorAppointment.objects.get(name="Dee Director")
    assert made.recorded_by == people["london_coordinator"] and not made.interim
    assert LogEntry.objects.get_for_object(made).count() == 1
    assert LogEntry.objects.get_for_object(nat).count() == 1


def test_an_overlapping_permanent_director_is_refused_but_an_interim_is_not(story, as_persona):
    client = as_persona("national_admin")
    response = _post(client, "/alliances/directors/202/add/")
    assert response.status_code == 400
    html = parse(response.content.decode())
    assert "Nat New is recorded as Camden's director" in html.find(class_="govuk-error-summary").text
    assert 'value="Dee Director"' in response.content.decode()
    assert _post(client, "/alliances/directors/202/add/", interim="yes").status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter the director's name"),
        ({"name": "x" * 151}, "150 characters or fewer"),
        ({"name": "Nul\x00l"}, "control characters"),
        ({"started_on-day": ""}, "Start date must include a day"),
        ({"started_on-month": "13"}, "Start date must be a real date"),
        ({"started_on-year": "²⁰²⁵"}, "Start date must be a real date"),
        ({"started_on-day": "", "started_on-month": "", "started_on-year": ""}, "Enter the start date"),
        ({"ended_on-day": "1", "ended_on-month": "1", "ended_on-year": "2020"}, "after the start date"),
        ({"started_on-year": "1900"}, "between 1990 and 2100"),
        ({"source_url": "javascript:alert(1)"}, "full web address"),
    ],
)
def test_bad_input_shows_an_error_summary_and_keeps_what_was_typed(story, as_persona, fields, message):
    response = _post(as_persona("national_admin"), "/alliances/directors/383/add/", **fields)
    assert response.status_code == 400
    summary = parse(response.content.decode()).find(class_="govuk-error-summary")
    assert message in summary.text
    assert 'value="https://www.camden.gov.uk/news"' in response.content.decode() or "source_url" in fields
    assert not DirectorAppointment.objects.filter(authority__code="383", name="Dee Director").exists()


def test_a_director_edited_under_another_council_s_code_is_404(story, as_persona):
    nat = DirectorAppointment.objects.get(name="Nat New")
    assert as_persona("national_admin").get(f"/alliances/directors/383/{nat.pk}/edit/").status_code == 404
    assert as_persona("national_admin").get("/alliances/directors/999/").status_code == 404


def test_a_refused_post_changes_nothing(story, as_persona):
    client = as_persona("leeds_admin")
    assert _post(client, "/alliances/directors/383/add/").status_code == 403
    assert not DirectorAppointment.objects.filter(name="Dee Director").exists()


# --- the API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_watch_api_is_scoped_like_the_page(story, gap_bank, as_persona, persona):
    response = as_persona(persona).get("/api/v1/watch")
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == "England" and body["councils"] == 6
    assert body["gap"][0]["direction"] == "widening" and [p["gap"] for p in body["gap"][0]["points"]] == [
        40,
        60,
    ]
    if persona not in FIGURES:
        assert body["support"] is None and body["directors"] is None and not body["signed_in_figures"]
        return
    this_year = body["support"][-1]
    assert (this_year["days"], this_year["supporters"], this_year["both_count"]) == (20, 3, 2)
    assert this_year["top_share"] == pytest.approx(0.5)
    assert body["directors"]["councils_with_many"][0]["council"]["code"] == "202"
    expected = {"national_admin": ["Camden", "Leeds"], "london_coordinator": ["Camden"]}.get(persona, [])
    assert [c["name"] for c in this_year["both"]] == expected
    assert {c["council"]["name"] for c in this_year["by_council"]} == (
        {"Camden", "Leeds", "Bradford", "Islington"}
        if persona == "national_admin"
        else {"Camden", "Islington"}
        if persona == "london_coordinator"
        else set()
    )


def test_the_regional_watch_api(story, as_persona):
    client = as_persona("leeds_admin")
    body = client.get("/api/v1/watch/london").json()
    assert body["region"]["name"] == "London" and body["support"][-1]["days"] == 10
    assert body["support"][-1]["both"] == [] and body["support"][-1]["both_count"] == 1
    missing = client.get("/api/v1/watch/no-such-region")
    assert missing.status_code == 404 and "detail" in missing.json()
    assert client.get("/api/v1/watch/" + "x" * 101).status_code == 422


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_directors_api_answers_signed_in_users(story, as_persona, persona):
    response = as_persona(persona).get("/api/v1/directors/202")
    if persona == "anonymous":
        assert response.status_code == 401 and response.json()["detail"]
        return
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["appointments"]] == ["Nat New", "Ivy Interim", "Ann Old"]
    assert as_persona(persona).get("/api/v1/directors/999").status_code == 404


def test_the_gap_is_worked_out_once_per_release_of_the_indicators(
    story, gap_bank, as_persona, page_cache, django_capture_on_commit_callbacks
):
    from slihub.places import releases

    client = as_persona("camden_analyst")
    assert "The gap is widening" in page(client, "/alliances/watch/")[1].text
    Comparison.objects.filter(indicator=gap_bank).delete()  # as if by hand: no release raised
    assert "The gap is widening" in page(client, "/alliances/watch/")[1].text
    assert client.get("/api/v1/watch").json()["gap"][0]["direction"] == "widening"
    with django_capture_on_commit_callbacks(execute=True):
        releases.bump(releases.INDICATORS)
    assert parse(client.get("/alliances/watch/").content.decode()).find(id="no-gap") is not None
    assert client.get("/api/v1/watch").json()["gap"][0]["points"] == []


def test_the_service_checks_what_the_form_cannot(story, people):
    """Called directly (the API or a command may one day): refused without the right, with no start date,
    or with an end date before the start; an interim may be made permanent only if no one overlaps."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from slihub.alliances import directors

    camden = story.camden
    with pytest.raises(PermissionDenied):
        directors.record(user=people["leeds_admin"], authority=camden, name="X", started_on=TODAY)
    with pytest.raises(ValidationError) as missing:
        directors.record(user=people["national_admin"], authority=camden, name="X", started_on=None)
    assert missing.value.message_dict["started_on"] == ["Enter the start date"]
    with pytest.raises(ValidationError) as backwards:
        directors.record(
            user=people["national_admin"],
            authority=camden,
            name="X",
            started_on=date(2020, 5, 1),
            ended_on=date(2020, 5, 1),
            interim=True,
        )
    assert "after the start date" in backwards.value.message_dict["ended_on"][0]
    ivy = DirectorAppointment.objects.get(name="Ivy Interim")
    fields = {"name": ivy.name, "started_on": ivy.started_on, "interim": False}
    with pytest.raises(ValidationError) as overlap:  # still in post when Nat New started
        directors.update(
            user=people["london_coordinator"], appointment=ivy, ended_on=TODAY - timedelta(days=365), **fields
        )
    assert "Nat New is recorded as Camden's director" in overlap.value.message_dict["started_on"][0]
    # Between Ann Old's last day and Nat New's first: permanent is fine.
    made = directors.update(
        user=people["london_coordinator"], appointment=ivy, ended_on=ivy.ended_on, **fields
    )
    assert not made.interim


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_national_admins_and_london_s_coordinators_change_camden_s_directors(story, as_persona, persona):
    """The change form: 200 for them (with the recorded values filled in), 403 for every other signed-in
    persona, sign in first for anonymous; a refused post changes nothing."""
    nat = DirectorAppointment.objects.get(name="Nat New")
    client = as_persona(persona)
    response = client.get(f"/alliances/directors/202/{nat.pk}/edit/")
    posted = _post(client, f"/alliances/directors/202/{nat.pk}/edit/", name="Someone Else", interim="yes")
    if persona == "anonymous":
        assert response.status_code == posted.status_code == 302
    elif persona in RECORDERS_FOR_CAMDEN:
        assert response.status_code == 200 and 'value="Nat New"' in response.content.decode()
        assert posted.status_code == 302
    else:
        assert response.status_code == posted.status_code == 403
    nat.refresh_from_db()
    assert (nat.name == "Someone Else") == (persona in RECORDERS_FOR_CAMDEN)

"""Partners in Practice eligibility (rules, command, page, API) and statutory interventions (pages, API)."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from slihub.alliances import partners
from slihub.indicators.models import Comparison
from slihub.inspections.interventions import in_force_on
from slihub.inspections.models import Inspection, Intervention, InterventionKind

GOOD, OUTSTANDING, RI, INADEQUATE = "Good", "Outstanding", "Requires improvement to be good", "Inadequate"
SOURCE = "https://www.gov.uk/government/publications/improvement-notice"
REPO = Path(__file__).resolve().parents[2]


def inspect(authority, start, published, *, kind="standard", overall=GOOD, **grades):
    """A standard (or short) inspection: every judgment `overall` unless named; care leavers too."""
    judgments = {
        "overall_effectiveness": overall,
        "impact_of_leaders": overall,
        "help_and_protection": overall,
        "children_in_care": overall,
        "care_leavers": overall,
    }
    judgments.update(grades)
    return Inspection.objects.create(
        authority=authority,
        kind=kind,
        start_date=start,
        published_on=published,
        sources=["derived_ofsted_ilacs_inspection_history_2018_to_2025-03.csv"],
        **judgments,
    )


def standing(authority, day):
    return next(s for s in partners.eligibility(day) if s.authority == authority)


def intervene(authority, started, ended=None, kind=InterventionKind.IMPROVEMENT_NOTICE):
    return Intervention.objects.create(
        authority=authority, kind=kind, started_on=started, ended_on=ended, source_url=SOURCE
    )


@pytest.fixture
def record(places):
    """Camden: Good in all (2023), then RI for children in care (published 14 March 2025).
    Leeds: Outstanding overall, Good elsewhere; care leavers blank (2019, before separate judgments).
    Bradford: Good overall but RI for help and protection. Islington: Good, under an improvement notice
    from 2024. North Yorkshire: a focused visit only. Cumbria: Good, then gone; Cumberland: nothing."""
    p = places
    inspect(p.camden, date(2023, 5, 8), date(2023, 6, 20))
    inspect(p.camden, date(2025, 1, 20), date(2025, 3, 14), children_in_care=RI)
    inspect(
        p.leeds,
        date(2019, 6, 3),
        date(2019, 7, 30),
        overall=GOOD,
        overall_effectiveness=OUTSTANDING,
        care_leavers="",
    )
    inspect(p.bradford, date(2023, 9, 4), date(2023, 10, 30), help_and_protection=RI)
    inspect(p.islington, date(2022, 3, 7), date(2022, 4, 29), care_leavers="")
    intervene(p.islington, date(2024, 2, 1), date(2024, 11, 30))
    Inspection.objects.create(
        authority=p.north_yorkshire,
        kind="focused visit",
        start_date=date(2024, 1, 8),
        published_on=date(2024, 2, 20),
    )
    inspect(p.cumbria, date(2019, 1, 7), date(2019, 3, 1), kind="short")
    return p


# The rules


def test_good_overall_with_one_sub_judgment_requiring_improvement_is_not_eligible(record):
    s = standing(record.bradford, date(2024, 6, 1))
    assert s.status == partners.NOT_ELIGIBLE
    assert (
        "Requires improvement to be good for the experiences and progress of children who need help"
        in s.reason
    )
    assert "published 30 October 2023" in s.reason


def test_outstanding_and_good_in_every_judgment_is_eligible_with_the_inspection_it_rests_on(record):
    s = standing(record.camden, date(2024, 6, 1))
    assert s.eligible and s.inspection.start_date == date(2023, 5, 8)
    assert s.since == date(2023, 6, 20)  # the publication day, not the inspection's
    leeds = standing(record.leeds, date(2024, 6, 1))
    assert leeds.eligible and leeds.inspection.overall_effectiveness == OUTSTANDING


def test_a_blank_care_leavers_grade_before_2023_is_no_judgment_and_not_held_against_the_council(record):
    s = standing(record.leeds, date(2020, 1, 1))
    assert s.eligible
    care_leavers = next(c for c in s.checks if c.field == "care_leavers")
    assert care_leavers.met and "before 2023" in care_leavers.note


def test_a_blank_care_leavers_grade_from_2023_is_missing_and_not_assumed_good(places):
    inspect(places.leeds, date(2023, 2, 6), date(2023, 3, 20), care_leavers="")
    s = standing(places.leeds, date(2023, 6, 1))
    assert s.status == partners.NOT_ELIGIBLE
    assert "no published grade for the experiences and progress of care leavers" in s.reason


def test_a_blank_main_judgment_is_not_assumed_good(places):
    inspect(places.leeds, date(2021, 2, 6), date(2021, 3, 20), impact_of_leaders="")
    assert standing(places.leeds, date(2022, 1, 1)).status == partners.NOT_ELIGIBLE


def test_a_downgrade_removes_eligibility_on_its_publication_day_and_says_why(record):
    assert standing(record.camden, date(2025, 3, 13)).eligible  # the day before the report came out
    after = standing(record.camden, date(2025, 3, 14))
    assert not after.eligible and after.since == date(2025, 3, 14)
    assert (
        "Requires improvement to be good for the experiences and progress of children in care" in after.reason
    )
    _, changes = partners.council_standing(record.camden, date(2025, 6, 1))
    assert [(c.day, c.gained) for c in changes] == [(date(2025, 3, 14), False), (date(2023, 6, 20), True)]
    assert changes[0].inspection.start_date == date(2025, 1, 20)


def test_the_inspection_date_is_not_the_day_eligibility_changes(record):
    # Inspected on 20 January 2025, but the grade was not known until the report on 14 March.
    assert standing(record.camden, date(2025, 2, 1)).eligible


def test_a_council_under_statutory_intervention_is_not_eligible_and_regains_it_the_day_after_it_ends(record):
    assert standing(record.islington, date(2024, 1, 31)).eligible
    during = standing(record.islington, date(2024, 2, 1))
    assert during.status == partners.NOT_ELIGIBLE
    assert "Under statutory intervention (improvement notice in force since 1 February 2024)" in during.reason
    assert "grades would otherwise qualify" in during.reason
    assert not standing(record.islington, date(2024, 11, 30)).eligible  # its last day in force
    assert standing(record.islington, date(2024, 12, 1)).eligible
    _, changes = partners.council_standing(record.islington, date(2025, 1, 1))
    assert [(c.day, c.gained) for c in changes] == [
        (date(2024, 12, 1), True),
        (date(2024, 2, 1), False),
        (date(2022, 4, 29), True),
    ]
    assert changes[1].intervention.kind == InterventionKind.IMPROVEMENT_NOTICE


def test_visits_change_nothing_and_a_council_with_none_graded_is_not_yet_inspected(record):
    s = standing(record.north_yorkshire, date(2025, 1, 1))
    assert s.status == partners.NOT_INSPECTED and s.inspection is None


def test_reorganised_authorities_are_judged_on_their_own_inspections(record):
    before = {s.authority for s in partners.eligibility(date(2023, 3, 31))}
    after = {s.authority for s in partners.eligibility(date(2023, 4, 1))}
    assert record.cumbria in before and record.cumberland not in before
    assert record.cumberland in after and record.cumbria not in after
    assert standing(record.cumbria, date(2023, 3, 31)).eligible
    assert standing(record.cumberland, date(2023, 4, 1)).status == partners.NOT_INSPECTED
    history = partners.national(date(2024, 1, 1)).history
    ceased = next(c for c in history if c.authority == record.cumbria and not c.gained)
    assert ceased.day == date(2023, 4, 1) and "Cumberland" in ceased.reason


def test_national_history_and_counts_per_region(record):
    report = partners.national(date(2025, 6, 1))
    assert {s.authority.name for s in report.eligible} == {"Islington", "Leeds"}
    assert ("London", 1, 2) in report.regions()
    days = [c.day for c in report.history]
    assert days == sorted(days, reverse=True)
    assert (date(2025, 3, 14), "Camden", False) in [
        (c.day, c.authority.name, c.gained) for c in report.history
    ]


def test_in_force_on_is_inclusive_of_both_ends(record):
    assert in_force_on(record.islington, date(2024, 2, 1)) and in_force_on(
        record.islington, date(2024, 11, 30)
    )
    assert not in_force_on(record.islington, date(2024, 1, 31)) and not in_force_on(
        record.islington, date(2024, 12, 1)
    )


# The command


def test_command_lists_every_council_with_the_inspection_and_reason(record):
    out = StringIO()
    call_command("alliances", "eligibility", "--as-of", "2025-03-14", "--json", stdout=out)
    document = json.loads(out.getvalue())
    councils = {c["name"]: c for c in document["councils"]}
    assert document["as_of"] == "2025-03-14" and document["eligible"] == 2  # Leeds, Islington
    assert councils["Camden"]["eligible"] is False and councils["Camden"]["since"] == "2025-03-14"
    assert councils["Camden"]["inspection"]["start_date"] == "2025-01-20"
    assert councils["Camden"]["inspection"]["judgments"]["children_in_care"] == RI
    assert councils["Leeds"]["eligible"] is True
    assert councils["Cumberland"]["status"] == "not yet inspected"
    assert "Cumbria" not in councils

    out = StringIO()
    call_command("alliances", "eligibility", "--as-of", "2025-03-13", stdout=out)
    text = out.getvalue()
    assert "3 of 6 councils eligible" in text
    assert "Camden (202): Good overall and Good or Outstanding in every judgment" in text


def test_command_refuses_a_bad_date_with_status_2(tmp_path):
    env = {**os.environ, "SLIHUB_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    slihub = Path(sys.executable).with_name("slihub")
    done = subprocess.run(
        [str(slihub), "alliances", "eligibility", "--as-of", "2025-02-30"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 2
    assert "--as-of must be a real date written YYYY-MM-DD" in done.stderr and "2025-02-30" in done.stderr


# The pages


def test_national_page_lists_eligible_councils_history_and_regions(client, record):
    page = client.get("/alliances/partners-in-practice/?as_of-day=1&as_of-month=6&as_of-year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>2</strong> of 6 councils were eligible" in html
    assert "Lost" in html and "14 March 2025" in html
    assert "Requires improvement to be good for the experiences and progress of children in care" in html
    assert 'id="regions"' in html


def test_national_page_as_of_a_day_before_the_downgrade(client, record):
    html = client.get(
        "/alliances/partners-in-practice/?as_of-day=13&as_of-month=3&as_of-year=2025"
    ).content.decode()
    assert "<strong>3</strong> of 6 councils were eligible" in html
    assert "14 March 2025" not in html


def test_national_page_refuses_a_bad_date_with_an_error_summary(client, record):
    page = client.get("/alliances/partners-in-practice/?as_of-day=31&as_of-month=2&as_of-year=2025")
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and "The date must be a real date" in html
    assert 'href="#id_as_of"' in html


def test_authority_page_shows_eligibility_and_interventions(client, record):
    html = client.get("/authorities/206/").content.decode()
    assert 'id="partners"' in html and 'id="interventions"' in html
    assert "Improvement notice" in html and SOURCE in html
    camden = client.get("/authorities/202/").content.decode()
    assert "Not eligible" in camden and "since 14 March 2025" in camden
    assert "No statutory intervention in force, and none recorded before." in camden


def test_interventions_list_is_public(client, record):
    page = client.get("/alliances/interventions/")
    assert page.status_code == 200 and "Islington" in page.content.decode()
    assert "Record an intervention" not in page.content.decode()


FORM = {
    "authority": "",
    "kind": "commissioner",
    "started_on-day": "3",
    "started_on-month": "2",
    "started_on-year": "2025",
    "source_url": SOURCE,
    "notes": "",
}


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("camden_analyst", 403),
        ("leeds_admin", 403),
        ("london_coordinator", 403),
        ("evidence_editor", 403),
        ("no_membership", 403),
        ("national_admin", 200),
    ],
)
def test_only_national_admins_record_and_change_interventions(as_persona, persona, expected, record):
    client = as_persona(persona)
    intervention = Intervention.objects.get()
    assert client.get("/alliances/interventions/add/").status_code == expected
    assert client.get(f"/alliances/interventions/{intervention.pk}/edit/").status_code == expected
    posted = client.post("/alliances/interventions/add/", {**FORM, "authority": record.camden.pk})
    assert posted.status_code == (302 if expected == 200 else expected)
    changed = client.post(
        f"/alliances/interventions/{intervention.pk}/edit/",
        {**FORM, "ended_on-day": "5", "ended_on-month": "2", "ended_on-year": "2025"},
    )
    assert changed.status_code == (302 if expected == 200 else expected)
    made = Intervention.objects.filter(authority=record.camden)
    intervention.refresh_from_db()
    if expected == 200:
        assert made.get().recorded_by.username == "national.admin"
        assert intervention.kind == "commissioner" and intervention.ended_on == date(2025, 2, 5)
        assert LogEntry.objects.get_for_object(intervention).filter(actor__username="national.admin").exists()
    else:
        assert not made.exists() and intervention.kind == InterventionKind.IMPROVEMENT_NOTICE


def test_recording_an_intervention_makes_the_council_ineligible_on_the_public_page(
    as_persona, record, client, page_cache, django_capture_on_commit_callbacks
):
    url = "/alliances/partners-in-practice/?as_of-day=1&as_of-month=6&as_of-year=2025"
    assert client.get(url)["X-Page-Cache"] == "miss"
    before = client.get(url)
    assert before["X-Page-Cache"] == "hit"  # cached for the public
    with django_capture_on_commit_callbacks(execute=True):  # as when the request's transaction commits
        as_persona("national_admin").post(
            "/alliances/interventions/add/", {**FORM, "authority": record.leeds.pk}
        )
    client.logout()
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"  # the interventions release was raised
    assert "<strong>2</strong> of 6" in before.content.decode()
    assert "<strong>1</strong> of 6" in after.content.decode()
    assert "children&#x27;s services commissioner in force since 3 February 2025" in after.content.decode()


def test_the_form_refuses_bad_input_with_an_error_summary(as_persona, record):
    client = as_persona("national_admin")
    bad = {
        **FORM,
        "authority": record.camden.pk,
        "started_on-day": "31",
        "started_on-month": "2",
        "source_url": "not a link",
        "ended_on-month": "1",
    }
    page = client.post("/alliances/interventions/add/", bad)
    html = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in html
    assert "The date it started must be a real date" in html
    assert "The date it ended must include a day and a year" in html
    assert not Intervention.objects.filter(authority=record.camden).exists()
    missing = client.post(
        "/alliances/interventions/add/", {**FORM, "authority": record.camden.pk, "source_url": ""}
    )
    assert "Enter the link to the published notice or direction" in missing.content.decode()
    bad_link = client.post(
        "/alliances/interventions/add/",
        {**FORM, "authority": record.camden.pk, "source_url": "javascript:alert(1)"},
    )
    assert "Enter the link as a full web address" in bad_link.content.decode()
    backwards = {
        **FORM,
        "authority": record.camden.pk,
        "ended_on-day": "1",
        "ended_on-month": "1",
        "ended_on-year": "2025",
    }
    assert (
        "must be the same as or after the date it started"
        in client.post("/alliances/interventions/add/", backwards).content.decode()
    )
    far = {
        **FORM,
        "authority": record.camden.pk,
        "ended_on-day": "31",
        "ended_on-month": "12",
        "ended_on-year": "9999",
    }
    assert (
        "The date it ended must be between 1990 and 2100"
        in client.post("/alliances/interventions/add/", far).content.decode()
    )
    assert not Intervention.objects.filter(authority=record.camden).exists()


# The API


def test_api_eligibility_on_a_day_with_the_inspection_and_history(client, record):
    body = client.get("/api/v1/partners-in-practice?as_of=2025-03-14").json()
    councils = {c["name"]: c for c in body["councils"]}
    assert body["as_of"] == "2025-03-14" and body["eligible"] == 2
    camden = councils["Camden"]
    assert camden["eligible"] is False and camden["since"] == "2025-03-14"
    assert camden["inspection"]["publication_date"] == "2025-03-14"
    assert camden["inspection"]["start_date"] == "2025-01-20"
    assert camden["inspection"]["official"] is True
    assert "children in care" in camden["reason"]
    assert body["history"][0] == {
        "code": "202",
        "name": "Camden",
        "day": "2025-03-14",
        "change": "lost",
        "reason": camden["reason"],
        "inspection_publication_date": "2025-03-14",
        "intervention_kind": None,
    }
    earlier = client.get("/api/v1/partners-in-practice?as_of=2024-06-01").json()
    islington = next(c for c in earlier["councils"] if c["name"] == "Islington")
    assert islington["eligible"] is False and islington["interventions"][0]["kind"] == "improvement notice"


@pytest.mark.parametrize("bad", ["2025-02-30", "yesterday", "2025-13-01"])
def test_api_refuses_a_bad_date_with_422(client, record, bad):
    response = client.get(f"/api/v1/partners-in-practice?as_of={bad}")
    assert response.status_code == 422 and "as_of" in response.json()["detail"]


def test_api_intervention_status_in_force_and_past(client, record):
    intervene(record.islington, date(2020, 1, 6), None, kind=InterventionKind.COMMISSIONER)
    body = client.get("/api/v1/authorities/E09000019/intervention-status").json()
    assert body["code"] == "206" and body["under_intervention"] is True
    assert [i["kind"] for i in body["in_force"]] == ["commissioner"]
    assert [(i["kind"], i["ended_on"]) for i in body["past"]] == [("improvement notice", "2024-11-30")]
    camden = client.get("/api/v1/authorities/202/intervention-status").json()
    assert camden["under_intervention"] is False and camden["in_force"] == camden["past"] == []


def test_api_intervention_status_of_an_unknown_code_is_404(client, record):
    response = client.get("/api/v1/authorities/999/intervention-status")
    assert response.status_code == 404 and "999" in response.json()["detail"]


# Strengths


def test_strengths_page_shows_top_quartile_and_improving_indicators_good_judgments_and_practice(
    as_persona, record
):
    from django.utils import timezone

    from slihub.evidence.models import LocalPractice
    from tests.integration.exchange_helpers import specialist
    from tests.integration.warning_fixtures import indicator, period

    rereferrals, cin, cpp = indicator("ReReferral"), indicator("CIN"), indicator("CPP_rate")
    for year, quartile in ((2023, "D"), (2024, "A")):  # only the latest period counts
        Comparison.objects.create(
            indicator=rereferrals,
            period=period(year),
            authority=record.camden,
            quartile=quartile,
            rank=3,
            ranked=152,
        )
    Comparison.objects.create(
        indicator=cin, period=period(2024), authority=record.camden, quartile="B", trend_3="improving"
    )
    Comparison.objects.create(
        indicator=cpp, period=period(2024), authority=record.camden, quartile="A", trend_3="declining"
    )
    Comparison.objects.create(
        indicator=cpp, period=period(2025), authority=record.camden, quartile="C", trend_3="declining"
    )
    LocalPractice.objects.create(
        authority=record.camden,
        title="Edge of care hub",
        summary="s",
        evidence="e",
        status=LocalPractice.Status.VALIDATED,
        published_at=timezone.now(),
    )
    LocalPractice.objects.create(authority=record.camden, title="Draft idea", summary="s", evidence="e")
    specialist(record)

    html = as_persona("anonymous").get("/alliances/strengths/202/").content.decode()
    assert "Re-referrals within 12 months" in html and "Top quartile (3 of 152)" in html
    assert "Children in need rate" in html and "Improving over three periods" in html
    assert "Child protection plan rate" not in html  # top quartile once, not at its latest period
    # Camden's latest inspection: Good except children in care (Requires improvement)
    assert (
        "Good: the impact of leaders" in html
        and "the experiences and progress of children in care" not in html
    )
    assert "Edge of care hub" in html and "Draft idea" not in html
    assert 'id="specialist-count"' not in html  # the exchange is private

    signed_in = as_persona("leeds_admin").get("/alliances/strengths/202/").content.decode()
    assert "Camden lists 1 specialist in the exchange." in signed_in


def test_strengths_of_an_unknown_council_is_404(client, record):
    assert client.get("/alliances/strengths/999/").status_code == 404


def test_a_page_cached_one_day_is_rendered_afresh_the_next(client, record, monkeypatch, page_cache):
    # An intervention ends or starts on a date with no write to the database: what is in force "today"
    # must not come from yesterday's cached page.
    from django.utils import timezone

    assert client.get("/alliances/interventions/")["X-Page-Cache"] == "miss"
    assert client.get("/alliances/interventions/")["X-Page-Cache"] == "hit"
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get("/alliances/interventions/")["X-Page-Cache"] == "miss"
    assert client.get("/authorities/202/")["X-Page-Cache"] == "miss"

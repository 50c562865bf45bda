"""The evidence library in a browser: search 'parenting', open a practice, read its forest plot and table."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser

PRACTICE = "incredible-years-preschool"
# Test studies for the practice: the starter content's EIF statements carry no variances to pool.
TEST_STUDIES = [("Test trial A", 2001, 0.45, 0.04, 120), ("Test trial B", 2005, 0.30, 0.02, 240)]
TEST_STUDIES += [("Test trial C", 2010, 0.38, 0.03, 160)]


@pytest.fixture
def evidence(reference_data, tmp_path):
    from django.conf import settings

    from slihub.evidence import search, synthesis
    from slihub.evidence.models import EffectEstimate, Outcome, Practice, Study
    from slihub.evidence.services import load_evidence

    if not settings.EVIDENCE_DIR:
        pytest.skip("no evidence starter content folder")
    load_evidence(settings.EVIDENCE_DIR)
    practice = Practice.objects.get(slug=PRACTICE)
    outcome = Outcome.objects.create(slug="test-behaviour", name="Child behaviour (test data)")
    for citation, year, yi, vi, n in TEST_STUDIES:
        study = Study.objects.create(
            practice=practice, key=citation, citation=citation, year=year, design="rct", n_total=n
        )
        EffectEstimate.objects.create(study=study, outcome=outcome, measure="SMD", yi=yi, vi=vi)
    synthesis.recompute([practice.pk])
    search.reindex([practice.pk])


def test_a_newcomer_searches_parenting_and_reads_a_practice(page, site, axe, evidence):
    page.goto(site + "/")
    page.get_by_role("link", name="Evidence", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What works: evidence library")
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("searchbox", name="Search").fill("parenting")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("matching “parenting”"))).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name="Incredible Years Preschool", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incredible Years Preschool")
    plot = page.locator("main svg[role='img']").first
    expect(plot).to_be_visible()
    expect(plot.locator("title").first).to_contain_text("Forest plot")
    table = page.get_by_role("table", name=re.compile("The forest plot as a table"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(TEST_STUDIES) + 2)  # each study, the pooled row, the prediction interval
    expect(rows.nth(len(TEST_STUDIES))).to_contain_text("Pooled")
    expect(rows.last).to_contain_text("95% prediction interval")
    expect(page.get_by_role("term").filter(has_text="95% prediction interval")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Why the certainty is"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Recommendation", exact=True)).to_be_visible()
    expect(page.get_by_text("Cost rating 2 of 5")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role(
        "link",
        name=re.compile(
            "^How the “(harm|too-little|certain-no-benefit|offer|consider-cost|consider-uncertain|unclear)” "
            "rule works$"
        ),
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the evidence is judged")
    check_accessibility(axe, page)
    check_reflow(page)


def test_council_pages_upload_studies(page, site, axe, camden_member, tmp_path):
    sign_in(page, site, "camden.member")
    page.goto(site + "/evidence/upload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload studies")
    check_accessibility(axe, page)
    check_reflow(page)
    bad = tmp_path / "studies.csv"
    bad.write_text(
        "practice,citation,year,design,outcome,measure,yi\nno-such-practice,X,2020,rct,Y,SMD,0.1\n"
    )
    page.get_by_label("CSV file of studies").set_input_files(str(bad))
    page.get_by_role("button", name="Upload studies").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 2, column 1")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(axe, page)
    check_reflow(page)


def test_an_upload_waits_for_review_and_an_evidence_editor_publishes_it(
    page, site, axe, camden_member, tmp_path
):
    from slihub.accounts.models import Role
    from slihub.evidence.models import Practice, Study

    Practice.objects.create(slug="test-parenting-group", name="Test parenting group", source="upload")
    person("evidence.editor", Role.EVIDENCE_EDITOR)
    sign_in(page, site, "camden.member")
    page.goto(site + "/evidence/upload/")
    good = tmp_path / "camden-trials.csv"
    good.write_text(
        "practice,citation,year,design,outcome,measure,yi,vi\n"
        "test-parenting-group,Able (2019) A trial,2019,rct,Child behaviour,SMD,0.35,0.02\n"
        "test-parenting-group,Baker (2021) A second trial,2021,rct,Child behaviour,SMD,0.25,0.03\n"
    )
    page.get_by_label("CSV file of studies").set_input_files(str(good))
    page.get_by_role("button", name="Upload studies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("camden-trials.csv")
    expect(page.locator("main")).to_contain_text("Awaiting review")
    assert not Study.objects.filter(practice__slug="test-parenting-group").exists()
    check_accessibility(axe, page)

    switch_user(page, site, "evidence.editor")
    page.goto(site + "/evidence/uploads/")
    check_accessibility(axe, page)
    page.get_by_role("link", name="camden-trials.csv").click()
    expect(page.get_by_role("heading", name="Effect on the pooled results")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Test parenting group"))).to_contain_text("Not pooled")
    page.get_by_role("button", name="Save decision").click()  # no choice made
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether to publish the upload")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("Yes, publish them and update the pooled results").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("main")).to_contain_text("Published")
    check_accessibility(axe, page)

    page.goto(site + "/evidence/test-parenting-group/")
    expect(page.locator("main svg[role='img']").first).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("The forest plot as a table"))).to_contain_text(
        "Able (2019)"
    )


def person(username, role, *, code=None, region=None):
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority, Region

    user, _ = ensure_user(
        username=username,
        full_name=username.replace(".", " ").title(),
        password=PASSWORD,
        role=role,
        authority=Authority.objects.get(code=code) if code else None,
        region=Region.objects.get(name=region, parent=None) if region else None,
    )
    return user


@pytest.fixture
def validators(reference_data, camden_member, camden_admin):
    from slihub.accounts.models import Role

    return {
        "coordinator": person("london.coordinator", Role.ALLIANCE_COORDINATOR, region="London"),
        "leeds": person("leeds.member", Role.COUNCIL_MEMBER, code="383"),
        "bradford": person("bradford.member", Role.COUNCIL_MEMBER, code="380"),
    }


def switch_user(page, site, username):
    page.context.clear_cookies()
    sign_in(page, site, username)


def forged_post(page, url, data):
    """A POST the page offers no form for, with the CSRF token of the page's own sign-out form."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    return page.request.post(url, form={"csrfmiddlewaretoken": token, **data}, headers={"Referer": url})


def test_local_practice_from_submission_through_two_validations_to_publication(
    page, site, axe, validators, reference_data
):
    from slihub.accounts.models import Membership

    # A Camden member submits their council's practice; the form reports what is missing.
    sign_in(page, site, "camden.member")
    page.goto(site + "/evidence/local/submit/")
    page.get_by_role("button", name="Submit for peer validation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_be_focused()
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_label("Title").fill("Family group conferences at the front door")
    page.get_by_label("What was done").fill("Every family referred is offered a family group conference.")
    page.get_by_label("Who it was for").fill("Families re-referred within a year")
    page.get_by_label("The outcome you measured").fill("Re-referrals within 12 months")
    page.get_by_label("Before the practice").fill("24% of 310 referrals (2021 to 2022)")
    page.get_by_label("After the practice").fill("18% of 295 referrals (2023 to 2024)")
    page.get_by_label("What your own data shows").fill("Re-referrals fell by six points.")
    page.get_by_label("Cost per child, in pounds").fill("1250")
    page.get_by_label("Year the cost applies to").fill("2024")
    page.get_by_label("Vulnerable children").check()
    page.get_by_role("button", name="Submit for peer validation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family group conferences at the front door")
    expect(page.locator("main .govuk-tag")).to_have_text("Awaiting validators")
    practice_url = page.url
    check_accessibility(axe, page)
    check_reflow(page)

    # London's alliance coordinator assigns two validators from two other councils.
    switch_user(page, site, "london.coordinator")
    page.goto(site + "/evidence/local/")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Family group conferences at the front door").click()
    page.get_by_role("button", name="Assign validators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign validators")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_role("button", name="Assign validators").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the first validator")
    check_accessibility(axe, page)
    # Nobody from Camden is offered, and one sent anyway is refused with the reason.
    expect(page.get_by_label("First validator").locator("option", has_text="Camden")).to_have_count(0)
    camden = Membership.objects.get(user__username="camden.admin")
    refused = forged_post(page, page.url, {"validator_1": camden.pk, "validator_2": camden.pk})
    assert refused.status == 400
    assert "a member of Camden, the council that submitted this practice" in refused.text()
    page.get_by_label("First validator").select_option(label="Leeds: Leeds Member (council member)")
    page.get_by_label("Second validator").select_option(label="Bradford: Bradford Member (council member)")
    page.get_by_role("button", name="Assign validators").click()
    expect(page.locator("main .govuk-tag")).to_have_text("With peer validators")
    expect(page.get_by_role("table", name="Validators and their decisions")).to_contain_text("Leeds Member")
    # Either can be released while undecided, to assign someone else in their place.
    expect(page.get_by_role("button", name="Release the validator from Leeds")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    # A validator from the submitting council is refused.
    switch_user(page, site, "camden.admin")
    page.goto(practice_url)
    expect(page.locator("#not-a-validator")).to_contain_text("you are a member of Camden")
    expect(page.get_by_role("button", name="Send decision")).to_have_count(0)
    check_accessibility(axe, page)
    attempt = forged_post(page, practice_url, {"decision": "approve", "comment": "Looks good to us"})
    assert attempt.status == 403
    assert "the council that submitted this practice" in attempt.text()

    # The two assigned validators approve, with reasons; reasons are required.
    switch_user(page, site, "leeds.member")
    page.goto(site + "/evidence/local/")
    page.get_by_role("link", name="Family group conferences at the front door").click()
    page.get_by_label("Validated", exact=True).check()
    page.get_by_role("button", name="Send decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reasons for your decision")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(axe, page)
    page.get_by_label("Your reasons").fill("Clear before and after figures over two full years.")
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator("main .govuk-tag")).to_have_text("With peer validators")

    switch_user(page, site, "bradford.member")
    page.goto(practice_url)
    page.get_by_label("Validated", exact=True).check()
    page.get_by_label("Your reasons").fill("Agree; the comparison with neighbours supports it.")
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator("main .govuk-tag")).to_have_text("Validated local practice")

    # Published: anyone can read it, with the validators' reasons and its history, and find it in search.
    page.context.clear_cookies()
    page.goto(practice_url)
    expect(page.get_by_role("table", name="Validators and their decisions")).to_contain_text(
        "Clear before and after figures"
    )
    expect(page.locator("main")).to_contain_text("Published as validated local practice")
    expect(page.locator("main")).not_to_contain_text("Leeds Member")  # names stay with the councils
    check_accessibility(axe, page)
    check_reflow(page)
    page.goto(site + "/evidence/?q=conferences")
    expect(page.get_by_role("heading", name="Validated local practice: 1 found")).to_be_visible()
    page.get_by_role("link", name="Family group conferences at the front door").click()
    expect(page).to_have_url(practice_url)


def test_the_library_filters_a_search_and_keeps_it(page, site, axe, evidence):
    """Search, tick filters (GOV.UK checkboxes), and the query and the ticks stay; the recommended practice
    comes first with its recommendation, certainty, effect in words and studies; axe-clean throughout."""
    from slihub.evidence.models import Study, Synthesis

    recommendation = Synthesis.objects.get(practice__slug=PRACTICE).recommendation
    studies = Study.objects.filter(practice__slug=PRACTICE).count()
    page.goto(site + "/evidence/?q=parenting")
    first = page.locator("main ul.govuk-list > li").first
    expect(first.get_by_role("link")).to_have_text("Incredible Years Preschool")  # the only one pooled
    expect(first).to_contain_text(recommendation)
    expect(first).to_contain_text(f"{studies} studies")
    page.get_by_role("group", name="Recommendation").get_by_label(recommendation, exact=True).check()
    page.get_by_role("group", name="Age group").get_by_label("Early years (0 to 4)").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("matching “parenting”"))).to_be_visible()
    expect(page.get_by_text(re.compile("^Filtered by recommendation: "))).to_contain_text(
        "age group: Early years (0 to 4)"
    )
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("parenting")
    expect(
        page.get_by_role("group", name="Recommendation").get_by_label(recommendation, exact=True)
    ).to_be_checked()
    expect(page.get_by_role("link", name="Incredible Years Preschool", exact=True)).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name=re.compile("^Clear the filters")).click()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("parenting")
    expect(
        page.get_by_role("group", name="Recommendation").get_by_label(recommendation, exact=True)
    ).not_to_be_checked()
    check_accessibility(axe, page)

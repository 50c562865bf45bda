"""The evidence library in a browser: search 'parenting', open a practice, read its forest plot and table."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

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
    expect(rows).to_have_count(len(TEST_STUDIES) + 1)  # each study and the pooled row
    expect(rows.last).to_contain_text("Pooled")
    expect(page.get_by_text("95% prediction interval")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Why the certainty is"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Recommendation: "))).to_be_visible()
    expect(page.get_by_text("Cost rating 2 of 5")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role(
        "link",
        name=re.compile(
            "^(harm|too-little|certain-no-benefit|offer|consider-cost|consider-uncertain|unclear)$"
        ),
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the evidence is judged")
    check_accessibility(axe, page)
    check_reflow(page)


def test_council_pages_upload_and_local_practice(page, site, axe, camden_member, tmp_path):
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

    page.goto(site + "/evidence/local/submit/")
    page.get_by_role("button", name="Submit for peer validation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    check_accessibility(axe, page)
    page.get_by_label("Title").fill("Family group conferences at the front door")
    page.get_by_label("What the practice is and who it is for").fill("Every family referred is offered one.")
    page.get_by_label("What your own data shows").fill("Re-referrals fell from 24% to 18%.")
    page.get_by_role("button", name="Submit for peer validation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family group conferences at the front door")
    expect(page.get_by_text("Awaiting peer validation")).to_be_visible()
    check_accessibility(axe, page)
    check_reflow(page)
    page.goto(site + "/evidence/local/")
    check_accessibility(axe, page)
    check_reflow(page)

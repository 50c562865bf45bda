"""Jobs in the browser: a national admin starts an import from the web and reads why the file was refused;
a running job's page follows its progress by itself (htmx, under the Content-Security-Policy) and shows
the end without a reload. axe runs on each jobs page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def national_admin(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from tests.browser.support import PASSWORD

    user, _ = ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    return user


@pytest.fixture
def immediate():
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


TIDY = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
    "no_further_action_percent\n"
    "2024,Reporting year,National,E92000001,England,,,,,,Referrals and Re-referrals,100,10,22,5\n"
    "2024,Reporting year,Local authority,E92000001,England,E13000001,Inner London,202,E09000007,Camden,"
    "Referrals and Re-referrals,100,10,twenty,5\n"
)


def test_a_refused_import_names_the_line_on_the_job_page(
    site, page, axe, national_admin, immediate, tmp_path
):
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/jobs/imports/new/")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Start the import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the CSV file to import")
    check_accessibility(axe, page)
    path = tmp_path / "c1_referrals.csv"
    path.write_text(TIDY)
    page.get_by_label("DfE tidy CSV file").set_input_files(str(path))
    page.get_by_label("Which statistics the file holds").select_option("cin_referrals")
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indicator import: c1_referrals.csv")
    expect(page.locator("#job-status .govuk-tag")).to_have_text("Failed")
    expect(page.locator("#job-error")).to_contain_text("c1_referrals.csv, line 3")
    expect(page.locator("#job-error")).to_contain_text("Nothing was changed.")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Back to jobs").click()
    expect(page.locator("#jobs")).to_contain_text("Indicator import: c1_referrals.csv")
    check_accessibility(axe, page)


def test_a_running_jobs_page_follows_it_to_the_end_without_a_reload(
    site, page, axe, national_admin, immediate
):
    from slihub.jobs import progress
    from slihub.jobs.models import Job

    job = Job.objects.create(
        kind=Job.Kind.INDICATOR_IMPORT,
        key="browser",
        status=Job.Status.RUNNING,
        started_by=national_admin,
        started_at=timezone.now(),
        parameters={"filename": "c1.csv", "mapping": "cin_referrals"},
    )
    reporter = progress.Reporter(job)
    reporter("values: 12,000 of 40,000")
    reporter.flush()
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/jobs/{job.pk}/")
    expect(page.locator("#job-progress-text")).to_contain_text("12000 of 40000 (30%)")
    check_accessibility(axe, page)
    reporter("values: 36,000 of 40,000")
    reporter.flush()
    expect(page.locator("#job-progress-text")).to_contain_text("36000 of 40000 (90%)", timeout=10_000)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        result="Loaded c1.csv with the cin_referrals mapping.",
    )
    progress.clear(job.pk)
    expect(page.locator("#job-status .govuk-tag")).to_have_text("Succeeded", timeout=10_000)
    expect(page.locator("#job-result")).to_have_text("Loaded c1.csv with the cin_referrals mapping.")
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/progress/" in r.url else None)
    page.wait_for_timeout(2500)
    assert polls == [], "the page stops asking once the job has finished"

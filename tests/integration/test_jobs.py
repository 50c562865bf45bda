"""Jobs: imports started from the web, the scheduled jobs, reminders, and who may see what.

Tasks run in Huey's immediate mode here (at once, in the test's process and transaction); the real
queue and worker are tested in test_jobs_worker.py."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from slihub.evidence.models import LocalPractice, PeerValidation
from slihub.indicators.models import Value
from slihub.jobs import progress, reminders, services, tasks
from slihub.jobs.models import Job, ReminderSent
from slihub.warning import services as warning
from slihub.warning.models import RiskModel, RiskScore
from tests.integration.html import page
from tests.integration.test_commands import write_files
from tests.integration.warning_fixtures import build_world

SIGN_IN = "sign in"


@pytest.fixture(autouse=True)
def immediate():
    """Tasks run at once, in memory: no queue file, no worker."""
    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


@pytest.fixture
def uploads(settings, tmp_path):
    settings.JOBS_UPLOAD_DIR = tmp_path / "uploads"
    return settings.JOBS_UPLOAD_DIR


TIDY_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
    "no_further_action_percent"
)


def tidy_row(level, code, region, percent):
    place = f"{level},E92000001,England,{region},,{code},,"
    return f"2024,Reporting year,{place},Referrals and Re-referrals,100,10,{percent},5"


def tidy_file(places, *, bad_line: int | None = None) -> bytes:
    """DfE's children in need referrals file for 2024 (cin_referrals mapping), for the test places;
    with `bad_line` (counting the header as line 1), that line's percentage is not a number."""
    authorities = [places.camden, places.islington, places.leeds, places.bradford]
    rows = [tidy_row("National", "", "", 22)] + [
        tidy_row("Local authority", a.code, (a.region.parent or a.region).code, 20 + i)
        for i, a in enumerate(authorities)
    ]
    lines = [TIDY_HEADER, *rows]
    if bad_line is not None:
        a = authorities[bad_line - 3]
        lines[bad_line - 1] = tidy_row(
            "Local authority", a.code, (a.region.parent or a.region).code, "twenty"
        )
    return ("\n".join(lines) + "\n").encode()


def upload(client, content: bytes, name="c1_referrals.csv", mapping="cin_referrals", capture=None):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "mapping": mapping}
    if capture is None:
        return client.post("/jobs/imports/new/", data)
    with capture(execute=True):
        return client.post("/jobs/imports/new/", data)


def job_links(html) -> set[str]:
    return {a.attrs["href"] for a in html.one(id="jobs").find_all("a")}


def job_by(user, **fields) -> Job:
    return Job.objects.create(
        kind=Job.Kind.INDICATOR_IMPORT, key=f"test:{user.username}", started_by=user, **fields
    )


# ------------------------------------------------------------------------------------------ who may do what


IMPORT_PAGE = {
    "anonymous": SIGN_IN,
    "camden_analyst": 403,
    "leeds_admin": 403,
    "london_coordinator": 403,
    "national_admin": 200,
}


@pytest.mark.parametrize("persona", list(IMPORT_PAGE))
def test_only_national_admins_may_open_the_import_page(as_persona, persona):
    response = as_persona(persona).get("/jobs/imports/new/")
    if IMPORT_PAGE[persona] == SIGN_IN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == IMPORT_PAGE[persona]


@pytest.mark.parametrize("persona", [p for p in IMPORT_PAGE if p != "national_admin"])
def test_nobody_else_can_start_an_import_by_posting(
    as_persona, persona, places, uploads, django_capture_on_commit_callbacks
):
    response = upload(as_persona(persona), tidy_file(places), capture=django_capture_on_commit_callbacks)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    assert not Job.objects.exists()
    assert not Value.objects.exists()
    assert not uploads.exists() or not any(uploads.iterdir())


JOB_PAGE = {  # a job the national admin started
    "anonymous": SIGN_IN,
    "camden_analyst": 404,
    "leeds_admin": 404,
    "london_coordinator": 404,
    "national_admin": 200,
}


@pytest.mark.parametrize("suffix", ["", "progress/"])
@pytest.mark.parametrize("persona", list(JOB_PAGE))
def test_a_job_is_seen_by_national_admins_only_unless_you_started_it(
    as_persona, persona, suffix, national_admin
):
    job = job_by(national_admin)
    response = as_persona(persona).get(f"/jobs/{job.pk}/{suffix}")
    if JOB_PAGE[persona] == SIGN_IN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == JOB_PAGE[persona]


def test_the_person_who_started_a_job_sees_it_and_nobody_else_below_national(as_persona, people):
    job = job_by(people["leeds_admin"])
    assert as_persona("camden_analyst").get(f"/jobs/{job.pk}/").status_code == 404
    client = as_persona("leeds_admin")
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    listed = page(client.get("/jobs/"))
    assert f"/jobs/{job.pk}/" in job_links(listed)


def test_the_jobs_list_shows_each_persona_only_the_jobs_they_may_see(as_persona, people):
    theirs = job_by(people["national_admin"])
    mine = job_by(people["camden_analyst"])
    assert as_persona("anonymous").get("/jobs/").status_code == 302
    for persona, expected in {
        "camden_analyst": {mine.pk},
        "leeds_admin": set(),
        "london_coordinator": set(),
    }.items():
        client = as_persona(persona)
        links = job_links(page(client.get("/jobs/")))
        assert links == {f"/jobs/{pk}/" for pk in expected}, persona
        client.logout()
    links = job_links(page(as_persona("national_admin").get("/jobs/")))
    assert links == {f"/jobs/{theirs.pk}/", f"/jobs/{mine.pk}/"}


def test_national_admins_find_jobs_in_the_navigation_and_others_do_not(as_persona):
    assert "/jobs/" in as_persona("national_admin").get("/").content.decode()
    client = as_persona("leeds_admin")
    client.logout()
    client = as_persona("leeds_admin")
    assert 'href="/jobs/"' not in client.get("/").content.decode()


# ------------------------------------------------------------------------------------------ importing


def test_an_import_from_the_web_runs_as_a_job_and_loads_the_file(
    as_persona, places, uploads, django_capture_on_commit_callbacks
):
    client = as_persona("national_admin")
    response = upload(client, tidy_file(places), capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result.startswith("Loaded c1_referrals.csv with the cin_referrals mapping.")
    assert job.started_by.username == "national.admin" and job.started_at and job.finished_at
    stored = Value.objects.filter(indicator__code="dfe:rereferral_percent", area_type="la")
    assert dict(stored.values_list("authority__code", "value")) == {
        places.camden.code: 20,
        places.islington.code: 21,
        places.leeds.code: 22,
        places.bradford.code: 23,
    }
    assert not any(uploads.iterdir()), "the uploaded file is removed once imported"
    html = page(client.get(f"/jobs/{job.pk}/"))
    assert html.one(id="job-status").find(class_="govuk-tag").text == "Succeeded"
    assert "Loaded c1_referrals.csv" in html.one(id="job-result").text
    assert not [e for e in html.iter() if "hx-trigger" in e.attrs], (
        "a finished job's page stops asking for news"
    )


def test_an_import_with_warnings_says_so_and_names_the_file_as_uploaded(
    as_persona, places, uploads, django_capture_on_commit_callbacks
):
    content = (
        tidy_file(places)
        + tidy_row("Local authority", "202", "E13000001", 20)
        .replace("Referrals and Re-referrals", "Something else")
        .encode()
        + b"\n"
    )
    upload(
        as_persona("national_admin"),
        content,
        name="my referrals.csv",
        capture=django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result.startswith(
        "Loaded my referrals.csv with the cin_referrals mapping. 1 warning: see what"
    )
    assert "Warning: my referrals.csv, line 7" in job.log
    assert str(uploads) not in job.log + job.progress_message and "my_referrals.csv" not in job.log


def test_the_same_file_imported_again_changes_nothing(
    as_persona, places, uploads, django_capture_on_commit_callbacks
):
    client = as_persona("national_admin")
    upload(client, tidy_file(places), capture=django_capture_on_commit_callbacks)
    before = sorted(Value.objects.values_list("pk", "value"))
    upload(client, tidy_file(places), capture=django_capture_on_commit_callbacks)
    second = Job.objects.order_by("pk").last()
    assert second.status == Job.Status.SUCCEEDED
    assert "already loaded" in second.result and "nothing changed" in second.result
    assert sorted(Value.objects.values_list("pk", "value")) == before


def test_a_bad_file_is_refused_whole_naming_its_line_and_nothing_is_stored(
    as_persona, places, uploads, django_capture_on_commit_callbacks
):
    client = as_persona("national_admin")
    upload(
        client,
        tidy_file(places, bad_line=4),
        name="my referrals.csv",
        capture=django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "my referrals.csv, line 4" in job.error
    assert job.error.endswith("Nothing was changed.")
    assert not Value.objects.exists()
    html = page(client.get(f"/jobs/{job.pk}/"))
    assert html.one(id="job-status").find(class_="govuk-tag").text == "Failed"
    assert "line 4" in html.one(id="job-error").text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"mapping": "cin_referrals"}, "id_file", "Choose the CSV file to import"),
        ({"mapping": ""}, "id_mapping", "Choose the mapping that reads the file"),
        (
            {"mapping": "no_such_mapping"},
            "id_mapping",
            "Select which statistics the file holds from the list",
        ),
    ],
)
def test_the_import_form_says_what_is_missing(as_persona, places, uploads, data, field, message):
    if field != "id_file":
        data = data | {"file": SimpleUploadedFile("c1.csv", tidy_file(places), content_type="text/csv")}
    response = as_persona("national_admin").post("/jobs/imports/new/", data)
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary")
    assert any(message in a.text and a.attrs["href"] == f"#{field}" for a in summary.find_all("a"))
    assert not Job.objects.exists()


def test_a_file_that_is_not_csv_is_refused_before_any_job(as_persona, places, uploads):
    response = as_persona("national_admin").post(
        "/jobs/imports/new/",
        {
            "file": SimpleUploadedFile("c1.xlsx", b"PK\x03\x04", content_type="application/zip"),
            "mapping": "ks2",
        },
    )
    assert response.status_code == 400
    assert "The file must be a CSV file" in response.content.decode()
    assert not Job.objects.exists()


# ------------------------------------------------------------------------------------------ progress


def test_a_running_jobs_page_refreshes_its_progress_every_two_seconds(as_persona, national_admin):
    job = job_by(national_admin, status=Job.Status.RUNNING, started_at=timezone.now())
    reporter = progress.Reporter(job)
    reporter.write("Read c1.csv: 3 indicators, 40000 values\n  values: 12,000 of 40,000\n")
    reporter.flush()
    client = as_persona("national_admin")
    html = page(client.get(f"/jobs/{job.pk}/"))
    panel = html.one(id="job-status")
    assert panel.attrs["hx-get"] == f"/jobs/{job.pk}/progress/"
    assert panel.attrs["hx-trigger"] == "every 2s"
    assert "12000 of 40000 (30%)" in panel.text
    assert "values: 12,000 of 40,000" in panel.text
    assert any("htmx" in s.attrs.get("src", "") for s in html.find_all("script"))
    assert not [s for s in html.find_all("script") if not s.attrs.get("src")], "no inline script"
    partial = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert partial.lstrip().startswith('<div id="job-status"') and "<html" not in partial
    progress.clear(job.pk)


def test_progress_reads_counts_from_the_lines_a_command_writes(national_admin):
    job = job_by(national_admin)
    reporter = progress.Reporter(job)
    reporter.write("== Indicators\n  values: 5")
    reporter.write("00 of 2,000\n")
    assert (reporter.snapshot.done, reporter.snapshot.total) == (500, 2000)
    assert reporter.snapshot.log == ["== Indicators", "values: 500 of 2,000"]


# ------------------------------------------------------------------------------------------ idempotence


def test_asking_for_the_same_work_while_it_is_queued_returns_the_same_job(
    national_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = services.request_job(kind=Job.Kind.REMINDERS, key="reminders", started_by=national_admin)
        second = services.request_job(kind=Job.Kind.REMINDERS, key="reminders", started_by=national_admin)
    assert first.pk == second.pk and len(queued) == 1
    assert Job.objects.count() == 1


def test_a_job_delivered_twice_runs_once(national_admin):
    job = Job.objects.create(kind=Job.Kind.REMINDERS, key="reminders")
    assert services.run_job(job.pk).status == Job.Status.SUCCEEDED
    finished = Job.objects.get(pk=job.pk).finished_at
    assert services.run_job(job.pk) is None
    assert Job.objects.get(pk=job.pk).finished_at == finished


def test_a_failure_it_did_not_expect_is_recorded_in_words(national_admin, monkeypatch):
    from slihub.jobs import work

    def broken(job, report):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(work.WORK, Job.Kind.REMINDERS, broken)
    job = Job.objects.create(kind=Job.Kind.REMINDERS, key="reminders")
    services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ZeroDivisionError: division by zero" in job.error
    assert Job.objects.create(kind=Job.Kind.REMINDERS, key="reminders").status == Job.Status.QUEUED


def test_a_worker_starting_fails_the_jobs_its_predecessor_left_running(national_admin):
    job = job_by(national_admin, status=Job.Status.RUNNING, started_at=timezone.now())
    assert services.fail_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Start it again" in job.error


# ------------------------------------------------------------------------------------------ monthly scores


def test_the_monthly_job_stores_the_new_months_scores_as_a_full_refresh_would(places):
    build_world(places)
    warning.refresh_scores(first=date(2024, 1, 1), through=date(2024, 2, 1))
    february = list(RiskScore.objects.filter(month=date(2024, 2, 1)).values_list("pk", "probability"))
    job = tasks.monthly_scores(today=date(2024, 3, 1))
    assert job.status == Job.Status.SUCCEEDED, job.error
    march = {
        (s.authority_id, s.target): (s.probability, s.rank, s.signals)
        for s in RiskScore.objects.filter(month=date(2024, 3, 1))
    }
    assert march and job.result.startswith(f"Stored {len(march)} risk scores for March 2024")
    assert list(RiskScore.objects.filter(month=date(2024, 2, 1)).values_list("pk", "probability")) == february
    assert RiskModel.objects.filter(month=date(2024, 3, 1)).count() == 2
    assert job.title == "Monthly early-warning scores, March 2024"
    # The same as retraining every month: the one-month path changes nothing but the month.
    warning.refresh_scores(first=date(2024, 1, 1), through=date(2024, 3, 1))
    refreshed = {
        (s.authority_id, s.target): (s.probability, s.rank, s.signals)
        for s in RiskScore.objects.filter(month=date(2024, 3, 1))
    }
    assert refreshed == march


def test_the_monthly_job_runs_once_a_month_even_if_the_worker_missed_the_first(places):
    build_world(places)
    assert tasks.monthly_scores(today=date(2024, 3, 3)).parameters == {"month": "2024-03-01"}
    assert tasks.monthly_scores(today=date(2024, 3, 4)) is None
    assert tasks.monthly_scores(today=date(2024, 3, 31)) is None
    assert tasks.monthly_scores(today=date(2024, 4, 1)).parameters == {"month": "2024-04-01"}
    assert RiskScore.objects.filter(month=date(2024, 4, 1)).exists()
    assert Job.objects.filter(kind=Job.Kind.MONTHLY_SCORES, status=Job.Status.SUCCEEDED).count() == 2


def test_the_monthly_job_says_so_when_there_is_nothing_to_train_on(places):
    job = tasks.monthly_scores(today=date(2026, 12, 1))
    assert job.status == Job.Status.SUCCEEDED
    assert "too few inspections" in job.result
    assert not RiskScore.objects.exists()


def test_the_schedule_holds_the_three_periodic_jobs_at_their_times():
    assert {t.__name__ for t in HUEY._registry._periodic_tasks} >= {
        "monthly_scores_task",
        "data_check_task",
        "reminders_task",
    }

    def runs(task, *when) -> bool:
        return task.task_class().validate_datetime(datetime(*when))

    assert runs(tasks.monthly_scores_task, 2026, 12, 1, 3, 0)
    assert not runs(tasks.monthly_scores_task, 2026, 12, 1, 4, 0)
    assert runs(tasks.data_check_task, 2026, 12, 2, 2, 0) and not runs(
        tasks.data_check_task, 2026, 12, 2, 3, 0
    )
    assert runs(tasks.reminders_task, 2026, 12, 2, 7, 0) and not runs(tasks.reminders_task, 2026, 12, 2, 8, 0)


# ------------------------------------------------------------------------------------------ the data check


def test_the_data_check_without_a_data_folder_says_there_was_nothing_to_check(settings, empty_places):
    settings.DATA_DIR = ""
    job = tasks.data_check()
    assert job.status == Job.Status.SUCCEEDED
    assert "No data folder is set" in job.result


def test_the_data_check_loads_new_files_then_finds_nothing_new(settings, tmp_path, empty_places):
    settings.DATA_DIR = str(write_files(tmp_path))
    first = services.run_job(
        services.create_job(kind=Job.Kind.DATA_CHECK, key="data_check", parameters={"only": ["reference"]}).pk
    )
    assert first.status == Job.Status.SUCCEEDED, first.error
    assert first.result == "New or changed files: Reference data."
    assert "Read derived_la_reference.csv: 12 authorities" in first.log
    second = services.run_job(
        services.create_job(kind=Job.Kind.DATA_CHECK, key="data_check", parameters={"only": ["reference"]}).pk
    )
    assert second.result == "No new or changed data files: nothing was loaded."


def test_the_data_check_fails_in_words_when_a_file_is_bad_and_changes_nothing(
    settings, tmp_path, empty_places
):
    from slihub.places.models import Authority
    from tests.integration.test_loader import LA_FILE

    folder = write_files(tmp_path)
    path = folder / LA_FILE
    path.write_text(path.read_text().replace("380,E08000032", "380,E08000032X", 1))
    settings.DATA_DIR = str(folder)
    job = tasks.data_check()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith(f"{LA_FILE}, line 4, column 2: new_la_code:")
    assert job.error.endswith("Nothing was changed.")
    assert not Authority.objects.exists()


# ------------------------------------------------------------------------------------------ reminders


@pytest.fixture
def waiting(places, people):
    """A Camden practice in review, with a Leeds validator assigned and not yet decided."""
    camden = people["camden_analyst"]
    leeds = people["leeds_admin"]
    leeds.email = "leeds.admin@example.org"
    leeds.save()
    practice = LocalPractice.objects.create(
        authority=places.camden,
        submitted_by=camden,
        title="Family group conferences at the front door",
        summary="s",
        evidence="e",
        status=LocalPractice.Status.IN_REVIEW,
    )
    validation = PeerValidation.objects.create(
        local_practice=practice,
        validator=leeds,
        validator_authority=places.leeds,
        assigned_at=timezone.now() - timedelta(days=15),
    )
    return validation


def test_a_validator_waited_for_14_days_is_reminded_with_a_link(waiting):
    job = tasks.reminders()
    assert job.status == Job.Status.SUCCEEDED
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["leeds.admin@example.org"]
    assert "Family group conferences at the front door" in email.subject
    assert f"/evidence/local/{waiting.local_practice.pk}/" in email.body
    assert job.result == "Sent 1 reminder (Peer validations waiting for a decision: 1)."
    assert ReminderSent.objects.get().job == job


def test_a_rerun_sends_no_reminder_twice_within_the_week_and_again_after_it(waiting):
    now = timezone.now()
    reminders.send_due(now=now)
    second = tasks.reminders()
    assert len(mail.outbox) == 1
    assert "1 already sent within the week, not sent again" in second.result
    reminders.send_due(now=now + timedelta(days=6))
    assert len(mail.outbox) == 1
    reminders.send_due(now=now + timedelta(days=7, minutes=1))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "change",
    ["13 days", "decided", "released", "closed"],
)
def test_no_reminder_for_a_validator_who_is_not_waited_for(waiting, change):
    if change == "13 days":
        waiting.assigned_at = timezone.now() - timedelta(days=13)
    elif change == "decided":
        waiting.decision, waiting.decided_at = PeerValidation.Decision.APPROVE, timezone.now()
    elif change == "released":
        waiting.validator = None
    else:
        waiting.local_practice.status = LocalPractice.Status.REJECTED
        waiting.local_practice.save()
    waiting.save()
    reminders.send_due()
    assert mail.outbox == []


def test_other_capabilities_add_their_reminders_to_the_registry(waiting, monkeypatch):
    monkeypatch.setattr(reminders, "REMINDERS", dict(reminders.REMINDERS))

    @reminders.reminder("survey", "Survey answers due", every=timedelta(days=3))
    def survey(now):
        yield reminders.Due("survey:2026", "director@example.org", "The survey closes soon", "Answer it.")

    result = reminders.send_due()
    assert {tuple(m.to) for m in mail.outbox} == {("leeds.admin@example.org",), ("director@example.org",)}
    assert "Survey answers due: 1" in result

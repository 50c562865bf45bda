"""A council's forecast from its own 903 return: who may upload and see it, that the files are read in
memory and never kept (only the yearly figures and the audit entry are written), that a bad file keeps
nothing and says what is wrong line by line, and that the forecast sits beside the published one."""

import os

import pytest
from auditlog.models import LogEntry
from django.core.files import uploadhandler
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.forecast import refresh
from slihub.forecast.models import ChildLevelUpload
from slihub.forecast.ssda903 import services, views
from tests.integration.html import page, table_rows
from tests.integration.test_forecast_costs import data_dir, world  # noqa: F401 - fixtures
from tests.ssda903_files import EPISODES, episodes_file, header_file, returns

FORM = "/forecast/202/903/"
RESULT = "/forecast/202/903/forecast/"
COUNCIL_PAGE = "/forecast/202/"
pytestmark = pytest.mark.django_db

UPLOADS = {  # who may upload Camden's return, and who may see the figures kept from it
    "anonymous": False,
    "camden_analyst": True,
    "leeds_admin": False,
    "london_coordinator": False,  # the alliance does not see figures from child-level data
    "national_admin": False,
    "evidence_editor": False,
    "no_membership": False,
    "camden_chief_executive": False,
    "camden_director": True,
}
SEES = {**UPLOADS, "national_admin": True}


def files(years=(2023, 2024, 2025)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers, episodes = returns(years)
    return {
        "header": [SimpleUploadedFile(n, c, content_type="text/csv") for n, c in headers],
        "episodes": [SimpleUploadedFile(n, c, content_type="text/csv") for n, c in episodes],
    }


@pytest.fixture
def stored(world, camden_director):  # noqa: F811
    refresh.refresh_forecasts(simulations=200, backtest=False)
    return world


@pytest.fixture
def uploaded_early(world, camden_director, people):  # noqa: F811 - before any forecast is worked out
    headers, episodes = returns()
    user, camden = people["camden_analyst"], world.camden
    return services.upload(user=user, authority=camden, headers=headers, episodes=episodes)[0]


@pytest.mark.parametrize("persona", list(UPLOADS))
def test_only_the_councils_members_may_upload(persona, world, camden_director, as_persona):  # noqa: F811
    client = as_persona(persona)
    response, posted = client.get(FORM), client.post(FORM, files())
    if persona == "anonymous":
        assert response.status_code == posted.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif UPLOADS[persona]:
        assert response.status_code == posted.status_code == 200
        assert page(response).one("h1").text.strip() == "Forecast from your own 903 return"
    else:
        assert response.status_code == posted.status_code == 403
    assert ChildLevelUpload.objects.count() == (1 if UPLOADS[persona] else 0)


@pytest.mark.parametrize("persona", list(SEES))
def test_only_the_councils_members_and_national_admins_see_the_figures(persona, uploaded_early, as_persona):
    response = as_persona(persona).get(RESULT)
    if persona == "anonymous":
        assert response.status_code == 302
    elif SEES[persona]:
        assert response.status_code == 200
        assert page(response).one(id="figures-903-table") is not None
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", ["camden_analyst", "leeds_admin", "national_admin", "anonymous"])
def test_the_council_page_links_to_the_upload_for_its_members_only(persona, stored, as_persona):
    response = as_persona(persona).get(COUNCIL_PAGE)
    assert response.status_code == 200
    link = page(response).find("a", href=FORM)
    assert (link is not None) is (persona == "camden_analyst")
    if link is not None:
        assert link.text.strip() == "Forecast from your own 903 return"
        assert "private" in response["Cache-Control"]


def test_an_upload_keeps_the_yearly_figures_and_shows_the_forecast_beside_the_published_one(
    stored, as_persona
):
    response = as_persona("camden_analyst").post(FORM, files())
    assert response.status_code == 200
    saved = ChildLevelUpload.objects.get()
    assert (saved.authority, saved.uploaded_by.username) == (stored.camden, "camden.analyst")
    assert (saved.first_year, saved.last_year, saved.header_files, saved.episode_files) == (2023, 2025, 3, 3)
    assert (saved.header_rows, saved.episode_rows) == (15, 10)
    assert [r["looked_after"] for r in saved.years] == [2, 2, 2, 2]
    table = page(response).one(id="forecast-903-table")
    years = [th.text.strip() for th in table.find("tbody").find_all("th")]
    assert years == ["2026", "2027", "2028"]
    body = table_rows(table)
    assert all(row[2].strip() and row[2].strip() != "Not worked out" for row in body)  # the published one
    assert "The files were not kept" in page(response).text


def test_nothing_but_the_figures_and_the_audit_entry_is_written(
    stored, as_persona, tmp_path, settings, monkeypatch
):
    spill = tmp_path / "uploads"
    spill.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spill)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django's own handlers would now spill every file to disk
    on_disk = []
    real = uploadhandler.TemporaryUploadedFile
    monkeypatch.setattr(
        uploadhandler, "TemporaryUploadedFile", lambda *a, **k: on_disk.append(a) or real(*a, **k)
    )
    client = as_persona("camden_analyst")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(FORM, files()).status_code == 200
    assert on_disk == [] and os.listdir(spill) == []
    writes = [
        q["sql"].split()[0:3]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    tables = {" ".join(w) for w in writes}
    assert all(
        "forecast_childlevelupload" in t
        or "auditlog" in t
        or "audit_entryauthority" in t
        or "django_session" in t
        for t in tables
    ), tables
    entry = LogEntry.objects.get_for_model(ChildLevelUpload).get()
    assert entry.actor.username == "camden.analyst"
    changes = entry.changes_dict if hasattr(entry, "changes_dict") else entry.changes
    text = str(changes)
    assert "episode_rows" in text and "2023" in text
    assert "A1" not in text and "01/05/2010" not in text  # no child's identifier or date of birth


def test_the_view_reads_files_with_the_in_memory_handler_only():
    assert not issubclass(views.InMemoryUpload, TemporaryFileUploadHandler)


def test_a_bad_file_keeps_nothing_and_lists_its_lines(stored, as_persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = EPISODES + "A1,31/02/2023,S,C2,N1,U1,PR1,,,,,,\nB2,01/07/2022,S,C2,N1,U9,PR1,,,,,,\n"
    response = as_persona("camden_analyst").post(
        FORM,
        {
            "header": [SimpleUploadedFile("h.csv", header_file())],
            "episodes": [SimpleUploadedFile("2024-episodes.csv", bad.encode())],
        },
    )
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary").text
    assert "2024-episodes.csv, line 2: DECOM" in summary
    assert "2024-episodes.csv, line 3: PLACE 'U9' is not a placement type (rule 146)" in summary
    assert "Nothing was kept" in summary
    assert ChildLevelUpload.objects.count() == 0
    assert not LogEntry.objects.get_for_model(ChildLevelUpload).exists()


def test_no_files_chosen_is_an_error_not_a_crash(stored, as_persona):
    response = as_persona("camden_analyst").post(FORM, {})
    assert response.status_code == 400
    assert "choose the header file" in page(response).one(class_="govuk-error-summary").text


def test_a_file_over_the_size_cap_is_refused(stored, as_persona, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(services, "MAX_FILE_BYTES", 100)
    response = as_persona("camden_analyst").post(
        FORM,
        {
            "header": [SimpleUploadedFile("h.csv", header_file())],
            "episodes": [SimpleUploadedFile("e.csv", episodes_file(2024))],
        },
    )
    assert response.status_code == 400
    assert "h.csv is larger than" in page(response).text
    assert ChildLevelUpload.objects.count() == 0


def test_fewer_than_three_years_are_kept_but_not_forecast(stored, as_persona):
    response = as_persona("camden_analyst").post(FORM, files((2024, 2025)))
    assert response.status_code == 200
    assert "at least 3 consecutive years" in page(response).one(id="no-forecast").text


def test_another_councils_member_cannot_upload_to_camden_through_the_service(stored, people):
    from django.core.exceptions import PermissionDenied

    headers, episodes = returns()
    with pytest.raises(PermissionDenied):
        services.upload(
            user=people["leeds_admin"], authority=stored.camden, headers=headers, episodes=episodes
        )
    assert ChildLevelUpload.objects.count() == 0


API = "/api/v1/forecasts/202/903"


@pytest.mark.parametrize("persona", list(SEES))
def test_the_api_gives_the_figures_only_to_the_council_and_national_admins(
    persona, uploaded_early, as_persona
):
    response = as_persona(persona).get(API)
    if persona == "anonymous":
        assert response.status_code == 401
    elif SEES[persona]:
        assert response.status_code == 200
        body = response.json()
        assert (body["first_year"], body["last_year"], body["episode_rows"]) == (2023, 2025, 10)
        assert [y["looked_after"] for y in body["years"]] == [2, 2, 2, 2]
        assert [h["year"] for h in body["horizons"]] == [2026, 2027, 2028]
    else:
        assert response.status_code == 403
        assert "private" in response.json()["detail"]


def test_the_api_says_when_nothing_has_been_uploaded(world, as_persona):  # noqa: F811
    response = as_persona("camden_analyst").get(API)
    assert response.status_code == 404
    assert "No 903 return" in response.json()["detail"]
    assert as_persona("camden_analyst").get("/api/v1/forecasts/999/903").status_code == 404


def test_the_api_puts_the_published_forecast_beside_the_councils_own(stored, people, client):
    headers, episodes = returns()
    services.upload(
        user=people["camden_analyst"], authority=stored.camden, headers=headers, episodes=episodes
    )
    client.force_login(people["camden_analyst"])
    body = client.get(API).json()
    assert [h["year"] for h in body["published_horizons"]] == [2026, 2027, 2028]


def test_the_forecast_follows_a_loaded_population_projection_as_the_published_one_does(uploaded_early):
    from django.utils import timezone

    from slihub.places.models import PopulationProjection

    held = services.forecast(uploaded_early, simulations=200)
    assert held["population"]["used"] == "estimate"
    for year, people in ((2024, 36_000), (2025, 60_000), (2026, 90_000), (2027, 120_000)):
        PopulationProjection.objects.create(
            authority=uploaded_early.authority,
            year=year,
            population_0_17=people,
            source="test",
            loaded_at=timezone.now(),
        )
    projected = services.forecast(uploaded_early, simulations=200)
    assert projected["population"]["used"] == "projection"
    assert projected["horizons"][2]["median"] > held["horizons"][2]["median"]  # more children, more starts

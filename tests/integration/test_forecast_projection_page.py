"""The national admins' page for loading ONS population projections: who may open it, a good file loaded
and the forecasts worked out again, a bad file refused in the error summary with its line."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from slihub.forecast.models import ForecastBasis
from slihub.places.models import PopulationProjection
from tests.integration.conftest import PERSONAS
from tests.integration.html import page
from tests.integration.test_forecast_mix import snpp
from tests.integration.test_forecast_pages import published  # noqa: F401 (a fixture)

URL = "/forecast/population-projections/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_national_admins_may_open_the_page(as_persona, persona):
    response = as_persona(persona).get(URL)
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if persona == "national_admin" else 403)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "national_admin"])
def test_nobody_else_may_load_a_file(as_persona, persona, tmp_path, places):
    path = snpp(tmp_path / "a.csv", {"E09000007": 36_000})
    upload = SimpleUploadedFile("a.csv", path.read_bytes(), content_type="text/csv")
    response = as_persona(persona).post(URL, {"file": upload})
    assert response.status_code in (302, 403) and not PopulationProjection.objects.exists()


def test_a_national_admin_loads_a_file_and_the_forecast_follows_it(as_persona, tmp_path, published):  # noqa: F811
    client = as_persona("national_admin")
    path = snpp(tmp_path / "snpp.csv", {"E09000007": 36_000}, growth=1.1)
    upload = SimpleUploadedFile("snpp.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(URL, {"file": upload, "source": "ONS 2022-based SNPP"}, follow=True)
    assert response.status_code == 200
    document = page(response)
    assert "Loaded ONS 2022-based SNPP: 1 councils, 9 years added" in document.text
    assert (
        "Projections are loaded for 1 council, from: ONS 2022-based SNPP." in document.one(id="loaded").text
    )
    assert PopulationProjection.objects.filter(authority=published.camden).count() == 9
    assert ForecastBasis.objects.get(authority=published.camden).rates["population"]["used"] == "projection"
    entry = LogEntry.objects.filter(content_type__model="populationprojection").first()
    assert entry is not None and entry.actor is not None  # the admin who loaded it, not "the system"


def test_a_bad_file_is_refused_with_its_line_and_nothing_changes(as_persona, tmp_path, places):
    client = as_persona("national_admin")
    path = snpp(
        tmp_path / "bad.csv",
        {"E09000007": 36_000},
        extra=[["E09000007", "x", "Population", "persons", "3", "-5", *["1"] * 8]],
    )
    response = client.post(
        URL, {"file": SimpleUploadedFile("bad.csv", path.read_bytes(), content_type="text/csv")}
    )
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary")
    assert "bad.csv, line 94, column 2022: '-5' is not a count of people" in summary.text
    assert "Nothing was changed." in summary.text
    assert not PopulationProjection.objects.exists()


def test_no_file_is_refused_in_plain_words(as_persona, places):
    response = as_persona("national_admin").post(URL, {})
    assert response.status_code == 400
    assert "Choose the CSV file to load" in page(response).one(class_="govuk-error-summary").text

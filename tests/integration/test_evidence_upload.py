"""Councils upload studies from the CSV template: bad rows reported by line, nothing half-stored, and
nothing public changes until an evidence editor publishes the file (see test_evidence_review.py)."""

import io

import pytest

from slihub.evidence import staging
from slihub.evidence.importers import UPLOAD_HEADER, upload_template
from slihub.evidence.models import EffectEstimate, StagedRow, Study, Synthesis, UploadBatch
from slihub.evidence.services import load_evidence
from tests.integration.evidence_fixtures import write_evidence

pytestmark = pytest.mark.django_db

URL = "/evidence/upload/"
P = "happy-parents-group"
ROWS = [
    f"{P},Smith (2019) A trial,2019,England,rct,5,100,100,,low,Child behaviour,SMD,0.40,0.02,,,",
    f"{P},Jones (2021) Another trial,2021,Wales,rct,4,,,300,some,Child behaviour,SMD,0.25,,0.05,0.45,",
    f"{P},Brown (2022) A third,2022,,quasi-experimental,3,,,150,high,Child behaviour,SMD,0.3,0.03,,,"
    "https://example.org/b",
]


@pytest.fixture
def library(tmp_path):
    load_evidence(write_evidence(tmp_path))


def csv_file(rows, name="studies.csv"):
    handle = io.BytesIO(("\n".join([",".join(UPLOAD_HEADER), *rows]) + "\n").encode())
    handle.name = name
    return handle


def upload(client, rows):
    return client.post(URL, {"file": csv_file(rows)})


def test_anonymous_visitors_are_sent_to_sign_in(client, library):
    for url in (URL, URL + "template.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_council_members_evidence_editors_and_national_admins_may_upload(as_persona, library):
    assert as_persona("london_coordinator").get(URL).status_code == 403
    assert as_persona("london_coordinator").post(URL, {"file": csv_file(ROWS)}).status_code == 403
    assert Study.objects.filter(key__startswith="upload-").count() == 0


@pytest.mark.parametrize("persona", ["camden_analyst", "leeds_admin", "national_admin", "evidence_editor"])
def test_the_form_and_template_open(as_persona, library, persona):
    client = as_persona(persona)
    assert client.get(URL).status_code == 200
    template = client.get(URL + "template.csv")
    assert template.status_code == 200 and template["Content-Type"].startswith("text/csv")
    assert template.content.decode() == upload_template()


def test_a_council_member_uploads_studies_and_they_are_pooled_once_published(
    as_persona, client, library, camden_analyst, evidence_editor
):
    response = upload(as_persona("camden_analyst"), ROWS)
    batch = UploadBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/uploads/{batch.pk}/"
    assert (batch.authority.code, batch.uploaded_by, batch.studies) == ("202", camden_analyst, 3)
    assert not Study.objects.filter(key__startswith="upload-").exists()  # nothing public yet
    client.force_login(evidence_editor)
    assert client.post(batch.get_absolute_url(), {"decision": "accept"}).status_code == 302
    studies = Study.objects.filter(practice__slug="happy-parents-group", key__startswith="upload-")
    assert studies.count() == 3
    assert {s.uploaded_by.code for s in studies} == {"202"}
    assert studies.get(year=2019).n_total == 200  # from the two groups
    jones = EffectEstimate.objects.get(study__year=2021)
    assert jones.vi == pytest.approx(((0.45 - 0.05) / (2 * 1.959964)) ** 2, rel=1e-5)
    synthesis = Synthesis.objects.get(practice__slug="happy-parents-group")
    assert synthesis.k == 3 and synthesis.outcome.name == "Child behaviour"
    page = client.get("/evidence/happy-parents-group/").content.decode()
    assert "Forest plot" in page and "Smith (2019) A trial" in page


def test_uploading_a_published_file_again_is_refused_as_nothing_to_review(
    as_persona, client, library, evidence_editor
):
    upload(as_persona("camden_analyst"), ROWS)
    staging.accept_upload(user=evidence_editor, batch=UploadBatch.objects.get())
    before = (Study.objects.count(), EffectEstimate.objects.count(), UploadBatch.objects.count())
    response = upload(as_persona("camden_analyst"), ROWS)
    assert response.status_code == 400
    assert "nothing to review" in response.content.decode()
    assert (Study.objects.count(), EffectEstimate.objects.count(), UploadBatch.objects.count()) == before
    assert Synthesis.objects.filter(practice__slug=P).count() == 1


def test_bad_rows_are_reported_by_line_and_nothing_is_stored(as_persona, library):
    bad = [
        ROWS[0],
        ROWS[1].replace(",rct,", ",case study,"),
        ROWS[2].replace("happy-parents-group", "no-such-practice"),
        "happy-parents-group,X,2020,,rct,,,,,,Child behaviour,SMD,0.3,,,,",
        ROWS[0].replace("0.02", "-1"),
    ]
    response = upload(as_persona("camden_analyst"), bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was stored" in body
    assert "Line 3, column 5: design: &#x27;case study&#x27; is not one of" in body
    assert "Line 4, column 1: practice: &#x27;no-such-practice&#x27; is not a practice" in body
    assert "Line 5, column 14: vi: give vi, or both ci_lb and ci_ub" in body
    assert "Line 6, column 14: vi: -1.0 is not a positive variance" in body
    assert "Line 2" not in body
    assert Study.objects.filter(key__startswith="upload-").count() == 0
    assert not UploadBatch.objects.exists() and not StagedRow.objects.exists()


def test_a_missing_file_header_or_rows_is_refused(as_persona, library):
    client = as_persona("camden_analyst")
    assert "Choose a CSV file" in client.post(URL, {}).content.decode()
    empty = client.post(URL, {"file": csv_file([])})
    assert empty.status_code == 400 and "no rows under the header" in empty.content.decode()
    wrong = io.BytesIO(b"name,value\nx,1\n")
    wrong.name = "wrong.csv"
    response = client.post(URL, {"file": wrong})
    assert (
        response.status_code == 400
        and "no column named practice, citation, year, design, outcome, measure, yi"
        in response.content.decode()
    )
    latin = io.BytesIO(",".join(UPLOAD_HEADER).encode() + b"\n\xe9\xe9\n")
    latin.name = "latin.csv"
    assert "not UTF-8" in client.post(URL, {"file": latin}).content.decode()


def test_optional_columns_may_be_left_out(as_persona, library):
    handle = io.BytesIO(
        b"practice,citation,year,design,outcome,measure,yi,ci_lb,ci_ub\n"
        b"happy-parents-group,Lee (2020),2020,rct,Child behaviour,SMD,0.2,0.1,0.3\n"
    )
    handle.name = "short.csv"
    response = as_persona("camden_analyst").post(URL, {"file": handle})
    assert response.status_code == 302
    row = StagedRow.objects.get()
    assert (row.study["citation"], row.study["country"], row.study["maryland"]) == ("Lee (2020)", "", None)


def test_a_duplicate_row_is_reported(as_persona, library):
    response = upload(as_persona("camden_analyst"), [ROWS[0], ROWS[0]])
    assert "Line 3, column 11: outcome: repeats line 2" in response.content.decode()

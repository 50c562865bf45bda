"""Study uploads change nothing public until an evidence editor or a national admin publishes them after
review; a council never takes over another's study; files are bounded; bad cells are named by line."""

import csv
import io

import pytest

from slihub.evidence import staging, synthesis
from slihub.evidence.importers import UPLOAD_HEADER
from slihub.evidence.models import EffectEstimate, Outcome, Practice, StagedRow, Study, Synthesis, UploadBatch
from slihub.evidence.services import load_evidence
from slihub.places.models import DataRelease
from tests.integration.evidence_fixtures import write_evidence
from tests.integration.html import page

pytestmark = pytest.mark.django_db

UPLOAD = "/evidence/upload/"
UPLOADS = "/evidence/uploads/"
P = "happy-parents-group"
SMITH = f"{P},Smith (2019) A trial,2019,England,rct,5,100,100,,low,Child behaviour,SMD,0.35,0.02,,,"
JONES = f"{P},Jones (2021) Another trial,2021,Wales,rct,4,,,300,some,Child behaviour,SMD,0.25,,0.05,0.45,"
BROWN = f"{P},Brown (2022) A third,2022,,quasi-experimental,3,,,150,high,Child behaviour,SMD,0.3,0.03,,,"


@pytest.fixture
def library(tmp_path):
    load_evidence(write_evidence(tmp_path))


def csv_file(rows, name="studies.csv"):
    handle = io.BytesIO(("\n".join([",".join(UPLOAD_HEADER), *rows]) + "\n").encode())
    handle.name = name
    return handle


def upload(client, user, rows, name="studies.csv"):
    client.force_login(user)
    return client.post(UPLOAD, {"file": csv_file(rows, name)})


def review(client, user, batch, decision, reason=""):
    client.force_login(user)
    return client.post(f"{UPLOADS}{batch.pk}/", {"decision": decision, "reason": reason})


def evidence_version():
    return DataRelease.objects.filter(dataset="evidence").values_list("version", flat=True).first() or 0


def public_state():
    return (
        list(Study.objects.order_by("pk").values_list("pk", "citation", "uploaded_by")),
        list(EffectEstimate.objects.order_by("pk").values_list("pk", "yi", "vi")),
        list(Synthesis.objects.order_by("pk").values_list("practice", "outcome", "k", "estimate")),
    )


# ---------------------------------------------------------------- nothing public until reviewed


def test_an_upload_is_staged_and_changes_nothing_public(client, library, camden_analyst):
    before, version = public_state(), evidence_version()
    page_before = client.get(f"/evidence/{P}/").content.decode()
    response = upload(client, camden_analyst, [SMITH, JONES, BROWN])
    batch = UploadBatch.objects.get()
    assert response.status_code == 302
    assert (batch.status, batch.authority.code, batch.uploaded_by, batch.studies) == (
        "staged",
        "202",
        camden_analyst,
        3,
    )
    assert batch.rows.count() == 3
    assert public_state() == before and evidence_version() == version
    client.logout()
    assert "Smith (2019) A trial" not in client.get(f"/evidence/{P}/").content.decode()
    assert client.get(f"/evidence/{P}/").content.decode().count("Forest plot") == page_before.count(
        "Forest plot"
    )
    assert client.get(f"/api/v1/evidence/practices/{P}").json()["syntheses"] == []


def test_the_uploader_sees_their_batch_and_its_status(client, library, camden_analyst, evidence_editor):
    upload(client, camden_analyst, [SMITH, JONES], name="camden-trials.csv")
    batch = UploadBatch.objects.get()
    listing = page(client.get(UPLOADS))
    assert "camden-trials.csv" in listing.text and "Awaiting review" in listing.text
    detail = page(client.get(batch.get_absolute_url()))
    assert "Awaiting review" in detail.text and "Nothing in this file is public yet" in detail.text
    assert detail.find("textarea", id="reason") is None  # the uploader cannot review
    review(client, evidence_editor, batch, "reject", "Two studies are duplicates of the EIF's")
    client.force_login(camden_analyst)
    listing = page(client.get(UPLOADS))
    assert "Not published" in listing.text
    detail = page(client.get(batch.get_absolute_url()))
    assert "Two studies are duplicates of the EIF's" in detail.text and "Evidence Editor" in detail.text


def test_an_editor_accepts_and_the_pooled_result_is_published_as_previewed(
    client, library, camden_analyst, evidence_editor
):
    upload(client, camden_analyst, [SMITH, JONES, BROWN])
    batch = UploadBatch.objects.get()
    [preview] = staging.preview(batch)
    [pooled] = preview.pooled
    assert pooled.before is None and pooled.after["k"] == 3
    client.force_login(evidence_editor)
    shown = page(client.get(batch.get_absolute_url()))
    assert "Effect on the pooled results" in shown.text
    assert "Not pooled" in shown.text and "3 studies" in shown.text
    assert "Adds a study: 3 rows" in shown.text
    version = evidence_version()
    response = review(client, evidence_editor, batch, "accept")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.reviewed_by) == ("accepted", evidence_editor)
    published = Synthesis.objects.get(practice__slug=P)
    assert published.k == 3
    assert published.estimate == pytest.approx(pooled.after["estimate"], rel=1e-12)
    assert published.certainty == pooled.after["certainty"]
    assert evidence_version() != version  # cached public pages render afresh
    assert "Smith (2019) A trial" in client.get(f"/evidence/{P}/").content.decode()


def test_a_rejection_needs_a_reason_and_changes_nothing(client, library, camden_analyst, evidence_editor):
    upload(client, camden_analyst, [SMITH, JONES])
    batch = UploadBatch.objects.get()
    before = public_state()
    response = review(client, evidence_editor, batch, "reject", "  ")
    assert response.status_code == 400
    assert (
        "Give the reason the upload is not published" in page(response).one(class_="govuk-error-summary").text
    )
    assert review(client, evidence_editor, batch, "", "").status_code == 400
    assert (
        review(client, evidence_editor, batch, "reject", "Not a trial of this programme").status_code == 302
    )
    batch.refresh_from_db()
    assert (batch.status, batch.review_reason) == ("rejected", "Not a trial of this programme")
    assert public_state() == before
    assert review(client, evidence_editor, batch, "accept").status_code == 400  # already reviewed
    assert public_state() == before


def test_nobody_publishes_their_own_upload(client, library, national_admin, evidence_editor):
    upload(client, national_admin, [SMITH, JONES])
    batch = UploadBatch.objects.get()
    assert batch.authority is None  # a national upload belongs to no council
    response = review(client, national_admin, batch, "accept")
    assert response.status_code == 400
    assert "another evidence editor or national admin must review it" in response.content.decode()
    assert not Study.objects.filter(key__startswith="upload-").exists()
    assert review(client, evidence_editor, batch, "accept").status_code == 302
    assert Study.objects.filter(key__startswith="upload-", uploaded_by=None).count() == 2


def test_acceptance_is_all_or_nothing(client, library, camden_analyst, evidence_editor, monkeypatch):
    upload(client, camden_analyst, [SMITH, JONES, BROWN])
    batch = UploadBatch.objects.get()
    before, version = public_state(), evidence_version()

    def broken(ids=None):
        raise RuntimeError("the synthesis failed")

    monkeypatch.setattr(synthesis, "recompute", broken)
    with pytest.raises(RuntimeError):
        staging.accept_upload(user=evidence_editor, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "staged"
    assert public_state() == before and evidence_version() == version
    assert not Outcome.objects.filter(slug="child-behaviour").exists()


# ---------------------------------------------------------------- no takeover of another council's study


def test_a_council_cannot_take_over_another_councils_study(
    client, library, camden_analyst, leeds_admin, evidence_editor
):
    upload(client, leeds_admin, [SMITH, JONES])
    staging.accept_upload(user=evidence_editor, batch=UploadBatch.objects.get())
    smith = Study.objects.get(citation="Smith (2019) A trial")
    assert smith.uploaded_by.code == "383"
    published = Synthesis.objects.get(practice__slug=P).estimate

    # Camden re-uploads Leeds' study with yi 3.5 for 0.35: a proposed change, nothing public moves.
    response = upload(client, camden_analyst, [SMITH.replace(",0.35,", ",3.5,")])
    assert response.status_code == 302
    batch = UploadBatch.objects.get(status="staged")
    smith.refresh_from_db()
    assert smith.uploaded_by.code == "383" and smith.effects.get().yi == 0.35
    assert Synthesis.objects.get(practice__slug=P).estimate == published

    client.force_login(evidence_editor)
    shown = page(client.get(batch.get_absolute_url()))
    rows = shown.one("table", id="rows-table").text
    assert "Changes a study" in rows and "Study belongs to Leeds, not Camden: it stays theirs" in rows
    assert "Child behaviour: Effect size (yi): 0.35 becomes 3.5" in " ".join(rows.split())
    assert "1 row changes a study that belongs to someone other than Camden" in " ".join(shown.text.split())

    staging.accept_upload(user=evidence_editor, batch=batch)
    smith.refresh_from_db()
    assert smith.uploaded_by.code == "383"  # the value changed after review; the owner did not
    assert smith.effects.get().yi == 3.5


def test_the_review_page_names_a_change_to_the_starter_content(
    client, library, camden_analyst, evidence_editor
):
    row = StagedRow(
        practice=Practice.objects.get(slug=P),
        study_key="eif-study-1",
        study={"citation": "Happy Parents Group: EIF Guidebook study 1", "year": 2015},
        outcome_slug="reduced-behaviour-problems",
        outcome_name="Reduced behaviour problems",
        effect={"measure": "SMD", "yi": 0.2, "vi": 0.01},
        line=2,
    )
    [change] = staging.describe([row], authority_id=camden_analyst.memberships.get().authority_id)
    assert change.kind == staging.CHANGE and change.other_owner
    assert change.owner == "the library's starter content (EIF)"
    assert ("Year", None, 2015) in change.changes


# ---------------------------------------------------------------- bounded files


def many_studies(n):
    return [
        f"{P},Study number {i},2020,,rct,,,,100,,Child behaviour,SMD,0.{i % 9 + 1},0.02,,," for i in range(n)
    ]


def test_a_file_over_the_study_limit_is_refused_whole(client, library, camden_analyst):
    response = upload(client, camden_analyst, many_studies(501))
    assert response.status_code == 400
    summary = page(response).one(class_="govuk-error-summary")
    assert (
        "more than 500 studies" in summary.text and "upload at most 500 studies in one file" in summary.text
    )
    assert not UploadBatch.objects.exists() and not StagedRow.objects.exists()
    assert upload(client, camden_analyst, many_studies(500)).status_code == 302


def test_the_study_limit_is_a_setting(client, library, camden_analyst, settings):
    settings.EVIDENCE_UPLOAD_MAX_STUDIES = 2
    response = upload(client, camden_analyst, [SMITH, JONES, BROWN])
    assert response.status_code == 400 and "more than 2 studies" in response.content.decode()
    assert not UploadBatch.objects.exists()


# ---------------------------------------------------------------- bad cells named by line


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            JONES.replace("Jones (2021)", "Jones\x00 (2021)"),
            "Line 3, column 2: citation: contains a control character (U+0000)",
        ),
        (
            JONES.replace("Wales", "Wa\x07les"),
            "Line 3, column 4: country: contains a control character (U+0007)",
        ),
        (JONES.replace(",2021,", ",2" + "0" * 5000 + ","), "Line 3, column 3: year: &#x27;2000"),
        (JONES.replace(",300,", "," + "9" * 5000 + ","), "is too long for a whole number"),
        (JONES.replace(",0.25,", ",0." + "2" * 5000 + ","), "Line 3, column 13: yi: &#x27;0.2222"),
        (
            JONES.replace(",2021,", ",2⁰²¹,"),
            "Line 3, column 3: year: &#x27;2⁰²¹&#x27; has digits other than 0 to 9",
        ),
        (
            JONES.replace(",0.25,", ",2.5⁻¹,"),
            "Line 3, column 13: yi: &#x27;2.5⁻¹&#x27; has digits other than 0 to 9",
        ),
        (JONES.replace(",0.25,", ",٠.٢٥,"), "yi: &#x27;٠.٢٥&#x27; has digits other than 0 to 9"),
        (JONES.replace(",0.25,", ",nan,"), "Line 3, column 13: yi: &#x27;nan&#x27; is not a number"),
        (JONES.replace(",0.25,", ",1_0,"), "Line 3, column 13: yi: &#x27;1_0&#x27; is not a number"),
    ],
)
def test_control_characters_and_odd_numbers_are_refused_with_their_line(
    client, library, camden_analyst, row, message
):
    response = upload(client, camden_analyst, [SMITH, row])
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert len(body) < 60_000  # a huge cell is not echoed back whole
    assert not UploadBatch.objects.exists()


def test_a_huge_digit_string_gets_a_clear_message(client, library, camden_analyst):
    response = upload(client, camden_analyst, [JONES.replace(",2021,", ",2" + "0" * 5000 + ",")])
    assert "is too long for a whole number" in page(response).one(class_="govuk-error-summary").text


# ---------------------------------------------------------------- who sees and reviews uploads

OK, FORBIDDEN, SIGN_IN, NOT_FOUND, DONE = 200, 403, "sign in", 404, 302


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", SIGN_IN),
        ("camden_analyst", OK),
        ("leeds_admin", OK),
        ("london_coordinator", FORBIDDEN),
        ("national_admin", OK),
        ("evidence_editor", OK),
        ("no_membership", FORBIDDEN),
    ],
)
@pytest.mark.parametrize("path", [UPLOAD, UPLOADS, UPLOAD + "template.csv"])
def test_the_upload_pages_for_every_persona(as_persona, library, persona, expected, path):
    response = as_persona(persona).get(path)
    if expected == SIGN_IN:
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"
    else:
        assert response.status_code == expected


@pytest.fixture
def camden_batch(client, library, camden_analyst):
    upload(client, camden_analyst, [SMITH, JONES])
    client.logout()
    return UploadBatch.objects.get()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", SIGN_IN),
        ("camden_analyst", OK),  # their council's own upload
        ("leeds_admin", NOT_FOUND),
        ("london_coordinator", NOT_FOUND),
        ("national_admin", OK),
        ("evidence_editor", OK),
        ("no_membership", NOT_FOUND),
    ],
)
def test_a_batch_is_seen_by_its_council_and_reviewers_only(as_persona, camden_batch, persona, expected):
    path = camden_batch.get_absolute_url()
    response = as_persona(persona).get(path)
    if expected == SIGN_IN:
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"
        return
    assert response.status_code == expected
    if expected == NOT_FOUND:
        assert "Smith (2019)" not in response.content.decode()
        missing = as_persona(persona).get(f"{UPLOADS}{camden_batch.pk + 1000}/")
        assert missing.status_code == 404
        assert page(missing).one("main").text == page(response).one("main").text
    listing = as_persona(persona).get(UPLOADS)
    if listing.status_code == 200:
        assert ("studies.csv" in listing.content.decode()) == (expected == OK)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", SIGN_IN),
        ("camden_analyst", FORBIDDEN),  # sees it, may not publish it
        ("leeds_admin", NOT_FOUND),
        ("london_coordinator", NOT_FOUND),
        ("national_admin", DONE),
        ("evidence_editor", DONE),
        ("no_membership", NOT_FOUND),
    ],
)
def test_only_evidence_editors_and_national_admins_publish(as_persona, camden_batch, persona, expected):
    path = camden_batch.get_absolute_url()
    response = as_persona(persona).post(path, {"decision": "accept"})
    camden_batch.refresh_from_db()
    if expected == SIGN_IN:
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"
    else:
        assert response.status_code == expected
    assert (camden_batch.status == "accepted") == (expected == DONE)
    assert Study.objects.filter(key__startswith="upload-").exists() == (expected == DONE)


# ---------------------------------------------------------------- a practice with thousands of studies


@pytest.fixture
def huge_practice(db):
    practice = Practice.objects.create(slug="huge-practice", name="Huge practice", source="upload")
    outcome = Outcome.objects.create(slug="child-behaviour", name="Child behaviour")
    n = 3000
    studies = Study.objects.bulk_create(
        Study(
            practice=practice,
            key=f"upload-study-{i:05d}",
            citation=f"Author {i:05d} et al. A long enough citation of a trial of the practice, Journal {i}",
            year=1990 + i % 30,
            n_total=100 + i,
        )
        for i in range(n)
    )
    EffectEstimate.objects.bulk_create(
        EffectEstimate(
            study=s, outcome=outcome, measure="SMD", yi=0.1 + (i % 7) / 20, vi=0.01 + (i % 5) / 100
        )
        for i, s in enumerate(studies)
    )
    synthesis.recompute([practice.pk])
    return practice


def test_a_practice_with_thousands_of_studies_renders_a_bounded_page(client, huge_practice):
    response = client.get("/evidence/huge-practice/")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(response.content) < 250_000  # 3,000 studies in full would be several megabytes
    document = page(response)
    studies_table = document.one("table", id="studies-table")
    assert len(studies_table.find("tbody").find_all("tr")) == 50
    assert "3,000 studies: 1 to 50 shown" in studies_table.text
    assert document.find("nav", **{"aria-label": "Studies pages"}) is not None
    assert "The plot shows the 40 studies that carry the most weight, of the 3,000 pooled" in " ".join(
        body.split()
    )
    assert body.count("<rect x=") <= 41 + 5  # the plot's study boxes (and a few others) only
    second = page(client.get("/evidence/huge-practice/?page=2"))
    first_row = second.one("table", id="studies-table").find("tbody").find("tr").text
    assert "3,000 studies: 51 to 100 shown" in second.text and "Author" in first_row
    assert client.get("/evidence/huge-practice/?page=9999").status_code == 200  # the last page


def test_every_study_downloads_as_csv(client, huge_practice):
    response = client.get("/evidence/huge-practice/studies.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3000
    assert rows[0]["outcome"] == "Child behaviour" and rows[0]["measure"] == "SMD"


def test_a_csv_cell_that_would_run_as_a_formula_is_kept_as_text(client, huge_practice):
    Study.objects.filter(key="upload-study-00000").update(citation='=HYPERLINK("http://x")')
    response = client.get("/evidence/huge-practice/studies.csv")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text


def test_a_small_practice_plots_every_study(client, library, camden_analyst, evidence_editor):
    upload(client, camden_analyst, [SMITH, JONES, BROWN])
    staging.accept_upload(user=evidence_editor, batch=UploadBatch.objects.get())
    body = client.get(f"/evidence/{P}/").content.decode()
    assert "carry the most weight" not in body
    assert "Smith (2019) A trial" in body and "Brown (2022) A third" in body

"""After a workshop: attendance, materials (types, sniffing, size, storage, download), feedback once per
person, the feedback summary, what was shared, the event page's panel, and refusals before the event."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Practice
from slihub.workshops import after
from slihub.workshops.models import Event, Feedback, Material, Registration
from tests.integration.html import page, parse

pytestmark = pytest.mark.django_db

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


# Files


def pdf_bytes(text: str = "slides") -> bytes:
    return b"%PDF-1.4\n%" + text.encode() + b"\n%%EOF\n"


def ooxml_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    return buffer.getvalue()


def odf_bytes(mimetype: str = "application/vnd.oasis.opendocument.presentation") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# Fixtures


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def make_event(places, organiser, *, started=True, status=Event.Status.PUBLISHED, region="london") -> Event:
    now = timezone.now()
    starts = now - timedelta(hours=3) if started else now + timedelta(days=7)
    return Event.objects.create(
        title="Reducing re-referrals",
        summary="What works",
        theme="vulnerable_children",
        region=getattr(places, region),
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=20,
        status=status,
        created_by=organiser,
    )


def book(event, user, authority=None, status=Registration.Status.BOOKED, attended=None) -> Registration:
    return Registration.objects.create(
        event=event, user=user, authority=authority, status=status, attended=attended
    )


@pytest.fixture
def event(places, london_coordinator):
    return make_event(places, london_coordinator)


@pytest.fixture
def future_event(places, london_coordinator):
    return make_event(places, london_coordinator, started=False)


def errors_of(response) -> list[str]:
    """The error summary's messages; each must link to an element of the page."""
    document = page(response)
    summary = document.find(class_="govuk-error-summary")
    assert summary is not None, "no error summary"
    assert document.one("title").text.startswith("Error: ")
    links = summary.find_all("a")
    for link in links:
        assert document.find(id=link.attrs["href"].removeprefix("#")) is not None, link.attrs["href"]
    return [a.text for a in links]


# Attendance


def test_it_lists_everyone_booked_and_saves_attendance(client, event, places, people, london_coordinator):
    analyst = book(event, people["camden_analyst"], places.camden)
    leeds = book(event, people["leeds_admin"], places.leeds)
    waiting = book(event, people["no_membership"], status=Registration.Status.WAITLISTED)
    client.force_login(london_coordinator)

    shown = client.get(f"/workshops/{event.pk}/attendance/")
    assert shown.status_code == 200
    legends = [legend.text for legend in page(shown).find_all("legend")]
    assert legends == ["Camden Analyst, Camden", "Leeds Admin, Leeds"]  # the waitlist is not listed

    response = client.post(
        f"/workshops/{event.pk}/attendance/",
        {f"attended-{analyst.pk}": "yes", f"attended-{leeds.pk}": "no", f"attended-{waiting.pk}": "yes"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workshops/{event.pk}/"
    analyst.refresh_from_db()
    leeds.refresh_from_db()
    waiting.refresh_from_db()
    assert (analyst.attended, leeds.attended, waiting.attended) == (True, False, None)
    assert LogEntry.objects.get_for_object(analyst).filter(action=LogEntry.Action.UPDATE).exists()


def test_it_can_clear_a_mark(client, event, places, people, london_coordinator):
    analyst = book(event, people["camden_analyst"], places.camden, attended=True)
    client.force_login(london_coordinator)
    client.post(f"/workshops/{event.pk}/attendance/", {f"attended-{analyst.pk}": "unknown"})
    analyst.refresh_from_db()
    assert analyst.attended is None


def test_it_refuses_an_unknown_attendance_value(client, event, places, people, london_coordinator):
    analyst = book(event, people["camden_analyst"], places.camden)
    client.force_login(london_coordinator)
    response = client.post(f"/workshops/{event.pk}/attendance/", {f"attended-{analyst.pk}": "maybe"})
    assert response.status_code == 400
    assert errors_of(response) == ["Select whether Camden Analyst attended"]
    assert page(response).one("p", id=f"attended-{analyst.pk}-error").text == (
        "Error: Select whether Camden Analyst attended"
    )
    analyst.refresh_from_db()
    assert analyst.attended is None


def test_it_refuses_attendance_before_the_event(client, future_event, places, people, london_coordinator):
    analyst = book(future_event, people["camden_analyst"], places.camden)
    client.force_login(london_coordinator)
    shown = client.get(f"/workshops/{future_event.pk}/attendance/")
    assert shown.status_code == 200
    assert "once the event has started" in page(shown).one(id="not-started").text
    assert page(shown).one("main").find("form") is None

    response = client.post(f"/workshops/{future_event.pk}/attendance/", {f"attended-{analyst.pk}": "yes"})
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("You can mark attendance once the event has started")
    analyst.refresh_from_db()
    assert analyst.attended is None


def test_the_service_refuses_a_place_that_is_not_booked(event, people, london_coordinator):
    waiting = book(event, people["no_membership"], status=Registration.Status.WAITLISTED)
    with pytest.raises(after.ValidationError):
        after.mark_attendance(user=london_coordinator, event=event, attended={waiting.pk: True})
    waiting.refresh_from_db()
    assert waiting.attended is None


# Materials


def post_material(client, event, file, title="Slides from the day", kind="slides"):
    data = {"title": title, "kind": kind}
    if file is not None:
        data["file"] = file
    return client.post(f"/workshops/{event.pk}/materials/new/", data)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_it_stores_an_uploaded_pdf_and_serves_it_as_an_attachment(client, event, london_coordinator, media):
    client.force_login(london_coordinator)
    response = post_material(client, event, upload("Day slides.pdf", pdf_bytes(), "text/html"))
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    assert material.content_type == "application/pdf"  # ours, never the browser's
    assert material.size == len(pdf_bytes())
    assert material.uploaded_by == london_coordinator
    assert material.file.name.startswith(f"workshops/{event.uid}/")
    assert material.file.name.endswith("/Day-slides.pdf")
    assert [p.read_bytes() for p in stored_files(media)] == [pdf_bytes()]
    assert LogEntry.objects.get_for_object(material).filter(action=LogEntry.Action.CREATE).exists()

    client.logout()
    download = client.get(f"/workshops/materials/{material.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Day-slides.pdf"'
    assert b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deck.pptx", ooxml_bytes()),
        ("notes.docx", ooxml_bytes()),
        ("figures.xlsx", ooxml_bytes()),
        ("deck.odp", odf_bytes()),
        ("notes.odt", odf_bytes("application/vnd.oasis.opendocument.text")),
        ("notes.txt", "Notes – café".encode()),
        ("notes.md", b"# Notes\n"),
        ("figures.csv", b"council,referrals\nCamden,12\n"),
    ],
)
def test_it_accepts_each_allowed_type(client, event, london_coordinator, name, content):
    client.force_login(london_coordinator)
    response = post_material(client, event, upload(name, content))
    assert response.status_code == 302, errors_of(response)
    material = Material.objects.get(event=event)
    assert material.content_type == after.ALLOWED_TYPES[name.rpartition(".")[2]]


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "logo.svg", "no-extension", "archive.zip"])
def test_it_refuses_other_types_naming_the_allowed_ones(client, event, london_coordinator, media, name):
    client.force_login(london_coordinator)
    response = post_material(client, event, upload(name, pdf_bytes()))  # whatever is inside
    assert response.status_code == 400
    assert errors_of(response) == [
        "The selected file must be a PDF, PowerPoint (.pptx), Word (.docx), Excel (.xlsx), "
        "OpenDocument (.odp, .odt) or text (.txt, .md, .csv)"
    ]
    assert not Material.objects.exists()
    assert stored_files(media) == []
    # what was typed is kept
    document = page(response)
    assert document.one("input", name="title").attrs["value"] == "Slides from the day"
    assert "checked" in document.one("input", name="kind", value="slides").attrs


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.pdf", b"MZ\x90\x00 an executable"),
        ("deck.pptx", pdf_bytes()),
        ("deck.pptx", plain_zip()),  # a zip, but not Office Open XML
        ("deck.odp", ooxml_bytes()),  # a zip without the OpenDocument mimetype
        ("deck.odp", odf_bytes("application/vnd.oasis.opendocument.text")),  # a text document named .odp
        ("notes.txt", b"\x00\x01binary"),
        ("notes.csv", b"\xff\xfe\xfa not utf-8"),
    ],
)
def test_it_refuses_content_that_does_not_match_its_name(
    client, event, london_coordinator, media, name, content
):
    client.force_login(london_coordinator)
    response = post_material(client, event, upload(name, content))
    assert response.status_code == 400
    extension = name.rpartition(".")[2]
    assert errors_of(response) == [
        f"The selected file is not a real .{extension} file: its content does not match its name"
    ]
    assert not Material.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_over_the_size_limit(client, event, london_coordinator, settings, media):
    settings.SLIHUB_WORKSHOP_MATERIAL_MAX_BYTES = 2048
    client.force_login(london_coordinator)
    too_big = pdf_bytes("x" * 2048)
    response = post_material(client, event, upload("big.pdf", too_big))
    assert response.status_code == 400
    assert errors_of(response) == ["The selected file must be smaller than 2 KB"]
    assert page(response).one(id="file-hint").text.endswith("smaller than 2 KB")
    assert stored_files(media) == []

    just_fits = pdf_bytes("x" * (2048 - len(pdf_bytes(""))))
    assert len(just_fits) == 2048
    assert post_material(client, event, upload("fits.pdf", just_fits)).status_code == 302


def test_the_default_limit_is_20_mb(settings):
    del settings.SLIHUB_WORKSHOP_MATERIAL_MAX_BYTES
    assert after.max_material_bytes() == 20 * 1024 * 1024
    assert after.size_words(after.max_material_bytes()) == "20 MB"


def test_it_asks_for_a_file_a_title_and_a_kind(client, event, london_coordinator):
    client.force_login(london_coordinator)
    response = post_material(client, event, None, title="", kind="")
    assert response.status_code == 400
    assert errors_of(response) == [
        "Enter a title for the material",
        "Select what kind of material it is",
        "Select a file to upload",
    ]


def test_it_refuses_an_empty_file(client, event, london_coordinator):
    client.force_login(london_coordinator)
    response = post_material(client, event, upload("empty.pdf", b""))
    assert response.status_code == 400
    assert "The selected file is empty" in errors_of(response)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\ada\\Mes diapos é.PDF", "Mes-diapos-e.pdf"),
        (".hidden.txt", "hidden.txt"),
        ("<b>my notes (1).txt", "b-my-notes-1.txt"),
        ('evil"name;.txt', "evil-name.txt"),
        ("....txt", "material.txt"),
    ],
)
def test_it_sanitises_file_names(given, stored):
    assert after.safe_filename(given) == stored


def test_it_stores_a_sanitised_name_inside_the_events_folder(client, event, london_coordinator, media):
    client.force_login(london_coordinator)
    post_material(client, event, upload("../../../outside notes.txt", b"notes"))
    material = Material.objects.get()
    assert material.file.name.startswith(f"workshops/{event.uid}/")
    assert material.file.name.endswith("/outside-notes.txt")
    assert all(media in p.parents for p in stored_files(media))


def test_it_refuses_uploads_before_the_event(client, future_event, london_coordinator, media):
    client.force_login(london_coordinator)
    shown = client.get(f"/workshops/{future_event.pk}/materials/new/")
    assert "once the event has started" in page(shown).one(id="not-started").text
    response = post_material(client, future_event, upload("slides.pdf", pdf_bytes()))
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("You can upload materials once the event has started")
    assert not Material.objects.exists()
    assert stored_files(media) == []


def test_a_draft_events_materials_are_for_its_organisers_only(client, places, london_coordinator, people):
    draft = make_event(places, london_coordinator, status=Event.Status.DRAFT)
    material = after.add_material(
        user=london_coordinator, event=draft, title="Draft notes", kind="notes", upload=upload("n.txt", b"n")
    )
    url = f"/workshops/materials/{material.pk}/download/"
    assert client.get(url).status_code == 404
    client.force_login(people["camden_analyst"])
    assert client.get(url).status_code == 404
    client.force_login(london_coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_file_is_not_found(client, event, london_coordinator):
    material = after.add_material(
        user=london_coordinator, event=event, title="Notes", kind="notes", upload=upload("n.txt", b"n")
    )
    material.file.storage.delete(material.file.name)
    assert client.get(f"/workshops/materials/{material.pk}/download/").status_code == 404


def test_organisers_delete_a_material_and_its_file(
    client, event, london_coordinator, media, django_capture_on_commit_callbacks
):
    material = after.add_material(
        user=london_coordinator, event=event, title="Notes", kind="notes", upload=upload("n.txt", b"n")
    )
    client.force_login(london_coordinator)
    confirm = client.get(f"/workshops/materials/{material.pk}/delete/")
    assert confirm.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workshops/materials/{material.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/workshops/{event.pk}/materials/new/"
    assert not Material.objects.exists()
    assert stored_files(media) == []
    assert LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(material.pk)).exists()


# Feedback


def post_feedback(client, event, **fields):
    data = {"usefulness": "4", "will_use": "The triage model", "comments": "More case studies please"}
    return client.post(f"/workshops/{event.pk}/feedback/", data | fields)


def test_a_booked_person_gives_feedback_once_and_can_change_it(client, event, places, people):
    analyst = people["camden_analyst"]
    book(event, analyst, places.camden)
    client.force_login(analyst)
    assert page(client.get(f"/workshops/{event.pk}/feedback/")).one("h1").text == "Give feedback"
    assert post_feedback(client, event).status_code == 302
    first = Feedback.objects.get(event=event, user=analyst)
    assert (first.usefulness, first.will_use) == (4, "The triage model")

    shown = page(client.get(f"/workshops/{event.pk}/feedback/"))
    assert shown.one("h1").text == "Change your feedback"
    assert "checked" in shown.one("input", name="usefulness", value="4").attrs
    assert shown.one("textarea", name="will_use").text == "The triage model"

    assert post_feedback(client, event, usefulness="5", comments="").status_code == 302
    assert Feedback.objects.filter(event=event, user=analyst).count() == 1
    changed = Feedback.objects.get(event=event, user=analyst)
    assert (changed.pk, changed.usefulness, changed.comments) == (first.pk, 5, "")


def test_it_keeps_what_was_typed_when_feedback_has_a_problem(client, event, places, people):
    analyst = people["camden_analyst"]
    book(event, analyst, places.camden)
    client.force_login(analyst)
    response = post_feedback(client, event, usefulness="", will_use="x" * 301)
    assert response.status_code == 400
    assert errors_of(response) == [
        "Select how useful the event was",
        "What you will take back must be 300 characters or fewer",
    ]
    document = page(response)
    assert document.one("textarea", name="comments").text == "More case studies please"
    assert document.one("textarea", name="will_use").text == "x" * 301
    assert not Feedback.objects.exists()


def test_an_empty_feedback_post_asks_for_an_answer(client, event, places, people):
    analyst = people["camden_analyst"]
    book(event, analyst, places.camden)
    client.force_login(analyst)
    response = client.post(f"/workshops/{event.pk}/feedback/", {})
    assert response.status_code == 400
    assert errors_of(response) == ["Select how useful the event was"]


def test_an_empty_upload_post_asks_for_everything(client, event, london_coordinator):
    client.force_login(london_coordinator)
    response = client.post(f"/workshops/{event.pk}/materials/new/", {})
    assert response.status_code == 400
    assert len(errors_of(response)) == 3


@pytest.mark.parametrize("usefulness", ["0", "6", "four", "٤"])
def test_it_refuses_usefulness_outside_1_to_5(client, event, places, people, usefulness):
    analyst = people["camden_analyst"]
    book(event, analyst, places.camden)
    client.force_login(analyst)
    response = post_feedback(client, event, usefulness=usefulness)
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_people_who_attended_give_feedback_and_those_marked_absent_cannot(client, event, places, people):
    came = people["camden_analyst"]
    absent = people["leeds_admin"]
    book(event, came, places.camden, attended=True)
    book(event, absent, places.leeds, attended=False)
    client.force_login(came)
    assert post_feedback(client, event).status_code == 302
    client.force_login(absent)
    assert client.get(f"/workshops/{event.pk}/feedback/").status_code == 403
    assert post_feedback(client, event).status_code == 403
    assert list(Feedback.objects.values_list("user", flat=True)) == [came.pk]


@pytest.mark.parametrize("status", [Registration.Status.WAITLISTED, Registration.Status.CANCELLED])
def test_people_without_a_place_cannot_give_feedback(client, event, places, people, status):
    person = people["camden_analyst"]
    book(event, person, places.camden, status=status)
    client.force_login(person)
    assert post_feedback(client, event).status_code == 403
    assert not Feedback.objects.exists()


def test_it_refuses_feedback_before_the_event(client, future_event, places, people):
    person = people["camden_analyst"]
    book(future_event, person, places.camden)
    client.force_login(person)
    shown = client.get(f"/workshops/{future_event.pk}/feedback/")
    assert "once the event has started" in page(shown).one(id="not-started").text
    response = post_feedback(client, future_event)
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("You can give feedback once the event has started")
    assert not Feedback.objects.exists()
    with pytest.raises(after.ValidationError):
        after.save_feedback(user=person, event=future_event, usefulness=4)


def test_the_summary_counts_each_answer_and_lists_what_people_wrote(client, event, places, people):
    scores = {"camden_analyst": 5, "leeds_admin": 5, "no_membership": 2, "evidence_editor": 4}
    for name, score in scores.items():
        book(event, people[name], attended=True)
        after.save_feedback(
            user=people[name], event=event, usefulness=score, will_use=f"{name} takes back", comments=""
        )
    book(event, people["camden_chief_executive"], attended=False)
    client.force_login(people["national_admin"])
    client.get(f"/workshops/{event.pk}/feedback/summary/")  # the session is read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/workshops/{event.pk}/feedback/summary/")
    document = page(response)
    one_answer_fewer = len(queries)
    Feedback.objects.filter(user=people["evidence_editor"]).delete()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/workshops/{event.pk}/feedback/summary/")
    assert len(queries) == one_answer_fewer  # no query per answer
    table = document.one("table", id="usefulness")
    rows = [
        [row.one("th").text, *(cell.text for cell in row.find_all("td"))]
        for row in table.one("tbody").find_all("tr")
    ]
    assert rows == [
        ["Very useful (5)", "2", "50%"],
        ["Useful (4)", "1", "25%"],
        ["Somewhat useful (3)", "0", "0%"],
        ["Not very useful (2)", "1", "25%"],
        ["Not useful (1)", "0", "0%"],
    ]
    figures = document.one("dl", id="feedback-figures").text
    assert "Responses 4" in figures
    assert "Confirmed places 5" in figures
    assert "Attended 4" in figures
    assert "Average usefulness 4.0 out of 5" in figures
    assert "leeds_admin takes back" in document.one("main").text


def test_an_empty_summary_says_so(client, event, london_coordinator):
    client.force_login(london_coordinator)
    document = page(client.get(f"/workshops/{event.pk}/feedback/summary/"))
    assert "No responses yet" in document.one("dl", id="feedback-figures").text
    assert "Attendance not marked yet" in document.one("dl", id="feedback-figures").text
    assert document.one(id="no-comments").text == "Nobody has written anything yet."


# What was shared


@pytest.fixture
def practices(places):
    return {
        "triage": Practice.objects.create(slug="family-triage", name="Family triage", source="upload"),
        "mentoring": Practice.objects.create(slug="peer-mentoring", name="Peer mentoring", source="upload"),
        "validated": LocalPractice.objects.create(
            authority=places.leeds,
            title="Leeds family valued",
            summary="s",
            evidence="e",
            status=LocalPractice.Status.VALIDATED,
            published_at=timezone.now(),
        ),
        "submitted": LocalPractice.objects.create(
            authority=places.camden, title="Camden family hubs", summary="s", evidence="e"
        ),
    }


def test_organisers_find_and_link_what_was_shared(client, event, london_coordinator, people, practices):
    client.force_login(london_coordinator)
    found = page(client.post(f"/workshops/{event.pk}/shared/", {"q": "family", "action": "search"}))
    labels = [label.text for label in found.find_all("label", class_="govuk-checkboxes__label")]
    assert labels == ["Family triage", "Leeds family valued (Leeds)"]  # never unvalidated local practice

    response = client.post(
        f"/workshops/{event.pk}/shared/",
        {
            "practices": [practices["triage"].pk],
            "local_practices": [practices["validated"].pk],
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert list(event.practices.all()) == [practices["triage"]]
    assert list(event.local_practices.all()) == [practices["validated"]]
    logged = LogEntry.objects.get_for_object(event).get(action=LogEntry.Action.UPDATE)
    assert logged.actor == london_coordinator
    assert logged.changes_dict == {
        "practices": ["None", "Family triage"],
        "local_practices": ["None", "Leeds family valued"],
    }
    client.force_login(people["national_admin"])
    assert "Family triage" in page(client.get("/audit/")).one("main").text
    client.force_login(london_coordinator)

    # the linked ones are listed ticked; unticking removes them
    shown = page(client.get(f"/workshops/{event.pk}/shared/"))
    assert "checked" in shown.one("input", id=f"practice-{practices['triage'].pk}").attrs
    client.post(
        f"/workshops/{event.pk}/shared/", {"local_practices": [practices["validated"].pk], "action": "save"}
    )
    assert not event.practices.exists()
    assert list(event.local_practices.all()) == [practices["validated"]]


def test_a_search_keeps_what_is_ticked(client, event, london_coordinator, practices):
    client.force_login(london_coordinator)
    response = client.post(
        f"/workshops/{event.pk}/shared/",
        {"q": "mentoring", "practices": [practices["triage"].pk], "action": "search"},
    )
    document = page(response)
    assert "checked" in document.one("input", id=f"practice-{practices['triage'].pk}").attrs
    assert "checked" not in document.one("input", id=f"practice-{practices['mentoring'].pk}").attrs
    assert not event.practices.exists()  # nothing saved by a search


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("local_practices", "submitted", "Select local practice that has been validated"),
        ("practices", "999999", "Select practices from the evidence library"),
        ("practices", "abc", "Select practices from the evidence library"),
    ],
)
def test_it_refuses_practice_that_cannot_be_linked(
    client, event, london_coordinator, practices, field, value, message
):
    client.force_login(london_coordinator)
    value = practices[value].pk if value in practices else value
    response = client.post(
        f"/workshops/{event.pk}/shared/",
        {field: [value], "practices": [practices["triage"].pk], "action": "save"}
        if field == "local_practices"
        else {field: [practices["triage"].pk, value], "action": "save"},
    )
    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert not event.practices.exists() and not event.local_practices.exists()
    # what was ticked is kept
    assert "checked" in page(response).one("input", id=f"practice-{practices['triage'].pk}").attrs


def test_it_refuses_linking_before_the_event(client, future_event, london_coordinator, practices):
    client.force_login(london_coordinator)
    response = client.post(
        f"/workshops/{future_event.pk}/shared/", {"practices": [practices["triage"].pk], "action": "save"}
    )
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("You can add what was shared once the event has started")
    assert not future_event.practices.exists()


# The panel on the event page


def render_panel(event, user) -> str:
    request = RequestFactory().get(f"/workshops/{event.pk}/")
    request.user = user
    template = Template("{% load workshop_after %}{% event_after_panel event %}")
    return template.render(Context({"event": event, "request": request, "user": user}))


def panel_links(html: str) -> list[str]:
    return [a.text for a in parse(html).find_all("a")]


def test_the_panel_shows_materials_and_practice_with_actions_to_the_right_people(
    event, places, people, london_coordinator, practices
):
    material = after.add_material(
        user=london_coordinator,
        event=event,
        title="Slides",
        kind="slides",
        upload=upload("s.pdf", pdf_bytes()),
    )
    event.practices.add(practices["triage"])
    event.local_practices.add(practices["validated"])
    book(event, people["camden_analyst"], places.camden)
    shared = ["Slides", "Family triage", "Leeds family valued"]
    organiser_actions = [
        "Mark attendance",
        "Upload materials",
        "Add practice that was shared",
        "Feedback summary",
    ]

    assert panel_links(render_panel(event, AnonymousUser())) == shared
    assert panel_links(render_panel(event, people["leeds_admin"])) == shared
    assert panel_links(render_panel(event, people["camden_analyst"])) == [*shared, "Give feedback"]
    assert panel_links(render_panel(event, london_coordinator)) == [*shared, *organiser_actions]
    assert panel_links(render_panel(event, people["national_admin"])) == [*shared, *organiser_actions]

    html = render_panel(event, AnonymousUser())
    assert f'href="/workshops/materials/{material.pk}/download/"' in html
    assert "(Slides, PDF, " in html

    after.save_feedback(user=people["camden_analyst"], event=event, usefulness=3)
    assert panel_links(render_panel(event, people["camden_analyst"]))[-1] == "Change your feedback"


def test_the_panel_offers_no_actions_before_the_event(future_event, london_coordinator, places, people):
    book(future_event, people["camden_analyst"], places.camden)
    for user in (london_coordinator, people["camden_analyst"]):
        html = render_panel(future_event, user)
        assert panel_links(html) == []
        assert "will be shared here after the event" in html


def test_the_panel_leaves_out_local_practice_no_longer_validated(event, london_coordinator, practices):
    event.local_practices.add(practices["validated"], practices["submitted"])
    assert panel_links(render_panel(event, AnonymousUser())) == ["Leeds family valued"]


def test_the_event_page_shows_what_was_shared(client, event, london_coordinator, practices):
    material = after.add_material(
        user=london_coordinator, event=event, title="Day notes", kind="notes", upload=upload("n.md", b"# n")
    )
    event.practices.add(practices["triage"])
    document = page(client.get(f"/workshops/{event.pk}/"))
    materials = document.one("ul", id="workshop-materials")
    assert materials.one("a").attrs["href"] == f"/workshops/materials/{material.pk}/download/"
    assert materials.text == "Day notes (Notes, text (Markdown), 3 bytes)"
    assert document.one("ul", id="workshop-practices").text == "Family triage (evidence library)"

"""Every route for after a workshop against every persona, the expected outcome spelt out per case.

The events: a published London event that has started, created by the London coordinator (so its
organisers are the coordinator and national admins), at which Camden's analyst had a place and Camden's
chief executive was marked as not attending; a published Yorkshire event created by Leeds's admin (its
creator organises it, not the London coordinator); and a London draft, seen only by its organisers.

Organisers' pages: attendance, materials (upload, delete), what was shared, the feedback summary.
Feedback: people with a place who were not marked absent. Downloads: anyone for a published event.
Signed-out visitors are sent to sign in from every page but downloads; a draft is not found (404) by
those who may not see it; others are refused with the house 403 page.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from slihub.workshops import after
from slihub.workshops.models import Event, Feedback, Material, Registration
from tests.integration.html import heading, page

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, SIGN_IN, NOT_FOUND = "ok", "forbidden", "sign in", "not found"

# (persona, expected) for the organisers' pages of the London event
LONDON_ORGANISERS = [
    ("anonymous", SIGN_IN),
    ("camden_analyst", FORBIDDEN),  # had a place: gives feedback, organises nothing
    ("leeds_admin", FORBIDDEN),
    ("london_coordinator", OK),  # created it, and coordinates its region
    ("national_admin", OK),
    ("evidence_editor", FORBIDDEN),
    ("no_membership", FORBIDDEN),
    ("camden_chief_executive", FORBIDDEN),
]

# (persona, expected) for the organisers' pages of the Yorkshire event, created by Leeds's admin
YORKSHIRE_ORGANISERS = [
    ("anonymous", SIGN_IN),
    ("camden_analyst", FORBIDDEN),
    ("leeds_admin", OK),  # its creator
    ("london_coordinator", FORBIDDEN),  # another region's coordinator
    ("national_admin", OK),
    ("evidence_editor", FORBIDDEN),
    ("no_membership", FORBIDDEN),
    ("camden_chief_executive", FORBIDDEN),
]

# (persona, expected) for the organisers' pages of the London draft
DRAFT_ORGANISERS = [
    ("anonymous", SIGN_IN),
    ("camden_analyst", NOT_FOUND),
    ("leeds_admin", NOT_FOUND),
    ("london_coordinator", OK),
    ("national_admin", OK),
    ("evidence_editor", NOT_FOUND),
    ("no_membership", NOT_FOUND),
    ("camden_chief_executive", NOT_FOUND),
]

# (persona, expected) for the feedback form of the London event
FEEDBACK = [
    ("anonymous", SIGN_IN),
    ("camden_analyst", OK),  # had a place
    ("leeds_admin", FORBIDDEN),
    ("london_coordinator", FORBIDDEN),  # organisers do not rate their own event unless they had a place
    ("national_admin", FORBIDDEN),
    ("evidence_editor", FORBIDDEN),
    ("no_membership", FORBIDDEN),
    ("camden_chief_executive", FORBIDDEN),  # had a place, marked as not attending
]

# (persona, expected) for downloading a material of the published London event, and of the draft
DOWNLOAD_PUBLISHED = [
    ("anonymous", OK),
    ("camden_analyst", OK),
    ("leeds_admin", OK),
    ("london_coordinator", OK),
    ("national_admin", OK),
    ("evidence_editor", OK),
    ("no_membership", OK),
    ("camden_chief_executive", OK),
]
DOWNLOAD_DRAFT = [
    ("anonymous", NOT_FOUND),
    ("camden_analyst", NOT_FOUND),
    ("leeds_admin", NOT_FOUND),
    ("london_coordinator", OK),
    ("national_admin", OK),
    ("evidence_editor", NOT_FOUND),
    ("no_membership", NOT_FOUND),
    ("camden_chief_executive", NOT_FOUND),
]

ORGANISER_PAGES = ["attendance/", "materials/new/", "shared/", "feedback/summary/"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_event(places, creator, region, status=Event.Status.PUBLISHED) -> Event:
    starts = timezone.now() - timedelta(hours=3)
    return Event.objects.create(
        title=f"{region.name} workshop",
        theme="vulnerable_children",
        region=region,
        format=Event.Format.ONLINE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
        status=status,
        created_by=creator,
    )


def material_of(event, organiser) -> Material:
    return after.add_material(
        user=organiser,
        event=event,
        title="Notes",
        kind="notes",
        upload=SimpleUploadedFile("notes.txt", b"what we heard"),
    )


@pytest.fixture
def events(places, people):
    london = make_event(places, people["london_coordinator"], places.london)
    yorkshire = make_event(places, people["leeds_admin"], places.yorkshire)
    draft = make_event(places, people["london_coordinator"], places.london, status=Event.Status.DRAFT)
    Registration.objects.create(
        event=london,
        user=people["camden_analyst"],
        authority=places.camden,
        status=Registration.Status.BOOKED,
    )
    Registration.objects.create(
        event=london,
        user=people["camden_chief_executive"],
        authority=places.camden,
        status=Registration.Status.BOOKED,
        attended=False,
    )
    return {"london": london, "yorkshire": yorkshire, "draft": draft}


def check(response, path, expected):
    if expected == OK:
        assert response.status_code == 200, response.status_code
    elif expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"
    elif expected == NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        document = page(response)
        assert heading(document) == "You do not have access to this page"
        assert "govuk-template" in document.one("html").classes


@pytest.mark.parametrize("route", ORGANISER_PAGES)
@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_the_london_events_organiser_pages(as_persona, events, route, persona, expected):
    path = f"/workshops/{events['london'].pk}/{route}"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize("route", ORGANISER_PAGES)
@pytest.mark.parametrize(("persona", "expected"), YORKSHIRE_ORGANISERS)
def test_the_yorkshire_events_organiser_pages(as_persona, events, route, persona, expected):
    path = f"/workshops/{events['yorkshire'].pk}/{route}"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize("route", [*ORGANISER_PAGES, "feedback/"])
@pytest.mark.parametrize(("persona", "expected"), DRAFT_ORGANISERS)
def test_a_drafts_pages(as_persona, events, route, persona, expected):
    if route == "feedback/" and expected == OK:
        expected = FORBIDDEN  # organisers, but without a place
    path = f"/workshops/{events['draft'].pk}/{route}"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_the_delete_confirmation(as_persona, events, people, persona, expected):
    material = material_of(events["london"], people["london_coordinator"])
    path = f"/workshops/materials/{material.pk}/delete/"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize(("persona", "expected"), DRAFT_ORGANISERS)
def test_the_delete_confirmation_of_a_drafts_material(as_persona, events, people, persona, expected):
    material = material_of(events["draft"], people["london_coordinator"])
    path = f"/workshops/materials/{material.pk}/delete/"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize(("persona", "expected"), FEEDBACK)
def test_the_feedback_form(as_persona, events, persona, expected):
    path = f"/workshops/{events['london'].pk}/feedback/"
    check(as_persona(persona).get(path), path, expected)


@pytest.mark.parametrize(("persona", "expected"), DOWNLOAD_PUBLISHED)
def test_downloading_a_published_events_material(as_persona, events, people, persona, expected):
    material = material_of(events["london"], people["london_coordinator"])
    response = as_persona(persona).get(f"/workshops/materials/{material.pk}/download/")
    assert expected == OK
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert b"".join(response.streaming_content) == b"what we heard"


@pytest.mark.parametrize(("persona", "expected"), DOWNLOAD_DRAFT)
def test_downloading_a_drafts_material(as_persona, events, people, persona, expected):
    material = material_of(events["draft"], people["london_coordinator"])
    response = as_persona(persona).get(f"/workshops/materials/{material.pk}/download/")
    assert response.status_code == (200 if expected == OK else 404)


# Writes: each refused persona changes nothing


@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_marking_attendance(as_persona, events, persona, expected):
    event = events["london"]
    place = event.registrations.get(user__username="camden.analyst")
    path = f"/workshops/{event.pk}/attendance/"
    response = as_persona(persona).post(path, {f"attended-{place.pk}": "yes"})
    place.refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert place.attended is True
    else:
        check(response, path, expected)
        assert place.attended is None


@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_uploading_a_material(as_persona, events, persona, expected):
    event = events["london"]
    path = f"/workshops/{event.pk}/materials/new/"
    response = as_persona(persona).post(
        path, {"title": "Slides", "kind": "slides", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.7\n")}
    )
    if expected == OK:
        assert response.status_code == 302
        assert Material.objects.filter(event=event).count() == 1
    else:
        check(response, path, expected)
        assert not Material.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_deleting_a_material(as_persona, events, people, persona, expected):
    material = material_of(events["london"], people["london_coordinator"])
    path = f"/workshops/materials/{material.pk}/delete/"
    response = as_persona(persona).post(path)
    if expected == OK:
        assert response.status_code == 302
        assert not Material.objects.exists()
    else:
        check(response, path, expected)
        assert Material.objects.filter(pk=material.pk).exists()


@pytest.mark.parametrize(("persona", "expected"), DRAFT_ORGANISERS)
def test_deleting_a_drafts_material(as_persona, events, people, persona, expected):
    material = material_of(events["draft"], people["london_coordinator"])
    path = f"/workshops/materials/{material.pk}/delete/"
    response = as_persona(persona).post(path)
    if expected == OK:
        assert response.status_code == 302
        assert not Material.objects.exists()
    else:
        check(response, path, expected)
        assert Material.objects.filter(pk=material.pk).exists()


@pytest.mark.parametrize(("persona", "expected"), LONDON_ORGANISERS)
def test_linking_what_was_shared(as_persona, events, persona, expected):
    from slihub.evidence.models import Practice

    practice = Practice.objects.create(slug="family-triage", name="Family triage", source="upload")
    event = events["london"]
    path = f"/workshops/{event.pk}/shared/"
    response = as_persona(persona).post(path, {"practices": [practice.pk], "action": "save"})
    if expected == OK:
        assert response.status_code == 302
        assert list(event.practices.all()) == [practice]
    else:
        check(response, path, expected)
        assert not event.practices.exists()


@pytest.mark.parametrize(("persona", "expected"), FEEDBACK)
def test_giving_feedback(as_persona, events, persona, expected):
    event = events["london"]
    path = f"/workshops/{event.pk}/feedback/"
    response = as_persona(persona).post(path, {"usefulness": "4", "will_use": "", "comments": ""})
    if expected == OK:
        assert response.status_code == 302
        assert Feedback.objects.filter(event=event).count() == 1
    else:
        check(response, path, expected)
        assert not Feedback.objects.exists()


def test_a_missing_event_or_material_is_not_found(as_persona):
    client = as_persona("national_admin")
    for path in [
        "/workshops/999999/attendance/",
        "/workshops/999999/materials/new/",
        "/workshops/999999/feedback/",
        "/workshops/999999/feedback/summary/",
        "/workshops/999999/shared/",
        "/workshops/materials/999999/download/",
        "/workshops/materials/999999/delete/",
    ]:
        assert client.get(path).status_code == 404, path

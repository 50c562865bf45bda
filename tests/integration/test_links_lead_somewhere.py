"""Links a person cannot use are not shown: every link on these pages, followed as each persona, answers
something other than 403 (the evidence library once offered everyone "Upload studies" and refused a
coordinator with 403)."""

from urllib.parse import urlsplit

import pytest

from tests.integration.conftest import PERSONAS
from tests.integration.html import page

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/evidence/",
    "/evidence/local/",
    "/exchange/",
    "/authorities/202/",
    "/alliances/",
    "/workshops/",
    "/warning/",
]
# Not followed: signing out and files to download (they answer the same to everyone who sees the page).
SKIP = ("/accounts/logout/", "/static/", "/admin/")


def _links(response) -> set[str]:
    found = set()
    for a in page(response).find_all("a"):
        href = a.attrs.get("href", "")
        parts = urlsplit(href)
        if href.startswith("/") and not parts.netloc and not parts.path.startswith(SKIP):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_link_on_these_pages_leads_to_a_refusal(as_persona, persona):
    client = as_persona(persona)
    refused = []
    for url in PAGES:
        response = client.get(url)
        if response.status_code != 200:
            continue
        for link in sorted(_links(response)):
            if client.get(link).status_code == 403:
                refused.append(f"{url} links to {link}")
    assert refused == []


def test_a_coordinator_is_not_offered_uploads_and_a_council_member_is(as_persona):
    coordinator = as_persona("london_coordinator").get("/evidence/").content.decode()
    assert "/evidence/upload/" not in coordinator and "Upload studies" not in coordinator

    member = as_persona("camden_analyst").get("/evidence/").content.decode()
    assert "Upload studies from a CSV file" in member

"""The home page says what the hub does today, with a way into each part for each kind of user, and a
signed-in person's own pages: only pages they can open."""

import re

import pytest

from slihub.alliances.services import ensure_alliances, set_cycle, suggested_cycle

PUBLIC_WAYS_IN = (
    "/indicators/",
    "/compare/",
    "/evidence/",
    "/alliances/",
    "/workshops/",
    "/forecast/",
    "/map/",
)


def your_pages(html: str) -> list[str]:
    """The addresses listed under "Your pages"."""
    if 'id="your-pages"' not in html:
        return []
    section = html.split('id="your-pages"', 1)[1].split('id="what-the-hub-does"', 1)[0]
    return re.findall(r'href="([^"]+)"', section)


@pytest.fixture
def london_cycle(people, places):
    [london] = [a for a in ensure_alliances() if a.region_id == places.london.id]
    return set_cycle(user=people["national_admin"], alliance=london, year=2026, **suggested_cycle(2026))


def test_the_home_page_says_what_the_hub_does_today(as_persona):
    html = as_persona("anonymous").get("/").content.decode()
    assert "Coming next" not in html
    for address in PUBLIC_WAYS_IN:
        assert f'href="{address}"' in html, address
    for words in ("early warning", "specialist exchange", "local practice", "self-assessment", "survey"):
        assert words in html, words
    # signed out: no private page is offered, only signing in
    assert your_pages(html) == []
    assert 'href="/accounts/login/?next=/"' in html
    for private in ("/exchange/", "/warning/", "/survey/", "/audit/", "/jobs/"):
        assert f'href="{private}' not in html, private


@pytest.mark.parametrize(
    "persona, expected, absent",
    [
        (
            "camden_analyst",
            [
                "/authorities/202/",
                "/warning/authorities/202/",
                "/exchange/ledger/202/",
                "/self-assessments/202/2026/",
            ],
            ["/warning/backtest/", "/audit/", "/authorities/202/people/"],
        ),
        (
            "leeds_admin",
            ["/authorities/383/", "/exchange/ledger/383/", "/forecast/383/", "/authorities/383/people/"],
            ["/authorities/202/", "/people/"],
        ),
        (
            "camden_chief_executive",
            ["/authorities/202/", "/self-assessments/202/2026/"],
            ["/exchange/ledger/202/"],
        ),
        (
            "london_coordinator",
            ["/alliances/london/", "/warning/", "/workshops/new/"],
            ["/warning/backtest/"],
        ),
        ("national_admin", ["/warning/backtest/", "/jobs/", "/audit/", "/evidence/uploads/", "/people/"], []),
        ("evidence_editor", ["/evidence/uploads/"], ["/warning/", "/jobs/", "/audit/"]),
        ("no_membership", [], []),
    ],
)
def test_signed_in_people_find_their_own_pages_and_can_open_every_one(
    as_persona, london_cycle, persona, expected, absent
):
    client = as_persona(persona)
    links = your_pages(client.get("/").content.decode())
    for address in expected:
        assert any(link.endswith(address) for link in links), (address, links)
    for address in absent:
        assert address not in links, (address, links)
    for link in links:
        assert client.get(link).status_code == 200, link

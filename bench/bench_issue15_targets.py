"""Issue 15's speed and size aims in one table, with the whole bank loaded: for each page its median
server time through the test client (the page cache off), its HTML size and its element count (read
with html.parser, no browser). The aims: an authority's page of an indicator under 100 ms, the profile
summary under 150 ms, a theme page under 300 KB, every indicator on one page under 1.5 MB, compare
with 11 authorities and 6 charts under 200 ms."""

import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 15
PROFILE = "/authorities/202/profile/"


class _Elements(HTMLParser):
    """Counts start tags: the DOM's element count, near enough (void and self-closed tags included)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.count += 1


def elements(html: str) -> int:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.count


def main() -> None:
    os.environ["SLIHUB_PAGE_CACHE"] = "0"  # measure the rendering, not the cache
    if not _fixtures.load_public_data(inspections=True):
        return
    import logging

    from django.test import Client
    from django.test.utils import override_settings

    logging.getLogger("slihub.request").setLevel(logging.WARNING)  # a line per request otherwise

    from slihub.indicators import compare_selectors, profile_selectors
    from slihub.places.models import Authority

    camden = Authority.objects.get(code="202")
    eleven = [camden, *compare_selectors.neighbours_of(camden)]
    six = profile_selectors.headline_indicators()[:6]
    compare = "/compare/?" + urlencode([("la", a.code) for a in eleven] + [("indicator", i.id) for i in six])
    pages = [
        ("authority-indicator (aim 100 ms)", "/authorities/202/indicators/lac/"),
        ("profile summary (aim 150 ms)", PROFILE),
        ("largest theme page (aim 300 KB)", PROFILE + "?section=vulnerable_children"),
        ("a theme page", PROFILE + "?section=early_years"),
        ("all on one page (aim 1.5 MB)", PROFILE + "?section=all"),
        ("compare 11 x 6 (aim 200 ms)", compare),
    ]
    client = Client()
    with override_settings(PAGE_CACHE=False):
        for label, url in pages:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = response.content.decode()

            def fetch(url=url):
                client.get(url)

            print(
                f"   {label:<34} median {_django.median_ms(fetch, REPEATS):6.1f} ms, "
                f"{len(response.content) / 1000:7.0f} KB, {elements(html):6d} elements  ({url[:60]})",
                flush=True,
            )


if __name__ == "__main__":
    main()

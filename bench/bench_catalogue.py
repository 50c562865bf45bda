"""The indicator catalogue with the full bank: building it once per release, ranking a search, and the
pages' server time (page cache off) and size."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 20
QUERIES = ["looked after rate", "CLA", "children in care", "agency social workers", "re-referrals"]


def main() -> None:
    if not _fixtures.load_public_data():
        return
    from django.conf import settings
    from django.test import Client

    from slihub.indicators import catalogue_selectors, catalogue_views

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PAGE_CACHE = False  # the view's own time, not the page cache's
    started = time.perf_counter()
    built = catalogue_selectors.build()
    took = (time.perf_counter() - started) * 1000
    print(f"   build (once per release): {took:.0f} ms, {len(built.rows)} rows")
    for q in QUERIES:
        ms = _django.median_ms(lambda q=q: built.find(q=q), REPEATS)
        print(f"   rank {q!r}: median {ms:.2f} ms, {len(built.find(q=q))} found")
    client = Client()
    pages = [
        ("catalogue", "/indicators/"),
        ("catalogue page 3", "/indicators/?page=3"),
        ("search 'looked after rate'", "/indicators/?q=looked+after+rate"),
        ("search 'CLA', social care theme", "/indicators/?q=CLA&theme=vulnerable_children"),
    ]
    _django.print_page_medians(client, pages, REPEATS)
    for label, url in pages[:3]:
        print(f"   {label}: {len(client.get(url).content) / 1000:.0f} kB")
    catalogue_views.PER_PAGE = 10_000
    print(f"   every indicator on one page would be {len(client.get('/indicators/').content) / 1000:.0f} kB")


if __name__ == "__main__":
    main()

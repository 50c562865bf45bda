"""The compare page with the whole bank loaded: Camden and its ten statistical neighbours with six
indicators (a chart each), the ten headline indicators, all of London, the Excel and CSV downloads and
a saved comparator group's page. Median server time through the test client, rendered afresh (the
page cache off), the queries each makes and its size. The aim: 11 authorities and 6 charts under 200 ms."""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 25


def main() -> None:
    os.environ["SLIHUB_PAGE_CACHE"] = "0"  # measure the rendering, not the cache
    if not _fixtures.load_public_data():
        return
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from slihub.accounts import comparator_groups
    from slihub.accounts.models import ComparatorGroup, User
    from slihub.indicators import compare_selectors, profile_selectors
    from slihub.places.models import Authority

    camden = Authority.objects.get(code="202")
    eleven = [camden, *compare_selectors.neighbours_of(camden)]
    six = profile_selectors.headline_indicators()[:6]
    london = compare_selectors.region_members(camden.region)
    owner, _ = User.objects.get_or_create(username="bench.compare", defaults={"full_name": "Bench Compare"})
    ComparatorGroup.objects.filter(owner=owner).delete()
    group = comparator_groups.create_group(
        user=owner, name="Camden's neighbours", authorities=eleven, indicators=six
    )

    def query(authorities, indicators) -> str:
        return "?" + urlencode(
            [("la", a.code) for a in authorities] + [("indicator", i.id) for i in indicators]
        )

    pages = [
        ("11 authorities, 6 charts", "/compare/" + query(eleven, six)),
        ("11 authorities, 10 headline charts", "/compare/" + query(eleven, [])),
        (f"London's {len(london)} authorities, 6 charts", "/compare/" + query(london, six)),
        ("Excel, 11 x 6", "/compare/comparison.xlsx" + query(eleven, six)),
        ("CSV, 11 x 6", "/compare/comparison.csv" + query(eleven, six)),
        ("saved group, 11 x 6", f"/compare/groups/{group.token}/"),
    ]

    def cached(response) -> str:
        return f", page cache {response['X-Page-Cache']}" if response.has_header("X-Page-Cache") else ""

    client = Client()
    with override_settings(PAGE_CACHE=False):
        for label, url in pages:
            reset_queries()  # the log keeps 9,000 queries: a full one would count none
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

            def fetch(url=url):
                client.get(url)

            median = _django.median_ms(fetch, REPEATS)
            print(
                f"   {label:<36} median {median:6.1f} ms ({REPEATS} requests, test client, no page cache), "
                f"{len(queries)} queries, {len(response.content) / 1e3:.0f} KB"
                f"{cached(response)}",
                flush=True,
            )


if __name__ == "__main__":
    main()

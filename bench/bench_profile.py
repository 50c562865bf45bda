"""The progress profile and the compare page with the whole bank loaded (LAIT's 434 indicators and
the tidy files): median server time through the test client, the queries each page makes and its
size. The profile's aim is 300 ms for its pages (the summary and each theme); the page of every
theme at once, for printing, is measured too."""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fixtures  # noqa: E402

PROFILE = "/authorities/202/profile/"
FIVE = "compare=206&compare=204&compare=210&compare=213&compare=211"
PAGES = [
    PROFILE,  # the first view: summary, Ofsted, the themes
    PROFILE + "?group=outcome&model=2021",
    PROFILE + "?section=vulnerable_children",  # the largest theme
    PROFILE + "?section=early_years",
    PROFILE + "?group=outcome&model=2021&section=stay_safe",  # the largest outcome
    PROFILE + "?section=vulnerable_children&" + FIVE,
    PROFILE + "?section=all",  # every indicator on one page, for printing
    "/compare/?la=202&la=206&la=383",
    "/compare/?la=202&la=206&la=383&la=380&la=815&la=942&la=204&la=210&la=213&la=211",
]
REPEATS = 15


def shown(page: str) -> str:
    """The address as printed: the profile's query only ('profile ?section=all')."""
    return ("profile " + page[len(PROFILE) :] if page.startswith(PROFILE) else page)[:62]


def main() -> None:
    if not _fixtures.load_public_data(inspections=True):
        return
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for page in PAGES:
        reset_queries()  # the log holds at most 9,000 queries, and the load filled it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            client.get(page)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"   GET {shown(page):<62} median {statistics.median(times):6.1f} ms, "
            f"best {min(times):6.1f} ms "
            f"({REPEATS} requests, test client), {len(queries)} queries, "
            f"{len(response.content) / 1e6:.2f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()

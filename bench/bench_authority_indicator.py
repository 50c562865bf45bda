"""An authority's page of one indicator (/authorities/<code>/indicators/<slug>/) with the whole bank
loaded: median server time through the test client, rendered afresh (the page cache off), the
queries each page makes and its size. The aim is under 100 ms median. The profile summary, which
now opens with the headline set, is measured beside it (its aim: 150 ms)."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

PAGES = [
    "/authorities/202/indicators/lac/",  # LAIT's looked-after rate, every year since 2010
    "/authorities/202/indicators/dfe-cla-rate-31-march/",  # DfE's tidy file of the same statistic
    "/authorities/202/indicators/prevregcpr/",
    "/authorities/909/indicators/lac/",  # a former authority: no comparisons
    "/authorities/380/indicators/work-force-to-rate/",
    "/authorities/942/indicators/lacfinance/",  # a finance outturn series
    "/authorities/202/profile/",  # the summary, with the headline set
]
REPEATS = 25


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    os.environ["SLIHUB_PAGE_CACHE"] = "0"  # measure the rendering, not the cache
    _django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from slihub.indicators.models import Comparison, Indicator
    from slihub.indicators.services import load_indicator_data
    from slihub.inspections.services import load_inspections
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    print(f"   database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    started = time.perf_counter()
    load_reference_data(folder)
    load_inspections(folder)
    load_indicator_data(folder)  # skips quickly when an earlier benchmark loaded it
    print(
        f"   data loaded in {time.perf_counter() - started:.1f} s: {Indicator.objects.count()} indicators, "
        f"{Comparison.objects.count()} comparisons",
        flush=True,
    )
    client = Client()
    with override_settings(PAGE_CACHE=False):
        for page in PAGES:
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            assert response.status_code == 200, (page, response.status_code)
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                client.get(page)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"   GET {page:<54} median {statistics.median(times):6.1f} ms, best {min(times):6.1f} ms "
                f"({REPEATS} requests, test client, no page cache), {len(queries)} queries, "
                f"{len(response.content) / 1e3:.0f} KB",
                flush=True,
            )


if __name__ == "__main__":
    main()

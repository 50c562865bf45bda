"""What the forecast would cost on the pages (the issue's aim: a council's forecast page under 200 ms
median, so costs are worked out once by the refresh and stored): the refresh with costs, then a council's
page signed out at 2024-25 prices and with an inflation setting, signed in as the council's director with
budgets entered (never from the page cache), the national page with the published estimates, and the budget
API; beside what `costs.projection` takes to work one council's figures out from the workbook.

Needs the real public data (SLIHUB_DATA_DIR, with the RO3 workbook); figures printed, never asserted."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 21


def main() -> None:
    if not _fixtures.load_public_data():
        return
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from slihub.accounts.models import Membership, Role, User
    from slihub.forecast import costs, refresh
    from slihub.forecast.models import Budget, StoredCost
    from slihub.places.models import Authority

    started = time.perf_counter()
    done = refresh.refresh_forecasts()
    print(
        f"   every forecast, the backtest and the costs worked out and stored: "
        f"{time.perf_counter() - started:.1f} s ({done.costs} areas costed"
        + (f"; no costs: {done.costs_missing}" if done.costs_missing else "")
        + ")",
        flush=True,
    )
    if not StoredCost.objects.filter(authority__code="202").exists():
        print("   skipped the pages: no cost stored for Camden (is the RO3 workbook in SLIHUB_DATA_DIR?)")
        return
    started = time.perf_counter()
    costs.projection("202")
    print(f"   costs.projection('202') per request, for comparison: {time.perf_counter() - started:.2f} s")
    camden = Authority.objects.get(code="202")
    director, _ = User.objects.get_or_create(username="bench.camden.director")
    Membership.objects.get_or_create(user=director, role=Role.DIRECTOR, authority=camden)
    for year_end in (2026, 2027, 2028):
        Budget.objects.update_or_create(authority=camden, year_end=year_end, defaults={"amount": 36_500_000})
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.PAGE_CACHE = False
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(director)
    pages = [
        ("a council's page, signed out", anonymous, "/forecast/202/"),
        ("a council's page, inflation 3%", anonymous, "/forecast/202/?inflation=3"),
        ("a council's page, its director, with budgets and the gap", signed_in, "/forecast/202/"),
        ("the national page with the published estimates", anonymous, "/forecast/"),
        ("the budget API, its director", signed_in, "/api/v1/forecasts/202/budget"),
    ]
    for label, client, url in pages:

        def fetch(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        median = _django.median_ms(fetch, REPEATS)
        with CaptureQueriesContext(connection) as queries:
            fetch()
        print(f"   {label}: median {median:.1f} ms, {len(queries)} queries ({url})", flush=True)


if __name__ == "__main__":
    main()

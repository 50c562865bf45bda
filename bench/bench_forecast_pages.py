"""The forecast pages (the issue's aim: a council's forecast page under 200 ms median), beside a static
file served in the same run, through the test client as a signed-out visitor with the page cache off (and
once from the cache); and the time to work out and store every forecast and the backtest.

The fixture: the real public data when SLIHUB_DATA_DIR is set (the reference data and LAIT's bank, loaded
once, about a minute), else 153 made-up councils and England with ten years of starts, ceases and stocks
from constant rates. Figures printed, never asserted."""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 21
STATIC = "/static/web/init.js"
COUNCILS, YEARS = 153, range(2016, 2026)


def _synthetic() -> None:
    """England and 153 councils, each with published stocks, starts, ceases and population."""
    from slihub.forecast import selectors
    from slihub.indicators.models import Indicator, Period, Value
    from slihub.places.models import Authority, Region

    region = Region.objects.create(code="E12000099", name="Bench region", slug="bench-region")
    councils = Authority.objects.bulk_create(
        Authority(
            code=str(100 + n), ons_code=f"E0699{n:04d}", name=f"Council {n:03d}", la_type="UA", region=region
        )
        for n in range(COUNCILS)
    )
    indicators = {
        code: Indicator.objects.create(
            code=code, slug=code.lower().replace("_", "-").replace(":", "-"), name=code
        )
        for code in selectors.CODES
    }
    periods = {
        y: Period.objects.create(label=str(y), kind="year", start_year=y, end_year=y, sort_key=y * 100)
        for y in range(YEARS[0] - 1, YEARS[-1] + 1)
    }
    rng = np.random.default_rng(2018)
    rows = []
    for authority in [None, *councils]:
        population = 12_000_000 if authority is None else int(rng.uniform(8_000, 300_000))
        rate, share = rng.uniform(15, 45), rng.uniform(0.3, 0.45)
        n = int(rate * population / 10_000 * (1 - share) / share)
        where = {"area_type": "england"} if authority is None else {"area_type": "la", "authority": authority}
        for year in YEARS:
            starts = int(rng.poisson(rate * population / 10_000))
            ceases = int(rng.binomial(n + starts, share))
            n = n + starts - ceases
            for code, value in (
                (selectors.STOCK, n),
                (selectors.STARTS, starts),
                (selectors.CEASES, ceases),
            ):
                rows.append(Value(indicator=indicators[code], period=periods[year], value=value, **where))
            rows.append(
                Value(
                    indicator=indicators[selectors.POPULATION],
                    period=periods[year - 1],
                    value=population,
                    **where,
                )
            )
    Value.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    if not _fixtures.load_public_data():
        _django.setup()
        _synthetic()
        print(f"   synthetic data: England and {COUNCILS} councils, {len(YEARS)} years", flush=True)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from slihub.forecast import refresh
    from slihub.forecast.models import ForecastBasis
    from slihub.places.models import Authority

    started = time.perf_counter()
    done = refresh.refresh_forecasts()
    print(
        f"   every forecast (1,000 simulations) and the backtest worked out and stored: "
        f"{time.perf_counter() - started:.1f} s ({done.areas} areas with a forecast)",
        flush=True,
    )
    code = "202" if Authority.objects.filter(code="202").exists() else "100"
    assert ForecastBasis.objects.filter(authority__code=code).exists(), code
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    settings.PAGE_CACHE = False
    client = Client()
    pages = [
        ("static file (floor)", STATIC),
        (f"a council's forecast page ({code})", f"/forecast/{code}/"),
        ("the national forecast page (every council)", "/forecast/"),
        ("the backtest page", "/forecast/backtest/"),
        (f"a council's forecast API ({code})", f"/api/v1/forecasts/{code}"),
    ]
    medians = {}
    for label, url in pages:

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        medians[label] = _django.median_ms(fetch, REPEATS)
        with CaptureQueriesContext(connection) as queries:
            fetch()
        print(f"   {label}: median {medians[label]:.1f} ms, {len(queries)} queries ({url})", flush=True)
    floor = medians["static file (floor)"]
    council = medians[pages[1][0]]
    print(f"   council page / static file: {council / floor:.1f}x (aim: the page under 200 ms median)")
    settings.PAGE_CACHE = True

    def cached():
        assert client.get(f"/forecast/{code}/").status_code == 200

    median = _django.median_ms(cached, REPEATS)
    print(f"   a council's forecast page from the page cache: median {median:.1f} ms")


if __name__ == "__main__":
    main()

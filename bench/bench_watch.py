"""Server time of the concentration and polarisation watch (target: the national page under 300 ms median
on SQLite, as a national admin, who sees every section and every name).

The fixture: England's councils from the reference data when SLIHUB_DATA_DIR is set (else 153 made-up
councils in nine regions), about 600 support agreements over three years, about 400 director
appointments, and the headline set's indicators: the real bank when SLIHUB_DATA_DIR is set (loaded once,
about a minute), else synthetic ones with twelve periods of figures for every council."""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

REPEATS = 20
AGREEMENTS = 600
APPOINTMENTS = 400


def _places():
    from django.conf import settings

    from slihub.places.models import Authority, Region
    from slihub.places.services import load_reference_data

    if os.environ.get("SLIHUB_DATA_DIR"):
        from slihub.indicators.services import load_indicator_data

        load_reference_data(Path(settings.DATA_DIR))
        load_indicator_data(Path(settings.DATA_DIR))  # skips at once when the database already holds the bank
    elif not Authority.objects.exists():
        regions = Region.objects.bulk_create(
            Region(code=f"E1200000{n}", name=f"Region {n}", slug=f"region-{n}") for n in range(1, 10)
        )
        Authority.objects.bulk_create(
            Authority(
                code=str(100 + n),
                ons_code=f"E0600{n:04d}",
                name=f"Council {n:03d}",
                la_type="UA",
                region=regions[n % 9],
            )
            for n in range(153)
        )
    return list(Authority.objects.current())


def _headline(councils):
    """The headline set's figures: the loaded bank's, else synthetic ones for every council."""
    from slihub.alliances.watch import headline_set
    from slihub.indicators import headline
    from slihub.indicators.models import Comparison, Indicator, Period

    if headline_set():
        return f"{len(headline_set())} loaded"
    rng = random.Random(13)
    periods = [
        Period.objects.create(label=str(y), kind="year", start_year=y, end_year=y, sort_key=y * 100)
        for y in range(2013, 2025)
    ]
    rows = []
    for number, entry in enumerate(headline.HEADLINE):
        indicator = Indicator.objects.create(
            code=f"bench:{entry.slug}",
            slug=entry.slug,
            source="bench",
            name=f"Headline indicator {number}",
            short_name=entry.slug,
            polarity="low" if number % 2 else "high",
            unit="%",
            decimal_places=1,
        )
        for period in periods:
            rows += [
                Comparison(indicator=indicator, period=period, authority=a, value=rng.uniform(10, 90))
                for a in councils
            ]
    Comparison.objects.bulk_create(rows, batch_size=2000)
    return f"{len(headline.HEADLINE)} synthetic"


def _records(councils, user):
    from slihub.alliances.models import DirectorAppointment, SupportAgreement

    rng = random.Random(7)
    today = date.today()
    agreements = []
    for _ in range(AGREEMENTS):
        giver, taker = rng.sample(councils, 2)
        starts = today - timedelta(days=rng.randrange(3 * 365))
        agreements.append(
            SupportAgreement(
                supporting=giver,
                supported=taker,
                area="early_years",
                form="mentoring",
                starts_on=starts,
                ends_on=starts + timedelta(days=90),
                days=rng.randint(1, 30),
                expected_outcomes="Bench",
                status=rng.choice(["proposed", "agreed", "completed", "cancelled"]),
                recorded_by=user,
            )
        )
    SupportAgreement.objects.bulk_create(agreements)
    DirectorAppointment.objects.bulk_create(
        DirectorAppointment(
            authority=rng.choice(councils),
            name=f"Director {n}",
            started_on=today - timedelta(days=rng.randrange(8 * 365)),
            interim=rng.random() < 0.3,
        )
        for n in range(APPOINTMENTS)
    )


def main() -> None:
    _django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from slihub.accounts.models import Membership, Role, User
    from slihub.alliances.models import Alliance
    from slihub.alliances.services import ensure_alliances

    started = time.perf_counter()
    councils = _places()
    ensure_alliances()
    admin = User.objects.create(username="bench.watch.admin")
    Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    kind = _headline(councils)
    _records(councils, admin)
    print(
        f"   data ready: {time.perf_counter() - started:.1f} s ({len(councils)} councils, {AGREEMENTS} "
        f"agreements, {APPOINTMENTS} appointments, {kind} headline indicators)",
        flush=True,
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    region = Alliance.objects.select_related("region").order_by("region__code").first().region
    for label, url, fresh in [
        ("national watch page, the gap from its cache", "/alliances/watch/", False),
        ("national watch page, the gap worked out afresh", "/alliances/watch/", True),
        (f"regional watch page, {region.name}, afresh", f"/alliances/{region.slug}/watch/", True),
        ("national watch API, the gap from its cache", "/api/v1/watch", False),
    ]:
        settings.PAGE_CACHE = not fresh

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        median = _django.median_ms(fetch, REPEATS)
        with CaptureQueriesContext(connection) as queries:
            fetch()
        print(f"   {label}: median {median:.1f} ms, {len(queries)} queries ({url})", flush=True)


if __name__ == "__main__":
    main()

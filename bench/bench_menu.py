"""The menu of support across England: 300 open offers and 150 open asks from the real councils, each
ask naming three of 20 indicators on which councils have figures, and a year of support agreements.
Prints the time to match every ask (in the region, then nationally), London's menu page, a council's
page and the matches API, with the queries each makes."""

import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

REPEATS = 10
OFFERS, ASKS, INDICATORS = 300, 150, 20


def build(rng):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import Ask, Offer, SupportAgreement
    from slihub.exchange.taxonomy import EXPERTISE
    from slihub.indicators.models import Comparison, Indicator, Period
    from slihub.places.models import Authority

    councils = list(Authority.objects.current())
    areas = [key for key, _ in EXPERTISE]
    period = Period.objects.create(
        label="2024-25", kind="year", start_year=2024, end_year=2025, sort_key=2024
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bench{i}",
            slug=f"bench-{i}",
            source="bench",
            name=f"Bench indicator {i}",
            short_name=f"b{i}",
        )
        for i in range(INDICATORS)
    )
    Comparison.objects.bulk_create(
        Comparison(
            indicator=indicator,
            period=period,
            authority=council,
            quartile=rng.choice("ABCD"),
            trend_3=rng.choice(["improving", "declining", "stable"]),
            rank=rng.randint(1, 152),
            ranked=152,
        )
        for indicator in indicators
        for council in councils
    )
    slugs = [i.slug for i in indicators]
    Offer.objects.bulk_create(
        Offer(
            authority=rng.choice(councils),
            area=rng.choice(areas),
            title=f"Offer {n}",
            indicators=rng.sample(slugs, 2),
        )
        for n in range(OFFERS)
    )
    Ask.objects.bulk_create(
        Ask(
            authority=rng.choice(councils),
            area=rng.choice(areas),
            title=f"Ask {n}",
            indicators=rng.sample(slugs, 3),
        )
        for n in range(ASKS)
    )
    agreements = []
    for _ in range(200):
        supporting, supported = rng.sample(councils, 2)
        day = date(2026, rng.randint(4, 12), rng.randint(1, 28))
        agreements.append(
            SupportAgreement(
                supporting=supporting,
                supported=supported,
                area=rng.choice(areas),
                form="mentoring",
                starts_on=day,
                ends_on=day,
                days=rng.randint(1, 20),
                expected_outcomes="Bench",
                status=rng.choice(["proposed", "agreed", "completed", "cancelled"]),
            )
        )
    SupportAgreement.objects.bulk_create(agreements)
    return ensure_user(username="bench.national", full_name="Bench", password="x", role=Role.NATIONAL_ADMIN)[
        0
    ]


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    _django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from slihub.alliances import menu
    from slihub.alliances.models import Ask
    from slihub.alliances.services import ensure_alliances
    from slihub.places.services import load_reference_data

    started = time.perf_counter()
    load_reference_data(Path(settings.DATA_DIR))
    ensure_alliances()
    user = build(random.Random(13))
    print(f"   data ready: {time.perf_counter() - started:.1f} s", flush=True)

    asks = list(Ask.objects.select_related("authority"))
    today = date(2026, 12, 6)
    found = menu.match_asks(asks, today=today)
    matched = sum(len(m.regional) + len(m.national) for m in found.values())
    ms = _django.median_ms(lambda: menu.match_asks(asks, today=today), REPEATS)
    with CaptureQueriesContext(connection) as queries:
        menu.match_asks(asks, today=today)
    print(
        f"   match {ASKS} asks against {OFFERS} offers: {ms:.0f} ms median, {len(queries)} queries, "
        f"{matched} matches shown",
        flush=True,
    )

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    london_ask = next(a for a in asks if a.authority.region.slug == "london")
    for label, url in [
        ("London's menu of support page", "/alliances/london/menu/"),
        ("a council's asks and offers page (Camden)", "/alliances/menu/202/"),
        ("an ask's matches, API", f"/api/v1/asks/{london_ask.pk}/matches"),
        ("asks, API (first page)", "/api/v1/asks"),
    ]:
        assert client.get(url).status_code == 200, url
        ms = _django.median_ms(lambda url=url: client.get(url), REPEATS)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"   {label}: {ms:.0f} ms median, {len(queries)} queries", flush=True)


if __name__ == "__main__":
    main()

"""The self-assessment's data pack for Camden with the whole bank loaded (LAIT's indicators, the tidy
files, Ofsted's inspections): median server time through the test client, signed in as a Camden
analyst (so the early-warning section is read too), the queries the page makes and its size. The aim
is under 300 ms."""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fixtures  # noqa: E402

PAGE = "/alliances/self-assessments/202/2026/data-pack/"
REPEATS = 15


def main() -> None:
    if not _fixtures.load_public_data(inspections=True):
        return
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from slihub.accounts.models import Membership, Role, User
    from slihub.alliances.models import Alliance, Cycle
    from slihub.places.models import Authority

    camden = Authority.objects.get(code="202", is_current=True)
    alliance, _ = Alliance.objects.get_or_create(region=camden.region, defaults={"name": "London alliance"})
    Cycle.objects.get_or_create(
        alliance=alliance,
        year=2026,
        defaults=dict(
            self_assessment_opens=date(2026, 11, 1),
            self_assessment_due=date(2026, 12, 18),
            challenge_opens=date(2027, 1, 4),
            challenge_closes=date(2027, 2, 26),
            plan_due=date(2027, 3, 31),
            delivery_starts=date(2027, 4, 1),
        ),
    )
    analyst, created = User.objects.get_or_create(username="bench.camden.analyst")
    if created:
        Membership.objects.create(user=analyst, role=Role.COUNCIL_MEMBER, authority=camden)
    client = Client()
    client.force_login(analyst)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(PAGE)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"   GET {PAGE} median {statistics.median(times):6.1f} ms, best {min(times):6.1f} ms "
        f"({REPEATS} requests, test client, signed in), {len(queries)} queries, "
        f"{len(response.content) / 1e6:.2f} MB",
        flush=True,
    )


if __name__ == "__main__":
    main()

"""A practice's page with a forest plot of 20 studies (the decision, the plot on a log axis with its
prediction interval, the table, the studies), and the comparison of three practices on one outcome:
median server time through the test client with the page cache off, beside a static file served in the
same run (the floor any page stands on). The aim for the practice page is under 100 ms median."""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

STUDIES = 20
REPEATS = 25
STATIC = "/static/web/init.js"


def _build() -> str:
    """One practice with 20 trials on a ratio outcome and two more to compare with; returns its address."""
    from slihub.evidence import synthesis
    from slihub.evidence.models import EffectEstimate, Outcome, Practice, PublishedPool, Study

    rng = random.Random(7)
    care, _ = Outcome.objects.get_or_create(
        slug="bench-entry-to-care",
        defaults={"name": "Entry to care (bench)", "higher_is_better": False, "problem": "children_in_care"},
    )
    made = []
    for p, (name, centre, k) in enumerate(
        (("Bench Family Conferences", -0.3, STUDIES), ("Bench B", -0.1, 4), ("Bench C", 0.0, 3))
    ):
        practice = Practice.objects.create(
            slug=f"bench-practice-{p}",
            name=name,
            source="bench",
            cost_per_child=900 + 100 * p,
            cost_year=2022,
            cost_rating=3,
            age_description="0 to 17 years old",
            uk_tested=True,
        )
        for i in range(k):
            n = rng.randint(60, 2400)
            study = Study.objects.create(
                practice=practice,
                key=f"t{i}",
                citation=f"Trial {i + 1} et al.",
                year=1990 + i,
                design="rct",
                n_total=n,
                country=rng.choice(["UK", "USA", "Australia"]),
            )
            events2 = rng.randint(5, n // 2 - 5)
            EffectEstimate.objects.create(
                study=study,
                outcome=care,
                measure="RR",
                yi=centre + rng.gauss(0, 0.2),
                vi=rng.uniform(0.01, 0.09),
                inputs={"events1": events2 // 2, "n1": n // 2, "events2": events2, "n2": n // 2},
            )
        made.append(practice)
    synthesis.recompute([p.pk for p in made])
    PublishedPool.objects.create(
        practice=made[0],
        outcome=care,
        measure="RR",
        method="REML",
        estimate=0.74,
        ci_lb=0.65,
        ci_ub=0.84,
        decimals=2,
        k=STUDIES,
        citation="A bench review (2024)",
        place="Analysis 1.1",
    )
    return made[0].get_absolute_url()


def main() -> None:
    _django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # through the views every time (a signed-out visitor is otherwise served from the page cache), and
    # static files served by WhiteNoise from the apps' folders, as a deployment serves them
    settings.PAGE_CACHE = False
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    url = _build()
    client = Client()
    from django.db import connection

    pages = [
        ("static file (floor)", STATIC),
        (f"practice page, forest plot of {STUDIES} studies", url),
        ("compare three practices on one outcome", "/evidence/compare/?outcome=bench-entry-to-care"),
    ]
    for label, address in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        print(f"   {label}: {size:,} bytes, {len(queries)} queries", flush=True)
    _django.print_page_medians(client, pages, REPEATS)
    print("   target: the practice page under 100 ms median (printed, never asserted)")


if __name__ == "__main__":
    main()

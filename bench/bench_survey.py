"""Server time of the survey's results page (target: a 40-question survey with 153 submitted responses under
300 ms median), beside a static file served in the same run, through the test client as a national admin.

The fixture, in a scratch database: 153 made-up councils in nine regions, a published 40-question version
(16 single choice, 8 scales, 6 multiple choice of four options, 6 numbers, 4 free text), every council's
submitted answers at random, and last year's published version with the same codes (year on year).
The first request works the disclosure control out (linear programming per table) and keeps the figures;
later requests read them back, so both are printed."""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

REPEATS = 20
COUNCILS = 153
STATIC = "/static/web/init.js"
KINDS = ["single"] * 16 + ["scale"] * 8 + ["multiple"] * 6 + ["number"] * 6 + ["text"] * 4


def _councils():
    from slihub.places.importers import ENGLISH_REGIONS
    from slihub.places.models import Authority, Region

    regions = Region.objects.bulk_create(
        Region(code=code, name=name, slug=f"bench-{code.lower()}")
        for code, name in sorted(ENGLISH_REGIONS.items())
    )
    rng = random.Random(3)
    Authority.objects.bulk_create(
        Authority(
            code=str(100 + n),
            ons_code=f"E0600{n:04d}",
            name=f"Council {n:03d}",
            la_type="UA",
            region=rng.choice(regions),
        )
        for n in range(COUNCILS)
    )
    return list(Authority.objects.current())


def _version(year, councils, seed):
    from django.utils import timezone

    from slihub.survey.models import Answer, Question, Response, Section, SurveyVersion

    version = SurveyVersion.objects.create(
        year=year,
        title=f"Bench survey {year}",
        status=SurveyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    sections = [
        Section.objects.create(version=version, position=n, title=f"Section {n}") for n in range(1, 5)
    ]
    questions = []
    for n, kind in enumerate(KINDS):
        fields = {
            "single": {"options": ["Yes", "Partly", "No", "Not sure"]},
            "multiple": {"options": list("ABCD")},
        }
        questions.append(
            Question.objects.create(
                version=version,
                section=sections[n % 4],
                position=n + 1,
                code=f"q{n:02d}",
                text=f"Question {n}",
                kind=kind,
                scale_min=1 if kind == "scale" else None,
                scale_max=5 if kind == "scale" else None,
                unit="children" if kind == "number" else "",
                **fields.get(kind, {}),
            )
        )
    rng = random.Random(seed)
    responses = Response.objects.bulk_create(
        Response(version=version, authority=a, status=Response.Status.SUBMITTED, submitted_at=timezone.now())
        for a in councils
    )
    answers = []
    for response in responses:
        for q in questions:
            if q.kind == "single":
                value = rng.choice(q.options)
            elif q.kind == "scale":
                value = rng.randint(1, 5)
            elif q.kind == "multiple":
                value = [o for o in q.options if rng.random() < 0.4]
            elif q.kind == "number":
                value = str(rng.randint(5, 40))
            else:
                value = "Some words about our service."
            answers.append(Answer(response=response, question=q, value=value))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return version


def main() -> None:
    _django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from slihub.accounts.models import Membership, Role, User

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    councils = _councils()
    _version(2025, councils, seed=1)
    _version(2026, councils, seed=2)
    admin = User.objects.create(username="bench.survey.admin")
    Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    print(
        f"   data ready: {time.perf_counter() - started:.1f} s ({len(councils)} councils, {len(KINDS)} "
        f"questions, {len(councils)} submitted responses a year, two years)",
        flush=True,
    )
    client = Client()
    client.force_login(admin)
    url = "/survey/2026/results/"
    cache.clear()
    began = time.perf_counter()
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    print(
        f"   first request (disclosure control worked out for both years): "
        f"{(time.perf_counter() - began) * 1000:.0f} ms",
        flush=True,
    )
    pages = [
        ("static file (floor)", STATIC),
        ("results page, 40 questions, 153 responses", url),
        ("results page, one region", url + "?region=E12000007"),
        ("results API", "/api/v1/survey/2026/results"),
        ("results as CSV", "/survey/2026/results.csv"),
    ]
    medians = {}
    for label, address in pages:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)

        def fetch(address=address):
            got = client.get(address)
            assert got.status_code == 200, (address, got.status_code)
            if got.streaming:
                b"".join(got.streaming_content)

        medians[label] = _django.median_ms(fetch, REPEATS)
        print(
            f"   {label}: median {medians[label]:.1f} ms, {size:,} bytes, {len(queries)} queries", flush=True
        )
    floor = medians["static file (floor)"]
    page_ms = medians["results page, 40 questions, 153 responses"]
    print(f"   results page / static file: {page_ms / floor:.1f}x", flush=True)
    print("   target: the results page under 300 ms median (printed, never asserted)")


if __name__ == "__main__":
    main()

"""The library's search over 10,000 generated practices (SQLite FTS5, or PostgreSQL with DATABASE_URL): the
ranked ids alone, then the search as the library runs it (synonyms, recommendation first, filters, a page
of 50), then the library's pages through the test client beside a static file served in the same run
(the page cache off). Aim: the library's search under 30 ms median."""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

PRACTICES = 10_000
POOLED_SHARE = 0.1  # one practice in ten has a pooled result
WORDS = (
    "parenting family school reading behaviour mentoring therapy nurse home visiting group early years "
    "language literacy numeracy wellbeing anxiety conduct care leavers fostering adoption youth justice "
    "attendance exclusion tutoring feedback phonics coaching safeguarding domestic abuse substance misuse"
).split()
# plain words, a prefix, a phrase with synonyms (none in the made-up summaries), two synonym groups at
# once (abuse: safeguarding; school: attainment, education), nothing found
QUERIES = (
    "parenting",
    "reading school",
    "home visiting",
    "youth justice mentoring",
    "phonic",
    "looked after children",
    "abuse school",
    "zebra",
)
STATIC = "/static/web/init.js"
REPEATS = 25

THEMES = ("early_years", "disabled_children", "vulnerable_children", "youth", "parents_carers_families")


def _practices(rng: random.Random) -> list[dict]:
    """Names of three topic words; summaries of 40 words, mostly from a Zipf-like 3,000-word vocabulary
    (as real prose is) with three topic words, so a topic word matches a few per cent of practices."""
    vocabulary = [f"word{i}" for i in range(3000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    out = []
    for i in range(PRACTICES):
        name = " ".join(rng.sample(WORDS, 3)).capitalize() + f" programme {i}"
        words = rng.choices(vocabulary, weights=weights, k=37) + rng.sample(WORDS, 3)
        rng.shuffle(words)
        out.append(
            {
                "slug": f"bench-{i}",
                "name": name,
                "summary": " ".join(words),
                "themes": f" {rng.choice(THEMES)} ",
                "age_groups": f" {rng.choice(('0-4', '5-11', '12-18'))} ",
                "cost_rating": rng.choice((None, 1, 2, 3, 4, 5)),
                "source": "bench",
                "studies": [],
            }
        )
    return out


def _pooled(rng: random.Random) -> None:
    """A pooled result, with a recommendation and certainty, for one practice in ten."""
    from slihub.evidence.models import Outcome, Practice, Synthesis

    outcome = Outcome.objects.create(slug="bench-behaviour", name="Behaviour (bench)", problem="behaviour")
    ids = list(Practice.objects.filter(source="bench").values_list("pk", flat=True))
    rows = [
        Synthesis(
            practice_id=pk,
            outcome=outcome,
            measure="SMD",
            k=3,
            estimate=0.3,
            se=0.1,
            ci_lb=0.1,
            ci_ub=0.5,
            pi_lb=0.0,
            pi_ub=0.6,
            tau2=0.0,
            i2=0.0,
            certainty=rng.choice(("high", "moderate", "low", "very low")),
            certainty_start="high",
            impact="Low impact: 0.30 standard deviations.",
            recommendation=rng.choice(("Offer", "Consider", "Only in research", "Do not offer")),
            rule="r",
            rule_reason="",
        )
        for pk in rng.sample(ids, int(len(ids) * POOLED_SHARE))
    ]
    Synthesis.objects.bulk_create(rows, batch_size=1000)


def main() -> None:
    os.environ["SLIHUB_PAGE_CACHE"] = "0"  # measure the search and the page, not the cache
    _django.setup()
    import logging

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings

    from slihub.evidence import search, selectors
    from slihub.evidence.services import store_practices

    logging.getLogger("slihub.request").setLevel(logging.WARNING)  # a line per request otherwise
    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        store_practices(_practices(rng), [], sources=("bench",))
        _pooled(rng)
    print(f"   {PRACTICES:,} practices stored and indexed: {time.perf_counter() - started:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them in use
    print(f"   database: {connection.vendor}", flush=True)

    # A static file as WhiteNoise serves it (from the apps' folders, as bench_throughput's server does): the
    # baseline each page's time is set against, measured in this run on this machine.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=False):
        client = Client()
        static = _django.median_ms(lambda: _ok(client, STATIC), repeats=REPEATS)
    print(f"   static file {STATIC}: median {static:.2f} ms (the baseline)", flush=True)

    ids, ranked = [], []
    for query in QUERIES:
        ms = _django.median_ms(
            lambda q=query: search.search_ids(q, limit=selectors.MAX_RESULTS), repeats=REPEATS
        )
        ids.append(ms)
        filters = selectors.Filters(q=query)
        full = _django.median_ms(lambda f=filters: _page(selectors, f), repeats=REPEATS)
        ranked.append(full)
        hits = len(search.search_ids(query, limit=selectors.MAX_RESULTS))
        print(
            f"   {query!r}: {hits:,} matches; ids {ms:.2f} ms; ranked page of 50 {full:.2f} ms "
            f"({full / static:.1f} x the static file)",
            flush=True,
        )
    filtered = selectors.Filters(q="parenting", recommendation=("Offer", "Consider"), age=("0-4", "5-11"))
    with_filters = _django.median_ms(lambda: _page(selectors, filtered), repeats=REPEATS)
    browse = _django.median_ms(lambda: _page(selectors, selectors.Filters()), repeats=REPEATS)
    print(f"   median over the queries, ids alone: {_median(ids):.2f} ms")
    print(
        f"   median over the queries, the library's search (ranked page of 50): {_median(ranked):.2f} ms "
        f"({_median(ranked) / static:.1f} x the static file; aim: under 30 ms)"
    )
    print(f"   'parenting' with two recommendations and two ages ticked: median {with_filters:.2f} ms")
    print(
        f"   the first page without a query (recommended first, 50 of {PRACTICES:,}): median {browse:.2f} ms"
    )
    client = Client()
    for label, url in (
        ("library page, 'parenting'", "/evidence/?q=parenting"),
        (
            "library page, 'looked after children' with filters",
            "/evidence/?q=looked+after+children&age=0-4&cost_rating=2",
        ),
        ("library page, no query", "/evidence/"),
    ):
        ms = _django.median_ms(lambda u=url: _ok(client, u), repeats=10)
        print(f"   {label}: median {ms:.1f} ms ({ms / static:.1f} x the static file)", flush=True)


def _ok(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    b"".join(response.streaming_content) if response.streaming else response.content


def _page(selectors, filters) -> None:
    """The library's search as its page runs it: ranked ids, filters and tiers, then the first 50 with
    their pooled results and headlines."""
    found = selectors.practices(filters)
    len(found) if isinstance(found, list) else found.count()
    selectors.headlines(found[:50], filters)


def _median(values) -> float:
    return sorted(values)[len(values) // 2]


if __name__ == "__main__":
    main()

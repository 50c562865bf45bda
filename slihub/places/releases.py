"""Data releases: a version per published dataset, raised by every write that changes published data.

Pages that show published data are cached (slihub/places/page_cache.py) under a key made of the
versions of the datasets they read, so a bump makes exactly those pages render afresh, while the
pages of the other datasets stay cached. The names in use:

- "reference": regions, authorities, reorganisations, statistical neighbours, boundaries
- "inspections": Ofsted's judgments and visits
- "indicators": the indicator bank as a whole (catalogue, profiles, comparisons)
- "indicator:<slug>": one indicator (its map page), raised with "indicators" when its data changes
- "evidence": the evidence library (practices, studies, syntheses, validated local practice)
- "everything": read by every cached page; ``bump_everything()`` raises it (after a restore, say)

Call ``bump(...)`` inside the transaction that writes: the new versions are seen by the pages only
when it commits, and a rolled-back import bumps nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from slihub.places.models import DataRelease

REFERENCE = "reference"
INSPECTIONS = "inspections"
INDICATORS = "indicators"
EVIDENCE = "evidence"
EVERYTHING = "everything"
DATASETS = (REFERENCE, INSPECTIONS, INDICATORS, EVIDENCE)
CACHE_PREFIX = "slihub:release:"


def indicator(slug: str) -> str:
    """The release name of one indicator's own data (its map page)."""
    return f"indicator:{slug}"


def _check_seconds() -> int:
    """How long a web process trusts a version it has read before reading it again from the database."""
    return getattr(settings, "RELEASE_CHECK_SECONDS", 5)


def bump(*datasets: str | Iterable[str]) -> None:
    """Raise the version of each named dataset (strings, or iterables of strings), in the current
    transaction. Two queries whatever the number of names."""
    names = sorted(
        {name for item in datasets for name in ([item] if isinstance(item, str) else item) if name}
    )
    if not names:
        return
    for name in names:
        if len(name) > DataRelease._meta.get_field("dataset").max_length:
            raise ValueError(f"Release name too long: {name!r}")
    with transaction.atomic():
        DataRelease.objects.bulk_create(
            [DataRelease(dataset=name, version=0) for name in names], ignore_conflicts=True
        )
        # A random version, not a count: a restored backup or a rolled-back test database may bring a
        # count back to a number whose pages another database's data left in a shared cache.
        DataRelease.objects.filter(dataset__in=names).update(
            version=secrets.randbits(62) + 1, changed_at=timezone.now()
        )
    # Once committed, the shared cache (Redis) learns the new versions at once; a local cache in
    # another process reads them from the database within RELEASE_CHECK_SECONDS.
    transaction.on_commit(lambda: cache.delete_many([CACHE_PREFIX + name for name in names]))


def versions(names: Iterable[str]) -> dict[str, int]:
    """The current version of each name (0 for one never bumped): from the cache when it holds them,
    else with one query, then kept in the cache for RELEASE_CHECK_SECONDS."""
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    found = {
        key.removeprefix(CACHE_PREFIX): value
        for key, value in cache.get_many([CACHE_PREFIX + name for name in names]).items()
    }
    missing = [name for name in names if name not in found]
    if missing:
        stored = dict(DataRelease.objects.filter(dataset__in=missing).values_list("dataset", "version"))
        fresh = {name: stored.get(name, 0) for name in missing}
        cache.set_many({CACHE_PREFIX + name: v for name, v in fresh.items()}, timeout=_check_seconds())
        found |= fresh
    return {name: found[name] for name in names}


def bump_everything() -> None:
    """Make every cached page render afresh (after restoring a backup, or changing data by hand)."""
    bump(EVERYTHING)

"""The public data most benchmarks stand on, loaded once into the benchmark's database."""

import os
import time
from pathlib import Path

import _django


def load_public_data(*, inspections: bool = False, alliances: bool = False) -> bool:
    """Set Django up and load the reference data, Ofsted's inspections when asked, LAIT's bank (skipped at
    once when the database already holds it) and the regional alliances when asked, printing the database
    and the time it took. False, after saying why, when SLIHUB_DATA_DIR is not set."""
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return False
    _django.setup()
    from django.conf import settings

    from slihub.alliances.services import ensure_alliances
    from slihub.indicators.models import Comparison, Indicator
    from slihub.indicators.services import load_indicator_data
    from slihub.inspections.services import load_inspections
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    print(f"   database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    started = time.perf_counter()
    load_reference_data(folder)
    if inspections:
        load_inspections(folder)
    load_indicator_data(folder)
    if alliances:
        ensure_alliances()
    print(
        f"   data ready in {time.perf_counter() - started:.1f} s: {Indicator.objects.count()} indicators, "
        f"{Comparison.objects.count()} comparisons",
        flush=True,
    )
    return True

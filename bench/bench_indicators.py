"""The full indicator import (LAIT's bank + every mapped tidy file) into a fresh database, then a reload."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    _django.setup()
    from django.conf import settings

    from slihub.indicators.models import Comparison, Value
    from slihub.indicators.services import compute_comparisons, load_indicator_data
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    load_reference_data(folder)
    started = time.perf_counter()
    load_indicator_data(folder)
    print(
        f"   full import: {time.perf_counter() - started:.1f} s "
        f"({Value.objects.count()} values, {Comparison.objects.count()} comparisons)",
        flush=True,
    )
    started = time.perf_counter()
    load_indicator_data(folder)
    print(f"   second load (unchanged files): {time.perf_counter() - started:.2f} s", flush=True)
    started = time.perf_counter()
    compute_comparisons()
    print(f"   comparisons recomputed for every indicator: {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()

"""Foundation: time to load the reference data, and the server time of the pages everyone opens."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

PAGES = ["/map/", "/authorities/", "/authorities/202/", "/regions/london/", "/api/v1/authorities?limit=200"]


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    _django.setup()
    from django.conf import settings
    from django.test import Client

    from slihub.places.services import load_reference_data

    print(f"   database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    started = time.perf_counter()
    load_reference_data()
    print(f"   load reference data, empty database: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    load_reference_data()
    print(f"   load reference data again (no change): {time.perf_counter() - started:.2f} s")
    client = Client()
    for page in PAGES:
        ms = _django.median_ms(lambda page=page: client.get(page), repeats=30)
        print(f"   GET {page:<32} median {ms:6.1f} ms (30 requests, test client)")

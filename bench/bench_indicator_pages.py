"""Server time of the indicator pages with the full bank loaded: LAIT's 'LAC' map and the catalogue."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

REPEATS = 20


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    _django.setup()
    from django.conf import settings
    from django.test import Client

    from slihub.indicators.models import Indicator
    from slihub.indicators.services import load_indicator_data
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    started = time.perf_counter()
    load_reference_data(folder)
    load_indicator_data(folder)  # skips at once when a database already holds the bank
    print(f"   data ready: {time.perf_counter() - started:.1f} s", flush=True)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    lac = Indicator.objects.get(code="LAC")
    pages = [
        (f"map of {lac.code}, latest period", lac.get_absolute_url()),
        (f"map of {lac.code}, sorted by value", lac.get_absolute_url() + "?sort=value&order=desc"),
        ("catalogue", "/indicators/"),
        ("catalogue search", "/indicators/?q=looked+after&theme=vulnerable_children"),
        ("table CSV", f"/indicators/{lac.slug}/table.csv"),
        ("table Excel", f"/indicators/{lac.slug}/table.xlsx"),
        ("tidy CSV, every period", f"/indicators/{lac.slug}/tidy.csv"),
    ]
    for label, url in pages:

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        print(f"   {label}: median {_django.median_ms(fetch, REPEATS):.1f} ms ({url})", flush=True)


if __name__ == "__main__":
    main()

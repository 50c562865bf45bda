"""A throwaway Django setup for benchmarks: a fresh SQLite database in a temporary folder."""

import atexit
import os
import shutil
import statistics
import tempfile
import time

_ready = False


def setup() -> None:
    """Point the settings at an empty temporary folder (or DATABASE_URL's database), then migrate."""
    global _ready
    if _ready:
        return
    if not os.environ.get("SLIHUB_VAR_DIR"):
        # A database of the whole bank is over 100 MB: removed when the benchmarks end.
        folder = tempfile.mkdtemp(prefix="slihub-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["SLIHUB_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slihub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _ready = True


def median_ms(fn, repeats: int) -> float:
    """Median wall time of fn() in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def print_page_medians(client, pages, repeats: int) -> None:
    """For each (label, url): the median time of a GET that answers 200, printed."""
    for label, url in pages:

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        print(f"   {label}: median {median_ms(fetch, repeats):.1f} ms ({url})", flush=True)

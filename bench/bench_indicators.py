"""The whole public-data load into a fresh database of its own, then a reload and a recomputation.

The other benchmarks share one database, loaded by whichever runs first, so an import timed there
would skip unchanged files and measure nothing. This one runs its loads in a child process on an
empty database: a temporary SQLite file, or, when DATABASE_URL names PostgreSQL, a temporary
database on the same server (dropped afterwards). 'full import' is LAIT's bank and every mapped
tidy file with their comparisons, the issue's figure; 'whole load' is everything
`slihub load-public-data` loads.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _django  # noqa: E402

CHILD = "--in-fresh-database"


def _fresh_postgres(url: str) -> tuple[str, object]:
    """A new empty database beside DATABASE_URL's, and a function that drops it."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_fresh_{os.getpid()}"
    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else ""), drop


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    folder = tempfile.mkdtemp(prefix="slihub-bench-fresh-")
    url = os.environ.get("DATABASE_URL", "")
    drop = None
    if url.startswith(("postgres://", "postgresql://")):
        url, drop = _fresh_postgres(url)
    env = {**os.environ, "SLIHUB_VAR_DIR": folder}
    if drop:
        env["DATABASE_URL"] = url
    else:
        # The settings' own SQLite database in the empty folder (WAL, as every user gets it).
        env.pop("DATABASE_URL", None)
    try:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), CHILD], env=env, check=True)
    finally:
        if drop:
            drop()
        shutil.rmtree(folder, ignore_errors=True)


def _timed(label: str, load, *args, **kwargs):
    started = time.perf_counter()
    result = load(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"   {label}: {seconds:.1f} s", flush=True)
    return result, seconds


def in_fresh_database() -> None:
    import importlib

    _django.setup()  # migrates the empty database; not timed
    from django.conf import settings
    from django.db import transaction

    from slihub.indicators.models import Comparison, Indicator, Value
    from slihub.indicators.services import compute_comparisons

    command = importlib.import_module("slihub.web.management.commands.load-public-data")
    data_dir = Path(settings.DATA_DIR)
    print(f"   database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, empty", flush=True)
    total = 0.0
    # As load-public-data does it: every dataset in one transaction, in its order.
    with transaction.atomic():
        for name, (label, load) in command.DATASETS.items():
            label = "full import (LAIT's bank and every mapped tidy file)" if name == "indicators" else label
            _, seconds = _timed(label, load, data_dir)
            total += seconds
            if name == "indicators":
                print(
                    f"     {Indicator.objects.count()} indicators, {Value.objects.count()} values, "
                    f"{Comparison.objects.count()} comparisons",
                    flush=True,
                )
        for label, compute in command.DERIVED.items():
            total += _timed(label, compute, progress=lambda _: None)[1]
    print(f"   whole load, as load-public-data: {total:.1f} s", flush=True)
    _timed("second load of the indicators (unchanged files)", command.DATASETS["indicators"][1])
    _timed("comparisons recomputed for every indicator", compute_comparisons)


if __name__ == "__main__":
    in_fresh_database() if CHILD in sys.argv else main()

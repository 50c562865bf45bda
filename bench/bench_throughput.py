"""Requests per second through gunicorn (2 workers, DEBUG off) on the real public data, measured with wrk
over the loopback: a static file, the home page, the national map, an indicator's map and Camden's profile.

Each page is measured
- uncached: the page cache turned off (SLIHUB_PAGE_CACHE=0), so every request renders the page;
- cold: a fresh server, its cache empty, asked for that one page (the first requests render it);
- cold, spread: a fresh server, its cache empty, the requests spread over many pages of the kind
  (every authority's profile, every indicator's map), so most are misses;
- warm: the page cache holding the page.
Each figure is printed in requests per second and as a share of the static file's in the same run.
With Redis at REDIS_URL (or 127.0.0.1:6379) the cached figures are measured again with the shared cache.
Figures are printed, never asserted. Without wrk (apt-get install wrk) a bounded Python client measures
instead, and says so: its figures are lower, as the client itself takes much of the 2 cores.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))  # per figure
CONNECTIONS = 8
WORKERS = 2
STATIC = "/static/web/init.js"
CAMDEN = "/authorities/202/profile/"
# Pages of each kind measured, but none of the pages (nor query strings) measured.
WARM_UP = [
    "/authorities/206/",
    "/regions/",
    "/indicators/",
    "/data-sources/",
    "/authorities/383/profile/?section=early_years",
    "/indicators/lac/?sort=value",
    "/map/?colour=region",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the bench settings; stopped (by its own process id) on exit."""

    def __init__(self, *, page_cache: bool, redis_url: str = "", key_prefix: str = ""):
        self.port = _free_port()
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="_serve_settings",
            PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT), env.get("PYTHONPATH", "")]),
            SLIHUB_PAGE_CACHE="1" if page_cache else "0",
        )
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
            env["BENCH_CACHE_PREFIX"] = key_prefix
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "slihub.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--worker-class=sync",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("gunicorn stopped:\n" + self.log.read().decode(errors="replace")[-3000:])
            try:
                if get(self.port, STATIC)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not answer within 60 s")
        # Every worker loads its templates and draws the map layout once: done here, on pages that are
        # not measured, so that the figures are of serving pages rather than of starting a process.
        measure(self.port, WARM_UP, seconds=2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def get(port: int, path: str) -> tuple[int, dict]:
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def _settle(port: int) -> None:
    """Wait until the workers have finished the requests still queued from the last measurement (a sync
    worker finishes a request whose client has gone): until a static file answers at once."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        get(port, STATIC)
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.1)


def measure(port: int, paths: list[str], seconds: float = SECONDS) -> float:
    """Requests per second over `seconds`, cycling through paths."""
    _settle(port)
    if shutil.which("wrk"):
        return _wrk(port, paths, seconds)
    return _python_client(port, paths, seconds)


def _wrk(port: int, paths: list[str], seconds: float) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        script.write(
            "local i = math.random(#paths)\n"
            "request = function()\n"
            "  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\n'
            "end\n"
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{seconds:g}s",
                "--timeout=30s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    errors = [line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        where = paths[0] + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
        print(f"      wrk on {where}: {'; '.join(errors)} (a figure with errors is not a fair one)")
    return float(next(line for line in out.splitlines() if line.startswith("Requests/sec")).split()[1])


def _python_client(port: int, paths: list[str], seconds: float) -> float:
    """CONNECTIONS threads with keep-alive connections, for `seconds`: bounded in time, loopback only."""
    done = [0] * CONNECTIONS
    stop = time.monotonic() + seconds

    def run(n: int) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        i = n
        while time.monotonic() < stop:
            connection.request("GET", paths[i % len(paths)])
            response = connection.getresponse()
            response.read()
            done[n] += 1
            i += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def _warm(port: int, path: str) -> None:
    """Until both workers have served the page from their cache (a local cache is per worker)."""
    hits = 0
    for _ in range(50):
        if get(port, path)[1].get("X-Page-Cache") == "hit":
            hits += 1
            if hits >= 2 * WORKERS:
                return


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return ""


def _forget_redis_keys(url: str, prefix: str) -> None:
    try:
        import redis
    except ImportError:
        return
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def main() -> None:
    if not os.environ.get("SLIHUB_DATA_DIR"):
        print("   skipped: SLIHUB_DATA_DIR is not set")
        return
    if not Path(sys.executable).with_name("gunicorn").exists():
        print("   skipped: gunicorn is not installed in this environment")
        return
    _django.setup()
    from django.conf import settings

    from slihub.indicators.models import Comparison, Indicator
    from slihub.indicators.services import load_indicator_data
    from slihub.inspections.services import load_inspections
    from slihub.places.models import Authority, Region
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    started = time.perf_counter()
    load_reference_data(folder)
    load_inspections(folder)
    load_indicator_data(folder)  # skips quickly when an earlier benchmark loaded it
    from django.db import connections

    connections.close_all()  # the server's workers open their own
    print(
        f"   data ready in {time.perf_counter() - started:.1f} s "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})",
        flush=True,
    )
    with_comparisons = Comparison.objects.values("indicator_id").distinct()
    indicators = list(
        Indicator.objects.filter(id__in=with_comparisons).order_by("code").values_list("slug", flat=True)
    )
    lac = Indicator.objects.get(code="LAC").get_absolute_url()
    profiles = [
        f"/authorities/{code}/profile/" for code in Authority.objects.current().values_list("code", flat=True)
    ]
    maps = ["/map/", "/map/?colour=type", *(r.get_absolute_url() for r in Region.objects.all())]
    pages = [
        ("home page", "/", ["/"]),
        ("national map", "/map/", maps),
        ("indicator map (LAC)", lac, [f"/indicators/{slug}/" for slug in indicators]),
        ("Camden's profile", CAMDEN, profiles),
    ]
    if shutil.which("wrk"):
        client = f"wrk, 1 thread, {CONNECTIONS} connections"
    else:
        client = f"a Python client with {CONNECTIONS} threads (wrk is not installed: apt-get install wrk)"
    print(f"   gunicorn with {WORKERS} workers, DEBUG off; {client}; {SECONDS:g} s per figure", flush=True)

    with Server(page_cache=False) as server:
        static = measure(server.port, [STATIC])
        uncached = {label: measure(server.port, [path]) for label, path, _ in pages}

    def cached_figures(**server_options) -> dict:
        figures = {}
        for label, path, many in pages:
            row = {}
            for kind, paths in (("cold", [path]), ("spread", many)):
                with Server(page_cache=True, **server_options) as server:  # a fresh server: an empty cache
                    if server_options:
                        _forget_redis_keys(server_options["redis_url"], server_options["key_prefix"])
                    row[kind] = measure(server.port, paths)
                    if kind == "spread":
                        _warm(server.port, path)
                        row["warm"] = measure(server.port, [path])
            row["pages"] = len(many)
            figures[label] = row
        return figures

    def show(title: str, figures: dict) -> None:
        print(f"   {title}; each figure in requests/s and as a share of the static file's")
        print(f"   {'':<21}{'uncached':>16}{'cold':>17}{'cold, spread':>27}{'warm':>17}")
        print(f"   {'static file':<21}{static:>9.0f}  1.00")
        for label, _, _ in pages:
            row = figures[label]
            print(
                f"   {label:<21}{uncached[label]:>9.0f} {uncached[label] / static:5.2f}"
                f"{row['cold']:>11.0f} {row['cold'] / static:5.2f}"
                f"{row['spread']:>11.0f} {row['spread'] / static:5.2f} ({row['pages']:>3} pages)"
                f"{row['warm']:>11.0f} {row['warm'] / static:5.2f}",
                flush=True,
            )

    show("local cache (LocMemCache, one per worker)", cached_figures())
    url = _redis_url()
    if url:
        prefix = f"slihub-bench-{uuid.uuid4().hex[:8]}"
        try:
            show(
                f"shared cache (Redis at {url.rsplit('@', 1)[-1]})",
                cached_figures(redis_url=url, key_prefix=prefix),
            )
        finally:
            _forget_redis_keys(url, prefix)
    else:
        print("   Redis not reachable: the shared cache is not measured")


if __name__ == "__main__":
    main()

"""`slihub serve`: the production web server, gunicorn, serving the hub's WSGI application.

Workers: 2 x cores + 1 unless SLIHUB_WEB_WORKERS or --workers says otherwise. Address: 127.0.0.1:8000
unless SLIHUB_BIND or --bind says otherwise (a reverse proxy in front terminates TLS; see the README's
"Deployment"). Gunicorn logs through the hub's logging settings, so with SLIHUB_LOG_FORMAT=json its lines
are JSON like the rest; the hub's own request log (slihub.web.middleware) is the access log.
"""

import copy
import logging
import logging.config
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication

logger = logging.getLogger("slihub.serve")

DEFAULT_BIND = "127.0.0.1:8000"
# A worker silent for longer than this is killed and replaced (a stuck request must not hold it for
# ever); long work runs as a job (`slihub worker`), not in a request.
DEFAULT_TIMEOUT = 60


def cores() -> int:
    """The cores this process may run on (a container's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return 2 * cores() + 1


def _positive_int(name: str, text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {text!r}") from None
    if number < 1:
        raise CommandError(f"{name} must be at least 1, not {number}")
    return number


def gunicorn_options(*, bind: str, workers: int, timeout: int, access_log: bool) -> dict:
    logconfig = copy.deepcopy(settings.LOGGING)
    logconfig.setdefault("loggers", {})
    # Gunicorn's own access lines only when asked: the hub logs each request itself, with its user and id.
    # (Gunicorn stops its loggers propagating; they must, to reach the hub's handler.)
    logconfig["loggers"]["gunicorn.access"] = {
        "level": "INFO" if access_log else "WARNING",
        "propagate": True,
    }
    logconfig["loggers"]["gunicorn.error"] = {"level": "INFO", "propagate": True}
    return {
        "bind": [address.strip() for address in bind.split(",") if address.strip()],
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Each worker is replaced after about a thousand requests, so that no slow leak grows for ever.
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "logconfig_dict": logconfig,
        "proc_name": "slihub",
        # No control socket in the home folder: two servers on one machine would fight over it.
        "control_socket_disable": True,
    }


class HubServer(BaseApplication):
    """Gunicorn run from Python, with its settings from the command rather than a config file."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Each worker loads the application after the fork (no database connection is shared).
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        # Loading the application configures logging from the settings again: give gunicorn's loggers
        # back the levels chosen here.
        logging.config.dictConfig(self.options["logconfig_dict"])
        return application


class Command(BaseCommand):
    help = (
        "Serve the hub with gunicorn, the production web server: 2 x cores + 1 workers on 127.0.0.1:8000 "
        "unless SLIHUB_WEB_WORKERS / --workers and SLIHUB_BIND / --bind say otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            help="address to listen on, host:port or unix:/path, several separated by commas "
            f"(default: SLIHUB_BIND, else {DEFAULT_BIND})",
        )
        parser.add_argument(
            "--workers",
            help="number of worker processes (default: SLIHUB_WEB_WORKERS, else 2 x cores + 1)",
        )
        parser.add_argument(
            "--timeout",
            default=str(DEFAULT_TIMEOUT),
            help=f"seconds a worker may spend on a request before it is replaced (default {DEFAULT_TIMEOUT})",
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="also log gunicorn's own access line for each request (the hub already logs one)",
        )

    def handle(self, *args, bind=None, workers=None, timeout=None, access_log=False, **options):
        bind = bind or os.environ.get("SLIHUB_BIND") or DEFAULT_BIND
        workers_text = workers or os.environ.get("SLIHUB_WEB_WORKERS")
        workers = (
            _positive_int("--workers" if workers else "SLIHUB_WEB_WORKERS", workers_text)
            if workers_text
            else default_workers()
        )
        timeout = _positive_int("--timeout", timeout)
        if settings.DEBUG:
            logger.warning(
                "DEBUG is on: a public service needs SLIHUB_ENV=production "
                "(with SLIHUB_SECRET_KEY and SLIHUB_ALLOWED_HOSTS)."
            )
        # The checks above may have opened a connection: workers are forked and must not share it.
        connections.close_all()
        options = gunicorn_options(bind=bind, workers=workers, timeout=timeout, access_log=access_log)
        HubServer(options).run()

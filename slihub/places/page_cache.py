"""Published pages cached per data release.

A public page shows the same thing to every signed-out visitor until the next import, so
``cache_published`` keeps the rendered page in the cache (Redis when REDIS_URL is set, else the
process's own memory) under a key made of:

- the scheme, host, path and the query parameters the view reads (with any other parameter the
  page is rendered as usual, without the cache),
- the versions of the data releases the page reads (slihub/places/releases.py): an import that
  changes a dataset bumps its release, so exactly the pages that read it render afresh,
- a fingerprint of the code and templates, so a new deployment never serves pages of the old one.

Only for signed-out visitors (no session cookie, checked without touching the database) and
GET/HEAD requests; a response is stored only when it is a 200 that sets no cookie, uses no CSRF
token and is not marked private.

It lives in places, the lowest Django layer, so that every capability's views can use it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from slihub.places import releases

PREFIX = "slihub:page:"
HEADER = "X-Page-Cache"  # "hit" or "miss": for operators and the benchmark
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage

Datasets = Iterable[str] | Callable[..., Iterable[str]]


@functools.cache
def code_fingerprint() -> str:
    """A digest of the application's code and templates (and the static files' manifest when
    collected), computed once per process."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".html") and p.is_file()):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def _cacheable_request(request, params: frozenset[str]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return False  # perhaps signed in, or a message to show: the page is this visitor's own
    if request.headers.get("HX-Request"):
        return False  # htmx asks for parts of pages
    return all(name in params for name in request.GET)


def page_key(request, names: Iterable[str], params: frozenset[str]) -> str:
    """The cache key of this request's page: path, the parameters read, release versions, code."""
    chosen = [
        (name, value) for name, values in sorted(request.GET.lists()) if name in params for value in values
    ]
    versions = releases.versions([releases.EVERYTHING, *names])
    text = "|".join(
        [
            code_fingerprint(),
            request.scheme,
            request.get_host(),
            request.path,
            urlencode(chosen),
            ",".join(f"{name}={version}" for name, version in sorted(versions.items())),
        ]
    )
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds a CSRF token, which is this visitor's own
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def cache_published(*, datasets: Datasets = (), params: Iterable[str] = ()):
    """Serve signed-out visitors this view's page from the cache, keyed by the data releases it reads.

    ``datasets``: release names (see slihub/places/releases.py), or a function of the view's URL
    arguments that returns them (an indicator's map page reads its own indicator's release).
    ``params``: the query parameters the view understands; a request with any other one is rendered
    without the cache, so made-up parameters cannot fill it.
    """
    allowed = frozenset(params)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not getattr(settings, "PAGE_CACHE", True) or not _cacheable_request(request, allowed):
                return view(request, *args, **kwargs)
            names = datasets(**kwargs) if callable(datasets) else datasets
            key = page_key(request, names, allowed)
            stored = cache.get(key)
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                patch_vary_headers(response, ["Cookie"])  # as the page made for this visitor says
                response[HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                headers = [(name, value) for name, value in response.items() if name != HEADER]
                cache.set(key, (response.status_code, headers, response.content), _seconds())
                response[HEADER] = "miss"
            return response

        wrapped.cache_published = True
        return wrapped

    return decorator


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 24 * 60 * 60)

"""Middleware for running the hub as a service: one log line a request, and no caching of private answers.

Kept free of model imports: settings.LOGGING names RequestIdFilter, which is imported before the apps load.
"""

import contextvars
import logging
import re
import time
import uuid

from django.utils.cache import patch_cache_control

request_log = logging.getLogger("slihub.request")

# The id of the request being served in this thread (or task), for every log line written meanwhile.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# An id given by the proxy in front (X-Request-ID) is kept when it is short and plain, so that its log
# lines and ours can be joined; anything else is replaced by one of our own.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Control characters in an address (a %0A) must not start a fake line in a plain-text log.
_CONTROL = {code: "?" for code in [*range(32), 127]}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx or 5xx answer ("django.request") after the middleware has returned, with
            # the request attached.
            request = getattr(record, "request", None)
            record.request_id = current_request_id.get() or getattr(request, "request_id", None)
        return True


def _user_id(request) -> int | None:
    # request.user is absent when a middleware above authentication (whitenoise) answered.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestLogMiddleware:
    """Logs one line per request on "slihub.request": method, path, status, duration in milliseconds,
    the signed-in user's id (or null) and the request id, which is also sent back as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _PLAIN_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            request_log.info(
                "%s %s %s %sms",
                request.method,
                request.path.translate(_CONTROL),
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                    "request_id": request_id,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class PrivateCacheControlMiddleware:
    """Cache-Control: private, no-store on every answer to a signed-in user and on every API answer,
    unless the view chose its own Cache-Control. Published pages for signed-out visitors are left alone
    (they are cached on the server, per data release)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.path_info.startswith("/api/") or _user_id(request) is not None:
            patch_cache_control(response, private=True, no_store=True)
        return response

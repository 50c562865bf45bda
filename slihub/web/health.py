"""/healthz: whether this web worker can serve, for load balancers and uptime checks."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 {"status": "ok", "database": "ok"} when the database answers a trivial query; 503 with the
    reason when it does not. Open to everyone and never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The details (host names, user names) go to the log, not to whoever asks.
        logger.error("Health check: the database did not answer: %s", error)
        reason = f"The database did not answer a query ({type(error).__name__})."
        return JsonResponse({"status": "error", "database": "error", "reason": reason}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

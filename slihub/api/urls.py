"""The API under /api/v1/: one router per capability, errors always as {"detail": reason}."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from slihub.api import (
    accounts,
    audit,
    evidence,
    exchange,
    forecast,
    indicators,
    inspections,
    places,
    warning,
    workshops,
)
from slihub.api.alliances import router as alliances_router
from slihub.api.challenges import router as challenges_router
from slihub.api.comparator_groups import router as comparator_groups_router
from slihub.api.menu import router as menu_router
from slihub.api.partners import router as partners_router
from slihub.api.priorities import router as priorities_router
from slihub.api.self_assessments import router as self_assessments_router
from slihub.api.support import router as support_router
from slihub.api.survey_responses import router as survey_responses_router
from slihub.api.survey_results import router as survey_results_router
from slihub.api.survey_versions import router as survey_versions_router
from slihub.api.watch import router as watch_router

log = logging.getLogger(__name__)


class AccessibleSwagger(Swagger):
    """Swagger UI in our own page (api/swagger.html: language, main landmark, readable colours).

    Deep links are off: they put a link inside each operation's expand button (axe
    "nested-interactive"), and the links are smaller than WCAG 2.2's 24px targets.
    Syntax highlighting is off: its colours on a dark background fail WCAG's contrast.
    """

    template = "api/swagger.html"


api = NinjaAPI(
    title="SLI Hub API",
    version="1.0.0",
    description="Published data on England's children's services authorities, and councils' private "
    "records for signed-in users. Lists are paginated with `limit` and `offset` and answer "
    '`{"items": [...], "count": N}`. '
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    urls_namespace="api-1.0.0",
    docs=AccessibleSwagger(settings={"deepLinking": False, "syntaxHighlight": {"activated": False}}),
)
api.add_router("/", places.router)
api.add_router("/", comparator_groups_router)
api.add_router("/", inspections.router)
api.add_router("/", accounts.router)
api.add_router("/", indicators.router)
api.add_router("/", evidence.router)
api.add_router("/", exchange.router)
api.add_router("/", warning.router)
api.add_router("/", audit.router)
api.add_router("/", alliances_router)
api.add_router("/", self_assessments_router)
api.add_router("/", partners_router)
api.add_router("/", challenges_router)
api.add_router("/", support_router)
api.add_router("/", watch_router)
api.add_router("/", priorities_router)
api.add_router("/", survey_versions_router)
api.add_router("/", survey_responses_router)
api.add_router("/", survey_results_router)
api.add_router("/", workshops.router)
api.add_router("/", forecast.router)
api.add_router("/", menu_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) if str(exc) and "matches the given query" not in str(exc) else "Not found."
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You do not have access to this."}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Sign in to use this route."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """422, naming each field at fault. Only where, what and the kind of problem are answered: pydantic's
    own error also carries the input, which may be anything (a 5,000-digit number cannot even be written
    as JSON)."""
    errors = [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", [])],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    reasons = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}" for error in errors
    )
    return api.create_response(request, {"detail": reasons, "errors": errors}, status=422)


@api.exception_handler(Exception)
def failed(request, exc):
    """Whatever went wrong is logged in full; the client gets JSON, never a page or a traceback."""
    log.exception("API %s %s failed", request.method, request.path, exc_info=exc)
    detail = "Sorry, there is a problem with the service. Try again later."
    return api.create_response(request, {"detail": detail}, status=500)

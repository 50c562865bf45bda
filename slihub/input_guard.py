"""Bad input in an address never reaches a view: a clear answer, never a 500.

`AddressMiddleware`: a control character (a NUL, say) in the path or the query string never reaches a
view. Under /api/ the request is refused, 422 in JSON naming the parameter. A page's address with one in
its path names no page (404); a query parameter with one is left out, as a page ignores any parameter it
cannot use (a search for "%00" lists everything, as an empty search does). PostgreSQL refuses a NUL in
any text it is asked to compare, so without this such a search would answer 500.

`ApiJsonErrorsMiddleware`: every error under /api/ is JSON `{"detail": ...}`, whoever wrote it: a 405 for
a method the route does not take, a 500 page from Django, a 400 for a request it could not read.
"""

from django.http import Http404, JsonResponse, QueryDict

from slihub.govuk import has_control_characters

API_PREFIX = "/api/"
CONTROL_MESSAGE = "must not contain control characters, such as a null character"
REASONS = {
    400: "The request could not be read.",
    403: "You do not have access to this.",
    404: "Not found.",
    405: "This route does not take that method.",
    413: "The request is too large.",
    500: "Sorry, there is a problem with the service. Try again later.",
}


def _bad_parameter(request) -> str | None:
    """The name of the first address part with a control character: "path", or a query parameter."""
    if has_control_characters(request.path):
        return "path"
    for key, values in request.GET.lists():
        if has_control_characters(key) or any(has_control_characters(v) for v in values):
            return key if not has_control_characters(key) else "query"
    return None


class AddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _bad_parameter(request)
        if name is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            where = "path" if name == "path" else "query"
            detail = f"{name}: {CONTROL_MESSAGE}" if where == "query" else f"The address {CONTROL_MESSAGE}"
            loc = [where] if where == "path" else ["query", name]
            error = {"loc": loc, "msg": CONTROL_MESSAGE, "type": "control_characters"}
            return JsonResponse({"detail": detail, "errors": [error]}, status=422)
        if name == "path":
            raise Http404("No page has control characters in its address.")
        request.GET = _without_control_characters(request.GET)
        return self.get_response(request)


def _without_control_characters(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        if not has_control_characters(key):
            kept.setlist(key, [v for v in values if not has_control_characters(v)])
    kept._mutable = False
    return kept


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        status = response.status_code
        detail = REASONS.get(status, "The request could not be answered.")
        if status == 405 and response.has_header("Allow"):
            detail = f"This route takes {response['Allow']} only."
        answer = JsonResponse({"detail": detail}, status=status)
        for header in ("Allow", "Retry-After"):
            if response.has_header(header):
                answer[header] = response[header]
        return answer

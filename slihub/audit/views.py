"""The audit log page: who changed which record, when, and each field's old and new value."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from slihub.accounts.models import scope_of
from slihub.audit import selectors
from slihub.govuk import text_error

PER_PAGE = 50
DATE_PARTS = ("day", "month", "year")


def _date(data, prefix: str, label: str, errors: dict) -> tuple[date | None, dict]:
    """A GOV.UK date input (prefix-day, prefix-month, prefix-year): the date, or None and an error."""
    parts = {part: data.get(f"{prefix}-{part}", "").strip() for part in DATE_PARTS}
    if not any(parts.values()):
        return None, parts
    missing = [part for part in DATE_PARTS if not parts[part]]
    if missing:
        errors[prefix] = f"{label} must include a {' and a '.join(missing)}"
        return None, parts
    if (
        not all(parts[part].isascii() and parts[part].isdigit() for part in DATE_PARTS)
        or len(parts["year"]) != 4
    ):
        errors[prefix] = f"{label} must be a real date, like 14 12 2026"
        return None, parts
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), parts
    except ValueError:
        errors[prefix] = f"{label} must be a real date, like 14 12 2026"
        return None, parts


def read_filters(user, data) -> tuple[selectors.Filters, dict]:
    """The filters from the query string, checked; the typed values come back too, to refill the form."""
    filters = selectors.Filters()
    errors = filters.errors
    for name, label in (("council", "The council"), ("type", "The kind of record"), ("person", "The person")):
        message = text_error(label, data.get(name, ""))
        if message:
            errors[name] = message
    if errors:  # nothing with a control character goes near the database (PostgreSQL refuses a NUL)
        return filters, {"from": {}, "to": {}, "council": "", "type": ""}
    code = data.get("council", "").strip()
    if code:
        filters.council = selectors.councils_for(user).filter(code=code).first()
        if filters.council is None:
            errors["council"] = "Choose a council whose audit log you can read"
    record_type = data.get("type", "").strip()
    if record_type:
        if record_type in dict(selectors.record_types()):
            filters.record_type = record_type
        else:
            errors["type"] = "Choose a kind of record from the list"
    filters.person = data.get("person", "").strip()[:150]
    filters.start, start_parts = _date(data, "from", "The date from", errors)
    filters.end, end_parts = _date(data, "to", "The date to", errors)
    if filters.start and filters.end and filters.end < filters.start:
        errors["to"] = "The date to must be the same as or after the date from"
    return filters, {"from": start_parts, "to": end_parts, "council": code, "type": record_type}


@login_required
def log(request):
    if not selectors.can_read_log(request.user):
        raise PermissionDenied(
            "Only national admins, and council admins for their own council, can read the audit log."
        )
    filters, typed = read_filters(request.user, request.GET)
    entries = selectors.entries_visible_to(request.user)
    # With a filter in error, show nothing rather than everything: the error summary says what to correct.
    entries = entries.none() if filters.errors else selectors.filter_entries(entries, filters)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors.describe(entry) for entry in selectors.with_councils(list(page.object_list))]
    query = urlencode([(key, value) for key, value in request.GET.items() if key != "page" and value])
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "typed": typed,
            "errors": filters.errors,
            "councils": selectors.councils_for(request.user).only("code", "name"),
            "record_types": selectors.record_types(),
            "query": query,
            "filtered": bool(query),
            "national": scope_of(request.user).national,
        },
    )

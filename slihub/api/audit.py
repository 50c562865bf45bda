"""The audit log: national admins read every entry, council admins their own councils' entries."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from slihub.api.pagination import MAX_OFFSET
from slihub.api.schemas import ErrorOut, InputSchema
from slihub.audit import selectors

router = Router(tags=["audit log (private)"], auth=django_auth)


class ChangeOut(Schema):
    field: str = Field(description="the field's name in the data model")
    label: str = Field(description="the field's plain name, as the page shows it")
    old: str = Field(description="the value before the change, as shown (empty when none)")
    new: str = Field(description="the value after the change, as shown (empty when none)")


class EntryOut(Schema):
    id: int
    when: datetime
    who: str = Field(description="the person who made the change, or the hub for commands and jobs")
    who_username: str
    action: str = Field(description="Added, Changed or Deleted")
    record_type: str = Field(description="the kind of record, in plain words")
    record_type_key: str = Field(description="the kind of record as the `type` filter takes it")
    record: str = Field(description="the record as it was named when changed")
    record_id: str
    councils: list[str] = Field(description="the councils the record belongs to")
    changes: list[ChangeOut]


class EntriesOut(Schema):
    items: list[EntryOut]
    count: int


class AuditFilters(InputSchema):  # no control characters in any filter: 422
    council: str = Field("", description="a council's DfE code: only its records")
    type: str = Field("", description="a kind of record, like exchange.loan")
    person: str = Field("", max_length=150, description="part of a name, or an exact username or email")
    date_from: date | None = Field(None, alias="from", description="changed on or after this day")
    date_to: date | None = Field(None, alias="to", description="changed on or before this day")
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/audit",
    response={200: EntriesOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="The audit log: who changed which record, when, and each field's old and new value",
)
def audit_log(request, filters: Query[AuditFilters]):
    """Newest first. National admins read every entry; council admins read the entries of their own
    councils' records; anyone else signed in gets 403, and a council admin asking for another council's
    entries gets 403 too. A filter that makes no sense (an unknown kind of record, `to` before `from`)
    answers 422."""
    if not selectors.can_read_log(request.auth):
        raise PermissionDenied(
            "Only national admins, and council admins for their own council, can read the audit log."
        )
    chosen = selectors.Filters(person=filters.person.strip(), start=filters.date_from, end=filters.date_to)
    if filters.council:
        chosen.council = selectors.councils_for(request.auth).filter(code=filters.council).first()
        if chosen.council is None:
            raise PermissionDenied(f"You cannot read the audit log of council {filters.council}.")
    if filters.type:
        if filters.type not in dict(selectors.record_types()):
            raise HttpError(422, f"type: {filters.type} is not a kind of record the audit log keeps")
        chosen.record_type = filters.type
    if chosen.start and chosen.end and chosen.end < chosen.start:
        raise HttpError(422, "to: must be the same day as or after from")
    entries = selectors.filter_entries(selectors.entries_visible_to(request.auth), chosen)
    page = list(entries[filters.offset : filters.offset + filters.limit])
    return {
        "items": [selectors.describe(entry) for entry in selectors.with_councils(page)],
        "count": entries.count(),
    }

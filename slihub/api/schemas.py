"""Schemas shared by the API's routers, and the rules every input follows.

Every request body and query schema is an InputSchema: a string anywhere in it (nested lists and
objects included) with a control character (a NUL, say) is refused with 422 naming the field, before
any route runs. Path and query parameters declared one by one use the annotated types below: `Code`
(an authority, region or indicator code or slug) and `Id` (a record's number, bounded so that no
number reaches the database beyond its integers)."""

import math
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, PlainValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from slihub.govuk import has_control_characters, has_other_digits
from slihub.places import selectors

MAX_ID = 2**31 - 1  # PostgreSQL's integer: a record's id is never larger
CONTROL_MESSAGE = "must not contain control characters, such as a null character"


def _refuse_control_characters(value: Any) -> Any:
    """Walks strings, lists and objects: a control character anywhere is refused."""
    if isinstance(value, str):
        if has_control_characters(value):
            raise PydanticCustomError("control_characters", CONTROL_MESSAGE)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _refuse_control_characters(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(key)
            _refuse_control_characters(item)
    return value


class InputSchema(Schema):
    """The base of every schema that reads a request (body or query)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value):
        return _refuse_control_characters(value)


# An authority's DfE or ONS code, a region's code or slug, an indicator's slug or id, a period label.
Code = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_refuse_control_characters)]
# Free text in a query (a search, a filter): may be empty.
QueryText = Annotated[str, Field(max_length=200), AfterValidator(_refuse_control_characters)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _ascii_digits(value: str) -> str:
    if has_other_digits(value):
        raise PydanticCustomError("digits", "use only the digits 0 to 9")
    return value


def _number_or_text(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "must be a finite number")
        return value
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT:
            raise PydanticCustomError("string_too_long", f"must be {MAX_NUMBER_TEXT} characters or fewer")
        return _ascii_digits(value)
    raise PydanticCustomError("number_type", 'must be a number, or a string like "2.5"')


MAX_NUMBER_TEXT = 20
# A number, or a number as a string ("2.5") that the service reads and refuses in words when it is not one:
# short, and in the digits 0 to 9 (Python's Decimal would read "٢" as 2). Its errors name the field alone.
NumberOrText = Annotated[
    float | str,
    PlainValidator(_number_or_text),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "maxLength": MAX_NUMBER_TEXT}]}),
]


class RegionRef(Schema):
    code: str
    name: str


class AuthorityRef(Schema):
    code: str
    ons_code: str
    name: str


class AuthorityOut(Schema):
    code: str
    ons_code: str
    name: str
    type: str
    type_name: str
    region: RegionRef
    sub_region: RegionRef | None
    ofsted_region: str
    is_current: bool
    ended_on: date | None
    url: str

    @staticmethod
    def resolve_type(obj):
        return obj.la_type

    @staticmethod
    def resolve_type_name(obj):
        return obj.get_la_type_display()

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class SuccessionOut(Schema):
    authority: AuthorityRef
    effective: date


class AuthorityDetailOut(AuthorityOut):
    former_ons_codes: list[str]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]

    @staticmethod
    def resolve_former_ons_codes(obj):
        return [former.ons_code for former in obj.former_ons_codes.all()]

    @staticmethod
    def resolve_predecessors(obj):
        return [{"authority": s.predecessor, "effective": s.effective} for s in selectors.successions(obj)[0]]

    @staticmethod
    def resolve_successors(obj):
        return [{"authority": s.successor, "effective": s.effective} for s in selectors.successions(obj)[1]]


class NeighbourOut(Schema):
    model: str
    rank: int
    closeness: str
    neighbour: AuthorityRef


class RegionOut(Schema):
    code: str
    name: str
    slug: str
    authority_count: int


class ContactOut(Schema):
    id: int
    name: str
    job_title: str
    email: str
    phone: str
    notes: str


class ErrorOut(Schema):
    """Every error the API answers: `detail` says what is wrong in words."""

    detail: str


class ValidationErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    """422: the request did not match the operation's parameters or body; `errors` names each field."""

    errors: list[ValidationErrorItem]


# Statuses each kind of operation may answer, for `response={200: ..., **PUBLIC_INPUT}` and the like.
INVALID = {422: ValidationErrorOut}  # any operation that takes a parameter or a body
NOT_FOUND = {404: ErrorOut}  # a code or id in the path that names nothing (or nothing the user may see)
SIGNED_IN = {401: ErrorOut, 403: ErrorOut}  # routes for signed-in users, and the records in their scope
BODY = {400: ErrorOut, **INVALID}  # a request body that is not JSON at all answers 400

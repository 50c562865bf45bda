"""Reads of the audit log, always scoped: national admins see every entry, council admins their councils'.

Everyone else (council members, alliance coordinators, signed-in people with no membership) sees none:
`can_read_log(user)` is False and the pages and the API answer 403."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.audit import registry
from slihub.audit.models import EntryAuthority
from slihub.places.models import Authority

ACTIONS = {
    LogEntry.Action.CREATE: "Added",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}


def can_read_log(user) -> bool:
    scope = scope_of(user)
    return scope.national or bool(scope.admin_of)


def entries_visible_to(user) -> QuerySet:
    """Every entry the user may read, newest first (none for anyone who may not read the log)."""
    scope = scope_of(user)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if scope.national:
        return entries
    if not scope.admin_of:
        return entries.none()
    mine = EntryAuthority.objects.filter(entry=OuterRef("pk"), authority__in=scope.admin_of)
    return entries.filter(Exists(mine))


def councils_for(user) -> QuerySet:
    """The councils the user can filter the log by."""
    scope = scope_of(user)
    councils = Authority.objects.order_by("name")
    return councils if scope.national else councils.filter(id__in=scope.admin_of)


def record_types() -> list[tuple[str, str]]:
    """(value, plain name) of each audited kind of record, by name."""
    types = ContentType.objects.get_for_models(*registry.audited_models())
    return sorted(
        (
            (f"{ct.app_label}.{ct.model}", str(model._meta.verbose_name).capitalize())
            for model, ct in types.items()
        ),
        key=lambda pair: pair[1],
    )


@dataclass
class Filters:
    council: Authority | None = None
    record_type: str = ""
    person: str = ""
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def filter_entries(entries: QuerySet, filters: Filters) -> QuerySet:
    if filters.council is not None:
        entries = entries.filter(
            Exists(EntryAuthority.objects.filter(entry=OuterRef("pk"), authority=filters.council))
        )
    if filters.record_type:
        app_label, _, model = filters.record_type.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.person:
        words = filters.person
        entries = entries.filter(
            Q(actor__username__iexact=words)
            | Q(actor__full_name__icontains=words)
            | Q(actor__email__iexact=words)
            | Q(actor_email__iexact=words)
        )
    zone = timezone.get_current_timezone()
    if filters.start is not None:
        entries = entries.filter(timestamp__gte=datetime.combine(filters.start, time.min, tzinfo=zone))
    if filters.end is not None:
        entries = entries.filter(
            timestamp__lt=datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone)
        )
    return entries


# --- how an entry reads -----------------------------------------------------------------------------------


def when(moment: datetime) -> str:
    """'14 December 2026 at 3:05pm', in the hub's time zone (GOV.UK style: midday and midnight by name)."""
    local = timezone.localtime(moment)
    day = f"{local.day} {local:%B %Y}"
    if local.hour == 12 and local.minute == 0:
        return f"{day} at midday"
    if local.hour == 0 and local.minute == 0:
        return f"{day} at midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{day} at {hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def _display(field, text) -> str:
    """A stored value (auditlog keeps text) as the hub shows it."""
    if text in (None, "None"):
        return ""
    text = str(text)
    if field is None:
        return text
    choices = getattr(field, "flatchoices", None)
    if choices:
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(text, text)
    kind = field.get_internal_type()
    try:
        if kind == "DateTimeField":
            moment = datetime.fromisoformat(text)
            # auditlog keeps date-times in UTC without the zone
            return when(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        if kind == "DateField":
            day = date.fromisoformat(text[:10])
            return f"{day.day} {day:%B %Y}"
    except ValueError:
        return text
    if kind == "BooleanField":
        return {"True": "Yes", "False": "No"}.get(text, text)
    return text


def changed_fields(entry: LogEntry) -> list[dict]:
    """Each field the entry records, with its plain name and its old and new values as the hub shows them
    (choices by their labels, dates as dates, records by name)."""
    model = entry.content_type.model_class()
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:  # a field removed since
            field = None
        label = str(getattr(field, "verbose_name", name)).replace("_", " ")
        old, new = (list(values) + ["", ""])[:2] if isinstance(values, list | tuple) else ("", values)
        rows.append(
            {
                "field": name,
                "label": label[:1].upper() + label[1:],
                "old": _display(field, old),
                "new": _display(field, new),
            }
        )
    return rows


def record_type_name(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model is not None else entry.content_type.model


def actor_name(entry: LogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    if entry.actor_email:
        return entry.actor_email
    return "The hub"


def describe(entry: LogEntry) -> dict:
    """An entry as the page and the API show it."""
    return {
        "id": entry.pk,
        "when": entry.timestamp,
        "when_text": when(entry.timestamp),
        "who": actor_name(entry),
        "who_username": entry.actor.username if entry.actor is not None else "",
        "action": ACTIONS.get(entry.action, str(entry.action)),
        "record_type": record_type_name(entry),
        "record_type_key": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "record": entry.object_repr,
        "record_id": entry.object_pk,
        "councils": sorted(entry.council_names) if hasattr(entry, "council_names") else [],
        "changes": _shown(entry, changed_fields(entry)),
    }


EMPTY = ("", "{}", "[]")


def _shown(entry: LogEntry, rows: list[dict]) -> list[dict]:
    """A record added or deleted lists the values it had, leaving out the empty ones and its id."""
    if entry.action == LogEntry.Action.UPDATE:
        return rows
    side = "new" if entry.action == LogEntry.Action.CREATE else "old"
    return [row for row in rows if row["field"] != "id" and row[side] not in EMPTY]


def with_councils(entries: list[LogEntry]) -> list[LogEntry]:
    """Attach the names of each entry's councils in one query."""
    ids = [entry.pk for entry in entries]
    links = list(EntryAuthority.objects.filter(entry__in=ids).values_list("entry_id", "authority_id"))
    names = dict(Authority.objects.filter(id__in={a for _, a in links}).values_list("id", "name"))
    by_entry: dict[int, list[str]] = {}
    for entry_id, authority_id in links:
        by_entry.setdefault(entry_id, []).append(names.get(authority_id, f"Authority {authority_id}"))
    for entry in entries:
        entry.council_names = by_entry.get(entry.pk, [])
    return entries

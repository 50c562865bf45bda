"""Make a table's rows equal to a list of records in a few bulk statements.

Used by every importer, so that loading the same files twice writes nothing
and a changed file writes only what changed.
"""

import copy
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

BATCH = 1000


@dataclass
class Changes:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __bool__(self):
        return bool(self.created or self.updated or self.deleted)

    def __str__(self):
        return f"{self.created} added, {self.updated} changed, {self.deleted} removed"


def sync_rows(
    model: type[models.Model],
    rows: list[dict],
    *,
    key: tuple[str, ...],
    scope: models.Q | None = None,
    delete_missing: bool = True,
) -> Changes:
    """Make `model`'s rows within `scope` equal to `rows`, matched on `key` (deleting the rest if asked)."""
    queryset = model.objects.filter(scope) if scope is not None else model.objects.all()
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in queryset}
    fields = sorted({name for row in rows for name in row} - set(key))
    to_create, to_update = [], []
    audited = _audited(model)
    before = []  # the rows to update as they were, for the audit log
    for row in rows:
        obj = existing.pop(tuple(row[name] for name in key), None)
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, name) != row[name] for name in fields):
            if audited:
                before.append(copy.copy(obj))
            for name in fields:
                setattr(obj, name, row[name])
            to_update.append(obj)
    changes = Changes(created=len(to_create), updated=len(to_update))
    if delete_missing and existing:
        # Deletes first, so a row that moved to a new key cannot collide with itself.
        changes.deleted = len(existing)
        ids = [obj.pk for obj in existing.values()]
        for start in range(0, len(ids), BATCH):
            model.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
    if audited:
        _log(model, created=to_create, updated=list(zip(before, to_update, strict=True)))
    return changes


def _audited(model) -> bool:
    """Whether the audit log records this model's writes (slihub.audit registers them). Bulk writes send no
    signals, so sync_rows writes their entries itself; deletions send theirs one by one."""
    from auditlog.context import auditlog_disabled
    from auditlog.registry import auditlog

    return auditlog.contains(model) and not auditlog_disabled.get()


def _log(model, *, created: list, updated: list[tuple]) -> None:
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry

    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    entries = []
    for action, old, new in [(LogEntry.Action.CREATE, None, obj) for obj in created] + [
        (LogEntry.Action.UPDATE, old, obj) for old, obj in updated
    ]:
        changes = model_instance_diff(old, new)
        if changes:
            entries.append(
                LogEntry(
                    content_type=content_type,
                    object_pk=str(new.pk or ""),
                    object_id=new.pk if isinstance(new.pk, int) else None,
                    object_repr=str(new)[:2000],
                    action=action,
                    changes=changes,
                    cid=cid,
                )
            )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)

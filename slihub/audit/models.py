"""Which councils an audit entry belongs to, so that a council admin sees exactly their council's entries.

The entries themselves are django-auditlog's LogEntry rows (who, when, which record, each changed field's
old and new value). An entry about a loan belongs to both the lending and the borrowing council, so the
link is a table of its own rather than a column of LogEntry."""

from django.db import models


class EntryAuthority(models.Model):
    """One council an audit entry belongs to (an entry with none is seen by national admins only)."""

    entry = models.ForeignKey("auditlog.LogEntry", on_delete=models.CASCADE, related_name="authorities")
    # No database constraint: the audit trail outlives any change to the reference data.
    authority = models.ForeignKey(
        "places.Authority", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        verbose_name = "audit entry's council"
        verbose_name_plural = "audit entries' councils"
        constraints = [
            models.UniqueConstraint(fields=["entry", "authority"], name="audit_entry_authority_once")
        ]
        indexes = [models.Index(fields=["authority", "entry"], name="audit_authority_entry_idx")]

    def __str__(self):
        return f"entry {self.entry_id}: authority {self.authority_id}"

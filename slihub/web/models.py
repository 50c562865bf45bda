"""What `slihub demo-data` seeded, so that `slihub demo-data --remove` removes exactly that."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRecord(models.Model):
    """One record the sample activity made. Not audited (slihub.web is not an audited app): the records it
    points to are, and their creation and removal are in the audit log."""

    key = models.CharField(max_length=60)  # the seeding step that made it: a step is done once
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.content_type.model} {self.object_id}"

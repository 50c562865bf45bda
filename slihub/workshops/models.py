"""Regional knowledge workshops: events where councils share what works, their registrations (with a
waitlist), materials and feedback.

A published event is public. Registrations are seen by the registrant, the event's organisers (the
person who created it, the alliance coordinators of its region) and national admins.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from slihub.accounts.models import scope_of
from slihub.evidence.models import LocalPractice, Practice
from slihub.places.models import Authority, Region


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED))

    def visible_to(self, user):
        """Published (and cancelled) events to everyone; drafts to their organisers and national admins."""
        scope = scope_of(user)
        if scope.national:
            return self
        shown = Q(status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED))
        if user.is_authenticated:
            shown |= Q(created_by=user) | Q(region__in=scope.coordinates)
        return self.filter(shown)

    def organised_by(self, user):
        """Events this user may change: their own, their regions', every one for a national admin."""
        scope = scope_of(user)
        if scope.national:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(created_by=user) | Q(region__in=scope.coordinates))


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        VENUE = "venue", "In person"
        HYBRID = "hybrid", "In person and online"

    # the iCalendar UID: stable for the event's life, so calendars update rather than duplicate
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    theme = models.CharField(max_length=40)  # a key of slihub.exchange.taxonomy.THEMES
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshops",
        limit_choices_to={"parent": None},
        help_text="empty for a national event",
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    venue = models.CharField(max_length=300, blank=True)  # the address, for in-person events
    online_link = models.URLField(blank=True)  # shown to those with a place only
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    practices = models.ManyToManyField(Practice, blank=True, related_name="workshops")
    local_practices = models.ManyToManyField(LocalPractice, blank=True, related_name="workshops")
    # RFC 5545 SEQUENCE: raised on every change to a published event, so calendars take the new version
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                name="workshop_ends_after_it_starts", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(name="workshop_has_places", condition=Q(capacity__gte=1)),
        ]

    def __str__(self):
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.national:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(event__created_by=user) | Q(event__region__in=scope.coordinates))


class Registration(models.Model):
    """A person's place at an event, or their place in its waitlist (first come, first served).

    At most one live (booked or waitlisted) registration per person and event; cancelled ones stay as
    history. The number booked never exceeds the capacity: services lock the event's row to decide."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Place confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshop_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    # when the person joined the waitlist (its order), and when a cancellation gave them a place
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)  # marked by the organisers after the event

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="workshop_one_live_registration",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.user} at {self.event}: {self.get_status_display()}"


def material_path(material, filename: str) -> str:
    return f"workshops/{material.event.uid}/{uuid.uuid4().hex}/{filename}"


class Material(models.Model):
    """Slides, notes or other files shared at an event, uploaded by its organisers afterwards."""

    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        NOTES = "notes", "Notes"
        OTHER = "other", "Other"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=material_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()  # bytes
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "uploaded_at", "id"]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    """One attendee's short feedback on an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    usefulness = models.PositiveSmallIntegerField()  # 1 (not useful) to 5 (very useful)
    will_use = models.CharField(max_length=300, blank=True)  # what they will take back to their council
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="workshop_one_feedback_per_person"),
            models.CheckConstraint(
                name="workshop_usefulness_1_to_5", condition=Q(usefulness__gte=1, usefulness__lte=5)
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.event}"

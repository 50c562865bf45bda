"""Reads of statutory interventions (all published: DfE announces them; no user scoping needed).

Early warning and Partners in Practice eligibility both ask the same question, "was this authority under
a statutory intervention on this day?": `in_force_on(authority, day)` answers it. An intervention is in
force from its first day (`started_on`) to its last (`ended_on`, both included; open while blank).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from slihub.inspections.models import Intervention

# The data release of interventions (slihub/places/releases.py): raised by every write, read by the
# pages that show them (Partners in Practice, the interventions list).
RELEASE = "interventions"


def dated_releases(*names: str):
    """For `cache_published(datasets=...)` on pages that show what is in force today: the names given,
    plus one naming today's date (never bumped), so that a page cached yesterday is not served today,
    when an intervention may have ended or started without any write."""

    def datasets(**kwargs):
        return [*names, RELEASE, f"day:{timezone.localdate().isoformat()}"]

    return datasets


def all_interventions() -> QuerySet[Intervention]:
    return Intervention.objects.select_related("authority", "authority__region").order_by(
        "-started_on", "authority__name"
    )


def in_force_filter(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def in_force_on(authority, day: date) -> list[Intervention]:
    """The authority's interventions in force on the day, latest started first."""
    return list(
        Intervention.objects.filter(in_force_filter(day), authority=authority).order_by("-started_on")
    )


def for_authority(authority, today: date) -> tuple[list[Intervention], list[Intervention]]:
    """(in force on `today`, the others: ended, or recorded to start later), latest started first."""
    everything = list(Intervention.objects.filter(authority=authority).order_by("-started_on", "-pk"))
    in_force = [i for i in everything if i.in_force_on(today)]
    return in_force, [i for i in everything if not i.in_force_on(today)]

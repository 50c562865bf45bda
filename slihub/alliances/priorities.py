"""Writes and reads of an alliance's regional improvement priorities (public records).

Who may write: the alliance's coordinators (their region only) and national admins, as for every other
change to an alliance (services.can_manage). Every write raises the alliances release, so the cached
public pages render afresh.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from slihub.alliances.models import Alliance, Priority, PriorityStatus
from slihub.alliances.services import RELEASE, require_manage
from slihub.indicators.models import Indicator
from slihub.places import releases
from slihub.warning.features import PROBLEM_BY_CODE
from slihub.warning.selectors import WhatWorks, what_works_for

MAX_INDICATORS = 12
EARLIEST = date(2000, 1, 1)


def priorities(alliance: Alliance) -> list[Priority]:
    """The alliance's priorities: active first, then achieved, then closed; latest agreed first."""
    order = {value: i for i, value in enumerate(PriorityStatus.values)}
    found = list(alliance.priorities.all())
    return sorted(found, key=lambda p: (order.get(p.status, len(order)), -p.agreed_on.toordinal(), p.id))


def priority(alliance: Alliance, pk: int) -> Priority:
    found = alliance.priorities.filter(pk=pk).first()
    if found is None:
        raise Http404("No such priority in this alliance.")
    return found


def indicator_names(slugs) -> dict[str, Indicator]:
    """slug -> indicator, for the slugs given (one query)."""
    return {i.slug: i for i in Indicator.objects.filter(slug__in=list(slugs)).only("slug", "name", "code")}


def what_works(indicators: list[Indicator], limit: int = 3) -> list[WhatWorks]:
    """What works for the problems the priority's indicators point to, in their order. An indicator
    points to a problem only where it is one of early warning's signals (LAIT's code or DfE's equal:
    features.PROBLEM_BY_CODE); the catalogue's themes are too broad to say which problem an indicator is
    about, so the other indicators point to none. Two queries."""
    problems: dict[str, list[str]] = {}
    for indicator in indicators:
        if problem := PROBLEM_BY_CODE.get(indicator.code):
            problems.setdefault(problem, []).append(indicator.name)
    return what_works_for(problems, limit)


def clean_indicators(slugs) -> list[str]:
    """The slugs in order, without blanks or repeats; ValidationError naming the first unknown one."""
    chosen = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    if not chosen:
        raise ValidationError({"indicators": "Choose at least one indicator to track the priority by"})
    if len(chosen) > MAX_INDICATORS:
        raise ValidationError({"indicators": f"Choose up to {MAX_INDICATORS} indicators"})
    known = set(Indicator.objects.filter(slug__in=chosen).values_list("slug", flat=True))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ValidationError({"indicators": f"No indicator has the address name {unknown[0][:100]!r}"})
    return chosen


@transaction.atomic
def save_priority(
    *,
    user,
    alliance: Alliance,
    title: str,
    description: str,
    indicators: list[str],
    agreed_on: date,
    status: str = PriorityStatus.ACTIVE,
    priority: Priority | None = None,
) -> Priority:
    """Create a priority of the alliance (or change `priority`, one of its own)."""
    require_manage(user, alliance)
    if priority is not None and priority.alliance_id != alliance.id:
        raise Http404("No such priority in this alliance.")
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter the priority's title"
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    description = (description or "").strip()
    if len(description) > 5000:
        errors["description"] = "The description must be 5,000 characters or fewer"
    if status not in PriorityStatus.values:
        errors["status"] = "Choose whether the priority is active, achieved or closed"
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date the priority was agreed"
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date agreed must be today or in the past"
    elif agreed_on < EARLIEST:
        errors["agreed_on"] = "The date agreed must be in 2000 or later"
    try:
        slugs = clean_indicators(indicators)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if priority is None:
        priority = Priority(alliance=alliance, created_by=user)
    priority.title, priority.description, priority.indicators = title, description, slugs
    priority.agreed_on, priority.status = agreed_on, status
    priority.full_clean()
    priority.save()
    releases.bump(RELEASE)
    return priority

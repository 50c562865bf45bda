"""{% load workshop_after %}{% event_after_panel event %}: what an event page shows of what followed it
(materials with their sizes, the practices shared) and the links to the after-event pages, each to the
people who may use it."""

from django import template

from slihub.evidence.models import LocalPractice
from slihub.workshops import after

register = template.Library()


@register.inclusion_tag("workshops/after/_event_panel.html", takes_context=True)
def event_after_panel(context, event):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    started = after.has_started(event)
    organiser = user is not None and after.is_organiser(user, event)
    registration = after.feedback_registration(user, event) if user is not None and started else None
    given = registration is not None and event.feedback.filter(user=user).exists()
    return {
        "event": event,
        "started": started,
        "organiser": organiser,
        "may_give_feedback": registration is not None,
        "feedback_given": given,
        "materials": list(after.materials(event)),
        "practices": list(event.practices.order_by("name")),
        # validated local practice only: one that has since lost that status is no longer public
        "local_practices": list(
            event.local_practices.filter(status=LocalPractice.Status.VALIDATED)
            .select_related("authority")
            .order_by("title")
        ),
    }

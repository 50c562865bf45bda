"""Template components of the inspections capability, for pages of capabilities that may not import it.

`{% load inspection_tags %}{% latest_judgments authority %}` shows the authority's latest
judgments (one query), so a page elsewhere (the progress profile) reuses this capability's
selectors and wording without a Python import across the capabilities' layers.
"""

from django import template

from slihub.inspections import selectors

register = template.Library()


@register.inclusion_tag("inspections/_latest_judgments.html")
def latest_judgments(authority):
    return {
        "authority": authority,
        "latest": selectors.latest_judgments(authority),
    }

"""Filters of the progress profile and the compare page: figures as DfE shows them, built in Python.

A profile shows hundreds of rows, each with a series table; these filters turn one figure (or one
series) into HTML in a single template node, which keeps the page quick to render.
"""

from django import template
from django.utils.html import format_html, format_html_join

from slihub.indicators import formatting

register = template.Library()


@register.filter
def figure(value):
    """A profile_selectors.Figure: the number, or the publisher's marker with its meaning (never 0)."""
    if value.marker:
        return format_html(
            '<abbr title="{}">{}</abbr><span class="govuk-visually-hidden"> ({})</span>',
            value.meaning,
            value.marker,
            value.meaning,
        )
    return value.text


@register.filter
def series_rows(series):
    """The body rows of a series table: period, then figure, oldest first."""
    return format_html_join(
        "",
        '<tr><th scope="row" class="govuk-table__header">{}</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>',
        ((point.period, figure(point.figure)) for point in series),
    )


@register.filter
def no_band(indicator) -> str:
    """What a band cell says without a band: 'No band' for an indicator without bands (as the map and
    the authority's page say), '–' for an authority without a figure."""
    if isinstance(indicator, dict):  # the profile reads indicators as values()
        return formatting.band_placeholder(indicator["polarity"], indicator["quartiles"])
    return formatting.band_placeholder(indicator.polarity, indicator.quartiles)

"""The concentration and polarisation watch (national and per region) and the directors' records.
Thin views over watch.py (reads) and directors.py (writes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from slihub.alliances import directors as services
from slihub.alliances import selectors, watch
from slihub.alliances.forms import date_parts, read_date
from slihub.alliances.models import DirectorAppointment
from slihub.places import selectors as places
from slihub.stats.barchart import column_chart_svg

YEAR_AXIS = "Year (April to March)"


def _percent(share: float | None) -> str:
    return "no support given" if share is None else f"{share:.0%}"


def _gini(value: float | None) -> str:
    return "no support given" if value is None else f"{value:.2f}"


def _support_charts(found: watch.Watch) -> dict[str, str]:
    years = found.years
    labels = [y.short_label for y in years]
    return {
        "days": column_chart_svg(
            labels,
            [y.days for y in years],
            texts=[f"{y.days:,} days" for y in years],
            title=f"Support days given by councils in {found.area}, per year",
            y_label="Support days",
            x_label=YEAR_AXIS,
            id_prefix="chart-days",
        ),
        "top_share": column_chart_svg(
            labels,
            [None if y.top_share is None else y.top_share * 100 for y in years],
            texts=[_percent(y.top_share) for y in years],
            title="Share of support days given by the top 10% of councils, per year",
            y_label="Share of days (%)",
            x_label=YEAR_AXIS,
            id_prefix="chart-top-share",
        ),
        "gini": column_chart_svg(
            labels,
            [y.gini for y in years],
            texts=[_gini(y.gini) for y in years],
            title="Gini index of support days given, per year (0 even, 1 all from one council)",
            y_label="Gini index (0 to 1)",
            x_label=YEAR_AXIS,
            id_prefix="chart-gini",
        ),
    }


def _gap_chart(number: int, item: watch.GapIndicator) -> str:
    unit = item.indicator.unit or "value"
    return column_chart_svg(
        [p.period for p in item.points],
        [p.gap for p in item.points],
        texts=[p.gap_text for p in item.points],
        title=f"{item.indicator.name}: gap between the best and worst quarters of councils",
        y_label=f"Gap ({unit})",
        x_label="Period",
        id_prefix=f"chart-gap-{number}",
    )


def _page(request, region=None, alliance=None):
    found = watch.watch(request.user, region)
    return render(
        request,
        "alliances/watch.html",
        {
            "watch": found,
            "alliance": alliance,
            "gaps": [(item, _gap_chart(n, item)) for n, item in enumerate(found.gaps, 1) if item.points],
            "gaps_without_figures": [item.indicator for item in found.gaps if not item.points],
            "area_possessive": f"{region.name}'s" if region else "England's",
            "gap_periods": watch.GAP_PERIODS,
            "charts": _support_charts(found) if found.years else {},
            "top_share_percent": int(watch.TOP_SHARE * 100),
            "many_changes": watch.MANY_CHANGES,
            "director_years": watch.DIRECTOR_YEARS,
            "year_rows": [
                {
                    "year": y,
                    "top_share": _percent(y.top_share),
                    "gini": _gini(y.gini),
                    "named_both": found.named(y.both),
                }
                for y in found.years
            ],
            "support_table": [
                (authority, list(zip(given, received, strict=True)))
                for authority, given, received in found.support_table()
            ],
        },
    )


def national(request):
    return _page(request)


def regional(request, slug):
    alliance = selectors.alliance(slug)
    return _page(request, alliance.region, alliance)


@login_required
def director_list(request, code):
    authority = places.authority(code)
    return render(
        request,
        "alliances/directors.html",
        {
            "authority": authority,
            "appointments": watch.appointments(authority),
            "can_record": services.can_record(request.user, authority),
        },
    )


def _read(post) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    started_on, started_parts = read_date(post, "started_on", "Start date", errors)
    if not any(started_parts.values()):
        errors["started_on"] = "Enter the start date"  # read_date's own words suit "the date it started"
    ended_on, ended_parts = read_date(post, "ended_on", "End date", errors, required=False)
    data = {
        "name": post.get("name", ""),
        "started_on": started_on,
        "ended_on": ended_on,
        "interim": post.get("interim") == "yes",
        "source_url": post.get("source_url", ""),
    }
    return data | {"parts": {"started_on": started_parts, "ended_on": ended_parts}}, errors


def _form(request, authority, *, appointment=None):
    services.require_record(request.user, authority)
    if appointment is None:
        data = {"name": "", "interim": False, "source_url": ""}
        data["parts"] = {"started_on": date_parts(None), "ended_on": date_parts(None)}
    else:
        data = {
            "name": appointment.name,
            "interim": appointment.interim,
            "source_url": appointment.source_url,
            "parts": {
                "started_on": date_parts(appointment.started_on),
                "ended_on": date_parts(appointment.ended_on),
            },
        }
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, errors = _read(request.POST)
        if not errors:
            fields = {k: data[k] for k in ("name", "started_on", "ended_on", "interim", "source_url")}
            try:
                if appointment is None:
                    services.record(user=request.user, authority=authority, **fields)
                else:
                    services.update(user=request.user, appointment=appointment, **fields)
            except ValidationError as error:
                errors = {name: " ".join(messages) for name, messages in error.message_dict.items()}
            else:
                return redirect("director-list", code=authority.code)
    order = ("name", "started_on", "ended_on", "source_url")
    return render(
        request,
        "alliances/director_form.html",
        {
            "authority": authority,
            "appointment": appointment,
            "data": data,
            "errors": sorted(errors.items(), key=lambda e: order.index(e[0]) if e[0] in order else 9),
            "error_for": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def director_add(request, code):
    return _form(request, places.authority(code))


@login_required
def director_edit(request, code, pk):
    authority = places.authority(code)
    appointment = get_object_or_404(DirectorAppointment, pk=pk, authority=authority)
    appointment.authority = authority
    return _form(request, authority, appointment=appointment)

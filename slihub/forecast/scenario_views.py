"""A council's saved scenarios: make one, read one, edit, share and delete. Private pages: signed-out
visitors are sent to sign in; a scenario the user may not see is 404 (as other hub records), a council
whose scenarios the user may not make is 403. Never from the shared page cache (never_cache)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from slihub.forecast import evidence
from slihub.forecast import scenario_services as services
from slihub.forecast.models import Scenario
from slihub.govuk import GovukFormMixin
from slihub.places.models import Authority
from slihub.stats import scenario as sc

TYPES = [(sc.FOSTERING, "Fostering"), (sc.RESIDENTIAL, "Residential care"), (sc.OTHER, "Other placements")]
NUMBER = {"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}


def _number(label, help_text):
    return forms.FloatField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": f"{label} must be a number, like -10 or 2.5"},
    )


class ScenarioForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the scenario",
        max_length=services.MAX_NAME,
        help_text="For example, Foster more or Edge of care service",
        error_messages={"required": "Enter a name for the scenario"},
    )
    entries_percent = _number(
        "Change in children starting care, in per cent",
        "For example -10 for an edge-of-care service that means 10% fewer children start care",
    )
    entries_plus = _number(
        "Change in children starting care, per 10,000 children aged 0 to 17",
        "For example -2 takes 2 per 10,000 children off the rate",
    )
    exits_percent = _number(
        "Change in the share of children leaving care each year, in per cent",
        "For example 5 for 5% more of them leaving",
    )
    exits_plus = _number(
        "Change in the share of children leaving care each year, in percentage points",
        "For example 2 turns a share of 30% into 32%",
    )
    move_percent = _number(
        "Percentage of children moved from one placement type to another",
        "For example 10 moves 10% of the children in residential care to fostering",
    )
    move_from = forms.ChoiceField(label="Move from", choices=TYPES, initial=sc.RESIDENTIAL)
    move_to = forms.ChoiceField(label="Move to", choices=TYPES, initial=sc.FOSTERING)

    def _percent_change(self, name: str, what: str):
        value = self.cleaned_data.get(name)
        if value is not None and value < -100:
            raise forms.ValidationError(f"{what} cannot fall by more than 100%")
        return value

    def clean_entries_percent(self):
        return self._percent_change("entries_percent", "The number of children starting care")

    def clean_exits_percent(self):
        return self._percent_change("exits_percent", "The share of children leaving care")

    def settings(self) -> dict:
        data = self.cleaned_data
        entries, exits = data.get("entries_percent"), data.get("exits_percent")
        out = {
            "entries_times": 1 + entries / 100 if entries is not None else 1.0,
            "entries_plus": data.get("entries_plus") or 0.0,
            "exits_times": 1 + exits / 100 if exits is not None else 1.0,
            "exits_plus": data.get("exits_plus") or 0.0,
            "moves": [],
        }
        if data.get("move_percent"):
            out["moves"] = [
                {"percent": data["move_percent"], "from": data["move_from"], "to": data["move_to"]}
            ]
        return out


def _initial(scenario: Scenario) -> dict:
    move = scenario.moves[0] if scenario.moves else None
    return {
        "name": scenario.name,
        "entries_percent": round((scenario.entries_times - 1) * 100, 6)
        if scenario.entries_times != 1
        else None,
        "entries_plus": scenario.entries_plus or None,
        "exits_percent": round((scenario.exits_times - 1) * 100, 6) if scenario.exits_times != 1 else None,
        "exits_plus": scenario.exits_plus or None,
        "move_percent": move["percent"] if move else None,
        "move_from": move["from"] if move else sc.RESIDENTIAL,
        "move_to": move["to"] if move else sc.FOSTERING,
    }


def _authority(code: str) -> Authority:
    try:
        return Authority.objects.select_related("region").by_code(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code}.") from None


def _scenario(request, code: str, pk: int) -> Scenario:
    authority = _authority(code)
    return get_object_or_404(
        Scenario.objects.visible_to(request.user).select_related("authority__region", "created_by"),
        pk=pk,
        authority=authority,
    )


def _form_page(request, authority, form, scenario=None):
    return render(
        request,
        "forecast/scenarios/form.html",
        {
            "authority": authority,
            "form": form,
            "scenario": scenario,
            "may_share": services.may_manage(request.user, authority),
            "findings": evidence.entering_care(),
            "shared": request.POST.get("shared") == "yes" if request.method == "POST" else False,
            "more_moves": [
                f"{m['percent']:g}% of {m['from']} placements moved to {m['to']}"
                for m in (scenario.moves[1:] if scenario else [])
            ],
        },
    )


@never_cache
@login_required
def new(request, code):
    authority = _authority(code)
    if not services.may_write(request.user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff may make its scenarios.")
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.save_scenario(
                user=request.user,
                authority=authority,
                name=form.cleaned_data["name"],
                shared_with_alliance=request.POST.get("shared") == "yes"
                and services.may_manage(request.user, authority),
                **form.settings(),
            )
        except ValidationError as error:
            form.add_error("name" if "name" in str(error) else None, error)
        else:
            messages.success(request, f"The scenario '{scenario.name}' has been saved.")
            return redirect("forecast-scenario", code=authority.code, pk=scenario.pk)
    return _form_page(request, authority, form)


@never_cache
@login_required
def edit(request, code, pk):
    scenario = _scenario(request, code, pk)
    authority = scenario.authority
    if not services.may_write(request.user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff may change its scenarios.")
    form = ScenarioForm(request.POST or None, initial=_initial(scenario))
    if request.method == "POST" and form.is_valid():
        settings = form.settings()
        settings["moves"] += scenario.moves[1:]  # moves saved through the API beyond the form's one are kept
        try:
            services.update_scenario(
                user=request.user, scenario=scenario, name=form.cleaned_data["name"], **settings
            )
        except ValidationError as error:
            form.add_error("name" if "name" in str(error) else None, error)
        else:
            messages.success(request, f"The scenario '{scenario.name}' has been saved and worked out again.")
            return redirect("forecast-scenario", code=authority.code, pk=scenario.pk)
    return _form_page(request, authority, form, scenario)


def _money(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.1f}m"
    return f"{sign}£{value:,.0f}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _signed(text: str, value: float) -> str:
    return f"+{text}" if value > 0 and not text.startswith("-") else text


def _rows(results: dict, key: str, show) -> list[dict]:
    base = results.get("baseline", {}).get(key) or []
    changed = results.get("scenario_result", {}).get(key) or []
    diff = results.get("difference", {}).get(key) or []
    rows = []
    for b, s, d in zip(base, changed, diff, strict=False):
        low, high = d["interval_80"]
        rows.append(
            {
                "year": b["year"],
                "baseline": show(b["median"]),
                "baseline_range": f"{show(b['interval_80'][0])} to {show(b['interval_80'][1])}",
                "scenario": show(s["median"]),
                "scenario_range": f"{show(s['interval_80'][0])} to {show(s['interval_80'][1])}",
                "difference": _signed(show(d["median"]), d["median"]),
                "difference_range": f"{_signed(show(low), low)} to {_signed(show(high), high)}",
            }
        )
    return rows


def _detail_context(request, scenario: Scenario) -> dict:
    results = scenario.results or {}
    engine = services.settings_of(
        entries_times=scenario.entries_times,
        entries_plus=scenario.entries_plus,
        exits_times=scenario.exits_times,
        exits_plus=scenario.exits_plus,
        moves=scenario.moves,
    )
    authority = scenario.authority
    return {
        "scenario": scenario,
        "authority": authority,
        "region": authority.region,
        "settings": [text[:1].upper() + text[1:] for text in engine.describe()],
        "looked_after": _rows(results, "looked_after", _count),
        "leavers": _rows(results, "ceases", _count),
        "spend": _rows(results, "spend", _money),
        "no_spend": results.get("no_spend", ""),
        "unit_cost": results.get("unit_cost"),
        "touches_other": any(sc.OTHER in (m["from"], m["to"]) for m in scenario.moves),
        "may_write": services.may_write(request.user, authority),
        "may_manage": services.may_manage(request.user, authority),
    }


@never_cache
@login_required
def detail(request, code, pk):
    scenario = _scenario(request, code, pk)
    return render(request, "forecast/scenarios/detail.html", _detail_context(request, scenario))


@never_cache
@login_required
@require_POST
def share(request, code, pk):
    scenario = _scenario(request, code, pk)
    shared = request.POST.get("shared") == "yes"
    services.share_scenario(user=request.user, scenario=scenario, shared=shared)
    region = scenario.authority.region.name
    messages.success(
        request,
        f"The scenario is shared with the {region} alliance."
        if shared
        else f"The scenario is no longer shared with the {region} alliance.",
    )
    return redirect("forecast-scenario", code=scenario.authority.code, pk=scenario.pk)


@never_cache
@login_required
def delete(request, code, pk):
    scenario = _scenario(request, code, pk)
    if not services.may_manage(request.user, scenario.authority):
        raise PermissionDenied(
            f"Only {scenario.authority.name}'s council admins and director may delete its scenarios."
        )
    if request.method == "POST":
        name, authority_code = scenario.name, scenario.authority.code
        services.delete_scenario(user=request.user, scenario=scenario)
        messages.success(request, f"The scenario '{name}' has been deleted.")
        return redirect("forecast-authority", code=authority_code)
    return render(
        request, "forecast/scenarios/delete.html", {"scenario": scenario, "authority": scenario.authority}
    )

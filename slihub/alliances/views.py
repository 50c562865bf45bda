"""Alliance pages: thin views over selectors.py, rug.py and services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from slihub.alliances import rug as rugs
from slihub.alliances import selectors, services
from slihub.alliances.forms import CycleDates, GroupForm, LeadershipForm, SignatureForm, read_date
from slihub.alliances.services import RELEASE, can_manage, require_manage
from slihub.places.page_cache import cache_published
from slihub.places.releases import INDICATORS, REFERENCE


def _add_service_errors(form, error: ValidationError):
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@cache_published(datasets=[REFERENCE, RELEASE])
def alliance_list(request):
    return render(request, "alliances/alliance_list.html", {"alliances": selectors.alliances()})


def alliance_detail(request, slug):
    alliance = selectors.alliance(slug)
    today = timezone.localdate()
    council_list = selectors.members(alliance)
    cycle = selectors.current_cycle(alliance, today)
    user = request.user
    standings = (
        selectors.standings(user, alliance, cycle, today, council_list) if user.is_authenticated else []
    )
    return render(
        request,
        "alliances/alliance_detail.html",
        {
            "alliance": alliance,
            "members": council_list,
            "groups": selectors.groups(alliance),
            "signed": selectors.signatures(alliance, council_list),
            "cycle": cycle,
            "cycle_dates": selectors.cycle_dates(cycle) if cycle else [],
            "stage": selectors.cycle_stage(cycle, today) if cycle else "",
            "other_cycles": [c for c in selectors.cycles(alliance) if cycle is None or c.pk != cycle.pk],
            "standings": standings,
            "late_count": sum(1 for s in standings if s.late),
            "can_manage": user.is_authenticated and can_manage(user, alliance),
            "today": today,
        },
    )


@login_required
def alliance_cycle(request, slug):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    today = timezone.localdate()
    existing = selectors.current_cycle(alliance, today)
    year = (
        int(request.GET["year"])
        if request.GET.get("year", "").isdigit() and len(request.GET["year"]) == 4
        else None
    )
    if year is None:
        year = existing.year if existing else (today.year if today.month >= 6 else today.year - 1)
    chosen = alliance.cycles.filter(year=year).first()
    initial = (
        {name: getattr(chosen, name) for name, _ in services.STAGES}
        if chosen
        else services.suggested_cycle(year)
    )
    form = CycleDates(request.POST if request.method == "POST" else None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        order = services.cycle_errors(form.dates)
        if order:
            form.add_errors(order)
        else:
            try:
                cycle = services.set_cycle(user=request.user, alliance=alliance, year=form.year, **form.dates)
            except ValidationError as error:
                form.add_errors(error.message_dict)
            else:
                messages.success(request, f"The {cycle.year} to {cycle.year + 1} cycle was saved.")
                return redirect("alliance-detail", slug=alliance.region.slug)
    return render(
        request,
        "alliances/alliance_cycle.html",
        {
            "alliance": alliance,
            "form": form,
            "existing": chosen,
            "suggested": chosen is None,
            "other_years": [y for y in (year - 1, year, year + 1) if y != year],
            "year": year,
        },
    )


@login_required
def alliance_signatures(request, slug):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    council_list = selectors.members(alliance)
    form = SignatureForm(request.POST or None, members=council_list)
    date_errors: dict[str, str] = {}
    signed_on, parts = None, {"day": "", "month": "", "year": ""}
    if request.method == "POST":
        signed_on, parts = read_date(request.POST, "signed_on", "Date signed", date_errors)
        if form.is_valid() and not date_errors:
            authority = next(a for a in council_list if a.code == form.cleaned_data["authority"])
            try:
                signature = services.record_signature(
                    user=request.user,
                    alliance=alliance,
                    authority=authority,
                    role=form.cleaned_data["role"],
                    name=form.cleaned_data["name"],
                    signed_on=signed_on,
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    if name == "signed_on":
                        date_errors["signed_on"] = problems[0]
                    else:
                        form.add_error(name if name in form.fields else None, problems[0])
            else:
                messages.success(request, f"{signature.name}'s signature for {authority.name} was recorded.")
                return redirect("alliance-signatures", slug=alliance.region.slug)
    errors = list(form.error_list()) + [("signed_on-day", e) for e in date_errors.values()]
    return render(
        request,
        "alliances/alliance_signatures.html",
        {
            "alliance": alliance,
            "form": form,
            "errors": errors,
            "date_error": date_errors.get("signed_on", ""),
            "date_parts": parts,
            "signed": selectors.signatures(alliance, council_list),
        },
    )


@login_required
@require_POST
def alliance_signature_delete(request, slug, pk):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    signature = alliance.signatures.filter(pk=pk).select_related("authority").first()
    if signature is None:
        raise Http404("No such signature in this alliance.")
    services.delete_signature(user=request.user, signature=signature)
    messages.success(request, f"{signature.name}'s signature for {signature.authority.name} was removed.")
    return redirect("alliance-signatures", slug=alliance.region.slug)


@login_required
def alliance_groups(request, slug, pk=None):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    council_list = selectors.members(alliance)
    group = selectors.group(alliance, pk) if pk else None
    initial = (
        {"name": group.name, "authorities": [a.code for a in group.authorities.all()]} if group else None
    )
    form = GroupForm(request.POST or None, initial=initial, members=council_list)
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in council_list if a.code in set(form.cleaned_data["authorities"])]
        try:
            saved = services.save_group(
                user=request.user,
                alliance=alliance,
                name=form.cleaned_data["name"],
                authorities=chosen,
                group=group,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"The group {saved.name} was saved.")
            return redirect("alliance-groups", slug=alliance.region.slug)
    return render(
        request,
        "alliances/alliance_groups.html",
        {"alliance": alliance, "form": form, "group": group, "groups": selectors.groups(alliance)},
    )


@login_required
@require_POST
def alliance_group_delete(request, slug, pk):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    group = selectors.group(alliance, pk)
    services.delete_group(user=request.user, group=group)
    messages.success(request, f"The group {group.name} was removed.")
    return redirect("alliance-groups", slug=alliance.region.slug)


@login_required
def alliance_settings(request, slug):
    alliance = selectors.alliance(slug)
    require_manage(request.user, alliance)
    council_list = selectors.members(alliance)
    initial = {
        "lead_director": alliance.lead_director,
        "lead_authority": alliance.lead_authority.code if alliance.lead_authority else "",
        "core_indicators": "\n".join(alliance.core_indicators or []),
    }
    form = LeadershipForm(request.POST or None, initial=initial, members=council_list)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["lead_authority"]
        try:
            services.set_leadership(
                user=request.user,
                alliance=alliance,
                lead_director=form.cleaned_data["lead_director"],
                lead_authority=next((a for a in council_list if a.code == code), None),
                core_indicators=form.cleaned_data["core_indicators"].split(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{alliance.name}'s lead director and core indicators were saved.")
            return redirect("alliance-detail", slug=alliance.region.slug)
    return render(request, "alliances/alliance_settings.html", {"alliance": alliance, "form": form})


def _rug_releases(slug):
    return [REFERENCE, INDICATORS, RELEASE]


@cache_published(datasets=_rug_releases)
def tartan_rug(request, slug):
    alliance = selectors.alliance(slug)
    return render(request, "alliances/rug.html", {"alliance": alliance, "rug": rugs.tartan_rug(alliance)})


@cache_published(datasets=_rug_releases)
def tartan_rug_csv(request, slug):
    alliance = selectors.alliance(slug)
    response = HttpResponse(rugs.rug_csv(rugs.tartan_rug(alliance)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tartan-rug-{alliance.region.slug}.csv"'
    return response

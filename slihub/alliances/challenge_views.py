"""Peer challenge pages: challenge groups (proposed, saved, edited by hand) and challenge records
with their agreed actions. Thin views over challenges.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from slihub.alliances import challenges, selectors
from slihub.alliances.forms import read_date
from slihub.alliances.models import AREA_CHOICES, ActionStatus, AgreedAction, Cycle
from slihub.indicators.models import Indicator
from slihub.places.models import Authority
from slihub.stats import grouping


def _cycle(slug: str, year: int) -> Cycle:
    alliance = selectors.alliance(slug)
    cycle = Cycle.objects.filter(alliance=alliance, year=year).select_related("alliance__region").first()
    if cycle is None:
        raise Http404(f"The alliance has no cycle starting in {year}.")
    return cycle


def _errors(error: ValidationError, ids: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for name, problems in error.message_dict.items():
        out += [(ids.get(name, name), p) for p in problems]
    return out


@login_required
def groups(request, slug, year):
    cycle = _cycle(slug, year)
    challenges.require_coordinator(request.user, cycle.alliance)
    errors: list[tuple[str, str]] = []
    proposal = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "propose":
                result = challenges.propose(cycle.alliance, cycle.year)
                proposal = {"rows": grouping.result_groups(result), "result": result}
            elif action == "save":
                chosen = [g.split(",") for g in request.POST.getlist("group") if g]
                challenges.save_groups(user=request.user, cycle=cycle, groups=chosen)
                messages.success(request, "Challenge groups saved")
                return redirect("challenge-groups", slug=cycle.alliance.region.slug, year=cycle.year)
            elif action == "move":
                number = request.POST.get("to_group", "")
                if not (number.isascii() and number.isdigit() and len(number) < 4):
                    raise ValidationError({"to_group": "Choose a group"})
                challenges.move_council(
                    user=request.user,
                    cycle=cycle,
                    code=request.POST.get("council", ""),
                    to_number=int(number),
                )
                messages.success(request, "Council moved; the groups are marked as edited by hand")
                return redirect("challenge-groups", slug=cycle.alliance.region.slug, year=cycle.year)
            else:
                errors.append(("propose", "Choose what to do"))
        except grouping.GroupingError as error:
            errors.append(("propose", f"The hub cannot group this alliance: {error}"))
        except ValidationError as error:
            errors += _errors(error, {"groups": "propose", "to_group": "to_group", "council": "council"})
    saved = challenges.cycle_groups(cycle)
    return render(
        request,
        "alliances/challenge_groups.html",
        {
            "alliance": cycle.alliance,
            "cycle": cycle,
            "groups": saved,
            "proposal": proposal,
            "errors": errors,
            "councils": sorted((a for g in saved for a in g.authorities.all()), key=lambda a: a.name),
        },
        status=400 if errors else 200,
    )


def _challenge_form_context(cycle, data=None, errors=None):
    members = list(cycle.alliance.members().order_by("name"))
    return {
        "alliance": cycle.alliance,
        "cycle": cycle,
        "members": members,
        "areas": AREA_CHOICES,
        "groups": challenges.cycle_groups(cycle),
        "data": data or {},
        "errors": errors or [],
        "error_for": dict(errors or []),
    }


@login_required
def challenge_list(request, slug, year):
    cycle = _cycle(slug, year)
    found = list(challenges.visible_challenges(request.user, cycle=cycle))
    manage = selectors_can_manage(request.user, cycle)
    if not found and not manage:
        raise Http404("No challenges you can see.")
    return render(
        request,
        "alliances/challenge_list.html",
        {
            "alliance": cycle.alliance,
            "cycle": cycle,
            "challenges": found,
            "can_manage": manage,
            "overdue": challenges.overdue_actions(
                user=request.user, alliance=cycle.alliance, today=timezone.localdate()
            ),
        },
    )


def selectors_can_manage(user, cycle) -> bool:
    from slihub.alliances.services import can_manage

    return can_manage(user, cycle.alliance)


@login_required
def challenge_new(request, slug, year):
    cycle = _cycle(slug, year)
    challenges.require_coordinator(request.user, cycle.alliance)
    if request.method != "POST":
        return render(request, "alliances/challenge_form.html", _challenge_form_context(cycle))
    data = request.POST
    errors: dict[str, str] = {}
    held_on, parts = read_date(data, "held_on", "Date of the challenge", errors)
    members = {a.code: a for a in cycle.alliance.members()}
    host = members.get(data.get("host", ""))
    if host is None:
        errors["host"] = "Choose the host council"
    challengers = [members[c] for c in data.getlist("challengers") if c in members]
    indicators = [s.strip() for s in data.get("focus_indicators", "").replace(",", " ").split() if s.strip()]
    notes = data.get("notes", "")
    if len(notes) > 20000:
        errors["notes"] = "Notes must be 20,000 characters or fewer"
    made = None
    if not errors:
        try:
            made = challenges.record_challenge(
                user=request.user,
                cycle=cycle,
                held_on=held_on,
                host=host,
                challengers=challengers,
                focus_areas=data.getlist("focus_areas"),
                focus_indicators=indicators,
                notes=notes,
            )
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if made is not None:
        messages.success(request, "Challenge recorded")
        return redirect("challenge-detail", pk=made.pk)
    ordered = [
        (key, errors[key])
        for key in ("held_on", "host", "challengers", "focus_areas", "focus_indicators", "notes")
        if key in errors
    ]
    context = _challenge_form_context(cycle, data={"parts": parts, "post": data}, errors=ordered)
    context["chosen_challengers"] = data.getlist("challengers")
    context["chosen_areas"] = data.getlist("focus_areas")
    return render(request, "alliances/challenge_form.html", context, status=400)


@login_required
def challenge_detail(request, pk):
    found = challenges.challenge(request.user, pk)
    if found is None:
        raise Http404("No such challenge.")
    manage = selectors_can_manage(request.user, found.cycle)
    errors: list[tuple[str, str]] = []
    parts = {}
    if request.method == "POST":
        if not manage:
            raise Http404("No such challenge.")
        problems: dict[str, str] = {}
        due_on, parts = read_date(request.POST, "due_on", "Due date", problems)
        owner = Authority.objects.filter(
            code=request.POST.get("owner_authority", ""), is_current=True
        ).first()
        if owner is None:
            problems["owner_authority"] = "Choose the council that owns the action"
        if not problems:
            try:
                challenges.add_action(
                    user=request.user,
                    challenge=found,
                    text=request.POST.get("text", "")[:2000],
                    owner_authority=owner,
                    owner_name=request.POST.get("owner_name", "")[:150],
                    due_on=due_on,
                )
                messages.success(request, "Action added")
                return redirect("challenge-detail", pk=found.pk)
            except ValidationError as error:
                problems.update({k: v[0] for k, v in error.message_dict.items()})
        errors = [
            (k, problems[k]) for k in ("text", "owner_authority", "owner_name", "due_on") if k in problems
        ]
    councils = [found.host, *found.challengers.all()]
    indicators = list(Indicator.objects.filter(slug__in=found.focus_indicators).only("slug", "name"))
    return render(
        request,
        "alliances/challenge_detail.html",
        {
            "challenge": found,
            "alliance": found.cycle.alliance,
            "councils": councils,
            "areas": [dict(AREA_CHOICES).get(a, a) for a in found.focus_areas],
            "indicators": indicators,
            "actions": list(found.actions.all()),
            "can_manage": manage,
            "can_follow_up": challenges.can_follow_up(request.user, found),
            "errors": errors,
            "error_for": dict(errors),
            "post": request.POST if errors else {},
            "parts": parts,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def action_follow_up(request, pk):
    action = get_object_or_404(
        AgreedAction.objects.visible_to(request.user).select_related("challenge"), pk=pk
    )
    try:
        challenges.follow_up(
            user=request.user,
            action=action,
            status=request.POST.get("status", ""),
            notes=request.POST.get("follow_up", "")[:5000],
        )
        messages.success(request, "Follow-up saved")
    except ValidationError:
        messages.error(request, "Choose open, done or dropped")
    return redirect("challenge-detail", pk=action.challenge_id)

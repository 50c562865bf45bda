"""Menu of support pages: an alliance's menu, a council's asks and offers with their matches, and the
forms to post, change and close them. Thin views over menu.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from slihub.accounts.models import scope_of
from slihub.alliances import menu, selectors, strengths
from slihub.alliances.menu_forms import AreaFilter, AskForm, OfferForm
from slihub.alliances.models import Alliance, MenuStatus
from slihub.places import selectors as places


def _agreement_url(user) -> str | None:
    """The page to record a support agreement, for those who may record one: council admins, coordinators
    and national admins (council members, chief executives and lead members read the menu only)."""
    scope = scope_of(user)
    if not (scope.national or scope.admin_of or scope.coordinates):
        return None
    return reverse("support-agreement-new")


def _with_matches(asks, offers):
    """Labels the asks and offers and puts each open ask's best matches on it (`ask.matches`)."""
    matches = menu.match_asks([a for a in asks if a.status == MenuStatus.OPEN])
    matched = [m.offer for found in matches.values() for m in found.regional + found.national]
    names = menu.indicator_names([*asks, *offers, *matched])
    menu.label([*asks, *offers, *matched], names)
    for item in asks:
        item.matches = matches.get(item.id)
    return asks, offers


@login_required
def alliance_menu(request, slug):
    menu.require_read(request.user)
    alliance = selectors.alliance(slug)
    form = AreaFilter(request.GET or None)
    area = form.cleaned_data["area"] if form.is_bound and form.is_valid() else ""
    asks = list(menu.asks(request.user, region=alliance.region, area=area))
    offers = list(menu.offers(request.user, region=alliance.region, area=area))
    _with_matches(asks, offers)
    # The user's own councils in the region (a national admin posts from each council's own page).
    own = scope_of(request.user).member_of
    councils = [a for a in selectors.members(alliance) if a.id in own] if own else []
    return render(
        request,
        "alliances/menu/alliance_menu.html",
        {
            "alliance": alliance,
            "form": form,
            "area": area,
            "asks": asks,
            "offers": offers,
            "councils": councils,
            "agreement_url": _agreement_url(request.user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def council_menu(request, code):
    menu.require_read(request.user)
    authority = places.authority(code)
    asks = list(menu.asks(request.user, authority=authority, status=""))
    offers = list(menu.offers(request.user, authority=authority, status=""))
    _with_matches(asks, offers)
    return render(
        request,
        "alliances/menu/council_menu.html",
        {
            "authority": authority,
            "alliance": Alliance.objects.filter(region_id=authority.region_id)
            .select_related("region")
            .first(),
            "open_asks": [a for a in asks if a.status == MenuStatus.OPEN],
            "closed_asks": [a for a in asks if a.status != MenuStatus.OPEN],
            "open_offers": [o for o in offers if o.status == MenuStatus.OPEN],
            "closed_offers": [o for o in offers if o.status != MenuStatus.OPEN],
            "can_post": menu.can_post(request.user, authority) and authority.is_current,
            "agreement_url": _agreement_url(request.user),
        },
    )


def _service_errors(form, error: ValidationError):
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _form_page(request, template, context, form):
    context = {**context, "form": form}
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@login_required
def ask_form(request, code=None, pk=None):
    """Post an ask for a council (`code`), or change one (`pk`)."""
    menu.require_read(request.user)
    existing = menu.ask(request.user, pk) if pk else None
    authority = existing.authority if existing else places.authority(code)
    menu.require_post(request.user, authority)
    needs = menu.council_indicator_needs(authority)
    listed = {n.slug for n in needs}
    initial = (
        {
            "area": existing.area,
            "title": existing.title,
            "details": existing.details,
            "needs": [s for s in existing.indicators if s in listed],
            "indicators": " ".join(s for s in existing.indicators if s not in listed),
        }
        if existing
        else {}
    )
    form = AskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        needs=[(n.slug, f"{n.name}: {n.why}") for n in needs],
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        values = {
            "area": data["area"],
            "title": data["title"],
            "details": data["details"],
            "indicators": form.chosen_indicators(),
        }
        try:
            if existing:
                saved = menu.update_ask(user=request.user, ask=existing, **values)
            else:
                saved = menu.post_ask(user=request.user, authority=authority, **values)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"Ask {'saved' if existing else 'posted'}: {saved.title}")
            return redirect("menu-council", code=authority.code)
    chosen = set(form["needs"].value() or []) if form.is_bound else set(initial.get("needs", []))
    return _form_page(
        request,
        "alliances/menu/ask_form.html",
        {"authority": authority, "item": existing, "chosen": chosen},
        form,
    )


@login_required
def offer_form(request, code=None, pk=None):
    """Post an offer for a council (`code`), or change one (`pk`), backed by the council's strengths."""
    menu.require_read(request.user)
    existing = menu.offer(request.user, pk) if pk else None
    authority = existing.authority if existing else places.authority(code)
    menu.require_post(request.user, authority)
    backing = menu.council_indicator_strengths(authority)
    kept = [s for s in (existing.indicators if existing else []) if s not in {b.slug for b in backing}]
    specialists = list(menu.backing_specialists(request.user, authority))
    practice = list(menu.backing_practice(authority))
    initial = (
        {
            "area": existing.area,
            "title": existing.title,
            "details": existing.details,
            "indicators": existing.indicators,
            "specialists": [str(s.pk) for s in existing.specialists.all()],
            "practices": [str(p.pk) for p in existing.practices.all()],
        }
        if existing
        else {}
    )
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        indicators=[(b.slug, f"{b.name}: {b.why}") for b in backing] + [(s, s) for s in kept],
        specialists=[(s.pk, f"{s.name}, {s.role} ({s.reference})") for s in specialists],
        practices=[(p.pk, p.title) for p in practice],
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if existing:
                saved = menu.update_offer(user=request.user, offer=existing, **data)
            else:
                saved = menu.post_offer(user=request.user, authority=authority, **data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"Offer {'saved' if existing else 'posted'}: {saved.title}")
            return redirect("menu-council", code=authority.code)
    chosen = {
        name: set(form[name].value() or []) if form.is_bound else {str(v) for v in initial.get(name, [])}
        for name in ("indicators", "specialists", "practices")
    }
    return _form_page(
        request,
        "alliances/menu/offer_form.html",
        {
            "authority": authority,
            "item": existing,
            "backing": backing,
            "kept": kept,
            "specialists": specialists,
            "practice": practice,
            "found": strengths.strengths(request.user, authority),
            "chosen": chosen,
        },
        form,
    )


@login_required
@require_POST
def set_status(request, kind, pk):
    """Close an ask or offer, or open it again."""
    menu.require_read(request.user)
    item = menu.ask(request.user, pk) if kind == "ask" else menu.offer(request.user, pk)
    status = request.POST.get("status", MenuStatus.CLOSED)
    try:
        menu.set_status(user=request.user, item=item, status=status)
    except ValidationError as error:  # only a changed form sends anything but open or closed
        raise BadRequest(" ".join(error.messages)) from None
    done = "closed" if item.status == MenuStatus.CLOSED else "opened again"
    messages.success(request, f"{kind.capitalize()} {done}: {item.title}")
    return redirect("menu-council", code=item.authority.code)

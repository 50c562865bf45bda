"""Support agreement pages: a council's support (capacity declared and used, agreements given and
received), an agreement, its forms with the capacity warning, and an alliance's support. Thin views over
support.py."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances import selectors, support
from slihub.alliances import support_chart as chart
from slihub.alliances.models import Ask, Offer, support_year
from slihub.alliances.support_forms import AgreementForm, CapacityForm, ProgressForm
from slihub.places import selectors as places
from slihub.places.models import Authority


def _council(user, code) -> Authority:
    authority = places.authority(code)
    if not support.can_read_council(user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s own people, its region's coordinators and national admins "
            "see its support."
        )
    return authority


def _years(authority: Authority, today) -> list[support.YearUse]:
    """The council's support years, latest first, always with the current one."""
    years = support.capacity_use([authority])[authority.pk]
    current = support_year(today)
    if all(y.year != current for y in years):
        years = sorted(
            [*years, support.YearUse(year=current, capacity=None, agreed=0)], key=lambda y: -y.year
        )
    return years


@login_required
def council_support(request, code):
    authority = _council(request.user, code)
    given, received = support.council_agreements(request.user, authority)
    years = _years(authority, timezone.localdate())
    return render(
        request,
        "alliances/support/council.html",
        {
            "authority": authority,
            "years": years,
            "chart": chart.capacity_svg(
                years, title=f"{authority.name}: days of support agreed against its declared capacity"
            ),
            "year_rows": [{"use": y} for y in years],
            "colours": {"used": chart.USED, "beyond": chart.BEYOND, "mark": chart.MARK},
            "given": given,
            "received": received,
            "can_declare": support.can_declare(request.user, authority),
            "can_record": _can_record_any(request.user),
        },
    )


def _can_record_any(user) -> bool:
    scope = scope_of(user)
    return scope.national or bool(scope.admin_of) or bool(scope.coordinates)


@login_required
def capacity_form(request, code):
    authority = places.authority(code)
    if not support.can_declare(request.user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s council admins, its region's coordinators and national admins "
            "declare its capacity."
        )
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
    year = year or support_year(timezone.localdate())
    initial = {"year": year, "days": support.declared(authority, year)}
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = support.declare_capacity(
                user=request.user,
                authority=authority,
                year=form.cleaned_data["year"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Capacity saved: {made.days} days in {support.year_label(made.year)}")
            return redirect("support-council", code=authority.code)
    return render(
        request,
        "alliances/support/capacity_form.html",
        {"authority": authority, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _councils():
    return list(Authority.objects.current().order_by("name"))


def _prefill(user, query) -> tuple[dict, Ask | None, Offer | None]:
    """Initial values from ?offer=<id>, ?ask=<id> and ?supporting=<code>, for what the user may see."""
    initial: dict = {}
    offer = support.menu_item(user, Offer, query.get("offer"))
    ask = support.menu_item(user, Ask, query.get("ask"))
    code = str(query.get("supporting", ""))[:10]
    if code:
        found = Authority.objects.current().filter(code=code).first()
        if found is not None:
            initial["supporting"] = found.code
    if offer is not None:
        initial.update(supporting=offer.authority.code, area=offer.area)
    if ask is not None:
        initial.update(supported=ask.authority.code, area=initial.get("area") or ask.area)
    admin_of = scope_of(user).admin_of
    if "supporting" not in initial and len(admin_of) == 1:  # a council admin offers their own council
        own = Authority.objects.current().filter(pk=next(iter(admin_of))).first()
        if own is not None and own.code != initial.get("supported"):
            initial["supporting"] = own.code
    return initial, ask, offer


def _form_page(request, form, *, agreement=None, warning=None, ask=None, offer=None):
    back = None
    if agreement is None:
        code = form["supporting"].value() or ""
        back = Authority.objects.current().filter(code=str(code)[:10]).first() if code else None
    return render(
        request,
        "alliances/support/agreement_form.html",
        {
            "form": form,
            "dates": form.date_inputs(),
            "agreement": agreement,
            "warning": warning,
            "ask": ask,
            "offer": offer,
            "back": reverse("support-council", args=[back.code]) if back else None,
            "back_name": back.name if back else "",
        },
        status=400 if form.errors else 200,
    )


def _save_agreement(request, form, save, **page):
    """Saves a valid posted form through save(**values) and shows the agreement; otherwise the form again,
    with the capacity warning or the errors."""
    warning = None
    if request.method == "POST" and form.is_valid():
        try:
            made = save(**form.agreement_values())
        except support.OverCapacity as over:
            warning = over.check
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error("supporting", str(error))
        else:
            messages.success(request, "Support agreement saved")
            return redirect("support-agreement", pk=made.pk)
    return _form_page(request, form, warning=warning, **page)


@login_required
def agreement_new(request):
    if not _can_record_any(request.user):
        raise PermissionDenied(
            "Only council admins, alliance coordinators and national admins record support agreements."
        )
    source = request.POST if request.method == "POST" else request.GET
    initial, ask, offer = _prefill(request.user, source)
    loans = support.loan_choices(request.user)
    form = AgreementForm(request.POST or None, initial=initial, councils=_councils(), loans=loans)
    save = partial(support.create_agreement, user=request.user, ask=ask, offer=offer)
    return _save_agreement(request, form, save, ask=ask, offer=offer)


def _visible(user, pk) -> support.SupportAgreement:
    found = support.agreement(user, pk)
    if found is None:
        raise Http404("No such support agreement.")
    return found


@login_required
def agreement_detail(request, pk):
    found = _visible(request.user, pk)
    editable = support.can_edit(request.user, found.supporting, found.supported)
    form = ProgressForm(
        request.POST or None, initial={"status": found.status, "achieved_outcomes": found.achieved_outcomes}
    )
    warning = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("You may read this support agreement but not change it.")
        if form.is_valid():
            try:
                support.record_progress(
                    user=request.user,
                    agreement=found,
                    status=form.cleaned_data["status"],
                    achieved_outcomes=form.cleaned_data["achieved_outcomes"],
                    confirm_over_capacity=form.cleaned_data["confirm_over_capacity"],
                )
            except support.OverCapacity as over:
                warning = over.check
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Progress saved")
                return redirect("support-agreement", pk=found.pk)
        found = _visible(request.user, pk)  # as stored: the form keeps what was typed
    return render(
        request,
        "alliances/support/agreement.html",
        {"agreement": found, "can_edit": editable, "form": form, "warning": warning},
        status=400 if form.errors else 200,
    )


@login_required
def agreement_edit(request, pk):
    found = _visible(request.user, pk)
    if not support.can_edit(request.user, found.supporting, found.supported):
        raise PermissionDenied("You may read this support agreement but not change it.")
    councils = _councils()
    if all(a.pk != found.supporting_id for a in councils):
        councils.append(found.supporting)
    if all(a.pk != found.supported_id for a in councils):
        councils.append(found.supported)
    loans = list(support.loan_choices(request.user))
    if found.loan is not None and all(loan.pk != found.loan_id for loan in loans):
        loans.append(found.loan)
    initial = {
        "supporting": found.supporting.code,
        "supported": found.supported.code,
        "area": found.area,
        "form": found.form,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "days": found.days,
        "expected_outcomes": found.expected_outcomes,
        "status": found.status,
        "achieved_outcomes": found.achieved_outcomes,
        "loan": str(found.loan_id or ""),
    }
    form = AgreementForm(request.POST or None, initial=initial, councils=councils, loans=loans, new=False)
    save = partial(support.update_agreement, user=request.user, agreement=found)
    return _save_agreement(request, form, save, agreement=found)


@login_required
def alliance_support(request, slug):
    alliance = selectors.alliance(slug)
    support.require_alliance_reader(request.user, alliance)
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
    year = year if year and support.YEARS[0] <= year <= support.YEARS[1] else support_year(today)
    members = selectors.members(alliance)
    use = support.capacity_use(members, [year])
    rows = [
        {"authority": a, "use": use[a.pk][0]}
        for a in members
        if use[a.pk][0].capacity is not None or use[a.pk][0].agreed
    ]
    return render(
        request,
        "alliances/support/alliance.html",
        {
            "alliance": alliance,
            "year": year,
            "year_label": support.year_label(year),
            "rows": rows,
            "agreements": support.alliance_agreements(request.user, alliance),
            "other_years": (year - 1, year + 1),
        },
    )

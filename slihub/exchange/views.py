"""The exchange's pages: thin views over selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from slihub.accounts.models import scope_of
from slihub.exchange import flowmap, forms, runs, selectors, services, wording
from slihub.exchange.models import AvailabilityWindow, HelpRequest, Loan, MatchRun
from slihub.places import maps
from slihub.places.models import Authority
from slihub.places.selectors import authority as authority_by_code
from slihub.stats import charts


def _back(href, label="Back"):
    return {"back_href": href, "back_label": label}


def _apply(form, error: ValidationError, fields: dict | None = None) -> None:
    """A service's ValidationError onto the form, each message on its field where there is one."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = fields.get(name, name)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _staff_councils(scope):
    """The councils a national admin or coordinator can open from the exchange's home page."""
    if not (scope.national or scope.coordinates):
        return Authority.objects.none()
    councils = Authority.objects.filter(is_current=True).order_by("name")
    return councils if scope.national else councils.filter(region__in=scope.coordinates)


@login_required
def home(request):
    scope = scope_of(request.user)
    councils = list(Authority.objects.filter(id__in=scope.member_of).order_by("name"))
    for council in councils:
        council.asked = list(selectors.asked_of(request.user, council))
    return render(
        request,
        "exchange/home.html",
        {
            "councils": councils,
            "manage_ids": scope.admin_of,
            "staff": scope.national or bool(scope.coordinates),
            "staff_councils": _staff_councils(scope).only("code", "name"),
            **selectors.at_a_glance(request.user),
        },
    )


@login_required
def bank_pick(request):
    """The home page's council picker (a GET form) leads to that council's bank."""
    code = request.GET.get("council", "").strip()
    if not code:
        return HttpResponseBadRequest("Choose a council.", content_type="text/plain; charset=utf-8")
    return redirect("exchange-bank", code=authority_by_code(code).code)


@login_required
def bank(request, code):
    authority = authority_by_code(code)
    specialists = selectors.bank_for(request.user, authority)
    return render(
        request,
        "exchange/bank.html",
        {
            "authority": authority,
            "specialists": specialists,
            "can_manage": scope_of(request.user).can_manage(authority),
            "can_ask": services.can_ask_for_help(request.user, authority),
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
    )


@login_required
def specialist_add(request, code):
    authority = authority_by_code(code)
    services.require_manage(request.user, authority, "change its specialist bank")
    form = forms.SpecialistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        window = (data.pop("available_from"), data.pop("available_to"))
        try:
            specialist = services.add_specialist(
                user=request.user, authority=authority, windows=[window], **data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"{specialist.name} was added to {authority.name}'s bank.")
            return redirect("exchange-bank", code=authority.code)
    return render(
        request,
        "exchange/form.html",
        {
            "form": form,
            "authority": authority,
            "heading": "Add a specialist",
            "submit": "Add specialist",
            **_back(reverse("exchange-bank", args=[authority.code]), "Back to the bank"),
        },
    )


def _specialist_page(request, specialist, *, window_form=None, status=200):
    manages = scope_of(request.user).can_manage(specialist.authority)
    window_form = window_form or forms.WindowForm(prefix="window")
    back = (
        _back(reverse("exchange-bank", args=[specialist.authority.code]), "Back to the bank")
        if manages
        else _back(reverse("exchange-specialists"))
    )
    context = {
        "p": selectors.profile(request.user, specialist),
        "specialist": specialist,
        "can_manage": manages,
        "form": window_form,  # the error summary's form
        "window_form": window_form,
        "window_action": reverse("exchange-window-add", args=[specialist.pk]),
        **back,
    }
    if manages:
        context["windows"] = list(specialist.windows.all())
        context["running"] = list(services.running_loans(specialist))
    return render(request, "exchange/specialist.html", context, status=status)


@login_required
def specialist_detail(request, pk):
    return _specialist_page(request, selectors.specialist(request.user, pk))


def _managed_specialist(request, pk):
    """A specialist the user may see (else 404) and manage (else 403 saying who can)."""
    specialist = selectors.specialist(request.user, pk)
    services.require_manage(request.user, specialist.authority, "change its specialist bank")
    return specialist


@login_required
def specialist_change(request, pk):
    specialist = _managed_specialist(request, pk)
    form = forms.SpecialistDetailsForm(
        request.POST or None, initial=forms.SpecialistDetailsForm.initial_of(specialist)
    )
    if request.method == "POST" and form.is_valid():
        try:
            specialist = services.update_specialist(
                user=request.user, specialist=specialist, **form.cleaned_data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"{specialist.name}'s details were changed.")
            return redirect("exchange-specialist", pk=specialist.pk)
    return render(
        request,
        "exchange/form.html",
        {
            "form": form,
            "authority": specialist.authority,
            "heading": f"Change {specialist.name}'s details",
            "submit": "Save changes",
            **_back(reverse("exchange-specialist", args=[specialist.pk]), f"Back to {specialist.name}"),
        },
    )


@login_required
@require_POST
def window_add(request, pk):
    specialist = _managed_specialist(request, pk)
    form = forms.WindowForm(request.POST, prefix="window")
    if form.is_valid():
        try:
            window = services.add_window(user=request.user, specialist=specialist, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            when = f"{date_format(window.start)} to {date_format(window.end)}"
            messages.success(request, f"{specialist.name} is available from {when}.")
            return redirect("exchange-specialist", pk=specialist.pk)
    return _specialist_page(request, specialist, window_form=form, status=400)


@login_required
@require_POST
def window_remove(request, pk, window_id):
    specialist = _managed_specialist(request, pk)
    window = get_object_or_404(AvailabilityWindow, pk=window_id, specialist=specialist)
    services.remove_window(user=request.user, window=window)
    messages.success(
        request,
        f"The availability from {date_format(window.start)} to {date_format(window.end)} was removed.",
    )
    return redirect("exchange-specialist", pk=specialist.pk)


@login_required
def specialist_withdraw(request, pk):
    """A page that says what withdrawing does (or why it cannot be done now), then does it."""
    specialist = _managed_specialist(request, pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            declined = services.withdraw_specialist(user=request.user, specialist=specialist)
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 409
        else:
            done = f"{specialist.name} was withdrawn from {specialist.authority.name}'s bank."
            if declined:
                plural = "s were" if len(declined) != 1 else " was"
                done += f" {len(declined)} proposal{plural} awaiting an answer, now declined."
            messages.success(request, done)
            return redirect("exchange-bank", code=specialist.authority.code)
    running = list(services.running_loans(specialist))
    return render(
        request,
        "exchange/withdraw.html",
        {
            "specialist": specialist,
            "running": running,
            "refusal": services.withdrawal_refusal(specialist, running) if running else "",
            "pending": list(services.pending_proposals(specialist).select_related("borrower")),
            "error": error,
            **_back(reverse("exchange-specialist", args=[specialist.pk]), f"Back to {specialist.name}"),
        },
        status=status,
    )


@login_required
@require_POST
def specialist_reinstate(request, pk):
    specialist = _managed_specialist(request, pk)
    try:
        services.reinstate_specialist(user=request.user, specialist=specialist)
    except ValidationError as refused:
        return HttpResponseBadRequest(" ".join(refused.messages), content_type="text/plain; charset=utf-8")
    messages.success(request, f"{specialist.name} is back in {specialist.authority.name}'s bank.")
    return redirect("exchange-specialist", pk=specialist.pk)


@login_required
def specialist_list(request):
    profiles = [selectors.profile(request.user, s) for s in selectors.listed_specialists(request.user)]
    return render(
        request, "exchange/specialists.html", {"profiles": profiles, **_back(reverse("exchange-home"))}
    )


@login_required
def request_list(request):
    return render(
        request,
        "exchange/requests.html",
        {"help_requests": list(selectors.help_requests(request.user)), **_back(reverse("exchange-home"))},
    )


@login_required
def request_add(request, code):
    authority = authority_by_code(code)
    if not services.can_ask_for_help(request.user, authority):
        raise PermissionDenied(services.ask_for_help_refusal(authority))
    # Links (from early warning, say) may fill the form in: see forms.prefill.
    initial = forms.prefill(request.GET) if request.method == "GET" else {}
    form = forms.HelpRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.create_help_request(
                user=request.user, authority=authority, **form.cleaned_data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"{authority.name}'s request for help was published.")
            return redirect("exchange-request", pk=help_request.pk)
    return render(
        request,
        "exchange/form.html",
        {
            "form": form,
            "authority": authority,
            "heading": "Ask for help",
            "intro": "A loan lasts at most six months, extensions included.",
            "on_behalf": authority.id not in scope_of(request.user).admin_of,
            "submit": "Ask for help",
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
    )


def _request_page(request, help_request, *, offer_form=None, status=200):
    offerable = selectors.offerable_specialists(request.user, help_request)
    if offer_form is None and offerable and help_request.status == HelpRequest.Status.OPEN:
        offer_form = forms.OfferForm(prefix="offer", specialists=offerable)
    return render(
        request,
        "exchange/request.html",
        {
            "r": help_request,
            "raised_by": selectors.raised_by(request.user, help_request),
            "loans": selectors.loans(request.user).filter(request=help_request),
            "offer_form": offer_form,
            **_back(reverse("exchange-requests"), "Back to help requests"),
        },
        status=status,
    )


@login_required
def request_detail(request, pk):
    return _request_page(request, selectors.help_request(request.user, pk))


@login_required
@require_POST
def request_offer(request, pk):
    help_request = selectors.help_request(request.user, pk)
    offerable = selectors.offerable_specialists(request.user, help_request)
    if not offerable:
        raise PermissionDenied("Only another council's admins, with specialists in its bank, can offer.")
    form = forms.OfferForm(request.POST, prefix="offer", specialists=offerable)
    if form.is_valid():
        specialist = next(s for s in offerable if s.pk == form.cleaned_data["specialist"])
        try:
            loan = services.offer_specialist(user=request.user, request=help_request, specialist=specialist)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                f"You offered {specialist.name} to {help_request.authority.name}. "
                f"Loan {loan.reference} now needs {help_request.authority.name}'s acceptance.",
            )
            return redirect("exchange-loan", pk=loan.pk)
    return _request_page(request, help_request, offer_form=form, status=400)


@login_required
def loan_list(request):
    return render(
        request,
        "exchange/loans.html",
        {"loans": list(selectors.loans(request.user)), **_back(reverse("exchange-home"))},
    )


def _loan_page(request, loan, *, error="", status=200, **bound):
    scope = scope_of(request.user)
    answerable = loan.status == Loan.Status.PROPOSED
    is_admin_side = loan.lender_id in scope.admin_of or loan.borrower_id in scope.admin_of
    running = loan.status in (Loan.Status.ACCEPTED, Loan.Status.ACTIVE)
    manages = scope.can_manage(loan.lender) or scope.can_manage(loan.borrower)
    page_forms = {
        "decline_form": bound.get("decline_form") or forms.DeclineForm(prefix="decline"),
        "delivery_form": bound.get("delivery_form") or forms.DeliveryForm(prefix="delivery"),
        "backfill_form": bound.get("backfill_form") or forms.BackfillForm(prefix="backfill"),
        "end_form": bound.get("end_form") or forms.EndLoanForm(prefix="end"),
        "extend_form": bound.get("extend_form") or forms.ExtendLoanForm(prefix="extend"),
    }
    context = {
        "loan": loan,
        "personal": selectors.shows_personal_details(request.user, loan.specialist),
        # A loan proposed by matching says why, in words; one offered by a council has no score.
        "proposal": wording.proposal(request.user, loan) if loan.components else None,
        "delivered": services.delivered_days(loan),
        "backfills": selectors.backfills(request.user, loan),
        "can_answer": answerable and is_admin_side,
        "can_deliver": running and manages,
        "can_backfill": loan.is_agreed and scope.can_manage(loan.lender),
        "can_extend": running and loan.borrower_id in scope.admin_of,
        "extend_action": reverse("exchange-loan-extend", args=[loan.pk]),
        "decline_action": reverse("exchange-loan-decline", args=[loan.pk]),
        "delivery_action": reverse("exchange-loan-deliver", args=[loan.pk]),
        "backfill_action": reverse("exchange-loan-backfill", args=[loan.pk]),
        "end_action": reverse("exchange-loan-end", args=[loan.pk]),
        "forms_with_errors": [f for f in page_forms.values() if f.errors],
        "form_errors": bool(error) or any(f.errors for f in page_forms.values()),
        "error": error,
        **page_forms,
        **_back(reverse("exchange-loans"), "Back to loans"),
    }
    return render(request, "exchange/loan.html", context, status=status)


@login_required
def loan_detail(request, pk):
    return _loan_page(request, selectors.loan(request.user, pk))


@login_required
@require_POST
def loan_accept(request, pk):
    loan = selectors.loan(request.user, pk)
    try:
        loan = services.accept_loan(user=request.user, loan=loan)
    except ValidationError as error:
        return _loan_page(request, loan, error=" ".join(error.messages), status=409)
    if loan.status == Loan.Status.ACCEPTED:
        messages.success(request, f"Loan {loan.reference} is agreed by both councils.")
    else:
        messages.success(request, f"You accepted loan {loan.reference}. It now needs the other council.")
    return redirect("exchange-loan", pk=loan.pk)


def _loan_action(request, pk, form_class, prefix, key, action, success, fields=None):
    loan = selectors.loan(request.user, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(loan, form.cleaned_data)
        except ValidationError as error:
            _apply(form, error, fields)
        else:
            messages.success(request, success)
            return redirect("exchange-loan", pk=loan.pk)
    return _loan_page(request, loan, status=400, **{key: form})


@login_required
@require_POST
def loan_decline(request, pk):
    return _loan_action(
        request,
        pk,
        forms.DeclineForm,
        "decline",
        "decline_form",
        lambda loan, data: services.decline_loan(user=request.user, loan=loan, **data),
        "The loan was declined. The next matching run will not propose this pair again.",
    )


@login_required
@require_POST
def loan_deliver(request, pk):
    return _loan_action(
        request,
        pk,
        forms.DeliveryForm,
        "delivery",
        "delivery_form",
        lambda loan, data: services.record_delivery(user=request.user, loan=loan, **data),
        "The days delivered were recorded in the ledger.",
    )


@login_required
@require_POST
def loan_backfill(request, pk):
    return _loan_action(
        request,
        pk,
        forms.BackfillForm,
        "backfill",
        "backfill_form",
        lambda loan, data: services.record_backfill(user=request.user, loan=loan, **data),
        "The backfill was recorded.",
    )


@login_required
@require_POST
def loan_end(request, pk):
    return _loan_action(
        request,
        pk,
        forms.EndLoanForm,
        "end",
        "end_form",
        lambda loan, data: services.end_loan(
            user=request.user,
            loan=loan,
            on=data["last_day"],
            feedback=data["feedback"],
            outcome_notes=data["outcome_notes"],
        ),
        "The loan was ended.",
        fields={"on": "last_day"},
    )


@login_required
@require_POST
def loan_extend(request, pk):
    return _loan_action(
        request,
        pk,
        forms.ExtendLoanForm,
        "extend",
        "extend_form",
        lambda loan, data: services.extend_loan(user=request.user, loan=loan, end=data["new_end"]),
        "The loan was extended.",
        fields={"end": "new_end"},
    )


@login_required
def matching(request):
    recent = selectors.latest_runs(request.user)  # PermissionDenied for those who may not run it
    if request.method == "POST":
        run, result = runs.run_matching(user=request.user)
        proposed = len(result.assignments)
        loans = "1 loan" if proposed == 1 else f"{proposed} loans"
        messages.success(request, f"Matching run {run.pk} proposed {loans}.")
        return redirect("exchange-matching")
    run: MatchRun | None = recent.first()
    return render(
        request,
        "exchange/matching.html",
        {
            "run": run,
            "proposals": [
                wording.proposal(request.user, loan)
                for loan in selectors.proposals(request.user, run).prefetch_related("specialist__windows")
            ]
            if run
            else [],
            "unmatched": wording.unmatched(request.user, run) if run else [],
            **_back(reverse("exchange-home")),
        },
    )


def _ledger_page(request, authority, *, redeem_form=None, status=200):
    statement = selectors.statement(request.user, authority)
    redeem_form = redeem_form or forms.RedeemForm(prefix="redeem")
    return render(
        request,
        "exchange/ledger.html",
        {
            "s": statement,
            "soft_limit": selectors.SOFT_LIMIT_DAYS,
            "can_redeem": scope_of(request.user).can_manage(authority),
            "form": redeem_form,
            "redeem_form": redeem_form,
            "redeem_action": reverse("exchange-ledger-redeem", args=[authority.code]),
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
        status=status,
    )


@login_required
def ledger(request, code):
    return _ledger_page(request, authority_by_code(code))


@login_required
@require_POST
def ledger_redeem(request, code):
    authority = authority_by_code(code)
    services.require_manage(request.user, authority, "redeem its credit")
    form = forms.RedeemForm(request.POST, prefix="redeem")
    if form.is_valid():
        try:
            services.redeem_credit(user=request.user, authority=authority, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            days = services.days_text(form.cleaned_data["days"])
            messages.success(request, f"{days} days of {authority.name}'s credit were redeemed nationally.")
            return redirect("exchange-ledger", code=authority.code)
    return _ledger_page(request, authority, redeem_form=form, status=400)


def _flow_label(flow) -> str:
    loans = f"{flow['loans']} loan{'s' if flow['loans'] != 1 else ''}"
    agreed, delivered = services.days_text(flow["agreed"]), services.days_text(flow["delivered"])
    return (
        f"{flow['lender'].name} to {flow['borrower'].name}: {loans}, "
        f"{agreed} specialist-days agreed, {delivered} delivered"
    )


@login_required
def overview(request):
    o = selectors.overview(request.user)  # PermissionDenied for those who may not see it
    layout = maps.layout()
    flow_map = ""
    if layout is not None and o["flows"]:
        region = ", ".join(r.name for r in o["regions"])
        flow_map = flowmap.render(
            layout,
            [
                flowmap.Flow(f["lender"].code, f["borrower"].code, float(f["agreed"]), _flow_label(f))
                for f in o["flows"]
            ],
            title=f"Map of specialist loans between councils{f' touching {region}' if region else ''}",
            description="Each line runs from the lending council to the borrowing council, with an arrowhead "
            "at the borrower; the wider the line, the more specialist-days agreed. Loans between London "
            "boroughs are drawn in the London inset. The table below gives the same flows.",
            highlight=o["region_codes"],
        )
    return render(
        request,
        "exchange/overview.html",
        {
            "o": o,
            "flow_map": flow_map,
            "legend_widths": flowmap.legend_widths([float(f["agreed"]) for f in o["flows"]]),
            "line_colour": flowmap.LINE,
            "region_fill": flowmap.REGION_FILL,
            **_back(reverse("exchange-home")),
        },
    )


def _percent(value):
    return None if value is None else round(100 * value, 1)


@login_required
def concentration(request):
    reports = selectors.concentration(request.user)  # PermissionDenied for those who may not see it
    for number, report in enumerate(reports):
        quarters = report["quarters"]
        labels = [q.quarter for q in quarters]
        report["rows"] = [
            {"q": q, "top_share": _percent(q.top_share), "gini": None if q.gini is None else round(q.gini, 3)}
            for q in quarters
        ]
        if len(quarters) > 1:
            report["gini_chart"] = charts.sparkline_svg(
                labels,
                [q.gini for q in quarters],
                title=f"Gini index of lending by quarter, {report['area']}",
                texts=["no lending" if q.gini is None else f"{q.gini:.3f}" for q in quarters],
                id_prefix=f"gini-{number}",
                width=240,
                height=48,
            )
            report["share_chart"] = charts.sparkline_svg(
                labels,
                [_percent(q.top_share) for q in quarters],
                title=f"Share of lending by the top 10% of councils by quarter, {report['area']}",
                texts=[
                    "no lending" if q.top_share is None else f"{_percent(q.top_share)}%" for q in quarters
                ],
                id_prefix=f"share-{number}",
                width=240,
                height=48,
            )
    return render(
        request,
        "exchange/concentration.html",
        {"reports": reports, **_back(reverse("exchange-overview"), "Back to exchange flows")},
    )

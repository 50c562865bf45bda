"""The exchange's pages: thin views over selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from slihub.accounts.models import scope_of
from slihub.exchange import forms, runs, selectors, services
from slihub.exchange.models import Loan, MatchRun
from slihub.places.models import Authority
from slihub.places.selectors import authority as authority_by_code


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


@login_required
def home(request):
    scope = scope_of(request.user)
    councils = Authority.objects.filter(id__in=scope.member_of).order_by("name")
    return render(
        request,
        "exchange/home.html",
        {
            "councils": councils,
            "manage_ids": scope.admin_of,
            "staff": scope.national or bool(scope.coordinates),
        },
    )


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
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
    )


@login_required
def specialist_add(request, code):
    authority = authority_by_code(code)
    if not scope_of(request.user).can_manage(authority):
        raise PermissionDenied(f"Only {authority.name}'s council admins can change its specialist bank.")
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


@login_required
def specialist_detail(request, pk):
    specialist = selectors.specialist(request.user, pk)
    return render(
        request,
        "exchange/specialist.html",
        {"p": selectors.profile(request.user, specialist), **_back(reverse("exchange-specialists"))},
    )


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
    if not scope_of(request.user).can_manage(authority):
        raise PermissionDenied(f"Only {authority.name}'s council admins can ask for help on its behalf.")
    form = forms.HelpRequestForm(request.POST or None)
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
            "submit": "Ask for help",
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
    )


@login_required
def request_detail(request, pk):
    help_request = selectors.help_request(request.user, pk)
    return render(
        request,
        "exchange/request.html",
        {
            "r": help_request,
            "loans": selectors.loans(request.user).filter(request=help_request),
            **_back(reverse("exchange-requests"), "Back to help requests"),
        },
    )


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
        messages.success(request, f"Matching run {run.pk} proposed {len(result.assignments)} loan(s).")
        return redirect("exchange-matching")
    run: MatchRun | None = recent.first()
    return render(
        request,
        "exchange/matching.html",
        {
            "run": run,
            "proposals": selectors.proposals(request.user, run) if run else [],
            **_back(reverse("exchange-home")),
        },
    )


@login_required
def ledger(request, code):
    authority = authority_by_code(code)
    return render(
        request,
        "exchange/ledger.html",
        {
            "s": selectors.statement(request.user, authority),
            "soft_limit": selectors.SOFT_LIMIT_DAYS,
            **_back(reverse("exchange-home"), "Back to the exchange"),
        },
    )


@login_required
def overview(request):
    return render(
        request,
        "exchange/overview.html",
        {"o": selectors.overview(request.user), **_back(reverse("exchange-home"))},
    )

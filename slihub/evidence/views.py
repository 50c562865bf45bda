"""The evidence library's pages: the library with search and filters, a practice, the rules table."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from slihub.accounts.models import Membership, scope_of
from slihub.evidence import importers, selectors, services
from slihub.evidence.forms import LocalPracticeForm
from slihub.evidence.models import AGE_GROUPS, THEMES, LocalPractice, Outcome, PeerValidation, Practice
from slihub.places.models import Authority
from slihub.places.page_cache import cache_published
from slihub.places.releases import EVIDENCE
from slihub.stats import evidence_rating as er
from slihub.stats import plots

PER_PAGE = 50
LOCAL_SHOWN = 10
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MEASURE_AXIS = {
    "SMD": "Standardised mean difference",
    "MD": "Mean difference",
    "OR": "Log odds ratio",
    "RR": "Log risk ratio",
}


@cache_published(
    datasets=[EVIDENCE],
    params=["q", "theme", "outcome", "age", "certainty", "cost_rating", "recommendation", "page"],
)
def library(request):
    filters = selectors.Filters.from_query(request.GET)
    paginator = Paginator(selectors.practices(filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Local practice has themes but no pooled outcome, certainty, cost band or age group to filter on.
    local = []
    if filters.q and filters == selectors.Filters(q=filters.q, theme=filters.theme):
        local = selectors.local_practices(request.user, q=filters.q, theme=filters.theme)
    return render(
        request,
        "evidence/library.html",
        {
            "practices": page.object_list,
            "page": page,
            "count": paginator.count,
            "query": query.urlencode(),
            "max_results": selectors.MAX_RESULTS,
            "local": local[:LOCAL_SHOWN],
            "local_count": len(local),
            "filters": filters,
            "themes": THEMES,
            "ages": AGE_GROUPS,
            "outcomes": Outcome.objects.filter(syntheses__isnull=False).distinct().order_by("name"),
            "certainties": list(reversed(er.CERTAINTY_LEVELS)),
            "recommendations": selectors.RECOMMENDATIONS,
            "cost_bands": er.COST_BANDS,
            "filtered": any(
                [filters.theme, filters.outcome, filters.age, filters.certainty, filters.recommendation]
            )
            or filters.cost_rating is not None,
        },
    )


def _cohort(request, synthesis) -> dict | None:
    """The council's cohort calculation for a ratio outcome, from ?cohort=&unit_cost=&baseline= (percent)."""
    if synthesis.measure not in er.RATIO_MEASURES:
        return None
    raw = {name: request.GET.get(name, "").strip() for name in ("cohort", "unit_cost", "baseline")}
    form = {"values": raw, "errors": {}, "result": None}
    if not any(raw.values()):
        return form
    try:
        cohort = int(raw["cohort"])
    except ValueError:
        form["errors"]["cohort"] = "Enter the number of children as a whole number, like 120"
    try:
        unit_cost = float(raw["unit_cost"].replace(",", "").lstrip("£"))
        if not math.isfinite(unit_cost):
            raise ValueError
    except ValueError:
        form["errors"]["unit_cost"] = "Enter the cost per child in pounds, like 850"
    try:
        baseline = float(raw["baseline"].rstrip("%")) / 100
        if not math.isfinite(baseline):
            raise ValueError
    except ValueError:
        form["errors"]["baseline"] = "Enter the baseline rate as a percentage, like 30"
    if form["errors"]:
        return form
    ratio = math.exp(synthesis.estimate)
    kind = "odds_ratio" if synthesis.measure == "OR" else "risk_ratio"
    try:
        form["result"] = er.cohort_cost(
            cohort=cohort,
            unit_cost=unit_cost,
            baseline_rate=baseline,
            higher_is_better=synthesis.outcome.higher_is_better,
            **{kind: ratio},
        )
    except ValueError as error:
        form["errors"]["cohort"] = str(error).capitalize()
    return form


@cache_published(datasets=[EVIDENCE], params=["cohort", "unit_cost", "baseline", "page"])
def practice_detail(request, slug):
    practice = selectors.practice(slug)
    studies = list(practice.studies.all())
    pooled = []
    for synthesis in practice.syntheses.all():
        included = [
            (study, effect)
            for study in studies
            for effect in study.effects.all()
            if effect.outcome_id == synthesis.outcome_id
            and effect.measure == synthesis.measure
            and effect.poolable
        ]
        labels = [study.citation for study, _ in included]
        yi = [effect.yi for _, effect in included]
        vi = [effect.vi for _, effect in included]
        result = SimpleNamespace(
            estimate=synthesis.estimate,
            ci_lb=synthesis.ci_lb,
            ci_ub=synthesis.ci_ub,
            tau2=synthesis.tau2,
            I2=synthesis.i2,
            method="REML",
            level=95.0,
        )
        prefix = f"forest-{synthesis.outcome.slug}"
        pooled.append(
            {
                "synthesis": synthesis,
                "svg": plots.forest_svg(
                    labels,
                    yi,
                    vi,
                    result,
                    title=f"Forest plot: {practice.name}, {synthesis.outcome.name}",
                    xlabel=MEASURE_AXIS.get(synthesis.measure, "Effect size"),
                    id_prefix=prefix,
                ),
                "rows": plots.forest_rows(labels, yi, vi, result),
                "ratio": synthesis.measure in er.RATIO_MEASURES,
                "figures": _figures(synthesis),
                "rule": er.RULES_BY_CODE.get(synthesis.rule),
                "cohort": _cohort(request, synthesis),
                "caption_id": f"{prefix}-table",
            }
        )
    return render(
        request,
        "evidence/practice_detail.html",
        {
            "practice": practice,
            "studies": studies,
            "pooled": pooled,
            "cost": _cost(practice),
            "eif": _eif(practice.eif_rating),
            "rob_not_assessed": sum(1 for study in studies if not study.risk_of_bias),
        },
    )


SOURCE_NAMES = {
    "eif": "The EIF Guidebook",
    "eef": "The EEF Toolkit",
    "wwcsc": "The published evaluation",
    "meta": "",
}


def _cost(practice) -> dict:
    """What the page says about cost: only what the source gives, and plainly when it gives nothing."""
    per_child, band = "", ""
    if practice.cost_per_child is not None:
        year = (
            f" at {practice.cost_year} prices" if practice.cost_year else " (the source gives no price year)"
        )
        per_child = f"£{practice.cost_per_child:,.0f} per child{year}"
    elif practice.cost_statement:
        per_child = f"{practice.cost_statement}, as the source states it: a limit rather than a single figure"
    if practice.cost_rating and practice.source == "eef":
        _, word, meaning = er.EEF_COST_CATEGORIES[practice.cost_rating - 1]
        band = f"the EEF's “{word}” cost category ({meaning}, as the EEF's older toolkit defined it)"
    elif practice.cost_rating:
        band = dict(er.COST_BANDS)[practice.cost_rating]
    name = SOURCE_NAMES.get(practice.source, "")
    if per_child:
        missing = ""
    elif practice.cost_rating:
        missing = f"Not given. {name or 'The source'} gives a cost band, not a cost per child."
    else:
        missing = f"Not given. {name or 'The source'} gives no cost for this practice."
    return {"per_child": per_child, "band": band, "missing": missing}


def _num(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212") if f"{x:.2f}" != "-0.00" else "0.00"


def _figures(synthesis) -> dict:
    """The pooled effect, CI and PI as text, on the ratio scale for OR and RR."""
    values = (synthesis.estimate, synthesis.ci_lb, synthesis.ci_ub, synthesis.pi_lb, synthesis.pi_ub)
    if synthesis.measure in er.RATIO_MEASURES:
        est, lb, ub, plb, pub = (math.exp(v) for v in values)
        name = "Odds ratio" if synthesis.measure == "OR" else "Risk ratio"
    else:
        est, lb, ub, plb, pub = values
        name = MEASURE_AXIS.get(synthesis.measure, "Effect size")
    return {
        "name": name,
        "estimate": _num(est),
        "ci": f"{_num(lb)} to {_num(ub)}",
        "pi": f"{_num(plb)} to {_num(pub)}",
    }


def _eif(label: str):
    try:
        return er.parse_eif_rating(label.rstrip("*"), mixed=label.endswith("*"))
    except ValueError:
        return None


@cache_published(datasets=[EVIDENCE])
def rules(request):
    return render(
        request,
        "evidence/rules.html",
        {
            "thresholds": [(name, value, text) for name, (value, text) in er.THRESHOLDS.items()],
            "rules": er.RECOMMENDATION_RULES,
            "months": er.MONTHS_OF_PROGRESS,
            "months_max": er.MONTHS_MAX,
            "cost_bands": er.COST_BANDS,
            "eif_levels": er.EIF_LEVELS.items(),
            "padlocks": er.PADLOCK_RULES,
            "designs": er.DESIGNS.items(),
            "eef_cost_categories": er.EEF_COST_CATEGORIES,
            "local_criteria": services.VALIDATION_CRITERIA,
        },
    )


def _uploader(request):
    """The authority a signed-in council member uploads for (None for a national admin); 403 otherwise."""
    scope = scope_of(request.user)
    if scope.member_of:
        return Authority.objects.filter(pk__in=scope.member_of).order_by("name").first()
    if scope.national:
        return None
    raise PermissionDenied("Only council members and national admins can upload studies.")


@login_required
def upload_template(request):
    _uploader(request)
    response = HttpResponse(importers.upload_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="slihub-studies-template.csv"'
    return response


@login_required
def upload_studies(request):
    authority = _uploader(request)
    context = {"columns": importers.UPLOAD_COLUMNS, "authority": authority}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["form_error"] = "Choose a CSV file to upload"
        elif upload.size > MAX_UPLOAD_BYTES:
            context["form_error"] = "The file must be smaller than 2 MB"
        else:
            with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                result = services.upload_studies(path=Path(handle.name), authority=authority)
            if result.errors:
                context["row_errors"] = [
                    {"line": e.line, "column": e.column, "message": e.message} for e in result.errors
                ]
                context["file_name"] = upload.name
            else:
                context["result"] = result
                context["result_practices"] = Practice.objects.filter(slug__in=result.practices)
        status = 400 if "form_error" in context or "row_errors" in context else 200
        return render(request, "evidence/upload.html", context, status=status)
    return render(request, "evidence/upload.html", context)


# ---------------------------------------------------------------------------------------------
# Local practice


def local_practice_list(request):
    scope = scope_of(request.user)
    return render(
        request,
        "evidence/local_list.html",
        {"lists": selectors.local_practice_lists(request.user), "can_submit": bool(scope.member_of)},
    )


def _local_or_login(request, pk):
    """The practice, or a redirect to sign in for a visitor who might be allowed to see it (PermissionDenied
    for a signed-in user who may not, Http404 when there is none)."""
    try:
        return selectors.local_practice(request.user, pk), None
    except PermissionDenied:
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise


def local_practice_detail(request, pk):
    practice, login = _local_or_login(request, pk)
    if login:
        return login
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    values, error = {}, None
    if request.method == "POST":
        values = {"decision": request.POST.get("decision", ""), "comment": request.POST.get("comment", "")}
        try:
            services.validate_local_practice(
                user=request.user,
                local_practice=practice,
                decision=values["decision"],
                comment=values["comment"][:5000],
            )
            return redirect(practice.get_absolute_url())
        except services.LocalPracticeError as refused:
            error = str(refused)
    return _local_detail_page(request, practice, values=values, error=error)


def _local_detail_page(request, practice, *, values=None, error=None):
    validations, events = selectors.local_workflow(practice)
    assignment = services.assignment_for(request.user, practice)
    refused = services.refusal(request.user, practice) if request.user.is_authenticated else None
    return render(
        request,
        "evidence/local_detail.html",
        {
            "practice": practice,
            "validations": validations,
            "events": events,
            "show_people": selectors.can_see_people(request.user, practice),
            "assignment": assignment,
            "may_decide": refused is None,
            # shown to council members of the submitting council, who cannot be validators
            "own_council": practice.authority_id in scope_of(request.user).member_of,
            "can_assign": services.awaits_validators(practice)
            and services.can_assign(request.user, practice),
            "can_release": practice.status == LocalPractice.Status.IN_REVIEW
            and services.can_assign(request.user, practice),
            "decisions": PeerValidation.Decision.choices,
            "values": values or {},
            "error": error,
            "error_field": _error_field(error),
            "needed": services.VALIDATIONS_NEEDED,
        },
        status=400 if error else 200,
    )


def _error_field(error: str | None) -> str:
    """Where the error summary's link goes: the field at fault, else the validation section."""
    if not error:
        return ""
    if "reasons" in error:
        return "comment"
    return "decision" if error.startswith("Choose") else "validation"


@login_required
def local_practice_assign(request, pk):
    practice = selectors.local_practice(request.user, pk)
    if not services.can_assign(request.user, practice):
        raise PermissionDenied(
            "Only a national admin or the region's alliance coordinator can assign validators."
        )
    if not services.awaits_validators(practice):
        return redirect(practice.get_absolute_url())
    slots = services.open_slots(practice)
    eligible = list(services.eligible_validators(practice))
    by_pk = {str(m.pk): m for m in eligible}
    fields = [f"validator_{i}" for i in range(1, slots + 1)]
    values = {name: "" for name in fields}
    errors = {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in fields}
        chosen = []
        for number, name in enumerate(fields, 1):
            if not values[name]:
                errors[name] = f"Choose the {ORDINALS[number]} validator"
                continue
            # One not offered is still looked up, so that the service refuses it with its reason.
            wanted = values[name]
            membership = by_pk.get(wanted) or (
                Membership.objects.select_related("user", "authority").filter(pk=int(wanted)).first()
                if wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
                else None
            )
            if membership is None:
                errors[name] = f"Choose the {ORDINALS[number]} validator from the list"
            chosen.append(membership)
        if not errors:
            try:
                services.assign_validators(user=request.user, local_practice=practice, memberships=chosen)
                return redirect(practice.get_absolute_url())
            except services.LocalPracticeError as refused:
                errors[fields[0]] = str(refused)
    return render(
        request,
        "evidence/local_assign.html",
        {
            "practice": practice,
            "fields": [
                (name, ORDINALS[i].capitalize(), values[name], errors.get(name))
                for i, name in enumerate(fields, 1)
            ],
            "eligible": eligible,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


ORDINALS = {1: "first", 2: "second"}


@login_required
@require_POST
def local_practice_release(request, pk, validation_id):
    practice = selectors.local_practice(request.user, pk)
    validation = get_object_or_404(PeerValidation, pk=validation_id, local_practice=practice)
    try:
        services.release_validator(user=request.user, local_practice=practice, validation=validation)
    except services.LocalPracticeError as refused:
        return _local_detail_page(request, practice, error=str(refused))
    messages.success(
        request, f"The validator from {validation.validator_authority.name} is released: assign another."
    )
    return redirect(practice.get_absolute_url())


@login_required
def local_practice_submit(request):
    scope = scope_of(request.user)
    authorities = list(Authority.objects.filter(pk__in=scope.member_of).order_by("name"))
    if not authorities:
        raise PermissionDenied("Only council members can submit local practice.")
    form = LocalPracticeForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        practice = services.submit_local_practice(user=request.user, **form.cleaned())
        return redirect(practice.get_absolute_url())
    return render(
        request,
        "evidence/local_submit.html",
        {"authorities": authorities, "values": form.values, "errors": form.errors, "themes": THEMES},
        status=400 if form.errors else 200,
    )

"""The evidence library's pages: the library with search and filters, a practice, the rules table."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from slihub.accounts.models import scope_of
from slihub.evidence import importers, selectors, services
from slihub.evidence.models import AGE_GROUPS, THEMES, LocalPractice, Outcome, PeerValidation, Practice
from slihub.places.models import Authority
from slihub.stats import evidence_rating as er
from slihub.stats import plots

PER_PAGE = 50
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MEASURE_AXIS = {
    "SMD": "Standardised mean difference",
    "MD": "Mean difference",
    "OR": "Log odds ratio",
    "RR": "Log risk ratio",
}


def library(request):
    filters = selectors.Filters.from_query(request.GET)
    paginator = Paginator(selectors.practices(filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/library.html",
        {
            "practices": page.object_list,
            "page": page,
            "count": paginator.count,
            "query": query.urlencode(),
            "max_results": selectors.MAX_RESULTS,
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
            "cost_band": dict(er.COST_BANDS).get(practice.cost_rating),
            "eif": _eif(practice.eif_rating),
        },
    )


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
    visible = LocalPractice.objects.visible_to(request.user).select_related("authority")
    scope = scope_of(request.user)
    return render(
        request,
        "evidence/local_list.html",
        {
            "published": visible.filter(status=LocalPractice.Status.VALIDATED),
            "awaiting": visible.filter(status=LocalPractice.Status.SUBMITTED) if scope.member_of else [],
            "can_submit": bool(scope.member_of),
        },
    )


def _local(request, pk):
    found = LocalPractice.objects.visible_to(request.user).filter(pk=pk).select_related("authority").first()
    if found is None:
        if not request.user.is_authenticated and LocalPractice.objects.filter(pk=pk).exists():
            return None  # sign in first
        raise Http404("No such local practice.")
    return found


def local_practice_detail(request, pk):
    practice = _local(request, pk)
    if practice is None:
        return redirect_to_login(request.get_full_path())
    context = {
        "practice": practice,
        "validations": practice.validations.select_related("validator_authority"),
        "validator_for": services.validator_authority(request.user, practice)
        if request.user.is_authenticated
        else None,
        "decisions": PeerValidation.Decision.choices,
        "values": {},
    }
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        decision, comment = request.POST.get("decision", ""), request.POST.get("comment", "")
        try:
            services.validate_local_practice(
                user=request.user, local_practice=practice, decision=decision, comment=comment
            )
        except services.LocalPracticeError as error:
            context.update(error=str(error), values={"decision": decision, "comment": comment})
            return render(request, "evidence/local_detail.html", context, status=400)
        return redirect(practice.get_absolute_url())
    return render(request, "evidence/local_detail.html", context)


@login_required
def local_practice_submit(request):
    scope = scope_of(request.user)
    authorities = list(Authority.objects.filter(pk__in=scope.member_of).order_by("name"))
    if not authorities:
        raise PermissionDenied("Only council members can submit local practice.")
    values = {"authority": str(authorities[0].pk), "title": "", "summary": "", "evidence": "", "themes": []}
    errors = {}
    if request.method == "POST":
        values = {
            "authority": request.POST.get("authority", ""),
            "title": request.POST.get("title", "").strip(),
            "summary": request.POST.get("summary", "").strip(),
            "evidence": request.POST.get("evidence", "").strip(),
            "themes": [t for t in request.POST.getlist("themes") if t in dict(THEMES)],
        }
        authority = next((a for a in authorities if str(a.pk) == values["authority"]), None)
        if authority is None:
            errors["authority"] = "Choose your council"
        for name, message, limit in (
            ("title", "Enter a title", 200),
            ("summary", "Describe the practice", 5000),
            ("evidence", "Say what your own data shows", 5000),
        ):
            if not values[name]:
                errors[name] = message
            elif len(values[name]) > limit:
                errors[name] = f"Keep it to {limit} characters or fewer"
        if not errors:
            practice = services.submit_local_practice(
                user=request.user,
                authority=authority,
                title=values["title"],
                summary=values["summary"],
                evidence=values["evidence"],
                themes=values["themes"],
            )
            return redirect(practice.get_absolute_url())
    return render(
        request,
        "evidence/local_submit.html",
        {"authorities": authorities, "values": values, "errors": errors, "themes": THEMES},
        status=400 if errors else 200,
    )

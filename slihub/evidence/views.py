"""The evidence library's pages: the library with search and filters, a practice, the rules table."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from slihub.accounts.models import Membership, scope_of
from slihub.evidence import compare_selectors, decision, selectors, services
from slihub.evidence.forms import LocalPracticeForm
from slihub.evidence.models import AGE_GROUPS, PROBLEMS, THEMES, LocalPractice, Outcome, PeerValidation
from slihub.evidence.synthesis import METHOD_WORDS
from slihub.govuk import number_error
from slihub.places.models import Authority
from slihub.places.page_cache import cache_published
from slihub.places.releases import EVIDENCE
from slihub.stats import evidence_rating as er
from slihub.stats import plots

PER_PAGE = 50
STUDIES_PER_PAGE = 50
#: a forest plot draws at most this many studies (those with the most weight); the table below has all
FOREST_MAX = 40
LOCAL_SHOWN = 10


#: the library's filters, in the order the page shows them: (parameter, legend, hint)
LIBRARY_FILTERS = (
    ("problem", "What problem", "Practices with a study or a pooled result on an outcome of the problem"),
    ("recommendation", "Recommendation", ""),
    ("certainty", "Certainty of evidence", ""),
    (
        "cost_rating",
        "Cost",
        "EIF cost rating bands; an EEF strand's cost category (1 very low to 5 very high)",
    ),
    ("age", "Age group", ""),
    ("theme", "Theme", ""),
)


def _filter_groups(filters) -> list[dict]:
    """The checkbox groups of the library's filters, each with its options and which are chosen."""
    options = {
        "problem": PROBLEMS,
        "recommendation": [(r, r) for r in selectors.TIERS],  # most useful first
        "certainty": [(c, c.capitalize()) for c in reversed(er.CERTAINTY_LEVELS)],
        "cost_rating": [(value, f"{value}: {band}") for value, band in er.COST_BANDS],
        "age": AGE_GROUPS,
        "theme": THEMES,
    }
    groups = []
    for name, legend, hint in LIBRARY_FILTERS:
        chosen = getattr(filters, name)
        items = [
            {"value": value, "label": label, "checked": value in chosen, "id": f"{name}-{i}"}
            for i, (value, label) in enumerate(options[name], 1)
        ]
        groups.append(
            {
                "name": name,
                "legend": legend,
                "hint": hint,
                "items": items,
                "chosen": [i["label"] for i in items if i["checked"]],
            }
        )
    return groups


@cache_published(
    datasets=[EVIDENCE], params=[*(name for name, _, _ in LIBRARY_FILTERS), "q", "outcome", "page"]
)
def library(request):
    filters = selectors.Filters.from_query(request.GET)
    paginator = Paginator(selectors.practices(filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Local practice has themes but no pooled outcome, certainty, cost band or age group to filter on.
    local = []
    if (
        filters.q
        and len(filters.theme) <= 1
        and filters == selectors.Filters(q=filters.q, theme=filters.theme)
    ):
        local = selectors.local_practices(request.user, q=filters.q, theme="".join(filters.theme))
    groups = _filter_groups(filters)
    outcome = Outcome.objects.filter(slug=filters.outcome).first() if filters.outcome else None
    return render(
        request,
        "evidence/library.html",
        {
            "results": selectors.headlines(page.object_list, filters),
            "page": page,
            "count": paginator.count,
            "query": query.urlencode(),
            "max_results": selectors.MAX_RESULTS,
            "local": local[:LOCAL_SHOWN],
            "local_count": len(local),
            "filters": filters,
            "filter_groups": groups,
            "outcome": outcome,
            "chosen": "; ".join(
                [f"{g['legend'].lower()}: {' or '.join(g['chosen'])}" for g in groups if g["chosen"]]
                + ([f"outcome: {outcome.name}"] if outcome else [])
            ),
            "filtered": filters.filtered,
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
    # At most 7 digits of children and a cost below £100 million: a plain number, never one so long that
    # int() refuses it or float() cannot hold it (bad input is an error on the field, never a 500).
    cohort, problem = compare_selectors.cohort_size(raw["cohort"])
    if problem:
        form["errors"]["cohort"] = problem
    try:
        if number_error("Cost per child", raw["unit_cost"].lstrip("£"), invalid="x"):
            raise ValueError
        unit_cost = float(raw["unit_cost"].replace(",", "").lstrip("£"))
        if not math.isfinite(unit_cost) or unit_cost >= 10**8:
            raise ValueError
        if unit_cost < 0:
            form["errors"]["unit_cost"] = "Cost per child must be £0 or more"
    except ValueError:
        form["errors"]["unit_cost"] = "Enter the cost per child in pounds, like 850"
    try:
        baseline = float(raw["baseline"].rstrip("%")) / 100
        if not (math.isfinite(baseline) and 0 < baseline < 1):
            raise ValueError
    except ValueError:
        form["errors"]["baseline"] = "Enter the baseline rate as a percentage between 0 and 100, like 30"
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


def paged(items, number, per_page: int = PER_PAGE):
    """A page of ``items`` with ``elided``: the page numbers to link to (GOV.UK pagination)."""
    page = Paginator(items, per_page).get_page(number)
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def _forest(practice, synthesis) -> dict:
    """The forest plot and its table for one pooled outcome: every study up to FOREST_MAX, else the
    FOREST_MAX that carry the most weight (each with its share of the whole), in the studies' order.
    Ratios are drawn on a log axis and printed as ratios; each side says whom it favours."""
    included = compare_selectors.forest_studies(synthesis)
    labels = [decision.study_label(citation, year) for citation, year, _, _, _ in included]
    yi = [y for _, _, _, y, _ in included]
    vi = [v for _, _, _, _, v in included]
    result = SimpleNamespace(
        estimate=synthesis.estimate,
        ci_lb=synthesis.ci_lb,
        ci_ub=synthesis.ci_ub,
        tau2=synthesis.tau2,
        I2=synthesis.i2,
        method=synthesis.method or "REML",
        level=95.0,
    )
    rows = plots.forest_rows(labels, yi, vi, result)
    rows[-1] = replace(rows[-1], label=decision.pooled_label(synthesis.method))
    chosen = list(range(len(included)))
    if len(included) > FOREST_MAX:
        chosen = sorted(sorted(chosen, key=lambda i: (-rows[i].weight_pct, i))[:FOREST_MAX])
    shown = [rows[i] for i in chosen] + [rows[-1]]
    prefix = f"forest-{synthesis.outcome.slug}"
    favours = decision.favours(practice.name, synthesis.outcome.higher_is_better)
    svg = plots.forest_svg(
        labels,
        yi,
        vi,
        result,
        title=f"Forest plot: {practice.name}, {synthesis.outcome.name}",
        xlabel=decision.axis_label(synthesis.measure) or "Effect size",
        id_prefix=prefix,
        rows=shown,
        ratio=synthesis.measure in er.RATIO_MEASURES,
        favours=favours,
        prediction=(synthesis.pi_lb, synthesis.pi_ub),
    )

    def show(x: float) -> str:
        return decision.shown(x, synthesis.measure)

    table = [
        {
            "label": included[i][0].strip(),
            "year": included[i][1] or "",
            "n": f"{included[i][2]:,}" if included[i][2] else "Not stated",
            "estimate": show(rows[i].estimate),
            "ci": f"{show(rows[i].ci_lb)}\u00a0to\u00a0{show(rows[i].ci_ub)}",
            "weight": f"{rows[i].weight_pct:.1f}%",
        }
        for i in chosen
    ]
    return {
        "svg": svg,
        "rows": shown,
        "table": table,
        "pooled": {
            "label": rows[-1].label,
            "estimate": show(synthesis.estimate),
            "ci": f"{show(synthesis.ci_lb)} to {show(synthesis.ci_ub)}",
            "pi": f"{show(synthesis.pi_lb)} to {show(synthesis.pi_ub)}",
            "n": f"{synthesis.total_n:,}" if synthesis.total_n else "",
        },
        "favours": favours,
        "studies": len(included),
        "capped": len(shown) - 1 < len(included),
        "shown": len(shown) - 1,
        "prefix": prefix,
    }


#: from this many pooled outcomes the page opens with a table of their recommendations
MANY_OUTCOMES = 3

#: details from the sources that say how a figure was read: kept in the data and the API, not on the page
PROVENANCE_DETAILS = {"How the rating was read"}


def _for_whom(practice, places) -> list[tuple[str, str]]:
    """Who the practice was tested with and where, as summary list rows (only what is known)."""
    rows = []
    for label, value in (
        ("Ages tested", practice.age_description),
        ("Age group", ", ".join(practice.age_labels)),
        ("Level of need", practice.level_of_need),
        ("Setting", practice.setting),
        ("Delivery", practice.delivery_model),
    ):
        value = decision.without_asides(value)
        if value:
            rows.append((label, value[:1].upper() + value[1:]))
    known, unknown = places
    if known:
        where = ", ".join(f"{country} ({n} stud{'y' if n == 1 else 'ies'})" for country, n in known)
        rows.append(
            ("Where the studies were run", where + (f"; not stated for {unknown}" if unknown else ""))
        )
    return rows


@cache_published(datasets=[EVIDENCE], params=["cohort", "unit_cost", "baseline", "page"])
def practice_detail(request, slug):
    practice = selectors.practice(slug, with_studies=False)
    studies = paged(selectors.practice_studies(practice), request.GET.get("page"), STUDIES_PER_PAGE)
    pools = compare_selectors.published_pools(practice)
    syntheses = list(practice.syntheses.all())
    others = compare_selectors.compared_counts(s.outcome_id for s in syntheses)
    pooled = []
    for synthesis in syntheses:
        forest = _forest(practice, synthesis)
        verdict = decision.decision(synthesis, cost_rating=practice.cost_rating)
        pooled.append(
            {
                "synthesis": synthesis,
                "decision": verdict,
                "effect": decision.effect(synthesis),
                "certainty_reasons": decision.certainty_reasons(synthesis),
                "certainty_moves": decision.certainty_moves(synthesis),
                "reproduction": decision.reproduction(synthesis, pools.get(synthesis.outcome_id)),
                "svg": forest["svg"],
                "forest": forest,
                "ratio": synthesis.measure in er.RATIO_MEASURES,
                "model": METHOD_WORDS.get(synthesis.method, synthesis.method),
                "rule": er.RULES_BY_CODE.get(verdict.rule),
                "cohort": _cohort(request, synthesis),
                "pk": synthesis.pk,
                "caption_id": f"{forest['prefix']}-table",
                "compare": others.get(synthesis.outcome_id, 0) > 1,
            }
        )
    pooled.sort(
        key=lambda item: (decision.RANK.get(item["decision"].label, 9), item["synthesis"].outcome.name)
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Each cost calculator's errors, for the error summary at the top of the page.
    errors = [
        (f"{name}-{item['pk']}", message)
        for item in pooled
        if item["cohort"]
        for name in ("cohort", "unit_cost", "baseline")
        if (message := item["cohort"]["errors"].get(name))
    ]
    return render(
        request,
        "evidence/practice_detail.html",
        {
            "errors": errors,
            "practice": practice,
            "studies": studies.object_list,
            "page": studies,
            "study_count": studies.paginator.count,
            "query": query.urlencode(),
            "pooled": pooled,
            # three or more outcomes: a table of the recommendations first, each card with its results
            "many": len(pooled) >= MANY_OUTCOMES,
            "no_recommendation": decision.NOT_JUDGED,
            "forest_max": FOREST_MAX,
            "cost": _cost(practice),
            "eif": _eif(practice.eif_rating),
            "for_whom": _for_whom(practice, compare_selectors.countries(practice)),
            "uk_tested": decision.yes_no(practice.uk_tested),
            "uk_available": decision.yes_no(practice.uk_available),
            "details": [
                (label, decision.without_asides(str(value)))
                for label, value in (practice.details or {}).items()
                if label not in PROVENANCE_DETAILS and value
            ],
            "rob_not_assessed": practice.studies.filter(risk_of_bias="").count(),
        },
        status=400 if errors else 200,
    )


#: the columns of a practice's studies as CSV: one row per study and outcome
STUDY_CSV_COLUMNS = (
    "study_key citation year country design maryland n_intervention n_comparison n_total risk_of_bias "
    "url outcome measure yi vi statement"
).split()


def _csv_cell(value) -> str:
    """A cell as text; text that a spreadsheet would run as a formula is kept as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return str(value)


def practice_studies_csv(request, slug):
    """Every study of a practice with its effects, as CSV (the page shows them a page at a time)."""
    practice = selectors.practice(slug, with_studies=False)

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(STUDY_CSV_COLUMNS)
        for study in selectors.practice_studies(practice).iterator(chunk_size=1000):
            effects = list(study.effects.all()) or [None]
            for effect in effects:
                writer.writerow(
                    [
                        _csv_cell(v)
                        for v in (
                            study.key,
                            study.citation,
                            study.year,
                            study.country,
                            study.design,
                            study.maryland,
                            study.n_intervention,
                            study.n_comparison,
                            study.n_total,
                            study.risk_of_bias,
                            study.url,
                            effect.outcome.name if effect else "",
                            effect.measure if effect else "",
                            effect.yi if effect else None,
                            effect.vi if effect else None,
                            effect.statement if effect else "",
                        )
                    ]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{practice.slug}-studies.csv"'
    return response


SOURCE_NAMES = {
    "eif": "The EIF Guidebook",
    "eef": "The EEF Toolkit",
    "wwcsc": "The published evaluation",
    "review": "The published review",
}


def _cost(practice) -> dict:
    """What the page says about cost: only what the source gives, and plainly when it gives nothing."""
    per_child, band, rating = "", "", ""
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
    if band:
        rating = f"Cost rating {practice.cost_rating} of 5: {band}."
    name = SOURCE_NAMES.get(practice.source, "") or "The source"
    if per_child:
        missing = ""
    elif band:
        missing = f"No cost per child published. {name} gives a cost band, not a cost per child."
    else:
        missing = f"No cost per child published. {name} gives no cost for this practice."
    return {
        "per_child": per_child,
        "band": band,
        "rating": rating,
        "missing": missing,
        "source": practice.cost_source,
    }


def _figures(synthesis) -> dict:
    """The pooled effect, CI and PI as text, on the ratio scale for OR and RR (the upload review uses it)."""

    def show(x: float) -> str:
        return decision.shown(x, synthesis.measure)

    return {
        "name": decision.scale_name(synthesis.measure),
        "estimate": show(synthesis.estimate),
        "ci": f"{show(synthesis.ci_lb)} to {show(synthesis.ci_ub)}",
        "pi": f"{show(synthesis.pi_lb)} to {show(synthesis.pi_ub)}",
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
    """The practice, or for a signed-out visitor any id they may not see (unpublished, or none at all) a
    redirect to sign in; for a signed-in user, Http404 alike for both. Either way the answer does not tell
    whether an unpublished practice exists."""
    try:
        return selectors.local_practice(request.user, pk), None
    except Http404:
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

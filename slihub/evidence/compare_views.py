"""Comparing practices on one outcome (or one problem's outcomes): a thin view over compare_selectors."""

from django.shortcuts import render

from slihub.accounts.models import scope_of
from slihub.evidence import compare_selectors
from slihub.places.models import Authority
from slihub.places.page_cache import cache_published
from slihub.places.releases import EVIDENCE


@cache_published(datasets=[EVIDENCE], params=["outcome", "problem", "practice", "cohort", "baseline"])
def compare(request):
    """/evidence/compare/?outcome=<slug> (or ?problem=<key>), practices chosen by ?practice=<slug>: a table
    first; an unknown outcome or problem is a 404 that says so and offers the outcomes there are."""
    outcome = request.GET.get("outcome", "").strip()
    problem = request.GET.get("problem", "").strip()
    # a signed-in council member's figures are named for their council (one council: the first)
    member_of = list(scope_of(request.user).member_of) if request.user.is_authenticated else []
    council = Authority.objects.filter(pk__in=member_of).order_by("name").first() if member_of else None
    context = {"council": council, "default_cohort": compare_selectors.DEFAULT_COHORT}
    if not outcome and not problem:
        return render(request, "evidence/compare.html", context | _choices())
    try:
        comparison = compare_selectors.compare(
            outcome=outcome, problem=problem, practices=request.GET.getlist("practice"), params=request.GET
        )
    except compare_selectors.UnknownChoice as unknown:
        return render(
            request, "evidence/compare.html", context | _choices() | {"error": str(unknown)}, status=404
        )
    status = 400 if comparison.cohort.errors else 200
    return render(request, "evidence/compare.html", context | {"comparison": comparison}, status=status)


def _choices() -> dict:
    return {"outcome_groups": compare_selectors.comparable_outcomes()}

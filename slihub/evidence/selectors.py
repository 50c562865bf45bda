"""Reads of the evidence library (public data: practices and their studies are published to everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from slihub.evidence import search
from slihub.evidence.models import AGE_LABELS, THEME_LABELS, EffectEstimate, Practice, Study, Synthesis
from slihub.stats.evidence_rating import CERTAINTY_LEVELS, CONSIDER, DO_NOT_OFFER, OFFER, ONLY_IN_RESEARCH

RECOMMENDATIONS = (OFFER, CONSIDER, DO_NOT_OFFER, ONLY_IN_RESEARCH)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    theme: str = ""
    outcome: str = ""  # an Outcome slug
    age: str = ""
    certainty: str = ""
    cost_rating: int | None = None
    recommendation: str = ""

    @classmethod
    def from_query(cls, params) -> Filters:
        """Filters from request parameters; unknown values are ignored, never an error."""

        def pick(name, allowed):
            value = params.get(name, "")
            return value if value in allowed else ""

        cost = pick("cost_rating", {"1", "2", "3", "4", "5"})
        return cls(
            q=params.get("q", "").strip()[:200],
            theme=pick("theme", THEME_LABELS),
            outcome=params.get("outcome", "")[:120],
            age=pick("age", AGE_LABELS),
            certainty=pick("certainty", CERTAINTY_LEVELS),
            cost_rating=int(cost) if cost else None,
            recommendation=pick("recommendation", RECOMMENDATIONS),
        )


#: a search returns at most this many practices, best first
MAX_RESULTS = 500


class RankedPractices:
    """Search results in rank order that fetch only the slice asked for (a page), with their syntheses."""

    def __init__(self, ids: list[int], queryset: QuerySet):
        self.ids, self.queryset = ids, queryset

    def __len__(self):
        return len(self.ids)

    def count(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        found = {p.pk: p for p in self.queryset.filter(pk__in=ids)}
        page = [found[pk] for pk in ids if pk in found]
        return page if isinstance(index, slice) else page[0]


def practices(filters: Filters = Filters()):
    """Practices matching the filters: a queryset by name without a query; with one, the best
    MAX_RESULTS matches in rank order (RankedPractices). Slice either for a page."""
    queryset: QuerySet = Practice.objects.all()
    if filters.theme:
        queryset = queryset.filter(themes__contains=f" {filters.theme} ")
    if filters.age:
        queryset = queryset.filter(age_groups__contains=f" {filters.age} ")
    if filters.cost_rating is not None:
        queryset = queryset.filter(cost_rating=filters.cost_rating)
    joined = Q()
    if filters.outcome:
        joined &= Q(
            pk__in=Practice.objects.filter(
                Q(studies__effects__outcome__slug=filters.outcome)
                | Q(syntheses__outcome__slug=filters.outcome)
            ).values("pk")
        )
    if filters.certainty:
        joined &= Q(pk__in=Synthesis.objects.filter(certainty=filters.certainty).values("practice_id"))
    if filters.recommendation:
        joined &= Q(
            pk__in=Synthesis.objects.filter(recommendation=filters.recommendation).values("practice_id")
        )
    study_counts = (
        Study.objects.filter(practice=OuterRef("pk"))
        .order_by()
        .values("practice")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        queryset.filter(joined)
        .annotate(study_count=Coalesce(Subquery(study_counts), 0))
        .prefetch_related(Prefetch("syntheses", queryset=Synthesis.objects.select_related("outcome")))
    )
    if not filters.q:
        return queryset.order_by("name", "pk")
    ranked = search.search_ids(filters.q, limit=MAX_RESULTS)
    if not ranked:
        return []
    if filters != Filters(q=filters.q):
        kept = set(queryset.filter(pk__in=ranked).values_list("pk", flat=True))
        ranked = [pk for pk in ranked if pk in kept]
    return RankedPractices(ranked, queryset)


def practice(slug: str) -> Practice:
    studies = Study.objects.order_by("year", "key").prefetch_related(
        Prefetch("effects", queryset=EffectEstimate.objects.select_related("outcome"))
    )
    return get_object_or_404(
        Practice.objects.prefetch_related(
            Prefetch("studies", queryset=studies),
            Prefetch("syntheses", queryset=Synthesis.objects.select_related("outcome")),
        ),
        slug=slug,
    )

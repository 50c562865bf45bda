"""Reads of the evidence library (public data: practices and their studies are published to everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from slihub.accounts.models import scope_of
from slihub.evidence import importers, problems, search
from slihub.evidence.models import (
    AGE_LABELS,
    PROBLEM_LABELS,
    THEME_LABELS,
    EffectEstimate,
    LocalPractice,
    Practice,
    Study,
    Synthesis,
)
from slihub.indicators.classification import Theme
from slihub.stats.evidence_rating import CERTAINTY_LEVELS, CONSIDER, DO_NOT_OFFER, OFFER, ONLY_IN_RESEARCH

RECOMMENDATIONS = (OFFER, CONSIDER, DO_NOT_OFFER, ONLY_IN_RESEARCH)
#: how useful a practice's best recommendation is to a council choosing what to do, most useful first;
#: then practices with studies or a publisher's rating (EIF level, EEF months) but nothing pooled; then the
#: rest. The library and its search list practices in this order, then by relevance (or name).
TIERS = {OFFER: 0, CONSIDER: 1, ONLY_IN_RESEARCH: 2, DO_NOT_OFFER: 3}
TIER_STUDIES, TIER_EMPTY = 4, 5
COST_RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Filters:
    """The library's filters. Each is a choice of any number of values: a practice must match one of the
    values chosen in every filter used. ``problem``, ``recommendation`` and ``certainty`` are matched on one
    pooled result together ("Offer, for school outcomes"); ``problem`` alone also matches a practice with
    a study of an outcome bearing on the problem (and an EEF strand, whose months are attainment)."""

    q: str = ""
    theme: tuple[str, ...] = ()
    outcome: str = ""  # an Outcome slug
    problem: tuple[str, ...] = ()
    age: tuple[str, ...] = ()
    certainty: tuple[str, ...] = ()
    cost_rating: tuple[int, ...] = ()
    recommendation: tuple[str, ...] = ()

    def __post_init__(self):
        # a single value is a choice of one (callers may pass "youth" or 2)
        for name in ("theme", "problem", "age", "certainty", "cost_rating", "recommendation"):
            value = getattr(self, name)
            if value is None or value == "":
                value = ()
            elif isinstance(value, str | int):
                value = (value,)
            object.__setattr__(self, name, tuple(dict.fromkeys(value)))

    @classmethod
    def from_query(cls, params) -> Filters:
        """Filters from request parameters (each may repeat); unknown values are ignored, never an error."""

        def pick(name, allowed):
            return tuple(v for v in params.getlist(name) if v in allowed)

        return cls(
            q=params.get("q", "").strip()[:200],
            theme=pick("theme", THEME_LABELS),
            outcome=params.get("outcome", "")[:120],
            problem=pick("problem", PROBLEM_LABELS),
            age=pick("age", AGE_LABELS),
            certainty=pick("certainty", CERTAINTY_LEVELS),
            cost_rating=tuple(int(v) for v in pick("cost_rating", {str(c) for c in COST_RATINGS})),
            recommendation=pick("recommendation", RECOMMENDATIONS),
        )

    @property
    def filtered(self) -> bool:
        """Any filter besides the query."""
        return self != Filters(q=self.q)


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


def _usable_syntheses(filters: Filters) -> QuerySet:
    """Pooled results a recommendation may rest on (never one that fails to reproduce its source's own
    pooled estimate), narrowed to the filters' problems, recommendations and certainties."""
    found = Synthesis.objects.exclude(reproduces=False)
    if filters.problem:
        found = found.filter(outcome__problem__in=filters.problem)
    if filters.recommendation:
        found = found.filter(recommendation__in=filters.recommendation)
    if filters.certainty:
        found = found.filter(certainty__in=filters.certainty)
    return found


def _any_value(field: str, values) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__contains": f" {value} "})
    return condition


def practices(filters: Filters = Filters()):
    """Practices matching the filters, in TIERS order (the best recommendation first, then those with
    studies, then the rest): within a tier by name without a query; with one, by relevance, the best
    MAX_RESULTS matches (RankedPractices). Slice either for a page. Each practice has ``study_count`` and
    ``tier``; ``headlines`` gives a page's practices what the list shows of them."""
    queryset: QuerySet = Practice.objects.all()
    if filters.theme:
        queryset = queryset.filter(_any_value("themes", filters.theme))
    if filters.age:
        queryset = queryset.filter(_any_value("age_groups", filters.age))
    if filters.cost_rating:
        queryset = queryset.filter(cost_rating__in=filters.cost_rating)
    joined = Q()
    if filters.outcome:
        joined &= Q(
            pk__in=Practice.objects.filter(
                Q(studies__effects__outcome__slug=filters.outcome)
                | Q(syntheses__outcome__slug=filters.outcome)
            ).values("pk")
        )
    usable = _usable_syntheses(filters)
    if filters.recommendation or filters.certainty:
        joined &= Q(pk__in=usable.values("practice_id"))
    elif filters.problem:
        bears = Q(pk__in=usable.values("practice_id")) | Q(
            pk__in=Study.objects.filter(effects__outcome__problem__in=filters.problem).values("practice_id")
        )
        if problems.EEF in filters.problem:  # an EEF strand's months of progress are attainment
            bears |= Q(eef_months__isnull=False)
        joined &= bears
    study_counts = (
        Study.objects.filter(practice=OuterRef("pk"))
        .order_by()
        .values("practice")
        .annotate(n=Count("pk"))
        .values("n")
    )
    best = (
        usable.filter(practice=OuterRef("pk"))
        .annotate(
            r=Case(*(When(recommendation=label, then=t) for label, t in TIERS.items()), default=TIER_STUDIES)
        )
        .order_by("r")
        .values("r")[:1]
    )
    queryset = (
        queryset.filter(joined)
        .annotate(study_count=Coalesce(Subquery(study_counts), 0))
        .annotate(
            tier=Coalesce(
                Subquery(best),
                Case(
                    When(
                        Q(Exists(Study.objects.filter(practice=OuterRef("pk"))))
                        | ~Q(eif_rating="")
                        | Q(eef_months__isnull=False),
                        then=TIER_STUDIES,
                    ),
                    default=TIER_EMPTY,
                ),
            )
        )
        .prefetch_related(Prefetch("syntheses", queryset=Synthesis.objects.select_related("outcome")))
    )
    if not filters.q:
        return queryset.order_by("tier", "name", "pk")
    ranked = search.search_ids(filters.q, limit=MAX_RESULTS)
    if not ranked:
        return []
    tiers = dict(queryset.filter(pk__in=ranked).values_list("pk", "tier"))  # only those the filters keep
    ranked = sorted((pk for pk in ranked if pk in tiers), key=lambda pk: tiers[pk])  # stable: relevance
    return RankedPractices(ranked, queryset)


@dataclass(frozen=True)
class Headline:
    """What the library shows of a practice: its best pooled result (``synthesis``, None when nothing is
    pooled), the other pooled outcomes, and its recommendation, certainty and effect in words."""

    synthesis: Synthesis | None
    others: list[Synthesis]
    recommendation: str
    certainty: str
    effect: str


def headline(practice: Practice, filters: Filters = Filters()) -> Headline:
    """The practice's best usable pooled result (by TIERS, then certainty, then studies), preferring one on
    the filters' problems; else what its publisher says. Reads the prefetched syntheses."""
    syntheses = [s for s in practice.syntheses.all() if s.reproduces is not False]

    def rank(s):
        chosen = not filters.problem or s.outcome.problem in filters.problem
        certainty = CERTAINTY_LEVELS.index(s.certainty) if s.certainty in CERTAINTY_LEVELS else -1
        return (not chosen, TIERS.get(s.recommendation, TIER_STUDIES), -certainty, -s.k, s.outcome.name)

    syntheses.sort(key=rank)
    if syntheses:
        best = syntheses[0]
        effect = f"{best.outcome.name}: {best.impact}"
        return Headline(best, syntheses[1:], best.recommendation, best.certainty, effect)
    published = []
    if practice.eef_months is not None:
        published.append(f"EEF Toolkit: {practice.eef_months:+d} months' progress (as published)")
    if practice.eif_rating:
        published.append(f"EIF evidence rating {practice.eif_rating} (as published)")
    if len(syntheses) < len(practice.syntheses.all()):
        published.append("pooled, but the result does not reproduce its source's own, so it is not used")
    effect = "; ".join(published) or "Nothing pooled yet"
    return Headline(None, [], NOT_JUDGED, NOT_RATED, effect[:1].upper() + effect[1:])


def headlines(page, filters: Filters = Filters()) -> list[tuple[Practice, Headline]]:
    return [(p, headline(p, filters)) for p in page]


def moved_to(slug: str) -> str | None:
    """The address a practice's old address now belongs to (a renamed EEF strand merged into its newest
    name), or None."""
    return importers.MOVED_SLUGS.get(slug)


def practice(slug: str, *, with_studies: bool = True) -> Practice:
    """One practice with its syntheses; with every study and effect too unless ``with_studies`` is False
    (the page reads its studies a page at a time: practice_studies). An old address (moved_to) gives the
    practice it now belongs to."""
    slug = moved_to(slug) or slug
    prefetch = [Prefetch("syntheses", queryset=Synthesis.objects.select_related("outcome"))]
    if with_studies:
        prefetch.append(Prefetch("studies", queryset=practice_studies(None)))
    return get_object_or_404(Practice.objects.prefetch_related(*prefetch), slug=slug)


def practice_studies(practice: Practice | None) -> QuerySet:
    """A practice's studies in the page's order (year, then key), each with its effects."""
    studies = Study.objects.order_by("year", "key", "pk").prefetch_related(
        Prefetch("effects", queryset=EffectEstimate.objects.select_related("outcome"))
    )
    return studies if practice is None else studies.filter(practice=practice)


# ---------------------------------------------------------------------------------------------
# Local practice: everything through LocalPractice.objects.visible_to(user)


def _local_queryset(user) -> QuerySet:
    return LocalPractice.objects.visible_to(user).select_related("authority", "authority__region")


def local_practices(user, *, q: str = "", theme: str = "", status: str = ""):
    """The local practice ``user`` may see, newest first; with ``q``, the validated local practice that
    matches it, best first (only validated practice is in the search index)."""
    found = _local_queryset(user)
    if theme:
        found = found.filter(themes__contains=f" {theme} ")
    if status:
        found = found.filter(status=status)
    if not q.strip():
        return found.order_by("-submitted_at", "-pk")
    ranked = search.search_ids(q, limit=MAX_RESULTS, kind=search.LOCAL)
    kept = set(found.filter(pk__in=ranked).values_list("pk", flat=True)) if ranked else set()
    ranked = [pk for pk in ranked if pk in kept]
    return RankedPractices(ranked, found) if ranked else []


def local_practice(user, pk: int) -> LocalPractice:
    """One local practice ``user`` may see; Http404 alike when there is none and when they may not see it,
    so that the answer never tells whether an unpublished practice exists."""
    found = _local_queryset(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such local practice.")
    return found


def can_see_people(user, practice: LocalPractice) -> bool:
    """Validators' and submitters' names are shown to those who may see the practice before publication;
    the public sees their councils and roles only."""
    scope = scope_of(user)
    if scope.national or scope.can_view(practice.authority):
        return True
    return user.is_authenticated and practice.validations.filter(validator=user).exists()


def local_workflow(practice: LocalPractice) -> tuple[list, list]:
    """(validations, events) of a local practice, oldest first, with the people and councils involved."""
    validations = list(practice.validations.select_related("validator", "validator_authority", "assigned_by"))
    events = list(practice.events.select_related("actor"))
    return validations, events


@dataclass
class LocalPracticeLists:
    published: QuerySet
    mine: QuerySet  # the viewer's councils' practice not (yet) published
    to_validate: QuerySet  # assigned to the viewer, awaiting their decision
    to_assign: QuerySet  # awaiting validators, where the viewer may assign them


def local_practice_lists(user) -> LocalPracticeLists:
    scope = scope_of(user)
    visible = _local_queryset(user)
    published = visible.filter(status=LocalPractice.Status.VALIDATED).order_by("-published_at", "-pk")
    none = visible.none()
    if not user.is_authenticated:
        return LocalPracticeLists(published, none, none, none)
    mine = visible.filter(authority__in=scope.member_of).exclude(status=LocalPractice.Status.VALIDATED)
    to_validate = visible.filter(
        status=LocalPractice.Status.IN_REVIEW,
        validations__validator=user,
        validations__decision="",
    )
    awaiting = visible.filter(status=LocalPractice.Status.SUBMITTED)
    if scope.national:
        to_assign = awaiting
    elif scope.coordinates:
        to_assign = awaiting.filter(authority__region__in=scope.coordinates)
    else:
        to_assign = none
    return LocalPracticeLists(
        published,
        mine.order_by("-submitted_at", "-pk"),
        to_validate.order_by("submitted_at", "pk"),
        to_assign.order_by("submitted_at", "pk"),
    )


# ---------------------------------------------------------------------------------------------
# Suggestions for other capabilities (early warning): what works on given themes


@dataclass(frozen=True)
class Suggestion:
    name: str
    url: str
    recommendation: str  # the hub's label, or what stands in for one
    certainty: str
    kind: str  # "practice" or "local practice"
    published_rating: str = ""  # the publisher's own rating (EIF level, EEF padlocks), when known
    outcome: str = ""  # practices_for_problems: the outcome whose synthesis speaks for the practice
    problem: str = ""  # and its problem (models.PROBLEMS)


#: the indicator catalogue's theme keys (slihub.indicators.classification.Theme) by the library's own,
#: matched on their label so that the two vocabularies cannot drift apart silently
INDICATOR_THEME_KEYS = {
    theme.value: key for theme in Theme for key, label in THEME_LABELS.items() if label == theme.label
}
NOT_JUDGED = "No recommendation yet"
LOCAL = "Validated local practice"
NOT_RATED = "not rated"  # no pooled result (or peer-validated local practice): no certainty to give


def _theme_keys(themes: list[str]) -> list[str]:
    chosen = []
    for theme in themes:
        if theme in THEME_LABELS:
            chosen.append(theme)
        elif theme in INDICATOR_THEME_KEYS:
            chosen.append(INDICATOR_THEME_KEYS[theme])
        elif theme != Theme.UNCLASSIFIED:  # an unclassified indicator simply has no practice to suggest
            raise ValueError(f"unknown theme {theme!r}: use one of {', '.join(INDICATOR_THEME_KEYS)}")
    return list(dict.fromkeys(chosen))


def _any_of(field: str, values: list[str]) -> Q:
    condition = Q(pk__in=[])
    for value in values:
        condition |= Q(**{f"{field}__contains": f" {value} "})
    return condition


def local_practice_by_council(themes: list[str]) -> dict[int, list[LocalPractice]]:
    """Validated local practice in any of ``themes`` (the indicator catalogue's Theme keys, or the
    library's own), by council id, newest first: early warning counts it as a council's strength to share."""
    keys = _theme_keys(themes)
    found: dict[int, list[LocalPractice]] = {}
    if not keys:
        return found
    for lp in (
        LocalPractice.objects.filter(status=LocalPractice.Status.VALIDATED)
        .filter(_any_of("themes", keys))
        .order_by("-published_at", "pk")
    ):
        found.setdefault(lp.authority_id, []).append(lp)
    return found


def _published_rating(practice: Practice) -> str:
    parts = []
    if practice.eif_rating:
        parts.append(f"EIF level {practice.eif_rating}")
    if practice.eef_padlocks:
        parts.append(f"EEF {practice.eef_padlocks} of 5 padlocks")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# What works for a problem (early warning's weak areas, the alliances' priorities)

#: the library's themes whose validated local practice speaks to each problem (local practice carries
#: themes, not outcomes). Workforce and children's behaviour have no theme of their own, so no local
#: practice is offered for them rather than a theme's every practice.
PROBLEM_THEMES = {
    "workforce": (),
    "front_door": ("vulnerable_children",),
    "child_protection": ("vulnerable_children",),
    "children_in_care": ("vulnerable_children",),
    "care_leavers": ("vulnerable_children",),
    "education": ("schools_communities",),
    "behaviour": (),
    "offending": ("youth",),
    "parents": ("parents_carers_families",),
}
#: what a problem's syntheses may recommend to be listed, best first ("Do not offer" never is)
PROBLEM_RANK = {OFFER: 0, CONSIDER: 1, LOCAL: 2, ONLY_IN_RESEARCH: 3}


def _problem_keys(problems: list[str]) -> list[str]:
    chosen = [p for p in dict.fromkeys(problems) if p]
    unknown = [p for p in chosen if p not in PROBLEM_LABELS]
    if unknown:
        raise ValueError(f"unknown problem {unknown[0]!r}: use one of {', '.join(PROBLEM_LABELS)}")
    return chosen


def practices_by_problem(problems: list[str], limit: int = 5) -> dict[str, list[Suggestion]]:
    """What works for each of ``problems`` (models.PROBLEMS keys), up to ``limit`` each, best first:
    practices whose pooled result on an outcome of the problem says Offer, then Consider, each by
    certainty (high first); then validated local practice in the problem's themes (PROBLEM_THEMES: listed
    once, under the first problem asked whose theme it has); then practices whose result is "Only in
    research". A practice's best synthesis on the problem's outcomes speaks for it. Never a practice the
    hub advises against for the problem (any "Do not offer" on its outcomes), never a synthesis that fails
    to reproduce its source's own pooled estimate. A problem the library holds nothing on has an empty
    list, so that callers can say so. Two queries whatever the number of problems; ValueError for an
    unknown key."""
    return {
        problem: [s for _, s in found[:limit]]
        for problem, found in _ranked_by_problem(problems, limit).items()
    }


def practices_for_problems(problems: list[str], limit: int = 5) -> list[Suggestion]:
    """What works for any of ``problems``, in one list, best first (as practices_by_problem ranks them),
    each practice once. Empty when the library holds nothing on them. Two queries."""
    best: dict[str, tuple] = {}
    for found in _ranked_by_problem(problems, limit).values():
        for rank, suggestion in found:
            if suggestion.url not in best or rank < best[suggestion.url][0]:
                best[suggestion.url] = (rank, suggestion)
    ranked = sorted(best.values(), key=lambda pair: pair[0])  # stable: each problem's own order
    return [s for _, s in ranked[:limit]]


def _ranked_by_problem(problems: list[str], limit: int) -> dict[str, list[tuple]]:
    keys = _problem_keys(problems)
    ranked: dict[str, list[tuple]] = {p: [] for p in keys}
    if not keys or limit <= 0:
        return ranked
    certainty_rank = {level: -i for i, level in enumerate(CERTAINTY_LEVELS)}
    syntheses = (
        Synthesis.objects.filter(outcome__problem__in=keys)
        .exclude(reproduces=False)
        .select_related("practice", "outcome")
        .order_by("practice__name", "practice_id", "outcome__name", "pk")
    )
    best: dict[tuple[str, int], tuple] = {}
    advised_against: set[tuple[str, int]] = set()
    for s in syntheses:
        key = (s.outcome.problem, s.practice_id)
        if s.recommendation == DO_NOT_OFFER:
            advised_against.add(key)
        if s.recommendation not in PROBLEM_RANK:
            continue
        rank = (PROBLEM_RANK[s.recommendation], certainty_rank.get(s.certainty, 1))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, s)
    for key, (rank, s) in best.items():
        if key in advised_against:
            continue
        ranked[key[0]].append(
            (
                rank,
                Suggestion(
                    name=s.practice.name,
                    url=s.practice.get_absolute_url(),
                    recommendation=s.recommendation,
                    certainty=s.certainty,
                    kind="practice",
                    published_rating=_published_rating(s.practice),
                    outcome=s.outcome.name,
                    problem=s.outcome.problem,
                ),
            )
        )
    themes = list(dict.fromkeys(t for p in keys for t in PROBLEM_THEMES.get(p, ())))
    if themes:
        local = (
            LocalPractice.objects.filter(status=LocalPractice.Status.VALIDATED)
            .filter(_any_of("themes", themes))
            .select_related("authority")
            .order_by("-published_at", "pk")[:limit]
        )
        for lp in local:
            # listed once, under the first problem asked whose theme it has
            problem = next(p for p in keys if set(PROBLEM_THEMES.get(p, ())) & set(lp.themes.split()))
            ranked[problem].append(
                (
                    (PROBLEM_RANK[LOCAL], 1),
                    Suggestion(
                        name=f"{lp.title} ({lp.authority.name})",
                        url=lp.get_absolute_url(),
                        recommendation=LOCAL,
                        certainty=NOT_RATED,
                        kind="local practice",
                        problem=problem,
                    ),
                )
            )
    for found in ranked.values():
        found.sort(key=lambda pair: pair[0])  # stable: practices by name, local practice newest first
    return ranked

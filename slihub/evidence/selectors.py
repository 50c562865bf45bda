"""Reads of the evidence library (public data: practices and their studies are published to everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from slihub.accounts.models import scope_of
from slihub.evidence import search
from slihub.evidence.models import (
    AGE_LABELS,
    ECM_LABELS,
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


def practice(slug: str, *, with_studies: bool = True) -> Practice:
    """One practice with its syntheses; with every study and effect too unless ``with_studies`` is False
    (the page reads its studies a page at a time: practice_studies)."""
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


def pooled_effects(synthesis: Synthesis) -> list[tuple[str, float, float]]:
    """(citation, yi, vi) of the estimates a synthesis pools, in the studies' order."""
    return list(
        EffectEstimate.objects.filter(
            study__practice_id=synthesis.practice_id,
            outcome_id=synthesis.outcome_id,
            measure=synthesis.measure,
            yi__isnull=False,
            vi__isnull=False,
        )
        .order_by("study__year", "study__key", "study__pk")
        .values_list("study__citation", "yi", "vi")
    )


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
    recommendation: str  # the hub's label, or what stands in for one (see practices_for)
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
# Offer, Consider, then validated local practice (peer-reviewed, not graded), then practices the hub
# cannot yet judge (no pooled outcome; ordered by their publisher's rating), then "Only in research".
# "Do not offer" is never suggested.
SUGGESTION_RANK = {OFFER: 0, CONSIDER: 1, LOCAL: 2, NOT_JUDGED: 3, ONLY_IN_RESEARCH: 4}
# the publishers' ratings, strongest first, to order practices the hub has not pooled
EIF_ORDER = ("4+", "4", "3+", "3", "2+", "2", "NL2", "NE")


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


def practices_for(themes: list[str], outcomes: list[str] | None = None, limit: int = 5) -> list[Suggestion]:
    """Published practices and validated local practice that target any of ``themes`` (the indicator
    catalogue's Theme keys, or the library's own), best first: by recommendation (Offer first), then
    certainty, then the publisher's rating. ``outcomes`` (Every Child Matters keys, as the indicators
    use) narrows library practices to those aiming at any of them; local practice has no such tags and
    is kept. A practice's best pooled outcome speaks for it. Raises ValueError for an unknown key."""
    keys = _theme_keys(themes)
    ecm = [o for o in (outcomes or []) if o != Theme.UNCLASSIFIED]
    unknown = [o for o in ecm if o not in ECM_LABELS]
    if unknown:
        raise ValueError(f"unknown outcome {unknown[0]!r}: use one of {', '.join(ECM_LABELS)}")
    if not keys or limit <= 0:
        return []
    recommendation_rank = Case(
        *(When(recommendation=label, then=rank) for label, rank in SUGGESTION_RANK.items()),
        default=len(SUGGESTION_RANK),
    )
    # high first; none (not pooled) after very low
    certainty_rank = Case(
        *(When(certainty=level, then=-i) for i, level in enumerate(CERTAINTY_LEVELS)), default=1
    )
    best = (
        Synthesis.objects.filter(practice=OuterRef("pk"))
        .exclude(recommendation=DO_NOT_OFFER)
        .annotate(r=recommendation_rank, c=certainty_rank)
        .order_by("r", "c", "outcome_id")
    )
    found = (
        Practice.objects.filter(_any_of("themes", keys))
        .filter(_any_of("ecm_outcomes", ecm) if ecm else Q())
        .annotate(
            recommendation=Subquery(best.values("recommendation")[:1]),
            certainty=Subquery(best.values("certainty")[:1]),
            pooled=Exists(Synthesis.objects.filter(practice=OuterRef("pk"))),
        )
        .exclude(pooled=True, recommendation__isnull=True)  # every pooled outcome says "Do not offer"
        .annotate(
            r=Case(
                When(recommendation__isnull=True, then=SUGGESTION_RANK[NOT_JUDGED]),
                default=recommendation_rank,
            ),
            c=certainty_rank,
            eif=Case(  # "4+*": the asterisk marks mixed findings, the level is the same
                *(When(eif_rating__in=[x, f"{x}*"], then=i) for i, x in enumerate(EIF_ORDER)),
                default=len(EIF_ORDER),
            ),
        )
        .order_by("r", "c", "eif", F("eef_padlocks").desc(nulls_last=True), "name", "pk")[:limit]
    )
    suggestions = [
        (
            (p.r, p.c),
            Suggestion(
                name=p.name,
                url=p.get_absolute_url(),
                recommendation=p.recommendation or NOT_JUDGED,
                certainty=p.certainty or NOT_RATED,
                kind="practice",
                published_rating=_published_rating(p),
            ),
        )
        for p in found
    ]
    local = (
        LocalPractice.objects.filter(status=LocalPractice.Status.VALIDATED)
        .filter(_any_of("themes", keys))
        .select_related("authority")
        .order_by("-published_at", "pk")[:limit]
    )
    suggestions += [
        (
            (SUGGESTION_RANK[LOCAL], 1),
            Suggestion(
                name=f"{lp.title} ({lp.authority.name})",
                url=lp.get_absolute_url(),
                recommendation=LOCAL,
                certainty=NOT_RATED,
                kind="local practice",
            ),
        )
        for lp in local
    ]
    suggestions.sort(key=lambda pair: pair[0])  # stable: each list keeps its own order within a rank
    return [s for _, s in suggestions[:limit]]


def local_practice_by_council(themes: list[str]) -> dict[int, list[LocalPractice]]:
    """Validated local practice in any of ``themes`` (keys as for practices_for), by council id, newest
    first: early warning counts it as a council's strength to share."""
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

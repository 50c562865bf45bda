"""What the watchlist, an authority's risk page and its support suggestions show, and to whom.

Risk scores are never public: national admins see every authority, alliance coordinators the
authorities of their region, and council staff their own council.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from slihub.accounts.models import scope_of
from slihub.evidence.models import PROBLEM_LABELS
from slihub.evidence.selectors import local_practice_by_council, practices_by_problem
from slihub.exchange import selectors as exchange
from slihub.exchange.models import HelpRequest, Loan, Specialist
from slihub.exchange.services import can_ask_for_help
from slihub.exchange.taxonomy import LABELS as EXPERTISE_LABELS
from slihub.indicators.models import Comparison, Indicator, Value
from slihub.inspections.interventions import in_force_filter, in_force_on
from slihub.inspections.models import GRADED_KINDS, JUDGMENTS, Grade, Inspection, Intervention
from slihub.inspections.selectors import history, inherited_history
from slihub.places.models import DEFAULT_NEIGHBOUR_MODEL, Authority, StatisticalNeighbour
from slihub.stats.charts import sparkline_svg
from slihub.warning.explain import settled
from slihub.warning.features import HIGHER_IS_WORSE, LOWER_IS_WORSE, POPULATION, SIGNAL_BY_CODE
from slihub.warning.models import BacktestReport, DirectorChange, RiskScore, Target
from slihub.warning.releases import release_table
from slihub.warning.services import FEATURE_SET_LABELS, TOP

TREND_MONTHS = 12
JUDGMENT_NAMES = dict(JUDGMENTS)


def require_watchlist(user) -> None:
    scope = scope_of(user)
    if not (scope.national or scope.coordinates or scope.member_of):
        raise PermissionDenied(
            "Risk scores are for national admins, alliance coordinators and council staff."
        )


def require_view(user, authority: Authority) -> None:
    if not scope_of(user).can_view(authority):
        raise PermissionDenied(
            f"{authority.name}'s risk is shown to its own council, its region's alliance coordinator "
            "and national admins."
        )


def require_summary(user, authority: Authority) -> None:
    """The risk page (its early-warning summary) is also read by the council's chief executive and lead
    member; its support suggestions (exchange specialists, asks for help) are not theirs to read."""
    if not scope_of(user).can_read_cycle(authority):
        raise PermissionDenied(
            f"{authority.name}'s risk is shown to its own council (its chief executive and lead member "
            "included), its region's alliance coordinator and national admins."
        )


def can_see_support(user, authority: Authority) -> bool:
    return scope_of(user).can_view(authority)


def require_national(user, what: str) -> None:
    if not scope_of(user).national:
        raise PermissionDenied(f"Only national admins can {what}.")


def latest_month() -> date | None:
    return RiskScore.objects.aggregate(m=Max("month"))["m"]


def watchlist(user, target: str = Target.INADEQUATE) -> tuple[date | None, list[RiskScore]]:
    """The authorities this user may see, highest risk first, for the latest month scored."""
    require_watchlist(user)
    month = latest_month()
    if month is None:
        return None, []
    rows = list(
        RiskScore.objects.visible_to(user)
        .filter(month=month, target=target)
        .select_related("authority", "authority__region")
        .order_by("rank")
    )
    ids = [r.authority_id for r in rows]
    trends = _trends(ids, target, month)
    latest = _latest_inspections(ids)
    interventions = _interventions_in_force(ids, month)
    # One reverse for every row: reverse() costs about 0.1 ms, and the page has 153 rows.
    url = reverse("warning-authority", args=["__code__"])
    for row in rows:
        row.signals = [settled(s) for s in row.signals]
        row.url = url.replace("__code__", row.authority.code)
        row.percent_text = percent_text(row.probability)
        row.trend = trends.get(row.authority_id, [])
        row.flagged = row.rank <= TOP
        row.last_graded, row.last_visit = latest.get(row.authority_id, (None, None))
        row.last_graded_month = row.last_graded and short_month(row.last_graded.start_date)
        row.last_visit_month = row.last_visit and short_month(row.last_visit.start_date)
        row.interventions = interventions.get(row.authority_id, [])
    return month, rows


@lru_cache(maxsize=1024)
def _short_month(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "M Y")


def short_month(day: date) -> str:
    """The month as the template filter date:"M Y" writes it ("Jan 2024"), worked out once a month: the
    filter costs about 0.05 ms, and the watchlist has 200 such dates and 2,000 trend points."""
    return _short_month(day.year, day.month)


def percent_text(probability: float) -> str:
    """The probability as a percentage with one decimal, rounded as the template filter floatformat:1
    rounds (half up, from the float's shortest form), without its cost on 153 rows."""
    return str(Decimal(repr(probability * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _interventions_in_force(ids, day: date) -> dict[int, list[Intervention]]:
    """authority id -> its statutory interventions in force on `day` (latest started first), in one query.

    Shown beside the score as a plain fact, not fed to the model: the hub holds too few interventions,
    and no history of them before they were recorded, to learn from."""
    out: dict[int, list[Intervention]] = {}
    for intervention in Intervention.objects.filter(in_force_filter(day), authority_id__in=ids).order_by(
        "-started_on", "-pk"
    ):
        out.setdefault(intervention.authority_id, []).append(intervention)
    return out


class TrendPoint(NamedTuple):
    """One month of an authority's risk, for its trend chart (a tuple: 2,000 are made per watchlist)."""

    month: date
    probability: float


def _trends(ids, target, month) -> dict[int, list[TrendPoint]]:
    """The months and probabilities only: the scores' stored explanations (JSON) are not read, which
    made the watchlist's 2,000 trend points most of its time."""
    first = date(month.year - 1, month.month, 1)  # 13 points: this month and the 12 before
    out: dict[int, list[TrendPoint]] = {}
    for authority_id, when, probability in (
        RiskScore.objects.filter(authority_id__in=ids, target=target, month__gte=first, month__lte=month)
        .order_by("month")
        .values_list("authority_id", "month", "probability")
    ):
        out.setdefault(authority_id, []).append(TrendPoint(when, probability))
    return out


def _latest_inspections(ids) -> dict[int, tuple[Inspection | None, Inspection | None]]:
    """authority id -> (its latest graded inspection, its latest visit or other inspection): the ids
    found from plain rows, then only those inspections loaded, however long Ofsted's record grows."""
    latest: dict[tuple[int, bool], int] = {}
    for pk, authority_id, kind in (
        Inspection.objects.filter(authority_id__in=ids)
        .order_by("start_date", "pk")
        .values_list("pk", "authority_id", "kind")
    ):
        latest[authority_id, kind in GRADED_KINDS] = pk
    chosen = Inspection.objects.only("authority_id", "kind", "start_date", "overall_effectiveness").in_bulk(
        list(latest.values())
    )
    return {i: (chosen.get(latest.get((i, True))), chosen.get(latest.get((i, False)))) for i in ids}


def trend_chart(
    scores: list[TrendPoint] | list[RiskScore], title: str, id_prefix: str, width=120.0, height=36.0
) -> str:
    labels = [short_month(s.month) for s in scores]
    values = [s.probability * 100 for s in scores]
    return sparkline_svg(
        labels,
        values,
        title=title,
        texts=[f"{v:.1f}%" for v in values],
        id_prefix=id_prefix,
        width=width,
        height=height,
    )


@dataclass
class AuthorityRisk:
    authority: Authority
    month: date | None
    scores: dict[str, RiskScore] = field(default_factory=dict)
    trend: list[tuple[date, float | None, float | None]] = field(default_factory=list)
    raising: list[dict] = field(default_factory=list)
    lowering: list[dict] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)
    inherited: list[Inspection] = field(default_factory=list)  # of the councils it replaced (Cumbria's)
    director_changes: list[DirectorChange] = field(default_factory=list)
    # Statutory interventions in force on the scoring date: shown beside the score, not a model feature
    # (there is no history of them to train on).
    interventions: list[Intervention] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        score = self.scores.get(Target.INADEQUATE)
        return bool(score and score.rank <= TOP)


def authority_risk(user, authority: Authority) -> AuthorityRisk:
    require_summary(user, authority)
    month = latest_month()
    result = AuthorityRisk(authority, month)
    result.inspections = list(history(authority)[:6])
    result.inherited = list(inherited_history(authority)[:6])
    result.director_changes = list(DirectorChange.objects.filter(authority=authority)[:5])
    if month is None:
        return result
    result.interventions = in_force_on(authority, month)
    result.scores = {s.target: s for s in RiskScore.objects.filter(authority=authority, month=month)}
    first = date(month.year - 1, month.month, 1)
    by_month: dict[date, dict[str, float]] = {}
    for s in RiskScore.objects.filter(authority=authority, month__gte=first).order_by("month"):
        by_month.setdefault(s.month, {})[s.target] = s.probability
    percent = {m: {t: p * 100 for t, p in v.items()} for m, v in by_month.items()}
    result.trend = [(m, v.get(Target.INADEQUATE), v.get(Target.BELOW_GOOD)) for m, v in percent.items()]
    main = result.scores.get(Target.INADEQUATE)
    if main:
        signals = [settled(s) for s in main.signals]
        result.raising = [s for s in signals if s["contribution"] > 0]
        result.lowering = [s for s in signals if s["contribution"] < 0]
    return result


# --------------------------------------------------------------------------------------------------
# Support, quickly


@dataclass
class Area:
    """A weak area behind a risk: the signal, what addresses it, and an Ofsted judgment it bears on."""

    code: str
    name: str
    text: str
    theme: str
    expertise: tuple[str, ...]
    judgment: str
    problem: str = ""  # the evidence library's problem (features.Signal.problem): what works is asked by it


@dataclass
class WhatWorks:
    """What the evidence library holds for one problem behind the risk; no practices: it holds nothing yet."""

    problem: str
    label: str
    areas: list[str]  # the signals behind it, by name
    practices: list


@dataclass
class Suggestions:
    areas: list[Area]
    practices: list  # every problem's practices, in what_works's order, each once
    councils: list[dict]
    specialists: list[dict]
    can_ask: bool
    ask_url: str
    what_works: list[WhatWorks] = field(default_factory=list)


def weak_areas(risk: AuthorityRisk) -> list[Area]:
    """The areas behind the signals that raised the risk, in their order: a concern (worse than its
    comparator), or a signal without a direction (a high rate of need raised it: support is for what lies
    behind it); never one where the council does better than its comparator, whatever the model made of it."""
    codes = []
    for signal in map(settled, risk.raising):
        if signal["contribution"] <= 0 or signal["worse"] is False:
            continue
        code = signal["feature"].rpartition(":")[0]
        if code in SIGNAL_BY_CODE and SIGNAL_BY_CODE[code].expertise and code not in [c for c, _ in codes]:
            codes.append((code, signal["text"]))
    themes = dict(Indicator.objects.filter(code__in=[c for c, _ in codes]).values_list("code", "theme"))
    return [
        Area(
            code,
            SIGNAL_BY_CODE[code].name,
            text,
            themes.get(code, ""),
            SIGNAL_BY_CODE[code].expertise,
            SIGNAL_BY_CODE[code].judgment,
            SIGNAL_BY_CODE[code].problem,
        )
        for code, text in codes
    ]


def ask_url(
    authority: Authority,
    areas: list[Area],
    flagged: bool,
    today: date | None = None,
    partner: Authority | None = None,
) -> str:
    """The exchange's request form, filled in from the suggestion: three months from a fortnight's time;
    addressed to ``partner`` where the suggestion is a council."""
    expertise = list(dict.fromkeys(key for area in areas for key in area.expertise))
    start = (today or timezone.localdate()) + timedelta(days=14)
    end = start + timedelta(days=90)
    query = {
        "title": "Support with " + ", ".join(a.name.lower() for a in areas[:2]) if areas else "Support",
        "description": "Flagged by the hub's early warning. "
        + " ".join(f"{a.name}: {a.text}" for a in areas),
        "expertise": expertise,
        "urgency": HelpRequest.Urgency.URGENT if flagged else HelpRequest.Urgency.SOON,
        "linked_indicators": "; ".join(a.name for a in areas),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days_per_week": 2,
    }
    if partner is not None:
        query["partner"] = partner.code
    return reverse("exchange-request-add", args=[authority.code]) + "?" + urlencode(query, doseq=True)


# A council with fewer children than this (the City of London, about 850; the Isles of Scilly, about 300)
# is never the first council suggested while another fits: its rates rest on a handful of children and
# social workers, so a "strong" figure there says little that a council of 50,000 children could borrow,
# and a tiny service has little to lend. Still listed, second or later.
SMALL_POPULATION = 5_000


def strong_councils(authority: Authority, areas: list[Area], limit: int = 5) -> list[dict]:
    """Councils that can show how, on the same indicators that raised the risk: strong on them (top
    quarter, or better than England) or with validated local practice in their themes, and judged Good
    or better in the related areas (validated practice stands on its own); never one flagged itself.

    Ranked by how many of these indicators each is strong on (practice alone comes after any), then
    capacity (a specialist with this expertise free now), then lending least so far (help spread over
    many councils), then closeness (its statistical neighbours first, its region next)."""
    if not areas:
        return []
    strengths = _indicator_strengths([a.code for a in areas])
    practice = local_practice_by_council([a.theme for a in areas if a.theme])
    month = latest_month()
    flagged = (
        set(
            RiskScore.objects.filter(month=month, target=Target.INADEQUATE, rank__lte=TOP).values_list(
                "authority_id", flat=True
            )
        )
        if month
        else set()
    )
    ids = (set(strengths) | set(practice)) - flagged - {authority.id}
    judged = _good_judgments(ids, {a.judgment for a in areas if a.judgment})
    candidates = [a for a in ids if a in judged or a in practice]
    lending = dict(
        Loan.objects.filter(status__in=Loan.AGREED, lender__in=candidates)
        .values("lender")
        .annotate(n=Count("id"))
        .values_list("lender", "n")
    )
    free = _free_specialists(candidates, {key for a in areas for key in a.expertise})
    closeness = _closeness(authority, candidates)

    def rank(a: int) -> tuple:
        strong = strengths.get(a, {})
        top = sum(how == TOP_QUARTER for how in strong.values())
        return (
            -len(strong),
            not free.get(a),
            lending.get(a, 0),
            closeness[a],
            -top,
            -len(judged.get(a, [])),
            a,
        )

    candidates.sort(key=rank)
    candidates = _small_not_first(candidates, strengths)[:limit]
    names = {a.id: a for a in Authority.objects.filter(id__in=candidates)}
    order = [a.code for a in areas]
    return [
        {
            "authority": names[a],
            "strengths": [SIGNAL_BY_CODE[c].name for c in order if c in strengths.get(a, {})],
            "top_quarter": [
                SIGNAL_BY_CODE[c].name for c in order if strengths.get(a, {}).get(c) == TOP_QUARTER
            ],
            "better_than_england": [
                SIGNAL_BY_CODE[c].name for c in order if strengths.get(a, {}).get(c) == BETTER_THAN_ENGLAND
            ],
            "judgments": judged.get(a, []),
            "practice": practice.get(a, []),
            "loans": lending.get(a, 0),
            "free": free.get(a, 0),
            "neighbour": closeness[a] <= NEIGHBOURS_MAX,
        }
        for a in candidates
    ]


TOP_QUARTER, BETTER_THAN_ENGLAND = "top quarter", "better than England"
NEIGHBOURS_MAX = 10  # DfE gives each council ten statistical neighbours, ranked 1 (closest) to 10


def _indicator_strengths(codes: list[str]) -> dict[int, dict[str, str]]:
    """council id -> {indicator code: TOP_QUARTER or BETTER_THAN_ENGLAND} on each indicator's latest
    period; only indicators with a better direction can be a strength (a rate of need cannot)."""
    latest = (
        Comparison.objects.filter(indicator__code__in=codes)
        .values("indicator")
        .annotate(last=Max("period__sort_key"))
    )
    rows = Q(pk__in=[])
    for row in latest:
        rows |= Q(indicator_id=row["indicator"], period__sort_key=row["last"])
    found: dict[int, dict[str, str]] = {}
    for authority_id, code, quartile, value, england in Comparison.objects.filter(rows).values_list(
        "authority_id", "indicator__code", "quartile", "value", "england_value"
    ):
        if quartile == "A":
            found.setdefault(authority_id, {})[code] = TOP_QUARTER
        elif (
            value is not None
            and england is not None
            and (
                (code in HIGHER_IS_WORSE and value < england) or (code in LOWER_IS_WORSE and value > england)
            )
        ):
            found.setdefault(authority_id, {})[code] = BETTER_THAN_ENGLAND
    return found


def _closeness(authority: Authority, ids) -> dict[int, int]:
    """For each council, how close it is to ``authority``: its rank among the statistical neighbours (1 to
    10), then 11 for the same region, 12 for the rest."""
    ranks = dict(
        StatisticalNeighbour.objects.filter(
            model=DEFAULT_NEIGHBOUR_MODEL, authority=authority, neighbour_id__in=ids
        ).values_list("neighbour_id", "rank")
    )
    regions = dict(Authority.objects.filter(id__in=ids).values_list("id", "region_id"))
    return {
        a: ranks.get(a)
        or (NEIGHBOURS_MAX + 1 if regions.get(a) == authority.region_id else NEIGHBOURS_MAX + 2)
        for a in ids
    }


def _small_not_first(ranked: list[int], strengths: dict[int, dict[str, str]]) -> list[int]:
    """``ranked`` with a council of fewer than SMALL_POPULATION children moved off the top when another
    fits: the first council below it with grounds of the same kind (a strength on these indicators, or
    practice alone) takes its place."""
    if not ranked:
        return ranked
    small = _small_councils(ranked)
    first = ranked[0]
    if first not in small:
        return ranked
    for i, other in enumerate(ranked[1:], start=1):
        if other not in small and bool(strengths.get(other)) == bool(strengths.get(first)):
            return [other, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def _small_councils(ids) -> set[int]:
    """The councils whose latest published child population (ONS, as DfE gives it) is below
    SMALL_POPULATION; one with no figure is not taken as small."""
    latest: dict[int, float] = {}
    for authority_id, value in (
        Value.objects.filter(
            indicator__code=POPULATION, area_type="la", authority_id__in=ids, value__isnull=False
        )
        .order_by("period__sort_key")
        .values_list("authority_id", "value")
    ):
        latest[authority_id] = value
    return {a for a, value in latest.items() if value < SMALL_POPULATION}


def _free_specialists(ids, expertise: set[str]) -> dict[int, int]:
    """For each council, its listed specialists with any of this expertise who are not on a loan now:
    its capacity to help."""
    busy = Loan.objects.filter(status__in=[Loan.Status.ACCEPTED, Loan.Status.ACTIVE]).values("specialist")
    counts: dict[int, int] = {}
    for authority_id, keys in (
        Specialist.objects.filter(authority_id__in=ids, is_active=True, consent_to_list=True)
        .exclude(pk__in=busy)
        .values_list("authority_id", "expertise")
    ):
        if expertise & set(keys):
            counts[authority_id] = counts.get(authority_id, 0) + 1
    return counts


def _good_judgments(ids, fields: set[str]) -> dict[int, list[str]]:
    """For each authority, the related judgments its latest graded inspection found Good or Outstanding."""
    good = {Grade.GOOD, Grade.OUTSTANDING}
    latest: dict[int, Inspection] = {}
    for inspection in Inspection.objects.graded().filter(authority_id__in=list(ids)).order_by("start_date"):
        latest[inspection.authority_id] = inspection
    return {
        a: [JUDGMENT_NAMES[f] for f in sorted(fields) if getattr(i, f) in good]
        for a, i in latest.items()
        if i.overall_effectiveness in good
    }


def available_specialists(user, authority: Authority, areas: list[Area], limit: int = 5) -> list[dict]:
    wanted = {key for area in areas for key in area.expertise}
    if not wanted:
        return []
    # Busy as for a council's capacity (_free_specialists): on a loan agreed to start, or under way.
    busy = set(
        Loan.objects.filter(status__in=[Loan.Status.ACCEPTED, Loan.Status.ACTIVE]).values_list(
            "specialist_id", flat=True
        )
    )
    found = []
    for specialist in (
        exchange.listed_specialists(user).filter(consent_to_list=True).exclude(authority=authority)
    ):
        matched = [EXPERTISE_LABELS[k] for k in specialist.expertise if k in wanted]
        if matched and specialist.id not in busy:
            found.append({"profile": exchange.profile(user, specialist), "matched": matched})
    found.sort(key=lambda s: -len(s["matched"]))
    return found[:limit]


def what_works(areas: list[Area], limit: int = 5) -> list[WhatWorks]:
    """For each problem behind the weak areas (in their order), what works for it: practices whose pooled
    results on outcomes of that problem recommend them (evidence.selectors.practices_for_problems), never
    a practice matched by a broad theme alone, so that a council flagged on its workforce is not offered a
    parenting programme. An area whose signal has no problem (spending) asks for none."""
    problems: dict[str, list[str]] = {}
    for area in areas:
        if area.problem:
            problems.setdefault(area.problem, []).append(area.name)
    return what_works_for(problems, limit)


def what_works_for(problems: dict[str, list[str]], limit: int = 5) -> list[WhatWorks]:
    """What works for each problem (problem -> the names of the indicators behind it, in order), up to
    ``limit`` practices each: two queries whatever the number of problems. Validated local practice is
    listed once, under the first problem whose theme it has."""
    if not problems:
        return []
    found = practices_by_problem(list(problems), limit=limit)
    return [
        WhatWorks(problem, PROBLEM_LABELS[problem], names, found[problem])
        for problem, names in problems.items()
    ]


def suggestions(user, risk: AuthorityRisk) -> Suggestions:
    require_view(user, risk.authority)
    areas = weak_areas(risk)
    councils = strong_councils(risk.authority, areas)
    for council in councils:
        council["ask_url"] = ask_url(risk.authority, areas, risk.flagged, partner=council["authority"])
    works = what_works(areas)
    return Suggestions(
        areas=areas,
        practices=list({s.url: s for w in works for s in w.practices}.values()),
        councils=councils,
        specialists=available_specialists(user, risk.authority, areas),
        can_ask=can_ask_for_help(user, risk.authority),
        ask_url=ask_url(risk.authority, areas, risk.flagged),
        what_works=works,
    )


def backtest_report(user) -> BacktestReport | None:
    require_national(user, "see the backtest")
    return BacktestReport.objects.order_by("-created_at").first()


def director_changes(user):
    require_national(user, "record changes of director")
    return DirectorChange.objects.select_related("authority", "recorded_by").order_by("-started_on")[:50]


METRIC_LABELS = (
    ("roc_auc", "ROC AUC (0.5 is chance, 1 perfect)"),
    ("pr_auc", "PR AUC (average precision)"),
    ("brier", "Brier score (lower is better)"),
    ("precision_top", "Precision: share of the flagged judged so"),
    ("recall_top", "Recall: share of those judged so who were flagged"),
    ("calibration_slope", "Calibration slope (1 is calibrated; above 1, risks too close together)"),
    ("calibration_intercept", "Calibration intercept (0 is calibrated)"),
)
PREDICTOR_LABELS = {
    "model": "The hub's model",
    "previous_grade": "Previous grade only",
    "points": "Points score",
}
AIM_LABELS = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC",
    "calibration_slope": "Calibration slope",
    "yearly_mean": "Mean predicted risk against the observed rate, each calendar year",
}


def _number(value, places=2) -> str:
    return "Not defined" if value is None else f"{value:.{places}f}"


def _interval(pair, places=2) -> str:
    if not pair or pair[0] is None:
        return "Not defined"
    return f"{pair[0]:.{places}f} to {pair[1]:.{places}f}"


def _figure(metrics: dict, name: str) -> str:
    value = metrics.get(name)
    if value is None:
        return "Not defined"
    pair = metrics.get("intervals", {}).get(name)
    return f"{value:.2f}" + ("" if not pair or pair[0] is None else f" ({_interval(pair)})")


def _difference(d: dict) -> str:
    if d["difference"] is None:
        return "Not defined"
    return f"{d['difference'] + 0.0:+.2f} ({_interval(d['interval'])})".replace("-0.00", "0.00").replace(
        "+0.00", "0.00"
    )


def _aim(aim: dict, targets: dict) -> dict:
    label = targets[aim["target"]]["label"]
    if aim["metric"] == "yearly_mean":
        off = aim["years_off"]
        return {
            "aim": f"{AIM_LABELS['yearly_mean']} within {aim['within']:.2f} ({label})",
            "result": "Every year within" if aim["met"] else "Off in " + ", ".join(str(y) for y in off),
            "interval": "",
            "met": aim["met"],
        }
    bound = (
        f"between {aim['at_least']:.2f} and {aim['at_most']:.2f}"
        if aim.get("at_most") is not None
        else f"at least {aim['at_least']:.2f}"
    )
    return {
        "aim": f"{AIM_LABELS[aim['metric']]} {bound} ({label})",
        "result": _number(aim["value"]),
        "interval": _interval(aim["interval"]),
        "met": aim["met"],
    }


def _split_tables(split: dict) -> dict:
    if not split.get("evaluated"):
        return {**split, "rows": []}
    baselines = [name for name in PREDICTOR_LABELS if name != "model"]
    rows = [
        {
            "label": label,
            "figures": [_figure(split[name], m) for name in PREDICTOR_LABELS],
            "differences": [
                _difference(split["differences"][name][m]) if m in split["differences"][name] else ""
                for name in baselines
            ],
        }
        for m, label in METRIC_LABELS
    ]
    reliability = [
        {
            "range": f"{100 * b['lower']:.1f}% to {100 * b['upper']:.1f}%",
            "n": b["n"],
            "predicted": f"{100 * b['mean_predicted']:.1f}%",
            "observed": f"{100 * b['observed']:.1f}%",
        }
        for b in split["reliability"]
    ]
    yearly = [
        {
            "year": y["year"],
            "inspections": y["inspections"],
            "positives": y["positives"],
            "observed": f"{100 * y['observed']:.1f}%",
            "figures": [f"{100 * y[name]:.1f}%" for name in PREDICTOR_LABELS],
        }
        for y in split["yearly"]
    ]
    return {
        **split,
        "rows": rows,
        "baselines": [PREDICTOR_LABELS[name] for name in baselines],
        "reliability_rows": reliability,
        "yearly_rows": yearly,
    }


def backtest_tables(results: dict) -> dict:
    """The saved report as tables: the aims, then per target and split one row a metric, with the model's
    difference from each baseline, its reliability by tenths of predicted risk, and its years."""
    targets = {
        key: {
            "label": target["label"],
            "splits": [_split_tables(target[name]) for name in ("rolling", "leave_one_year_out")],
        }
        for key, target in results["targets"].items()
    }
    choices = [
        {
            "target": results["targets"][key]["label"],
            "january": date.fromisoformat(c["january"]),
            "signals": FEATURE_SET_LABELS[c["features"]],
            "penalty": "None: too little history yet" if c["log_loss"] is None else f"{c['penalty']:g}",
            "memory": "Every year alike"
            if c["half_life_years"] is None
            else f"Half weight after {c['half_life_years']:g} years",
            "held_out": c["held_out"],
            "edge": c["at_edge"],
        }
        for key, rows in results.get("choices", {}).items()
        for c in rows
    ]
    return {
        **results,
        "since": date.fromisoformat(results["since"]),
        "through": date.fromisoformat(results["through"]),
        "predictor_labels": list(PREDICTOR_LABELS.values()),
        "aims": [_aim(a, results["targets"]) for a in results.get("aims", [])],
        "targets": targets,
        "choices": choices,
        "releases": release_table(),
    }

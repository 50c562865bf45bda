"""Everything the risk model reads, loaded once from the database into plain dictionaries."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from slihub.indicators.models import AreaType, Value
from slihub.inspections.models import GRADED_KINDS, VISIT_KINDS, Inspection
from slihub.places.models import Authority, StatisticalNeighbour, Succession
from slihub.warning.features import (
    DFE_EQUIVALENTS,
    POPULATION,
    SIGNAL_CODES,
    SPEND,
    SPEND_PER_CHILD,
    WEAK,
    LastInspection,
)


@dataclass(frozen=True)
class Visit:
    kind: str
    published_on: date


@dataclass(frozen=True)
class Outcome:
    """A graded inspection as a training example: its authority, when, and what Ofsted found."""

    authority_id: int
    start_date: date
    published_on: date
    overall: str

    @property
    def month(self) -> date:
        """Inspections are scored as of the first day of the month they began in."""
        return self.start_date.replace(day=1)

    @property
    def inadequate(self) -> bool:
        return self.overall == "Inadequate"

    @property
    def below_good(self) -> bool:
        return self.overall in WEAK


@dataclass
class Panel:
    values: dict[str, dict[int, dict[int, float]]] = field(default_factory=dict)  # code -> la -> year -> v
    england: dict[str, dict[int, float]] = field(default_factory=dict)  # code -> year -> value
    neighbours: dict[str, dict[int, tuple[int, ...]]] = field(default_factory=dict)  # model -> la -> ids
    graded: dict[int, list[LastInspection]] = field(default_factory=dict)
    visits: dict[int, list[Visit]] = field(default_factory=dict)
    director_changes: dict[int, list[date]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    # figures derived from the above and shared by many snapshots (features._cached)
    cache: dict = field(default_factory=dict, repr=False, compare=False)


def _fill_years_lait_lacks(values: dict, england: dict, dfe_rows: list) -> None:
    """DfE's figure for a signal's year that LAIT does not hold at all (next year's release); never for
    a single cell LAIT left empty, which stays unknown."""
    lait_years = defaultdict(set)
    for code, by_la in values.items():
        for series in by_la.values():
            lait_years[code].update(series)
    for code, area, authority_id, year, value in dfe_rows:
        if year not in lait_years[code]:
            series = england[code] if area == AreaType.ENGLAND else values[code][authority_id]
            series[year] = value


def _spend_per_child(values: dict, england: dict) -> None:
    """Spend in the financial year to March Y over the child population at mid-year Y-1 (the summer
    inside that year), for each authority and England; the raw series are not signals themselves."""

    def per_child(spend: dict, population: dict) -> dict:
        return {y: s / population[y - 1] for y, s in spend.items() if population.get(y - 1)}

    spend, population = values.pop(SPEND, {}), values.pop(POPULATION, {})
    values[SPEND_PER_CHILD] = {la: per_child(s, population.get(la, {})) for la, s in spend.items()}
    england[SPEND_PER_CHILD] = per_child(england.pop(SPEND, {}), england.pop(POPULATION, {}))


def _inherit_history(graded: dict, visits: dict) -> None:
    """A successor council's history includes its predecessors' inspections and visits from before the
    reorganisation (Cumberland and Westmorland and Furness have Cumbria's), following chains, each
    graded one marked with the name it was inspected under. Only the features read them: the training
    outcomes stay one per inspection, on the authority Ofsted inspected."""
    before: dict[int, list[tuple[int, date]]] = defaultdict(list)  # successor -> (predecessor, effective)
    for predecessor, successor, effective in Succession.objects.values_list(
        "predecessor_id", "successor_id", "effective"
    ):
        before[successor].append((predecessor, effective))
    if not before:
        return
    # DfE's tables mark a council replaced in 2019 "(Pre LG)"; Ofsted inspected it under its own name.
    names = {
        i: name.removesuffix(" (Pre LG)")
        for i, name in Authority.objects.filter(successions_as_predecessor__isnull=False).values_list(
            "id", "name"
        )
    }
    own_graded, own_visits = {a: list(v) for a, v in graded.items()}, {a: list(v) for a, v in visits.items()}

    def ancestors(authority: int, until: date | None, seen: frozenset) -> list[tuple[int, date | None]]:
        """(predecessor, the date its history ends for this successor), nearest first."""
        found = []
        for predecessor, effective in before.get(authority, ()):
            if predecessor in seen:
                continue  # a cycle in a hand-made table: each council once
            cut = effective if until is None else min(effective, until)
            found.append((predecessor, cut))
            found += ancestors(predecessor, cut, seen | {predecessor})
        return found

    for successor in before:
        for predecessor, cut in ancestors(successor, None, frozenset({successor})):
            graded[successor] += [
                replace(i, as_authority=names[predecessor])
                for i in own_graded.get(predecessor, ())
                if i.start_date < cut
            ]
            visits[successor] += [v for v in own_visits.get(predecessor, ()) if v.published_on < cut]
        graded[successor].sort(key=lambda i: i.start_date)
        visits[successor].sort(key=lambda v: v.published_on)


def load_panel() -> Panel:
    from slihub.warning.models import DirectorChange  # the app's own model; features stay model-free

    panel = Panel()
    signal_of = {dfe: lait for lait, dfe in DFE_EQUIVALENTS.items()}
    rows = (
        Value.objects.filter(indicator__code__in=[*SIGNAL_CODES, SPEND, POPULATION], value__isnull=False)
        .exclude(area_type=AreaType.REGION)
        .order_by("period__sort_key")  # a later release of the same year (revised, final) wins
        .values_list("indicator__code", "area_type", "authority_id", "period__end_year", "value")
    )
    values: dict = defaultdict(lambda: defaultdict(dict))
    england: dict = defaultdict(dict)
    filling = []  # DfE's figures, for the years LAIT does not hold
    for code, area, authority_id, year, value in rows:
        if code in signal_of:
            filling.append((signal_of[code], area, authority_id, year, value))
        elif area == AreaType.ENGLAND:
            england[code][year] = value
        else:
            values[code][authority_id][year] = value
    _fill_years_lait_lacks(values, england, filling)
    _spend_per_child(values, england)
    panel.values, panel.england = values, england

    neighbours: dict = defaultdict(lambda: defaultdict(list))
    for model, authority_id, neighbour_id in StatisticalNeighbour.objects.order_by("rank").values_list(
        "model", "authority_id", "neighbour_id"
    ):
        neighbours[model][authority_id].append(neighbour_id)
    panel.neighbours = {m: {a: tuple(ns) for a, ns in by_la.items()} for m, by_la in neighbours.items()}

    graded, visits = defaultdict(list), defaultdict(list)
    for inspection in Inspection.objects.filter(kind__in=[*GRADED_KINDS, *VISIT_KINDS]).order_by(
        "start_date"
    ):
        if inspection.kind in VISIT_KINDS:
            visits[inspection.authority_id].append(Visit(inspection.kind, inspection.published_on))
            continue
        if not inspection.overall_effectiveness:
            continue  # a graded inspection whose judgments the sources do not give yet
        weak = sum(grade in WEAK for _, _, grade in inspection.judgments()[1:])
        graded[inspection.authority_id].append(
            LastInspection(
                inspection.start_date, inspection.published_on, inspection.overall_effectiveness, weak
            )
        )
        panel.outcomes.append(
            Outcome(
                inspection.authority_id,
                inspection.start_date,
                inspection.published_on,
                inspection.overall_effectiveness,
            )
        )
    _inherit_history(graded, visits)
    panel.graded, panel.visits = dict(graded), dict(visits)

    changes = defaultdict(list)
    for authority_id, started_on in DirectorChange.objects.values_list("authority_id", "started_on"):
        changes[authority_id].append(started_on)
    panel.director_changes = dict(changes)
    return panel

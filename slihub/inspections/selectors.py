"""Reads of the inspection history (all of it is published: no user scoping needed)."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from slihub.inspections.models import JUDGMENT_FIELDS, Grade, Inspection
from slihub.places.models import Authority, Succession


def history(authority: Authority) -> QuerySet[Inspection]:
    """Every inspection and visit of the authority, latest first."""
    return Inspection.objects.filter(authority=authority).order_by("-start_date", "kind")


def inherited_history(authority: Authority) -> QuerySet[Inspection]:
    """The inspections and visits of the councils the authority replaced (following chains), from before
    each reorganisation, latest first: Cumbria's for Cumberland. None for a council that replaced none."""
    cuts: dict[int, date] = {}  # predecessor id -> the day its history ends for this authority
    queue: list[tuple[int, date | None]] = [(authority.pk, None)]
    while queue:
        successor, until = queue.pop()
        for predecessor, effective in Succession.objects.filter(successor_id=successor).values_list(
            "predecessor_id", "effective"
        ):
            if predecessor == authority.pk or predecessor in cuts:
                continue
            cuts[predecessor] = effective if until is None else min(effective, until)
            queue.append((predecessor, cuts[predecessor]))
    if not cuts:
        return Inspection.objects.none()
    scope = Q()
    for predecessor, cut in cuts.items():
        scope |= Q(authority_id=predecessor, start_date__lt=cut)
    return Inspection.objects.filter(scope).select_related("authority").order_by("-start_date", "kind")


def latest_judgments(authority: Authority) -> Inspection | None:
    """The authority's latest standard or short inspection (the one with its current judgments), if any."""
    return history(authority).graded().first()


def _latest_graded_ids(current_only: bool) -> QuerySet:
    latest = Inspection.objects.graded().filter(authority=OuterRef("authority")).order_by("-start_date")
    authorities = Authority.objects.current() if current_only else Authority.objects.all()
    return Inspection.objects.filter(authority__in=authorities, pk=Subquery(latest.values("pk")[:1])).values(
        "pk"
    )


def national_counts(
    judgment: str = "overall_effectiveness", *, current_only: bool = True
) -> list[tuple[str, int]]:
    """How many authorities hold each grade in their latest inspection, Ofsted's grades best first,
    then ("", n) for those whose latest inspection lacks this judgment (none in the sources, or
    care leavers before 2023). Authorities never inspected are not counted."""
    if judgment not in JUDGMENT_FIELDS:
        raise ValueError(f"judgment must be one of {', '.join(JUDGMENT_FIELDS)}, not {judgment!r}")
    grades = list(
        Inspection.objects.filter(pk__in=_latest_graded_ids(current_only)).values_list(judgment, flat=True)
    )
    counts = [(grade, grades.count(grade)) for grade in Grade.values]
    return counts + [("", grades.count(""))]


def overview(authority: Authority) -> tuple[Inspection | None, list[Inspection]]:
    """(latest standard or short inspection, every inspection and visit latest first) in one query."""
    inspections = list(history(authority))
    return next((i for i in inspections if i.is_graded), None), inspections

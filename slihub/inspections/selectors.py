"""Reads of the inspection history (all of it is published: no user scoping needed)."""

from django.db.models import OuterRef, QuerySet, Subquery

from slihub.inspections.models import JUDGMENT_FIELDS, Grade, Inspection
from slihub.places.models import Authority


def history(authority: Authority) -> QuerySet[Inspection]:
    """Every inspection and visit of the authority, latest first."""
    return Inspection.objects.filter(authority=authority).order_by("-start_date", "kind")


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

"""A council's specific strengths, so that many councils can support others in their own areas of
strength, not only the few with the best overall grade.

Strengths, all from published data except the last:
- indicators at their latest period in the top quartile of England's councils (band A, in the direction
  of the indicator's polarity) or improving over the last three periods (the profile's trend);
- the judgments of its latest ILACS standard or short inspection found Good or Outstanding (as early
  warning's support suggestions count them);
- its validated local practice (the evidence library);
- its specialists listed in the exchange, counted for signed-in users only (the exchange is private).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slihub.evidence.models import LocalPractice
from slihub.exchange.selectors import listed_specialists
from slihub.indicators.models import Comparison, Trend
from slihub.inspections import selectors as inspections
from slihub.inspections.models import Grade, Inspection
from slihub.places.models import Authority

GOOD_ENOUGH = (Grade.OUTSTANDING, Grade.GOOD)


@dataclass(frozen=True)
class IndicatorStrength:
    name: str
    url: str
    period: str
    value: float | None
    rank: int | None
    ranked: int
    top_quartile: bool
    improving: bool

    @property
    def why(self) -> str:
        parts = []
        if self.top_quartile:
            parts.append(f"top quartile ({self.rank} of {self.ranked})" if self.rank else "top quartile")
        if self.improving:
            parts.append("improving over three periods")
        return " and ".join(parts)


@dataclass
class Strengths:
    authority: Authority
    indicators: list[IndicatorStrength] = field(default_factory=list)
    inspection: Inspection | None = None
    judgments: list[tuple[str, str]] = field(default_factory=list)  # (Ofsted's judgment name, grade)
    practice: list[LocalPractice] = field(default_factory=list)
    specialists: int | None = None  # None: not shown to this user

    @property
    def both(self) -> list[IndicatorStrength]:
        return [i for i in self.indicators if i.top_quartile and i.improving]


def strengths(user, authority: Authority) -> Strengths:
    found = Strengths(authority)
    latest: dict[int, tuple] = {}
    rows = (
        Comparison.objects.filter(authority=authority)
        .select_related("indicator", "period")
        .order_by("indicator_id", "period__sort_key")
    )
    for row in rows:
        latest[row.indicator_id] = row  # the last period wins
    for row in latest.values():
        top, improving = row.quartile == "A", row.trend_3 == Trend.IMPROVING
        if top or improving:
            found.indicators.append(
                IndicatorStrength(
                    name=row.indicator.name,
                    url=row.indicator.get_absolute_url(),
                    period=row.period.label,
                    value=row.value,
                    rank=row.rank,
                    ranked=row.ranked,
                    top_quartile=top,
                    improving=improving,
                )
            )
    found.indicators.sort(key=lambda i: (not (i.top_quartile and i.improving), not i.top_quartile, i.name))
    found.inspection = inspections.latest_judgments(authority)
    if found.inspection is not None:
        found.judgments = [
            (label, grade) for _, label, grade in found.inspection.judgments() if grade in GOOD_ENOUGH
        ]
    found.practice = list(
        LocalPractice.objects.filter(authority=authority, status=LocalPractice.Status.VALIDATED).order_by(
            "-published_at", "pk"
        )
    )
    if user.is_authenticated:
        found.specialists = listed_specialists(user).filter(authority=authority, consent_to_list=True).count()
    return found

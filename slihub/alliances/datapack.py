"""A council's data pack for its self-assessment, made from the hub's own data.

- The headline set (slihub.indicators.headline) at its latest period, against statistical
  neighbours, the region and England, with the last periods as a small chart and a table.
- Strengths and concerns across every indicator (the progress profile's rule: top quartile and
  improving; bottom quartile and declining).
- The latest Ofsted judgments and the visits since.
- Early-warning signals, only for those who may see the council's early-warning summary (its staff,
  its chief executive and lead member, its region's coordinators and national admins; never a
  moderator from another council).
- Exchange activity: loans given and received, and the reciprocity ledger's balance.

Reads: one query for the council's comparison rows, one for the indicators' metadata, one for the
inspections, two for early warning, three for the exchange.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max

from slihub.accounts.models import scope_of
from slihub.exchange.models import LedgerEntry, Loan
from slihub.indicators import headline as headline_set
from slihub.indicators import profile_selectors as ps
from slihub.indicators.models import Comparison, Indicator
from slihub.inspections.models import Inspection
from slihub.inspections.selectors import overview
from slihub.places.models import Authority
from slihub.warning.models import RiskScore, Target

SIGNALS_SHOWN = 6


@dataclass
class ExchangeActivity:
    loans_given: int = 0
    loans_received: int = 0
    days_given: Decimal = Decimal(0)  # lent days as the ledger credits them
    balance: Decimal = Decimal(0)
    recent: list[Loan] = field(default_factory=list)


@dataclass
class Signals:
    month: date | None
    probability: float | None = None
    rank: int | None = None
    scored: int | None = None
    raising: list[dict] = field(default_factory=list)
    lowering: list[dict] = field(default_factory=list)


@dataclass
class DataPack:
    authority: Authority
    headline: list[ps.ProfileRow]
    strengths: list[ps.Highlight]
    concerns: list[ps.Highlight]
    latest: Inspection | None
    visits: list[Inspection]
    signals: Signals | None  # None: not for this reader
    exchange: ExchangeActivity
    indicator_choices: list[tuple[str, str]]  # (slug, name) of the pack's indicators, for evidence links


def shows_signals(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return scope.can_view(authority) or authority.id in scope.leads


def _indicators(authority: Authority):
    """(headline rows, strengths, concerns, choices) from the council's comparison rows."""
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for row in Comparison.objects.filter(authority=authority).values_list(*ps._COMPARISON_FIELDS):
        by_indicator[row[ps.I_INDICATOR]].append(row)
    indicators = {
        i["id"]: i for i in Indicator.objects.filter(id__in=list(by_indicator)).values(*ps._INDICATOR_FIELDS)
    }
    for rows in by_indicator.values():
        rows.sort(key=lambda r: (r[ps.I_SORT], r[ps.I_LABEL]))
    # The headline set, as the profile opens with it: LAIT's series, or DfE's stand-in where it is not loaded.
    by_slug = {i["slug"]: i for i in indicators.values()}
    headline_ids = []
    for item in headline_set.HEADLINE:
        found = next((by_slug[slug] for slug in item.slugs if slug in by_slug), None)
        if found is not None:
            headline_ids.append(found["id"])
    url = ps._indicator_urls()
    headline = [
        ps._row(
            indicators[i],
            by_indicator[i],
            authority,
            use_2021=False,
            comparator_values=None,
            url=url(indicators[i]["slug"]),
        )
        for i in headline_ids
    ]
    strengths, concerns = [], []
    order = sorted(by_indicator, key=lambda i: (indicators[i]["name"].casefold(), indicators[i]["code"]))
    for indicator_id in order:
        indicator, last = indicators[indicator_id], by_indicator[indicator_id][-1]
        quartile, trend = last[ps.I_QUARTILE], last[ps.I_TREND_3]
        strong, weak = ps._is_strength(quartile, trend), ps._is_concern(quartile, trend)
        if strong or weak:
            (strengths if strong else concerns).append(
                ps.Highlight(
                    indicator_id,
                    indicator["name"],
                    indicator["theme"],
                    last[ps.I_LABEL],
                    ps.Figure.of(last[ps.I_VALUE], last[ps.I_STATUS], indicator["decimal_places"]),
                )
            )
    linkable = [*headline_ids, *(h.indicator_id for h in strengths), *(h.indicator_id for h in concerns)]
    choices = list(
        dict.fromkeys(
            (indicators[i]["slug"], indicators[i]["name"]) for i in linkable if indicators[i]["slug"]
        )
    )
    return headline, strengths, concerns, choices


def _signals(authority: Authority) -> Signals:
    month = RiskScore.objects.aggregate(m=Max("month"))["m"]
    result = Signals(month)
    if month is None:
        return result
    score = RiskScore.objects.filter(authority=authority, month=month, target=Target.INADEQUATE).first()
    if score is None:
        return result
    result.probability, result.rank, result.scored = score.probability * 100, score.rank, score.scored
    result.raising = [s for s in score.signals if s.get("contribution", 0) > 0][:SIGNALS_SHOWN]
    result.lowering = [s for s in score.signals if s.get("contribution", 0) < 0][:SIGNALS_SHOWN]
    return result


def _exchange(authority: Authority) -> ExchangeActivity:
    agreed = Loan.objects.filter(status__in=Loan.AGREED)
    activity = ExchangeActivity(
        loans_given=agreed.filter(lender=authority).count(),
        loans_received=agreed.filter(borrower=authority).count(),
    )
    entries = list(LedgerEntry.objects.filter(authority=authority).values_list("days", flat=True))
    activity.balance = sum(entries, Decimal(0))
    activity.days_given = sum((d for d in entries if d > 0), Decimal(0))
    activity.recent = list(
        agreed.filter(lender=authority).select_related("borrower").order_by("-start")[:3]
    ) + list(agreed.filter(borrower=authority).select_related("lender").order_by("-start")[:3])
    return activity


def data_pack(user, authority: Authority) -> DataPack:
    """The pack for `authority` as `user` may see it (the caller has checked they may read the
    council's self-assessment)."""
    headline, strengths, concerns, choices = _indicators(authority)
    latest, inspections = overview(authority)
    since = latest.start_date if latest else date.min
    visits = [i for i in inspections if not i.is_graded and i.start_date >= since][:6]
    return DataPack(
        authority=authority,
        headline=headline,
        strengths=strengths,
        concerns=concerns,
        latest=latest,
        visits=visits,
        signals=_signals(authority) if shows_signals(user, authority) else None,
        exchange=_exchange(authority),
        indicator_choices=choices,
    )

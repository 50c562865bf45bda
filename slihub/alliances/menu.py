"""The menu of support: councils' asks (what they want help with) and offers (what they can share,
backed by their strengths), read across the region and nationally, and matched.

Reads: every signed-in council, chief executive, lead member, coordinator or national user reads the
whole menu (Ask/Offer.objects.visible_to); the public reads none of it.
Writes: a council's members and admins post, change and close their own council's asks and offers;
national admins any council's. Keyword-only arguments, one transaction each, audited by the registry.
An offer may link only its own council's strengths: indicators where it is in England's top quartile or
improving, its active specialists listed in the exchange with their consent, its validated local practice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances import menu_matching
from slihub.alliances.models import Ask, MenuStatus, Offer, SupportAgreement, support_year
from slihub.evidence.models import LocalPractice
from slihub.exchange.models import Specialist
from slihub.exchange.selectors import listed_specialists
from slihub.exchange.taxonomy import LABELS
from slihub.govuk import has_control_characters
from slihub.indicators.models import Comparison, Indicator, Trend
from slihub.places.models import Authority

MAX_INDICATORS = 20
MATCHES_SHOWN = 3


# Who may do what -------------------------------------------------------------------------------------


def can_read(user) -> bool:
    scope = scope_of(user)
    return bool(scope.national or scope.member_of or scope.leads or scope.coordinates)


def require_read(user) -> None:
    if not can_read(user):
        raise PermissionDenied("The menu of support is for councils, alliances and national admins.")


def can_post(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return scope.national or authority.id in scope.member_of


def require_post(user, authority: Authority) -> None:
    if not can_post(user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff post and change its asks and offers.")


# Strengths that back an offer ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorStanding:
    """Where a council stands on one indicator at its latest figure: England's quartile (A best, in the
    direction of the indicator's polarity) and its trend over three periods."""

    slug: str
    name: str
    period: str
    rank: int | None
    ranked: int
    quartile: str
    trend: str

    @property
    def top_quartile(self) -> bool:
        return self.quartile == "A"

    @property
    def improving(self) -> bool:
        return self.trend == Trend.IMPROVING

    @property
    def strong(self) -> bool:
        return self.top_quartile or self.improving

    @property
    def weak(self) -> bool:
        return self.quartile == "D" or self.trend == Trend.DECLINING

    @property
    def why(self) -> str:
        """In words: why it is a strength, or a need."""
        parts = []
        if self.top_quartile or self.quartile == "D":
            where = "top quartile" if self.top_quartile else "bottom quartile"
            parts.append(f"{where} ({self.rank} of {self.ranked})" if self.rank else where)
        if self.trend in (Trend.IMPROVING, Trend.DECLINING):
            parts.append(f"{self.trend} over three periods")
        return " and ".join(parts)


def _standings(authority_ids, slugs=None, *, keep) -> dict[int, dict[str, IndicatorStanding]]:
    """{authority id: {slug: standing}} at each council's latest figure, where `keep(standing)`. One query;
    `slugs` narrows it to those indicators."""
    rows = Comparison.objects.filter(authority_id__in=list(authority_ids))
    if slugs is not None:
        rows = rows.filter(indicator__slug__in=list(slugs))
    latest: dict[tuple[int, str], tuple] = {}
    for row in rows.order_by("period__sort_key").values_list(
        "authority_id",
        "indicator__slug",
        "indicator__name",
        "period__label",
        "rank",
        "ranked",
        "quartile",
        "trend_3",
    ):
        latest[(row[0], row[1])] = row  # the last period wins
    found: dict[int, dict[str, IndicatorStanding]] = {}
    for (authority_id, slug), row in latest.items():
        standing = IndicatorStanding(slug, *row[2:])
        if keep(standing):
            found.setdefault(authority_id, {})[slug] = standing
    return found


def indicator_strengths(authority_ids, slugs=None) -> dict[int, dict[str, IndicatorStanding]]:
    """Where each council is in England's top quartile or improving, at its latest figure."""
    return _standings(authority_ids, slugs, keep=lambda s: s.strong)


def council_indicator_strengths(authority: Authority) -> list[IndicatorStanding]:
    """The council's indicator strengths, both kinds first, then top quartile, then by name."""
    found = list(indicator_strengths([authority.id]).get(authority.id, {}).values())
    return sorted(found, key=lambda i: (not (i.top_quartile and i.improving), not i.top_quartile, i.name))


def council_indicator_needs(authority: Authority) -> list[IndicatorStanding]:
    """Where the council is in England's bottom quartile or declining at its latest figure: what an ask
    may name as showing the need. Both first, then bottom quartile, then by name."""
    found = list(_standings([authority.id], keep=lambda s: s.weak).get(authority.id, {}).values())
    both = "D", Trend.DECLINING
    return sorted(found, key=lambda i: ((i.quartile, i.trend) != both, i.quartile != "D", i.name))


def backing_specialists(user, authority: Authority):
    """The council's own active specialists, listed in the exchange with their consent."""
    return listed_specialists(user).filter(authority=authority, consent_to_list=True)


def backing_practice(authority: Authority):
    return LocalPractice.objects.filter(authority=authority, status=LocalPractice.Status.VALIDATED).order_by(
        "title", "pk"
    )


# Writes ----------------------------------------------------------------------------------------------


def _text(errors: dict, name: str, label: str, value: str, *, limit: int, missing: str = "") -> str:
    """The text stripped; `missing`: the error when it is empty (none: it may be empty)."""
    value = (value or "").strip()
    if has_control_characters(value):
        errors[name] = f"{label} must not include control characters, such as a null character"
    elif missing and not value:
        errors[name] = missing
    elif len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer"
    return value


def _common(errors: dict, *, area: str, title: str, details: str) -> tuple[str, str, str]:
    if area not in LABELS:
        errors["area"] = "Choose an area of support"
    title = _text(errors, "title", "Title", title, limit=200, missing="Enter a title")
    details = _text(errors, "details", "Details", details, limit=5000)
    return area, title, details


def _indicator_slugs(errors: dict, slugs) -> list[str]:
    chosen = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    if len(chosen) > MAX_INDICATORS:
        errors["indicators"] = f"Choose {MAX_INDICATORS} indicators or fewer"
        return chosen
    if any(has_control_characters(s) or len(s) > 100 for s in chosen):
        errors["indicators"] = (
            "Enter indicators by their short names, like care-leavers-in-suitable-accommodation"
        )
        return chosen
    known = set(Indicator.objects.filter(slug__in=chosen).values_list("slug", flat=True))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        errors["indicators"] = f"No indicator has the short name {', '.join(unknown)}"
    return chosen


def _ask_fields(*, authority, area, title, details, indicators) -> dict:
    errors: dict[str, str] = {}
    area, title, details = _common(errors, area=area, title=title, details=details)
    chosen = _indicator_slugs(errors, indicators)
    if errors:
        raise ValidationError(errors)
    return {"area": area, "title": title, "details": details, "indicators": chosen}


def _offer_fields(*, user, authority, area, title, details, indicators, specialists, practices, kept=()):
    """The offer's fields, checked: its indicators, specialists and practice must be the council's own
    strengths (`kept`: indicators the offer already names, which stay allowed if the figures change)."""
    errors: dict[str, str] = {}
    area, title, details = _common(errors, area=area, title=title, details=details)
    chosen = _indicator_slugs(errors, indicators)
    if "indicators" not in errors:
        strong = set(indicator_strengths([authority.id], chosen).get(authority.id, {})) | set(kept)
        weak = [s for s in chosen if s not in strong]
        if weak:
            errors["indicators"] = (
                f"Choose only indicators where {authority.name} is in England's top quartile or improving; "
                f"not {', '.join(weak)}"
            )
    specialist_ids = _ids(specialists)
    own_specialists = list(
        Specialist.objects.filter(
            pk__in=[i for i in specialist_ids if isinstance(i, int)],
            authority=authority,
            is_active=True,
            consent_to_list=True,
        )
    )
    if len(own_specialists) != len(specialist_ids):
        errors["specialists"] = f"Choose only {authority.name}'s own specialists listed in the exchange"
    practice_ids = _ids(practices)
    own_practice = list(
        backing_practice(authority).filter(pk__in=[i for i in practice_ids if isinstance(i, int)])
    )
    if len(own_practice) != len(practice_ids):
        errors["practices"] = f"Choose only {authority.name}'s own validated local practice"
    if errors:
        raise ValidationError(errors)
    return (
        {"area": area, "title": title, "details": details, "indicators": chosen},
        own_specialists,
        own_practice,
    )


def _ids(values) -> list[int | str]:
    """Record ids as given, whole numbers read as such; anything else stays as text and matches nothing."""
    out = []
    for value in values:
        text = str(value).strip()
        out.append(int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text)
    return list(dict.fromkeys(out))


def _check_council(user, authority: Authority) -> None:
    require_post(user, authority)
    if not authority.is_current:
        raise ValidationError({"authority": f"{authority.name} no longer exists; post for its successor"})


@transaction.atomic
def post_ask(*, user, authority: Authority, area: str, title: str, details: str = "", indicators=()) -> Ask:
    _check_council(user, authority)
    values = _ask_fields(authority=authority, area=area, title=title, details=details, indicators=indicators)
    return Ask.objects.create(authority=authority, posted_by=user, **values)


@transaction.atomic
def update_ask(*, user, ask: Ask, area: str, title: str, details: str = "", indicators=()) -> Ask:
    require_post(user, ask.authority)
    values = _ask_fields(
        authority=ask.authority, area=area, title=title, details=details, indicators=indicators
    )
    for name, value in values.items():
        setattr(ask, name, value)
    ask.save()
    return ask


@transaction.atomic
def post_offer(
    *,
    user,
    authority: Authority,
    area: str,
    title: str,
    details: str = "",
    indicators=(),
    specialists=(),
    practices=(),
) -> Offer:
    _check_council(user, authority)
    values, own_specialists, own_practice = _offer_fields(
        user=user,
        authority=authority,
        area=area,
        title=title,
        details=details,
        indicators=indicators,
        specialists=specialists,
        practices=practices,
    )
    offer = Offer.objects.create(authority=authority, posted_by=user, **values)
    offer.specialists.set(own_specialists)
    offer.practices.set(own_practice)
    return offer


@transaction.atomic
def update_offer(
    *,
    user,
    offer: Offer,
    area: str,
    title: str,
    details: str = "",
    indicators=(),
    specialists=(),
    practices=(),
) -> Offer:
    require_post(user, offer.authority)
    values, own_specialists, own_practice = _offer_fields(
        user=user,
        authority=offer.authority,
        area=area,
        title=title,
        details=details,
        indicators=indicators,
        specialists=specialists,
        practices=practices,
        kept=offer.indicators,
    )
    for name, value in values.items():
        setattr(offer, name, value)
    offer.save()
    offer.specialists.set(own_specialists)
    offer.practices.set(own_practice)
    return offer


@transaction.atomic
def set_status(*, user, item: Ask | Offer, status: str) -> Ask | Offer:
    """Close an ask or offer (met, withdrawn), or open it again."""
    require_post(user, item.authority)
    if status not in MenuStatus.values:
        raise ValidationError({"status": "Choose open or closed"})
    if item.status != status:
        item.status = status
        item.save(update_fields=["status", "updated_at"])
    return item


# Reads -----------------------------------------------------------------------------------------------


def _filtered(queryset, *, region=None, area: str = "", authority=None, status: str = MenuStatus.OPEN):
    if status in MenuStatus.values:
        queryset = queryset.filter(status=status)
    if region is not None:
        queryset = queryset.filter(authority__region=region)
    if area:
        queryset = queryset.filter(area=area)
    if authority is not None:
        queryset = queryset.filter(authority=authority)
    return queryset.select_related("authority", "authority__region").order_by("-posted_at", "id")


def asks(user, **filters):
    """Asks the user may read, newest first; open ones unless `status` says otherwise ('' for all)."""
    return _filtered(Ask.objects.visible_to(user), **filters)


def offers(user, **filters):
    """Offers the user may read, newest first, with their specialists and practice."""
    return _filtered(Offer.objects.visible_to(user), **filters).prefetch_related(
        Prefetch("specialists", queryset=Specialist.objects.order_by("id")),
        Prefetch("practices", queryset=LocalPractice.objects.order_by("title", "id")),
    )


def ask(user, pk: int) -> Ask:
    found = asks(user, status="").filter(pk=pk).first()
    if found is None:
        raise Http404("No such ask.")
    return found


def offer(user, pk: int) -> Offer:
    found = offers(user, status="").filter(pk=pk).first()
    if found is None:
        raise Http404("No such offer.")
    return found


def indicator_names(items) -> dict[str, str]:
    """{slug: name} for every indicator the asks and offers name (one query)."""
    slugs = {slug for item in items for slug in item.indicators}
    return dict(Indicator.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def label(items, names: dict[str, str] | None = None) -> list:
    """Puts each item's area label and [(slug, name)] of its indicators on it, for the pages."""
    items = list(items)
    names = indicator_names(items) if names is None else names
    for item in items:
        item.area_label = LABELS.get(item.area, item.area)
        item.indicator_list = [(slug, names.get(slug, slug)) for slug in item.indicators]
    return items


def year_bounds(today: date) -> tuple[date, date]:
    year = support_year(today)
    return date(year, 4, 1), date(year + 1, 3, 31)


def days_given(authority_ids, today: date | None = None) -> dict[int, int]:
    """Agreed support days each council gives in this year (April to March), cancelled ones not counted."""
    start, end = year_bounds(today or timezone.localdate())
    rows = (
        SupportAgreement.objects.counting()
        .filter(supporting_id__in=list(authority_ids), starts_on__gte=start, starts_on__lte=end)
        .values("supporting_id")
        .annotate(total=Sum("days"))
    )
    return {row["supporting_id"]: row["total"] or 0 for row in rows}


@dataclass
class OfferMatch:
    offer: Offer
    reasons: tuple[str, ...]
    same_region: bool


@dataclass
class AskMatches:
    regional: list[OfferMatch] = field(default_factory=list)
    national: list[OfferMatch] = field(default_factory=list)


def match_asks(asks_list, *, today: date | None = None, limit: int = MATCHES_SHOWN) -> dict[int, AskMatches]:
    """{ask id: its best open offers in its region, then nationally}: a fixed handful of queries, however
    many asks and offers there are."""
    asks_list = list(asks_list)
    if not asks_list:
        return {}
    open_offers = list(Offer.objects.open().select_related("authority", "authority__region").order_by("id"))
    slugs = {slug for a in asks_list for slug in a.indicators}
    owners = {o.authority_id for o in open_offers}
    strong = indicator_strengths(owners, slugs) if slugs else {}
    load = days_given(owners, today)
    names = dict(Indicator.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
    facts = [
        menu_matching.OfferFacts(
            id=o.id,
            authority_id=o.authority_id,
            authority_name=o.authority.name,
            region_id=o.authority.region_id,
            area=o.area,
            indicators=tuple(o.indicators),
            strengths={
                slug: (s.top_quartile, s.improving) for slug, s in strong.get(o.authority_id, {}).items()
            },
            days_given=load.get(o.authority_id, 0),
        )
        for o in open_offers
    ]
    by_id = {o.id: o for o in open_offers}
    found = {}
    for item in asks_list:
        need = menu_matching.AskFacts(
            id=item.id,
            authority_id=item.authority_id,
            region_id=item.authority.region_id,
            area=item.area,
            indicators=tuple(item.indicators),
        )
        regional, national = menu_matching.best_matches(need, facts, limit=limit, names=names)
        found[item.id] = AskMatches(
            regional=[OfferMatch(by_id[m.offer_id], m.reasons, True) for m in regional],
            national=[OfferMatch(by_id[m.offer_id], m.reasons, False) for m in national],
        )
    return found

"""The home page's "Your pages": the pages a signed-in person is most likely to want, by what they are.

Only links the person can use are listed (each follows the rule its page applies), so nobody is offered a
page that answers 403.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances import selectors as alliances
from slihub.alliances.models import Alliance
from slihub.places.models import Authority, Region


@dataclass
class Section:
    heading: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (words, address)


def _council(authority: Authority, scope, alliance: Alliance | None, today) -> Section:
    code = authority.code
    staff = authority.id in scope.member_of  # council member, admin or director
    links = [
        (
            f"{authority.name}'s page: Ofsted judgments and statistical neighbours",
            reverse("authority-detail", args=[code]),
        ),
        (
            f"{authority.name}'s progress profile: strengths and concerns on every indicator",
            reverse("authority-profile", args=[code]),
        ),
        (
            f"{authority.name}'s early warning: the risk of a poor next inspection and why",
            reverse("warning-authority", args=[code]),
        ),
    ]
    cycle = alliances.current_cycle(alliance, today) if alliance else None
    if cycle is not None:
        links.append(
            (
                f"{authority.name}'s self-assessment for {cycle.year} to {cycle.year + 1}",
                reverse("self-assessment", args=[code, cycle.year]),
            )
        )
    if staff:
        links += [
            (f"{authority.name}'s specialist bank, help requests and loans", reverse("exchange-home")),
            (f"{authority.name}'s ledger of days lent and borrowed", reverse("exchange-ledger", args=[code])),
            ("Local practice: submit your own, and validate other councils'", reverse("evidence-local")),
        ]
    links.append(
        (
            f"{authority.name}'s forecast of children looked after and its cost",
            reverse("forecast-authority", args=[code]),
        )
    )
    links.append(("The annual survey of directors", reverse("survey-home")))  # answers or results
    if authority.id in scope.admin_of:
        links.append(
            (f"{authority.name}'s people: invite and remove members", reverse("council-people", args=[code]))
        )
    return Section(authority.name, links)


def _region(region: Region, alliance: Alliance | None) -> Section:
    links = []
    if alliance is not None:
        links.append(
            (
                f"The {region.name} alliance: where each council stands in the cycle",
                reverse("alliance-detail", args=[region.slug]),
            )
        )
    links += [
        (f"Early warning for {region.name}'s councils", reverse("warning-watchlist")),
        ("Local practice waiting for peer validators", reverse("evidence-local")),
        ("Help requests and loans of your councils", reverse("exchange-requests")),
        ("Publish a workshop", reverse("workshop-new")),
    ]
    return Section(f"{region.name} alliance", links)


def _national(scope) -> Section:
    links = []
    if scope.national:
        links += [
            ("People: accounts, roles and invitations", reverse("people-list")),
            ("Early warning watchlist for every council", reverse("warning-watchlist")),
            ("How well the early warning has predicted inspections", reverse("warning-backtest")),
            ("Exchange flows and balances across England", reverse("exchange-overview")),
            ("The annual survey: questions, responses and results", reverse("survey-home")),
            ("Imports and scheduled jobs", reverse("job-list")),
            ("Load ONS population projections for the forecasts", reverse("forecast-projections")),
            ("The audit log of every change to private records", reverse("audit-log")),
        ]
    links.append(("Study uploads waiting for review", reverse("evidence-uploads")))
    return Section("Across England", links)


def your_pages(user) -> list[Section]:
    if not user.is_authenticated:
        return []
    scope = scope_of(user)
    today = timezone.localdate()
    ids = scope.member_of | scope.leads
    councils = Authority.objects.filter(pk__in=ids).select_related("region").order_by("name")
    regions = Region.objects.filter(pk__in=scope.coordinates).order_by("name")
    by_region = {
        a.region_id: a
        for a in Alliance.objects.filter(
            region_id__in=[c.region_id for c in councils] + [r.pk for r in regions]
        )
    }
    sections = [_council(a, scope, by_region.get(a.region_id), today) for a in councils]
    sections += [_region(r, by_region.get(r.pk)) for r in regions]
    if scope.edits_evidence:
        sections.append(_national(scope))
    return sections

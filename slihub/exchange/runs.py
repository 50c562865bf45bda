"""Matching against the hub's records: build an engine Instance from the database, solve it with
slihub.stats.matching, and store the proposals (loans in the `proposed` state) with their explanations.

Expertise goes to the engine as the taxonomy's labels, so explanations read "Front door and MASH".
Declined pairs are read back in, so a declined proposal never comes again; specialists and requests
that already have a proposal awaiting an answer wait for it; agreed loans are cut out of their
specialists' availability and count as out on loan for the spreading cap.
"""

from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from slihub.accounts.models import scope_of
from slihub.exchange import services, taxonomy
from slihub.exchange.models import Decline, HelpRequest, LedgerEntry, Loan, MatchRun, Specialist
from slihub.places.models import Authority, Boundary, Region
from slihub.stats import matching

ENGLAND = (52.56, -1.46)  # lat, lon: for an authority without a boundary


def centroid(geometry: dict) -> tuple[float, float]:
    """(lat, lon): the area-weighted centroid of the largest polygon's outer ring."""
    polygons = (
        geometry["coordinates"] if geometry.get("type") == "MultiPolygon" else [geometry["coordinates"]]
    )
    best = None
    for polygon in polygons:
        ring = polygon[0]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > abs(best[0])):
            best = (a, cx / (3 * a), cy / (3 * a))
    if best is None:
        return ENGLAND
    return best[2], best[1]


def _free_windows(windows, booked) -> list[tuple[date, date]]:
    """Availability windows less the agreed loans' periods."""
    free = []
    for start, end in windows:
        pieces = [(start, end)]
        for b_start, b_end in booked:
            nxt = []
            for s, e in pieces:
                if b_end < s or b_start > e:
                    nxt.append((s, e))
                    continue
                if s < b_start:
                    nxt.append((s, b_start - timedelta(days=1)))
                if b_end < e:
                    nxt.append((b_end + timedelta(days=1), e))
            pieces = nxt
        free += pieces
    return free


def build_instance(*, region: Region | None = None, today: date | None = None):
    """(Instance, specialists by reference, requests by reference)."""
    today = today or date.today()
    pending = Loan.objects.filter(status=Loan.Status.PROPOSED)
    requests = HelpRequest.objects.filter(status=HelpRequest.Status.OPEN, end__gte=today).exclude(
        loans__status__in=[Loan.Status.PROPOSED, *Loan.AGREED]
    )
    if region is not None:
        requests = requests.filter(authority__region=region)
    requests = list(requests.distinct().select_related("authority").order_by("id"))
    specialists = list(
        Specialist.objects.filter(is_active=True, consent_to_list=True)
        .exclude(pk__in=pending.values("specialist"))
        .select_related("authority")
        .prefetch_related("windows")
        .order_by("id")
    )
    booked: dict[int, list] = {}
    for s_id, start, end in Loan.objects.filter(status__in=Loan.AGREED).values_list(
        "specialist", "start", "end"
    ):
        booked.setdefault(s_id, []).append((start, end))

    engine_specialists, by_ref = [], {}
    for s in specialists:
        windows = _free_windows([(w.start, w.end) for w in s.windows.all()], booked.get(s.id, []))
        if not windows or not s.expertise:
            continue
        engine_specialists.append(
            matching.Specialist(
                id=s.reference,
                council=s.authority.code,
                role=s.role,
                seniority=s.seniority,
                expertise=frozenset(taxonomy.labels(s.expertise)),
                available=tuple(windows),
                days_per_week=float(s.days_per_week),
                modes=frozenset(s.modes),
            )
        )
        by_ref[s.reference] = s
    engine_requests = [
        matching.Request(
            id=r.reference,
            council=r.authority.code,
            expertise_needed=frozenset(taxonomy.labels(r.expertise_needed)),
            start=r.start,
            end=r.end,
            days_per_week=float(r.days_per_week),
            mode=r.mode,
            urgency=r.urgency,
        )
        for r in requests
    ]
    request_by_ref = {r.reference: r for r in requests}

    ids = {s.authority_id for s in by_ref.values()} | {r.authority_id for r in requests}
    bank = Counter(
        Specialist.objects.filter(is_active=True, authority__in=ids).values_list("authority", flat=True)
    )
    on_loan = Counter()
    for lender, _ in (
        Loan.objects.filter(status__in=[Loan.Status.ACCEPTED, Loan.Status.ACTIVE], lender__in=ids)
        .values_list("lender", "specialist")
        .distinct()
    ):
        on_loan[lender] += 1
    balance = {
        row["authority"]: float(row["total"])
        for row in LedgerEntry.objects.filter(authority__in=ids)
        .values("authority")
        .annotate(total=Sum("days"))
    }
    centroids = {b.authority_id: centroid(b.geometry) for b in Boundary.objects.filter(authority__in=ids)}
    listed = Counter(s.council for s in engine_specialists)
    councils = []
    for a in Authority.objects.filter(id__in=ids).order_by("id"):
        lat, lon = centroids.get(a.id, ENGLAND)
        size = max(bank[a.id], listed[a.code] + on_loan[a.id])
        councils.append(
            matching.Council(
                code=a.code,
                name=a.name,
                lat=lat,
                lon=lon,
                balance_days=balance.get(a.id, 0.0),
                bank_size=size,
                on_loan=min(on_loan[a.id], size),
            )
        )
    declined = {
        (f"R{r}", f"S{s}")
        for r, s in Decline.objects.values_list("request", "specialist")
        if f"R{r}" in request_by_ref and f"S{s}" in by_ref
    }
    instance = matching.Instance(
        councils=tuple(councils),
        specialists=tuple(engine_specialists),
        requests=tuple(engine_requests),
        declined=frozenset(declined),
    )
    return instance, by_ref, request_by_ref


def run_matching(
    *, user=None, dry_run: bool = False, region: Region | None = None, today: date | None = None
):
    """Solve and, unless dry_run, store the proposals. user None is the command line (trusted).
    Returns (MatchRun or None, MatchResult)."""
    if user is not None:
        scope = scope_of(user)
        if not scope.national:
            if region is None and len(scope.coordinates) == 1:
                region = Region.objects.get(pk=next(iter(scope.coordinates)))
            if region is None or region.id not in scope.coordinates:
                raise PermissionDenied("Only national admins and alliance coordinators can run matching.")
    with transaction.atomic():
        instance, specialists, requests = build_instance(region=region, today=today)
        result = matching.solve(instance)
        if dry_run:
            transaction.set_rollback(True)
            return None, result
        run = MatchRun.objects.create(
            created_by=user,
            region=region,
            requests_considered=len(instance.requests),
            specialists_considered=len(instance.specialists),
            declined_pairs=len(instance.declined),
            total_fit=result.total_fit,
            objective=result.objective,
            greedy_total_fit=result.greedy.total_fit,
            unassigned=[{"request": r, "reason": reason} for r, reason in result.unassigned],
        )
        for a in result.assignments:
            services.propose_loan(
                request=requests[a.request],
                specialist=specialists[a.specialist],
                run=run,
                score=a.score,
                components=a.components,
                explanation=a.explanation,
                alternatives=[
                    {"specialist": x.specialist, "score": x.score, "why_not": x.why_not}
                    for x in a.alternatives
                ],
            )
        return run, result

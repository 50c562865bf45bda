"""A proposed loan in people's words: who, when and why first; the score's parts only on request.

Matching stores each proposal's fit in points per component (stats.matching.COMPONENTS); the people who
accept or decline a proposal need the reasons, not the arithmetic, so the words are worked out here from
the loan, its request and its specialist, and the points go in a "How this match was scored" table."""

from dataclasses import dataclass

from django.utils.formats import date_format

from slihub.accounts.models import scope_of
from slihub.exchange import selectors
from slihub.exchange.models import HelpRequest, Loan, Mode
from slihub.stats.matching import COMPONENTS, Settings

WEIGHTS = {name: getattr(Settings(), f"weight_{name}") for name in COMPONENTS}
DISTANCE_SCALE_KM = Settings().distance_scale_km
NEAR_KM = 50  # on site within this distance (between council centres) is "near"

# What each part of the fit measures, as the "How this match was scored" table says it.
COMPONENT_WORDS = {
    "expertise": "Expertise asked for that the specialist has",
    "seniority": "Seniority",
    "availability": "How closely the specialist's free time fits the dates",
    "distance": "Distance, for work on site",
    "urgency": "How urgent the request is",
    "reciprocity": "What the borrowing council has lent before",
}


@dataclass(frozen=True)
class ScoreRow:
    what: str
    points: float
    out_of: float


def _lower_first(text: str) -> str:
    """'Team manager' becomes 'team manager'; 'IRO' and 'MASH lead' keep their capitals."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _day(value) -> str:
    return date_format(value, "j F Y")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _free_from(loan: Loan):
    """The start of the specialist's free time that holds the loan (the loan's own start if none does)."""
    for window in loan.specialist.windows.all():
        if window.start <= loan.start and window.end >= loan.end:
            return window.start
    return loan.start


def reasons(loan: Loan, *, you: str) -> list[str]:
    """Why this specialist, in words: expertise, distance or remote work, and urgency. `you` is how the
    borrowing council is named to this reader ("you" to its own staff, else its name)."""
    request: HelpRequest = loan.request
    needed = request.expertise_labels()
    has = set(loan.specialist.expertise)
    covered = [
        _lower_first(label) for key, label in zip(request.expertise_needed, needed, strict=True) if key in has
    ]
    said = []
    if covered and len(covered) == len(needed):
        said.append(f"has the expertise {you} asked for ({_and(covered)})")
    elif covered:
        said.append(
            f"has {len(covered)} of the {len(needed)} kinds of expertise {you} asked for ({_and(covered)})"
        )
    if request.mode == Mode.ON_SITE:
        share = (loan.components or {}).get("distance")
        if share is not None and WEIGHTS["distance"]:
            km = (1 - share / WEIGHTS["distance"]) * DISTANCE_SCALE_KM
            if km <= NEAR_KM:
                said.append("near you" if you == "you" else f"near {you}")
            elif share > 0:
                said.append(f"about {km:.0f} km away")
            else:
                said.append(f"{DISTANCE_SCALE_KM:.0f} km or more away")
    else:
        said.append("the work can be done remotely")
    if request.urgency == HelpRequest.Urgency.URGENT:
        said.append("the request is urgent")
    return said


def score_rows(loan: Loan) -> list[ScoreRow]:
    components = loan.components or {}
    return [
        ScoreRow(COMPONENT_WORDS[name], components[name], WEIGHTS[name])
        for name in COMPONENTS
        if name in components
    ]


def proposal(user, loan: Loan) -> dict:
    """A proposed (or agreed) loan for this reader: a headline naming who, where from, what they do and
    when they are free, then why, and the score's parts for the details component."""
    specialist = loan.specialist
    personal = selectors.shows_personal_details(user, specialist)
    who = specialist.name if personal else f"Specialist {specialist.reference}"
    you = "you" if loan.borrower_id in scope_of(user).member_of else loan.borrower.name
    headline = (
        f"{who}, {specialist.authority.name}, {_lower_first(specialist.role)}, "
        f"free from {_day(_free_from(loan))}"
    )
    why = reasons(loan, you=you)
    rows = score_rows(loan)
    return {
        "loan": loan,
        "headline": headline,
        "why": why,
        "sentence": f"{headline}: {', '.join(why)}." if why else f"{headline}.",
        "rows": rows,
        "total": sum(row.points for row in rows),
        "out_of": sum(WEIGHTS.values()),
    }


# Why matching left a request without a proposal, by the start of the engine's own reason.
UNMATCHED_WORDS = {
    "no feasible specialist": (
        "no listed specialist has the expertise, free dates, days a week and way of working asked for "
        "(or each one who has was declined before)"
    ),
    "all ": (
        "the specialists who could help are proposed for other requests, or their councils already lend as "
        "many people as they can at once"
    ),
    "the spreading penalty": (
        "the specialists who could help work for councils that already lend several people, and matching "
        "spreads loans between councils"
    ),
}


def unmatched(user, run) -> list[dict]:
    """The requests a run left without a proposal, by title where this reader may see them, each with
    the reason in words."""
    ids = [int(item["request"][1:]) for item in run.unassigned if str(item["request"])[1:].isdigit()]
    titles = {r.pk: r for r in selectors.help_requests(user).filter(pk__in=ids)}
    rows = []
    for item in run.unassigned:
        reference, reason = str(item["request"]), item["reason"]
        request = titles.get(int(reference[1:])) if reference[1:].isdigit() else None
        words = next((w for start, w in UNMATCHED_WORDS.items() if reason.startswith(start)), reason)
        rows.append({"request": request, "reference": reference, "reason": words})
    return rows

"""Demo accounts for trying the hub on one's own machine (never in production).

They cover both sides of every journey: an admin and a member in two councils of one region (Camden and
Islington, London) and in one elsewhere (Leeds, Yorkshire and the Humber), Camden's director, chief
executive and lead member, London's alliance coordinator, a national admin and an evidence editor.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings

from slihub.accounts.models import Role
from slihub.accounts.services import ensure_user
from slihub.places.models import Authority, Region

LONDON = "E12000007"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: str
    authority_code: str | None = None  # DfE code
    region_code: str | None = None  # ONS code
    can: str = ""  # what the account can do, in plain words, as `create-demo-accounts` prints it


# What each role can do, said once (the printed list and the README use these words).
COUNCIL_ADMIN_CAN = (
    "changes its council's records: specialists, help requests, offers of its specialists, accepting "
    "loans, days delivered"
)
COUNCIL_MEMBER_CAN = "reads its council's private records, submits local practice, writes the self-assessment"
LEADER_CAN = "reads its council's improvement cycle: self-assessment, risk summary, peer challenges"

DEMO_PEOPLE = (
    DemoPerson("camden.admin", "Camden council admin", Role.COUNCIL_ADMIN, "202", can=COUNCIL_ADMIN_CAN),
    DemoPerson(
        "camden.analyst", "Camden performance analyst", Role.COUNCIL_MEMBER, "202", can=COUNCIL_MEMBER_CAN
    ),
    DemoPerson(
        "camden.director",
        "Camden director of children's services",
        Role.DIRECTOR,
        "202",
        can="as a council admin, and answers the annual survey and enters the budget",
    ),
    DemoPerson(
        "camden.chief.executive", "Camden chief executive", Role.CHIEF_EXECUTIVE, "202", can=LEADER_CAN
    ),
    DemoPerson(
        "camden.lead.member",
        "Camden lead member for children's services",
        Role.LEAD_MEMBER,
        "202",
        can=LEADER_CAN,
    ),
    DemoPerson(
        "islington.admin", "Islington council admin", Role.COUNCIL_ADMIN, "206", can=COUNCIL_ADMIN_CAN
    ),
    DemoPerson(
        "islington.analyst",
        "Islington performance analyst",
        Role.COUNCIL_MEMBER,
        "206",
        can=COUNCIL_MEMBER_CAN,
    ),
    DemoPerson("leeds.admin", "Leeds council admin", Role.COUNCIL_ADMIN, "383", can=COUNCIL_ADMIN_CAN),
    DemoPerson(
        "leeds.analyst", "Leeds performance analyst", Role.COUNCIL_MEMBER, "383", can=COUNCIL_MEMBER_CAN
    ),
    DemoPerson(
        "london.coordinator",
        "London alliance coordinator",
        Role.ALLIANCE_COORDINATOR,
        region_code=LONDON,
        can="runs the London alliance: its cycle, moderation, peer validators, workshops, and sees "
        "its councils' private records and risks",
    ),
    DemoPerson(
        "national.admin",
        "National admin",
        Role.NATIONAL_ADMIN,
        can="everything: people, imports, the audit log, the early warning's backtest, the survey",
    ),
    DemoPerson(
        "evidence.editor",
        "Evidence editor",
        Role.EVIDENCE_EDITOR,
        can="reviews and publishes councils' study uploads; no council's private records",
    ),
)


def demo_password() -> str:
    """One random password per checkout, kept in var/ so that logins stay the same between runs."""
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
    return path.read_text().strip()


def group_of(person: DemoPerson) -> str:
    """The heading a login is printed under: its council, its region, or "Across England"."""
    if person.authority_code:
        return Authority.objects.get(code=person.authority_code).name
    if person.region_code:
        return f"{Region.objects.get(code=person.region_code).name} alliance"
    return "Across England"


def create_demo_accounts() -> list[tuple[DemoPerson, str, bool]]:
    """(person, role label, created?) for each demo person, in DEMO_PEOPLE's order."""
    password = demo_password()
    made = []
    for person in DEMO_PEOPLE:
        code, region_code = person.authority_code, person.region_code
        _, created = ensure_user(
            username=person.username,
            full_name=person.full_name,
            password=password,
            role=person.role,
            authority=Authority.objects.get(code=code) if code else None,
            region=Region.objects.get(code=region_code) if region_code else None,
        )
        made.append((person, Role(person.role).label, created))
    return made

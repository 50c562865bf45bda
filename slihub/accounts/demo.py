"""Demo accounts, one per role, for trying the hub on one's own machine (never in production)."""

import secrets

from django.conf import settings

from slihub.accounts.models import Role
from slihub.accounts.services import ensure_user
from slihub.places.models import Authority, Region

# (username, full name, role, authority DfE code, region ONS code)
DEMO_PEOPLE = (
    ("camden.analyst", "Camden performance analyst", Role.COUNCIL_MEMBER, "202", None),
    ("leeds.admin", "Leeds council admin", Role.COUNCIL_ADMIN, "383", None),
    ("london.coordinator", "London alliance coordinator", Role.ALLIANCE_COORDINATOR, None, "E12000007"),
    ("national.admin", "National admin", Role.NATIONAL_ADMIN, None, None),
    ("evidence.editor", "Evidence editor", Role.EVIDENCE_EDITOR, None, None),
    ("camden.chief.executive", "Camden chief executive", Role.CHIEF_EXECUTIVE, "202", None),
    ("camden.lead.member", "Camden lead member for children's services", Role.LEAD_MEMBER, "202", None),
    ("camden.director", "Camden director of children's services", Role.DIRECTOR, "202", None),
)


def demo_password() -> str:
    """One random password per checkout, kept in var/ so that logins stay the same between runs."""
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
    return path.read_text().strip()


def create_demo_accounts() -> list[tuple[str, str, bool]]:
    """(username, role label, created?) for each demo person."""
    password = demo_password()
    made = []
    for username, full_name, role, code, region_code in DEMO_PEOPLE:
        user, created = ensure_user(
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            authority=Authority.objects.get(code=code) if code else None,
            region=Region.objects.get(code=region_code) if region_code else None,
        )
        made.append((user.username, Role(role).label, created))
    return made

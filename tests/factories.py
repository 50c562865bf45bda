"""Small builders of places, people and private records that the tests share.

The integration tests make a handful of authorities themselves instead of loading
the public files: Camden and Islington (Inner London), Leeds, Bradford and North
Yorkshire (Yorkshire and The Humber), Cumbria (former) and its successor Cumberland.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from slihub.accounts.models import Contact, Membership, Role, User
from slihub.places.models import (
    Authority,
    Boundary,
    FormerOnsCode,
    NeighbourModel,
    Region,
    StatisticalNeighbour,
    Succession,
)

PASSWORD = "correct horse battery staple"


def square(lon: float, lat: float, size: float = 0.2) -> dict:
    """A GeoJSON polygon: a small square with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def region(code: str, name: str, parent: Region | None = None) -> Region:
    return Region.objects.create(code=code, name=name, slug=slugify(name), parent=parent)


def authority(
    code: str,
    ons_code: str,
    name: str,
    la_type: str,
    region: Region,
    *,
    sub_region: Region | None = None,
    ended_on: date | None = None,
    corner: tuple[float, float] | None = None,
) -> Authority:
    """An authority; former if `ended_on` is given; with a square boundary at `corner` if given."""
    made = Authority.objects.create(
        code=code,
        ons_code=ons_code,
        name=name,
        la_type=la_type,
        region=region,
        sub_region=sub_region,
        ofsted_region=region.name,
        is_current=ended_on is None,
        ended_on=ended_on,
    )
    if corner is not None:
        Boundary.objects.create(authority=made, geometry=square(*corner), source="test squares")
    return made


def neighbours(of: Authority, ranked: list[Authority], model: str = NeighbourModel.MAY_2025) -> None:
    """`ranked[0]` is rank 1, with closeness falling with rank."""
    StatisticalNeighbour.objects.bulk_create(_neighbour_rows(of, ranked, model))


def user(username: str, role: str, *, authority=None, region=None, **fields) -> User:
    """A user holding one membership; the password is PASSWORD."""
    person = User(username=username, full_name=username.replace(".", " ").title(), **fields)
    person.set_password(PASSWORD)
    person.save()
    Membership.objects.create(user=person, role=role, authority=authority, region=region)
    return person


def contact(authority: Authority, name: str, **fields) -> Contact:
    values = dict(job_title="Head of service", email=f"{slugify(name)}@example.gov.uk") | fields
    return Contact.objects.create(authority=authority, name=name, **values)


@dataclass
class Places:
    london: Region
    inner_london: Region
    outer_london: Region
    yorkshire: Region
    north_west: Region
    camden: Authority
    islington: Authority
    leeds: Authority
    bradford: Authority
    north_yorkshire: Authority
    cumbria: Authority
    cumberland: Authority


def _authority_row(code, ons_code, name, la_type, region, sub_region=None, ended_on=None) -> Authority:
    return Authority(
        code=code,
        ons_code=ons_code,
        name=name,
        la_type=la_type,
        region=region,
        sub_region=sub_region,
        ofsted_region=region.name,
        is_current=ended_on is None,
        ended_on=ended_on,
    )


def _neighbour_rows(of, ranked, model=NeighbourModel.MAY_2025) -> list[StatisticalNeighbour]:
    """`ranked[0]` is rank 1; stored in reverse so that any ordering must come from the query."""
    closeness = ["extremely close", "very close", "close", "somewhat close", "not close"]
    return [
        StatisticalNeighbour(
            model=model, authority=of, neighbour=other, rank=rank, closeness=closeness[min(rank, 5) - 1]
        )
        for rank, other in reversed(list(enumerate(ranked, start=1)))
    ]


def build_places() -> Places:
    """The handful of places every integration test starts from, in a few bulk inserts."""
    london, yorkshire, north_west = Region.objects.bulk_create(
        [
            Region(code="E12000007", name="London", slug="london"),
            Region(code="E12000003", name="Yorkshire and The Humber", slug="yorkshire-and-the-humber"),
            Region(code="E12000002", name="North West", slug="north-west"),
        ]
    )
    inner, outer = Region.objects.bulk_create(
        [
            Region(code="E13000001", name="Inner London", slug="inner-london", parent=london),
            Region(code="E13000002", name="Outer London", slug="outer-london", parent=london),
        ]
    )
    made = Authority.objects.bulk_create(
        [
            _authority_row("202", "E09000007", "Camden", "ILB", london, inner),
            _authority_row("206", "E09000019", "Islington", "ILB", london, inner),
            _authority_row("383", "E08000035", "Leeds", "MD", yorkshire),
            _authority_row("380", "E08000032", "Bradford", "MD", yorkshire),
            _authority_row("815", "E06000065", "North Yorkshire", "SC", yorkshire),
            _authority_row("909", "E10000006", "Cumbria", "SC", north_west, ended_on=date(2023, 4, 1)),
            _authority_row("942", "E06000063", "Cumberland", "UA", north_west),
        ]
    )
    camden, islington, leeds, bradford, north_yorkshire, cumbria, cumberland = made
    corners = {
        camden: (-0.2, 51.5),
        islington: (0.0, 51.5),
        leeds: (-1.6, 53.7),
        bradford: (-1.9, 53.7),
        north_yorkshire: (-1.5, 54.0),
        cumberland: (-3.4, 54.5),
    }
    Boundary.objects.bulk_create(
        Boundary(authority=a, geometry=square(*corner), source="test squares")
        for a, corner in corners.items()
    )
    FormerOnsCode.objects.create(authority=north_yorkshire, ons_code="E10000023", until=date(2023, 4, 1))
    Succession.objects.create(
        predecessor=cumbria, successor=cumberland, effective=date(2023, 4, 1), note="Cumbria was split."
    )
    StatisticalNeighbour.objects.bulk_create(
        _neighbour_rows(camden, [islington, bradford, leeds])
        + _neighbour_rows(camden, [leeds, islington], model=NeighbourModel.APRIL_2021)
        + _neighbour_rows(leeds, [bradford, north_yorkshire, camden])
    )
    return Places(
        london=london,
        inner_london=inner,
        outer_london=outer,
        yorkshire=yorkshire,
        north_west=north_west,
        camden=camden,
        islington=islington,
        leeds=leeds,
        bradford=bradford,
        north_yorkshire=north_yorkshire,
        cumbria=cumbria,
        cumberland=cumberland,
    )


def build_people(places: Places) -> dict[str, User]:
    """The personas, by name: each holds exactly the membership its name says (password PASSWORD)."""
    specs = {
        "camden_analyst": ("camden.analyst", Role.COUNCIL_MEMBER, places.camden, None, {}),
        "leeds_admin": ("leeds.admin", Role.COUNCIL_ADMIN, places.leeds, None, {}),
        "london_coordinator": ("london.coordinator", Role.ALLIANCE_COORDINATOR, None, places.london, {}),
        # Staff so the admin site opens, but not a superuser: its reach comes from the membership.
        "national_admin": ("national.admin", Role.NATIONAL_ADMIN, None, None, {"is_staff": True}),
        "evidence_editor": ("evidence.editor", Role.EVIDENCE_EDITOR, None, None, {}),
        # Reads Camden's improvement cycle (self-assessment, challenge reports, support agreements, early
        # warning summary) and nothing else of Camden's private records.
        "camden_chief_executive": ("camden.chief.executive", Role.CHIEF_EXECUTIVE, places.camden, None, {}),
        # Signed in, but a member of nothing: sees only what is public.
        "no_membership": ("no.membership", None, None, None, {}),
    }
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=username, full_name=username.replace(".", " ").title(), password=password, **fields)
        for username, _, _, _, fields in specs.values()
    )
    Membership.objects.bulk_create(
        Membership(user=person, role=role, authority=authority, region=region)
        for person, (_, role, authority, region, _) in zip(users, specs.values(), strict=True)
        if role is not None
    )
    return dict(zip(specs, users, strict=True))


def director(authority, *, username: str | None = None, email: str | None = None) -> User:
    """A director of children's services of `authority` (password PASSWORD)."""
    username = username or f"director.{authority.code}"
    user = User.objects.create(
        username=username,
        full_name=f"Director of {authority.name}",
        email=email if email is not None else f"{username}@example.gov.uk",
        password=make_password(PASSWORD),
    )
    Membership.objects.create(user=user, role=Role.DIRECTOR, authority=authority)
    return user

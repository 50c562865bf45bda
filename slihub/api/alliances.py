"""Regional improvement alliances: members, groups, membership agreement signatures, cycles and the tartan
rug (all public, published data)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from slihub.alliances import rug as rugs
from slihub.alliances import selectors
from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, Code

router = Router(tags=["alliances"])


class CouncilRef(Schema):
    code: str
    name: str


class AllianceSummaryOut(Schema):
    region: str  # the region's ONS code
    slug: str
    name: str
    lead_director: str
    lead_authority: CouncilRef | None
    members: list[CouncilRef]


class GroupOut(Schema):
    name: str
    members: list[CouncilRef]


class SignatureOut(Schema):
    council: CouncilRef
    role: str
    role_name: str
    name: str
    signed_on: date


class CycleOut(Schema):
    year: int
    self_assessment_opens: date
    self_assessment_due: date
    challenge_opens: date
    challenge_closes: date
    plan_due: date
    delivery_starts: date


class AllianceOut(AllianceSummaryOut):
    core_indicators: list[str]
    groups: list[GroupOut]
    signatures: list[SignatureOut]
    cycles: list[CycleOut]


class RugColumnOut(Schema):
    indicator: str  # slug
    code: str
    name: str
    period: str
    polarity: str
    banded: bool


class RugCellOut(Schema):
    value: str  # as published: a number, or the publisher's marker; '' when nothing is published
    band: str  # 'A' (best quarter of England's authorities) to 'D' (worst); '' when not banded


class RugRowOut(Schema):
    council: CouncilRef
    cells: list[RugCellOut]


class RugOut(Schema):
    alliance: str
    columns: list[RugColumnOut]
    rows: list[RugRowOut]
    region: list[str]
    england: list[str]


def _ref(authority) -> dict | None:
    return {"code": authority.code, "name": authority.name} if authority else None


def _summary(alliance, members) -> dict:
    return {
        "region": alliance.region.code,
        "slug": alliance.region.slug,
        "name": alliance.name,
        "lead_director": alliance.lead_director,
        "lead_authority": _ref(alliance.lead_authority),
        "members": [_ref(a) for a in members],
    }


@router.get("/alliances", response={200: list[AllianceSummaryOut], **INVALID}, summary="List alliances")
@paginate(Pagination)
def list_alliances(request):
    """The nine regional improvement alliances, one per English region, with their member councils."""
    return [_summary(a, a.members_list) for a in selectors.alliances()]


@router.get(
    "/alliances/{region}", response={200: AllianceOut, **NOT_FOUND, **INVALID}, summary="One alliance"
)
def get_alliance(request, region: Code):
    """An alliance by its region's slug (`london`) or ONS code (`E12000007`): members, groups, who signed
    the membership agreement for each council and when, and its cycles (latest first). 404 for a region
    with no alliance."""
    alliance = selectors.alliance(region)
    members = selectors.members(alliance)
    return {
        **_summary(alliance, members),
        "core_indicators": list(alliance.core_indicators or []),
        "groups": [
            {"name": g.name, "members": [_ref(a) for a in g.authorities.all()]}
            for g in selectors.groups(alliance)
        ],
        "signatures": [
            {
                "council": _ref(row.authority),
                "role": s.role,
                "role_name": s.get_role_display(),
                "name": s.name,
                "signed_on": s.signed_on,
            }
            for row in selectors.signatures(alliance, members)
            for s in row.signatures
        ],
        "cycles": selectors.cycles(alliance),
    }


@router.get(
    "/alliances/{region}/tartan-rug",
    response={200: RugOut, **NOT_FOUND, **INVALID},
    summary="An alliance's tartan rug",
)
def get_rug(request, region: Code):
    """The alliance's councils against its core indicators at each indicator's latest period, with each
    value's quartile band among all England's authorities in the direction of polarity, and the region's
    and England's figures. 404 for a region with no alliance."""
    alliance = selectors.alliance(region)
    rug = rugs.tartan_rug(alliance)
    return {
        "alliance": alliance.name,
        "columns": [
            {
                "indicator": c.indicator.slug,
                "code": c.indicator.code,
                "name": c.indicator.name,
                "period": c.period,
                "polarity": c.indicator.polarity,
                "banded": c.banded,
            }
            for c in rug.columns
        ],
        "rows": [
            {"council": _ref(row.authority), "cells": [{"value": c.text, "band": c.band} for c in row.cells]}
            for row in rug.rows
        ],
        "region": rug.region,
        "england": rug.england,
    }

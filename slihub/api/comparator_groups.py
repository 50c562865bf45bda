"""Saved comparator groups, public by link: GET /comparator-groups/{token} answers the group's name, owner,
authorities and indicators, and the comparison of their published figures (as /compare/ shows it)."""

from datetime import datetime

from ninja import Router, Schema

from slihub.accounts import comparator_groups
from slihub.api.schemas import INVALID, NOT_FOUND, AuthorityRef, Code
from slihub.indicators import compare_selectors
from slihub.indicators.compare_views import Choice

router = Router(tags=["compare"])


class IndicatorRef(Schema):
    code: str
    slug: str
    name: str
    unit: str


class ComparedValue(Schema):
    authority: AuthorityRef
    value: float | None  # None where the publisher suppressed it: see status
    status: str  # the publisher's marker ('c', 'x', ...), '' for a number, 'none' with no figure at all
    rank: int | None
    ranked: int
    band: str
    trend_3_periods: str


class ComparedIndicator(Schema):
    indicator: IndicatorRef
    period: str  # the latest period in which any of the authorities has a figure
    england_value: float | None
    values: list[ComparedValue]  # in the group's order


class ComparatorGroupOut(Schema):
    name: str
    owner: str
    created_at: datetime
    updated_at: datetime
    page: str
    authorities: list[AuthorityRef]
    headline_indicators: bool  # true: the group shows the hub's headline indicators
    indicators: list[IndicatorRef]
    problems: list[str]  # codes saved in the group that no longer name an authority or indicator
    comparison: list[ComparedIndicator]


def _indicator(indicator) -> dict:
    return {"code": indicator.code, "slug": indicator.slug, "name": indicator.name, "unit": indicator.unit}


@router.get(
    "/comparator-groups/{token}",
    response={200: ComparatorGroupOut, **NOT_FOUND, **INVALID},
    summary="A saved comparator group, by its link",
)
def get_comparator_group(request, token: Code):
    """Anyone with a group's link may read it: the authorities and indicators its owner saved, and their
    latest published figures side by side (a suppressed figure as its marker, never zero)."""
    group = comparator_groups.by_token(token)
    choice = Choice(group.authority_codes, [], group.indicator_codes)
    rows = compare_selectors.compare(choice.authorities, choice.indicators)
    return {
        "name": group.name,
        "owner": str(group.owner),
        "created_at": group.created_at,
        "updated_at": group.updated_at,
        "page": f"/compare/groups/{group.token}/",
        "authorities": choice.authorities,
        "headline_indicators": choice.headline,
        "indicators": [_indicator(i) for i in choice.indicators],
        "problems": [error["text"] for error in choice.errors],
        "comparison": [
            {
                "indicator": _indicator(row.indicator),
                "period": row.period,
                "england_value": row.england_value,
                "values": [
                    {
                        "authority": cell.authority,
                        "value": cell.figure.value,
                        "status": cell.figure.marker if cell.figure.text else "none",
                        "rank": cell.rank,
                        "ranked": cell.ranked,
                        "band": cell.quartile,
                        "trend_3_periods": cell.trend,
                    }
                    for cell in row.cells
                ],
            }
            for row in rows
        ],
    }

"""A council's upload of its own 903 return: who may, reading it in memory, keeping only the yearly
figures, and forecasting from them with the same engine as the published-data forecast.

Who: the council's members (council members, admins and its director) upload and see the figures;
national admins see them. Nobody else, not even the council's alliance: they come from child-level data.
"""

from __future__ import annotations

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction

from slihub.accounts.models import scope_of
from slihub.forecast import services as published
from slihub.forecast.models import ChildLevelUpload
from slihub.forecast.selectors import POPULATION
from slihub.forecast.ssda903 import aggregate, parse
from slihub.indicators.models import Value
from slihub.places.models import Authority
from slihub.stats import forecast as engine

MAX_FILE_BYTES = 5 * 1024 * 1024  # a large council's year of episodes is about 1 MB
MAX_FILES = 10  # of each kind: a return a year
YEARS = 3  # forecast horizons shown beside the published-data forecast
SIMULATIONS = 1000


def may_upload(user, authority: Authority) -> bool:
    return user.is_authenticated and authority.id in scope_of(user).member_of


def may_see(user, authority: Authority) -> bool:
    scope = scope_of(user)
    return user.is_authenticated and (scope.national or authority.id in scope.member_of)


def private(authority: Authority) -> str:
    return f"{authority.name}'s own 903 figures are private to the council's members and national admins."


def latest(user, authority: Authority) -> ChildLevelUpload | None:
    """The council's latest upload that the user may see, or None."""
    uploads = ChildLevelUpload.objects.visible_to(user).filter(authority=authority)
    return uploads.select_related("uploaded_by").first()


def upload(*, user, authority: Authority, headers, episodes) -> tuple[ChildLevelUpload, list[parse.Problem]]:
    """Read the files ((name, bytes) each), keep the yearly figures; parse.Invalid903 keeps nothing. The
    creation of the row is audited (slihub.forecast is audited): who, when, the files' row counts, the
    years. The warnings (rows read but worth a look) are returned, not kept."""
    if not may_upload(user, authority):
        raise PermissionDenied(f"Only {authority.name}'s members may upload its 903 return.")
    data = parse.read_return(headers, episodes)
    with transaction.atomic():
        saved = ChildLevelUpload.objects.create(
            authority=authority,
            uploaded_by=user,
            header_files=len(headers),
            episode_files=len(episodes),
            header_rows=data.header_rows,
            episode_rows=data.episode_rows,
            first_year=data.years[0],
            last_year=data.years[-1],
            years=aggregate.yearly(data),
        )
    return saved, data.warnings


def population(authority: Authority) -> dict[int, float]:
    """ONS mid-year estimates of the council's children aged 0 to 17, by year of estimate."""
    rows = Value.objects.filter(
        indicator__code=POPULATION, area_type="la", authority=authority, value__isnull=False
    ).values_list("period__label", "value")
    return {int(label): value for label, value in rows if str(label).isdigit()}


def series(years: list[dict], estimates: dict[int, float]) -> engine.Series:
    """The engine's series from the stored figures: a year to 31 March pairs with the mid-year estimate
    of the June before it, as the published-data forecast does; a year without one takes the nearest."""
    held = sorted(estimates)

    def nearest(year: int) -> float:
        return estimates[min(held, key=lambda y: (abs(y - year), -y))]

    return engine.Series.of(
        [r["year"] for r in years],
        [r["looked_after"] for r in years],
        [r["starts"] or 0 for r in years],  # the first year's flows are never read (it is the stock before)
        [r["ceases"] or 0 for r in years],
        [nearest(r["year"] - 1) for r in years],
    )


def forecast(saved: ChildLevelUpload, years: int = YEARS, simulations: int = SIMULATIONS) -> dict:
    """{"horizons": [...], "rates": {...}} from the stored figures, or {"note": why there is none}."""
    estimates = population(saved.authority)
    if not estimates:
        return {
            "note": f"No ONS population estimate for {saved.authority.name} is held: load the public data."
        }
    if len(saved.years) < engine.MIN_YEARS + 1:
        return {
            "note": f"A forecast needs returns for at least {engine.MIN_YEARS} consecutive years; "
            f"these files cover {len(saved.years) - 1}."
        }
    own = series(saved.years, estimates)
    # the population path the published-data forecast uses: a loaded ONS projection, else the estimate held
    path, population_used = published.population_path(saved.authority, own, years)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = engine.forecast(own, years, simulations, population=path)
    except ValueError:
        return {
            "note": "Too few children were in care, started or left care in these years to forecast from."
        }
    f = result.fit
    return {
        **result.to_dict(),
        "rates": {
            "starts_per_10000": round(float(np.exp(f.starts.level)), 2),
            "ceases_share": round(float(1 / (1 + np.exp(-f.ceases.level))), 4),
            "gap_per_year": round(f.gap, 1),
            "population_0_17": int(f.population),
        },
        "population": population_used,
    }

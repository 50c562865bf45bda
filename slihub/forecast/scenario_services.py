"""A council's saved scenarios: create, edit, share, unshare and delete. The results are worked out with
scenarios.run_scenario once, before the write's transaction (a run reads the RO3 workbook and simulates:
a few seconds), and stored, so the scenario's page only reads them.

Rules (also in the Scenario model's docstring): the council's members create and edit its scenarios;
only its council admins and director share, unshare or delete them. Writes go through the ORM one row at
a time, so each is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from slihub.accounts.models import scope_of
from slihub.forecast import scenarios
from slihub.forecast.models import Scenario
from slihub.places.models import Authority
from slihub.stats import scenario as sc

SIMULATIONS = 1000
MAX_NAME = 100


def may_see_any(user, authority: Authority) -> bool:
    """Whether the user may see any of the council's scenarios (if one is shared, for alliance readers)."""
    if not user.is_authenticated:
        return False
    if may_write(user, authority):
        return True
    return Scenario.objects.visible_to(user).filter(authority=authority).exists()


def may_look(user, authority: Authority) -> bool:
    """Whether the user may ever see any of the council's scenarios: national admins, the council's
    members, its region's alliance coordinators and the members of the region's other councils."""
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    if scope.national or authority.id in scope.member_of or authority.region_id in scope.coordinates:
        return True
    return Authority.objects.filter(id__in=scope.member_of, region_id=authority.region_id).exists()


def may_write(user, authority: Authority | None) -> bool:
    """Create and edit: the council's members (council members, admins and its director)."""
    if authority is None or not user.is_authenticated:
        return False
    return authority.id in scope_of(user).member_of


def may_manage(user, authority: Authority | None) -> bool:
    """Share, unshare and delete: the council's admins and its director."""
    if authority is None or not user.is_authenticated:
        return False
    return authority.id in scope_of(user).admin_of


def settings_of(
    *, entries_times=1.0, entries_plus=0.0, exits_times=1.0, exits_plus=0.0, moves=(), name=""
) -> sc.Scenario:
    """The engine's Scenario from saved settings; ValidationError with the engine's plain message."""
    try:
        parsed = tuple(sc.Move(m["percent"], m["from"], m["to"]) for m in moves)
        return sc.Scenario(
            entries_times=entries_times,
            entries_plus=entries_plus,
            exits_times=exits_times,
            exits_plus=exits_plus,
            moves=parsed,
            name=name,
        )
    except (KeyError, TypeError):
        raise ValidationError(
            "Each placement move needs a percentage, a type to move from and one to move to"
        ) from None
    except ValueError as error:
        raise ValidationError(_sentence(str(error))) from None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clean_name(name: str, authority: Authority, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Enter a name for the scenario")
    if len(name) > MAX_NAME:
        raise ValidationError(f"The scenario's name must be {MAX_NAME} characters or fewer")
    taken = Scenario.objects.filter(authority=authority, name__iexact=name).exclude(pk=exclude).exists()
    if taken:
        raise ValidationError(f"{authority.name} already has a scenario called '{name}': choose another name")
    return name


def compute(authority: Authority, scenario: sc.Scenario) -> dict:
    """run_scenario's result for the council: refusals (too few published years, a move that needs costs
    that are not there) as ValidationError."""
    try:
        return scenarios.run_scenario(authority.code, scenario, simulations=SIMULATIONS)
    except scenarios.services.ForecastError as error:
        raise ValidationError(str(error)) from None


def _settings(scenario: sc.Scenario) -> dict:
    return {
        "entries_times": scenario.entries_times,
        "entries_plus": scenario.entries_plus,
        "exits_times": scenario.exits_times,
        "exits_plus": scenario.exits_plus,
        "moves": [{"percent": m.percent, "from": m.source, "to": m.target} for m in scenario.moves],
    }


def save_scenario(
    *, user, authority: Authority, name: str, shared_with_alliance: bool = False, **settings
) -> Scenario:
    """A new scenario for the council, with its results worked out. settings: entries_times, entries_plus,
    exits_times, exits_plus, moves ([{percent, from, to}])."""
    if not may_write(user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff may make its scenarios.")
    if shared_with_alliance and not may_manage(user, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s council admins and director may share its scenarios."
        )
    name = _clean_name(name, authority)
    engine = settings_of(name=name, **settings)
    results = compute(authority, engine)
    with transaction.atomic():
        _clean_name(name, authority)  # again inside the transaction: a scenario saved meanwhile
        return Scenario.objects.create(
            authority=authority,
            name=name,
            shared_with_alliance=shared_with_alliance,
            results=results,
            created_by=user,
            **_settings(engine),
        )


def update_scenario(*, user, scenario: Scenario, name: str, **settings) -> Scenario:
    """Change a scenario's name and settings; its results are worked out again."""
    authority = scenario.authority
    if not may_write(user, authority):
        raise PermissionDenied(f"Only {authority.name}'s own staff may change its scenarios.")
    name = _clean_name(name, authority, exclude=scenario.pk)
    engine = settings_of(name=name, **settings)
    results = compute(authority, engine)
    with transaction.atomic():
        _clean_name(name, authority, exclude=scenario.pk)
        scenario.name, scenario.results = name, results
        for field, value in _settings(engine).items():
            setattr(scenario, field, value)
        scenario.save()
    return scenario


def share_scenario(*, user, scenario: Scenario, shared: bool = True) -> Scenario:
    """Share the scenario with the council's alliance (shared=False: stop sharing it)."""
    if not may_manage(user, scenario.authority):
        raise PermissionDenied(
            f"Only {scenario.authority.name}'s council admins and director may share its scenarios."
        )
    with transaction.atomic():
        if scenario.shared_with_alliance != shared:
            scenario.shared_with_alliance = shared
            scenario.save()
    return scenario


def delete_scenario(*, user, scenario: Scenario) -> None:
    if not may_manage(user, scenario.authority):
        raise PermissionDenied(
            f"Only {scenario.authority.name}'s council admins and director may delete its scenarios."
        )
    with transaction.atomic():
        scenario.delete()


def recompute_saved(progress=print) -> tuple[int, list[str]]:
    """Every saved scenario worked out again from the figures now held (a derived step of
    `slihub load-public-data`, after the forecasts): (scenarios updated, why others kept their results).
    A scenario that can no longer be worked out (its council now lacks costs its moves need, say) keeps
    the results of the day it was last worked out, which its page gives."""
    try:
        ro3 = scenarios.costs.read_ro3()  # once for all of them
    except scenarios.costs.CostError:
        ro3 = None  # each run says so: without moves it is still worked out; with moves it is refused
    updated, kept = 0, []
    for saved in Scenario.objects.select_related("authority"):
        engine = settings_of(name=saved.name, **_settings_of_model(saved))
        try:
            saved.results = scenarios.run_scenario(
                saved.authority.code, engine, simulations=SIMULATIONS, ro3=ro3
            )
        except scenarios.services.ForecastError as error:
            kept.append(f"{saved}: {error}")
            continue
        saved.save(update_fields=["results", "updated_at"])
        updated += 1
    progress(f"Saved forecast scenarios worked out again: {updated}; kept as they were: {len(kept)}")
    return updated, kept


def _settings_of_model(saved: Scenario) -> dict:
    rates = ("entries_times", "entries_plus", "exits_times", "exits_plus")
    return {field: getattr(saved, field) for field in rates} | {"moves": saved.moves}

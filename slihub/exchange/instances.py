"""Self-contained matching instances as JSON: reading them (with clear messages) and writing results.

The format is documented in INSTANCE_FORMAT.md beside this file. Reading never touches the database.
"""

import json
import math
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from slihub.stats.matching import (
    COMPONENTS,
    SCALE,
    Council,
    Instance,
    MatchResult,
    Request,
    Settings,
    Specialist,
)


class InstanceError(ValueError):
    """The instance file cannot be used; the message names the file and the bad item."""


_COUNCIL = {
    "code": True,
    "name": True,
    "lat": True,
    "lon": True,
    "balance_days": False,
    "bank_size": False,
    "on_loan": False,
}
_SPECIALIST = {
    "id": True,
    "council": True,
    "role": True,
    "seniority": True,
    "expertise": True,
    "available": True,
    "days_per_week": True,
    "modes": True,
}
_REQUEST = {
    "id": True,
    "council": True,
    "expertise_needed": True,
    "start": True,
    "end": True,
    "days_per_week": True,
    "mode": True,
    "urgency": True,
}
_TOP = {"councils", "specialists", "requests", "declined", "settings"}
_SETTINGS = set(Settings.__dataclass_fields__)


def _label(where: str, item, key: str) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str):
        return f"{where} ({key} {item[key]!r})"
    return where


def _fields(where: str, item, spec: dict[str, bool]) -> dict:
    if not isinstance(item, dict):
        raise InstanceError(f"{where}: must be an object, not {type(item).__name__}")
    unknown = sorted(set(item) - set(spec))
    if unknown:
        raise InstanceError(f"{where}: unknown field {unknown[0]!r} (expected: {', '.join(spec)})")
    missing = [name for name, required in spec.items() if required and name not in item]
    if missing:
        raise InstanceError(f"{where}: missing field {missing[0]!r}")
    return item


def _text(where: str, name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(f"{where}: {name} must be a non-empty string, not {value!r}")
    return value


def _number(where: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"{where}: {name} must be a number, not {value!r}")
    return value


def _whole(where: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}: {name} must be a whole number, not {value!r}")
    return value


def _day(where: str, name: str, value) -> date:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"{where}: {name} must be a date written YYYY-MM-DD, not {value!r}") from None


def _strings(where: str, name: str, value) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InstanceError(f"{where}: {name} must be a list of non-empty strings, not {value!r}")
    return frozenset(value)


def _list(document: dict, key: str) -> list:
    value = document.get(key, [] if key == "declined" else None)
    if not isinstance(value, list):
        raise InstanceError(f"{key!r} must be a list" + ("" if key in document else ", and it is missing"))
    return value


@contextmanager
def _checking(where: str):
    """Turn the engine's own checks (six-month rule, end before start...) into InstanceError."""
    try:
        yield
    except InstanceError:
        raise
    except ValueError as error:
        raise InstanceError(f"{where}: {error}" if where else str(error)) from None


def parse_instance(document) -> Instance:
    """An Instance from the decoded JSON document, or InstanceError naming the first bad item."""
    if not isinstance(document, dict):
        raise InstanceError("the instance must be a JSON object with councils, specialists and requests")
    unknown = sorted(set(document) - _TOP)
    if unknown:
        raise InstanceError(f"unknown top-level key {unknown[0]!r} (expected: {', '.join(sorted(_TOP))})")

    raw_specialists = _list(document, "specialists")
    listed: dict[str, int] = {}
    for item in raw_specialists:
        if isinstance(item, dict) and isinstance(item.get("council"), str):
            listed[item["council"]] = listed.get(item["council"], 0) + 1

    councils = []
    for i, item in enumerate(_list(document, "councils")):
        where = _label(f"councils[{i}]", item, "code")
        _fields(where, item, _COUNCIL)
        code = _text(where, "code", item["code"])
        on_loan = _whole(where, "on_loan", item.get("on_loan", 0))
        # Without bank_size, the bank is taken to be the listed specialists plus those already out.
        bank_size = _whole(where, "bank_size", item.get("bank_size", listed.get(code, 0) + max(on_loan, 0)))
        with _checking(f"councils[{i}]"):
            councils.append(
                Council(
                    code=code,
                    name=_text(where, "name", item["name"]),
                    lat=_number(where, "lat", item["lat"]),
                    lon=_number(where, "lon", item["lon"]),
                    balance_days=_number(where, "balance_days", item.get("balance_days", 0)),
                    bank_size=bank_size,
                    on_loan=on_loan,
                )
            )

    specialists = []
    for i, item in enumerate(raw_specialists):
        where = _label(f"specialists[{i}]", item, "id")
        _fields(where, item, _SPECIALIST)
        windows = item["available"]
        if not isinstance(windows, list) or not windows:
            raise InstanceError(f"{where}: available must be a non-empty list of [start, end] dates")
        parsed_windows = []
        for k, window in enumerate(windows):
            if not isinstance(window, list) or len(window) != 2:
                raise InstanceError(f"{where}: available[{k}] must be a pair [start, end], not {window!r}")
            parsed_windows.append(
                (
                    _day(where, f"available[{k}] start", window[0]),
                    _day(where, f"available[{k}] end", window[1]),
                )
            )
        with _checking(f"specialists[{i}]"):
            specialists.append(
                Specialist(
                    id=_text(where, "id", item["id"]),
                    council=_text(where, "council", item["council"]),
                    role=_text(where, "role", item["role"]),
                    seniority=_whole(where, "seniority", item["seniority"]),
                    expertise=_strings(where, "expertise", item["expertise"]),
                    available=tuple(parsed_windows),
                    days_per_week=_number(where, "days_per_week", item["days_per_week"]),
                    modes=_strings(where, "modes", item["modes"]),
                )
            )

    requests = []
    for i, item in enumerate(_list(document, "requests")):
        where = _label(f"requests[{i}]", item, "id")
        _fields(where, item, _REQUEST)
        with _checking(f"requests[{i}]"):
            requests.append(
                Request(
                    id=_text(where, "id", item["id"]),
                    council=_text(where, "council", item["council"]),
                    expertise_needed=_strings(where, "expertise_needed", item["expertise_needed"]),
                    start=_day(where, "start", item["start"]),
                    end=_day(where, "end", item["end"]),
                    days_per_week=_number(where, "days_per_week", item["days_per_week"]),
                    mode=_text(where, "mode", item["mode"]),
                    urgency=_whole(where, "urgency", item["urgency"]),
                )
            )

    declined = []
    for i, pair in enumerate(_list(document, "declined")):
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise InstanceError(f"declined[{i}]: must be a pair [request id, specialist id], not {pair!r}")
        declined.append(tuple(pair))

    raw_settings = document.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise InstanceError("settings: must be an object")
    unknown = sorted(set(raw_settings) - _SETTINGS)
    if unknown:
        raise InstanceError(
            f"settings: unknown setting {unknown[0]!r} (expected: {', '.join(sorted(_SETTINGS))})"
        )
    with _checking(""):
        settings = Settings(**raw_settings)
    with _checking(""):
        return Instance(
            councils=tuple(councils),
            specialists=tuple(specialists),
            requests=tuple(requests),
            declined=frozenset(declined),
            settings=settings,
        )


def read_instance(path) -> Instance:
    """Read and check an instance file. InstanceError names the file and, inside it, the bad item."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InstanceError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InstanceError(f"{path}: cannot be read ({error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstanceError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    try:
        return parse_instance(document)
    except InstanceError as error:
        raise InstanceError(f"{path}: {error}") from None


def result_to_json(result: MatchResult) -> dict:
    """The matching result as plain JSON data. Every score and penalty is a whole number of
    thousandths of a point, so the objective can be recomputed exactly from `candidates` and
    `penalty_schedule` (see INSTANCE_FORMAT.md)."""
    return {
        "assignments": [
            {
                "request": a.request,
                "specialist": a.specialist,
                "lender": a.lender,
                "borrower": a.borrower,
                "score": a.score,
                "components": a.components,
                "explanation": a.explanation,
                "considered": a.considered,
                "alternatives": [
                    {"specialist": x.specialist, "lender": x.lender, "score": x.score, "why_not": x.why_not}
                    for x in a.alternatives
                ],
            }
            for a in result.assignments
        ],
        "unassigned": [{"request": r, "reason": reason} for r, reason in result.unassigned],
        "total_fit": result.total_fit,
        "spreading_penalty": result.spreading_penalty,
        "objective": result.objective,
        "greedy_total_fit": result.greedy.total_fit,
        "greedy_objective": result.greedy.objective,
        "greedy_assigned": len(result.greedy.pairs),
        "candidates": [
            {
                "request": c.request,
                "specialist": c.specialist,
                "lender": c.lender,
                "borrower": c.borrower,
                "score": c.score,
                "components": c.components,
                "distance_km": c.distance_km,
            }
            for c in result.candidates
        ],
        "penalty_schedule": result.penalty_schedule,
        "component_names": list(COMPONENTS),
        "resolution": 1 / SCALE,
    }


def result_to_text(result: MatchResult) -> str:
    """A short human-readable report."""
    lines = []
    for a in result.assignments:
        lines.append(f"{a.request} ({a.borrower}) <- {a.specialist} from {a.lender}: fit {a.score:g}")
        lines.append(f"    {a.explanation}")
        for x in a.alternatives:
            lines.append(f"    also considered {x.specialist} from {x.lender} (fit {x.score:g}): {x.why_not}")
    for request, reason in result.unassigned:
        lines.append(f"{request}: not matched: {reason}")
    assigned, total = len(result.assignments), len(result.instance.requests)
    greedy = result.greedy
    lines += [
        "",
        f"Requests matched: {assigned} of {total}; feasible pairs: {len(result.table)}",
        f"Total fit: {result.total_fit:g}; spreading penalty: {result.spreading_penalty:g}; "
        f"objective: {result.objective:g}",
        f"Greedy baseline (highest fit first): total fit {greedy.total_fit:g}, "
        f"objective {greedy.objective:g}, {len(greedy.pairs)} matched",
    ]
    return "\n".join(lines)

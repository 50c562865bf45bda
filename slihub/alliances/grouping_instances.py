"""Self-contained challenge-grouping instances as JSON: reading them (refused whole, with the bad item
named) and writing results. The format is documented in INSTANCE_FORMAT.md beside this file; the
objective in slihub/stats/grouping.py. Reading never touches the database."""

import json
import math
from pathlib import Path

from slihub.stats.grouping import (
    SCALE,
    Area,
    Council,
    GroupingError,
    Instance,
    Result,
    Weights,
    result_groups,
)


class InstanceError(ValueError):
    """The instance file cannot be used; the message names the file and the bad item."""


_TOP = {"areas", "councils", "last_year", "sizes", "weights"}
_AREA = {"code": True, "name": True}
_COUNCIL = {"code": True, "name": True, "lat": True, "lon": True, "strengths": False}
_WEIGHTS = {"complement", "repeat", "travel"}


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


def _number(where: str, name: str, value, low=None, high=None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"{where}: {name} must be a number, not {value!r}")
    if low is not None and not low <= value <= high:
        raise InstanceError(f"{where}: {name} must be from {low:g} to {high:g}, not {value!r}")
    return value


def _label(where: str, item, key: str) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str):
        return f"{where} ({key} {item[key]!r})"
    return where


def parse_instance(document) -> Instance:
    """An Instance from the decoded JSON document, or InstanceError naming the first bad item."""
    if not isinstance(document, dict):
        raise InstanceError("the instance must be a JSON object with areas and councils")
    unknown = sorted(set(document) - _TOP)
    if unknown:
        raise InstanceError(f"unknown top-level key {unknown[0]!r} (expected: {', '.join(sorted(_TOP))})")
    for key in ("areas", "councils"):
        if not isinstance(document.get(key), list):
            raise InstanceError(
                f"{key!r} must be a list" + ("" if key in document else ", and it is missing")
            )

    areas, area_codes = [], set()
    for k, item in enumerate(document["areas"]):
        where = _label(f"areas[{k}]", item, "code")
        _fields(where, item, _AREA)
        code = _text(where, "code", item["code"])
        if code in area_codes:
            raise InstanceError(f"{where}: area {code!r} is listed twice")
        area_codes.add(code)
        areas.append(Area(code=code, name=_text(where, "name", item["name"])))

    councils, codes = [], set()
    for k, item in enumerate(document["councils"]):
        where = _label(f"councils[{k}]", item, "code")
        _fields(where, item, _COUNCIL)
        code = _text(where, "code", item["code"])
        if code in codes:
            raise InstanceError(f"{where}: council {code!r} is listed twice")
        codes.add(code)
        strengths = item.get("strengths", {})
        if not isinstance(strengths, dict):
            raise InstanceError(f"{where}: strengths must be an object {{area code: 0 to 1}}")
        known = {}
        for area, value in strengths.items():
            if area not in area_codes:
                raise InstanceError(f"{where}: strengths names unknown area {area!r}")
            if value is not None:  # null: not known
                known[area] = _number(where, f"strength in {area!r}", value, 0, 1)
        councils.append(
            Council(
                code=code,
                name=_text(where, "name", item["name"]),
                lat=_number(where, "lat", item["lat"], -90, 90),
                lon=_number(where, "lon", item["lon"], -180, 180),
                strengths=known,
            )
        )

    last_year = set()
    groups = document.get("last_year", [])
    if not isinstance(groups, list):
        raise InstanceError("last_year: must be a list of groups, each a list of council codes")
    for k, group in enumerate(groups):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(c, str) for c in group):
            raise InstanceError(
                f"last_year[{k}]: must be a list of at least two council codes, not {group!r}"
            )
        for code in group:
            if code not in codes:
                raise InstanceError(f"last_year[{k}]: unknown council {code!r}")
        if len(set(group)) != len(group):
            raise InstanceError(f"last_year[{k}]: a council is named twice in {group!r}")
        last_year.update(frozenset((a, b)) for i, a in enumerate(group) for b in group[i + 1 :])

    sizes = document.get("sizes", [3, 4])
    if (
        not isinstance(sizes, list)
        or not sizes
        or any(isinstance(s, bool) or not isinstance(s, int) or not 2 <= s <= 8 for s in sizes)
    ):
        raise InstanceError(f"sizes: must be a non-empty list of whole numbers from 2 to 8, not {sizes!r}")

    raw_weights = document.get("weights", {})
    if not isinstance(raw_weights, dict):
        raise InstanceError("weights: must be an object")
    unknown = sorted(set(raw_weights) - _WEIGHTS)
    if unknown:
        raise InstanceError(
            f"weights: unknown weight {unknown[0]!r} (expected: {', '.join(sorted(_WEIGHTS))})"
        )
    for name, value in raw_weights.items():
        _number(f"weights.{name}", "the weight", value)
        if value < 0:
            raise InstanceError(f"weights.{name}: must not be negative, not {value!r}")
    try:
        return Instance(
            councils=tuple(councils),
            areas=tuple(areas),
            last_year=frozenset(last_year),
            sizes=tuple(sizes),
            weights=Weights(**raw_weights),
        )
    except GroupingError as error:
        where = "sizes" if "split" in str(error) or "sizes" in str(error) else "instance"
        raise InstanceError(f"{where}: {error}") from None


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


def instance_to_json(instance: Instance) -> dict:
    """The instance as a document in the file format (to save the hub's own instance and rerun it)."""
    return {
        "areas": [{"code": a.code, "name": a.name} for a in instance.areas],
        "councils": [
            {"code": c.code, "name": c.name, "lat": c.lat, "lon": c.lon, "strengths": dict(c.strengths)}
            for c in instance.councils
        ],
        "last_year": sorted(sorted(pair) for pair in instance.last_year),
        "sizes": list(instance.sizes),
        "weights": {
            "complement": instance.weights.complement,
            "repeat": instance.weights.repeat,
            "travel": instance.weights.travel,
        },
    }


def result_to_json(result: Result) -> dict:
    """The groups, each with its parts and score, the total, the status and every pair's score (in
    points; every figure except km is a whole number of thousandths), so anyone can recompute it."""
    councils = result.instance.councils
    return {
        "status": result.status,
        "total": result.total / SCALE,
        "bound": None if result.bound is None else result.bound / SCALE,
        "gap": None if result.gap is None else result.gap / SCALE,
        "method": result.method,
        "seconds": round(result.seconds, 3),
        "groups": result_groups(result),
        "pairs": [
            {
                "councils": [councils[p.i].code, councils[p.j].code],
                "complement": p.complement / SCALE,
                "met_last_year": p.met_last_year,
                "repeat": p.repeat / SCALE,
                "km": round(p.km, 3),
                "travel": p.travel / SCALE,
                "score": p.score / SCALE,
            }
            for p in result.table.values()
        ],
        "resolution": 1 / SCALE,
    }


def result_to_text(result: Result) -> str:
    lines = []
    for group in result_groups(result):
        lines.append(f"Group {group['number']}: {', '.join(group['names'])}")
        lines.append(
            f"    score {group['score']:g} = complementarity {group['complement']:g}"
            f" - repeats {group['repeat']:g} ({group['repeat_pairs']} pair(s) met last year)"
            f" - travel {group['travel']:g} ({group['km_total']:.1f} km over its pairs)"
        )
        lines.append(f"    {group['reason']}")
    lines.append("")
    lines.append(f"Total: {result.total / SCALE:g}")
    if result.status == "OPTIMAL":
        lines.append(f"Status: OPTIMAL (proven best, {result.method}, {result.seconds:.2f} s)")
    else:
        bound = "unknown" if result.bound is None else f"{result.bound / SCALE:g}"
        gap = "unknown" if result.gap is None else f"{result.gap / SCALE:g}"
        lines.append(
            f"Status: FEASIBLE (best found in the time limit, not proven best; upper bound {bound}, "
            f"gap at most {gap}; {result.method}, {result.seconds:.2f} s)"
        )
    return "\n".join(lines)

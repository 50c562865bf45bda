"""Why an authority's risk is what it is: the signals that pushed it most, in plain words."""

from datetime import date

from slihub.warning.features import HISTORY_FEATURES, SIGNAL_BY_CODE, is_concern

SIGNALS_KEPT = 8


def explain(scorer, scored, day: date, keep: int = SIGNALS_KEPT) -> list[dict]:
    """The signals that pushed this authority's risk most, either way, in plain words."""
    snap = scorer.snapshot(scored.authority_id, day)
    pushes = sorted(scored.contributions.items(), key=lambda kv: -abs(kv[1]))
    out = []
    for name, push in pushes:
        if abs(push) < 0.01 or len(out) == keep:
            break
        out.append(
            {
                "feature": name,
                "label": label(name),
                "contribution": round(push, 4),
                "text": describe(name, snap),
                "concern": is_concern(name, snap),
            }
        )
    return out


def label(feature: str) -> str:
    if feature in HISTORY_FEATURES:
        return HISTORY_FEATURES[feature]
    code, _, measure = feature.rpartition(":")  # a DfE code holds a colon itself
    signal = SIGNAL_BY_CODE[code]
    return {
        "gap": f"{signal.name}, against neighbours",
        "change": f"{signal.name}, change on the year",
        "level": signal.name,
    }[measure]


def _number(value, signal) -> str:
    return "not published" if value is None else f"{signal.prefix}{value:,.{signal.decimals}f}{signal.unit}"


def describe(feature: str, snap) -> str:
    """The figures behind one feature, as a sentence."""
    if feature in HISTORY_FEATURES:
        last = snap.last_inspection
        # An inspection of a predecessor council (a successor inherits its history) says whose it was.
        of = f" of {last.as_authority}" if last and last.as_authority else ""
        if feature == "years_since_inspection" and last:
            return (
                f"Last inspected{' as ' + last.as_authority if of else ''} from {last.start_date:%-d %B %Y}, "
                f"{snap.values[feature]:.1f} years before."
            )
        if feature == "prev_weak_judgments" and last:
            return f"{int(last.weak_judgments)} of the four judgments below Good at the last inspection{of}."
        if feature.startswith("prev_") and last:
            return f"Judged {last.overall} overall in the inspection{of} from {last.start_date:%-d %B %Y}."
        return HISTORY_FEATURES[feature] + ("." if snap.values.get(feature) else ": no.")
    code, _, measure = feature.rpartition(":")  # a DfE code holds a colon itself
    r = snap.readings[code]
    s = r.signal
    year = f"in {r.year}"
    if measure == "level":
        return f"{_number(r.value, s)} {year} (England {_number(r.england, s)})."
    if measure == "gap":
        return (
            f"{_number(r.value, s)} {year}, against {_number(r.neighbours, s)} for its statistical "
            f"neighbours and {_number(r.england, s)} for England."
        )
    return (
        f"{_number(r.previous, s)} in {r.year - 1} to {_number(r.value, s)} {year}; England "
        f"{_number(r.england_previous, s)} to {_number(r.england, s)}."
    )

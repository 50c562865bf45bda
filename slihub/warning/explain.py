"""Why an authority's risk is what it is: the signals that pushed it most, in plain words.

Each signal either raised the risk or lowered it. One that raised it is a *concern* only where its figure
is also worse than its comparator; rates of need, spending and deprivation have no better direction, so
they can raise the risk without being called a concern, and a signal that lowered the risk never is one.
"""

import math
from datetime import date

from slihub.warning.features import (
    HIGHER_IS_WORSE,
    HISTORY_FEATURES,
    LOWER_IS_WORSE,
    SIGNAL_BY_CODE,
    against_comparator,
    is_concern,
    is_worse,
)

SIGNALS_KEPT = 8
NO_DIRECTION = "neither higher nor lower is better in itself"


def explain(scorer, scored, day: date, keep: int = SIGNALS_KEPT) -> list[dict]:
    """The signals that pushed this authority's risk most, either way, in plain words: for each, its
    label, its push on the log-odds, its figures (`text`), whether its figure is worse than its comparator
    (`worse`: None without a direction), whether it is a concern, and a sentence saying what it did."""
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
                "worse": is_worse(name, snap),
                "concern": is_concern(name, snap, push),
                "sentence": sentence(name, push, against_comparator(name, snap)),
            }
        )
    return out


def sentence(feature: str, contribution: float, difference: float = math.nan) -> str:
    """What a signal did to the risk, in a sentence: raised or lowered it, how its figure stands against
    its comparator (``difference``: above it if positive, NaN if unknown), and which way is better."""
    effect = "Raised the risk" if contribution > 0 else "Lowered the risk"
    code, _, measure = feature.rpartition(":")  # a DfE code holds a colon itself
    if code not in SIGNAL_BY_CODE or math.isnan(difference):
        return f"{effect}."
    compared = _compared(measure, difference)
    if code not in HIGHER_IS_WORSE | LOWER_IS_WORSE:
        return f"{effect}: {compared}; {NO_DIRECTION}."
    polarity = "where lower is better" if code in HIGHER_IS_WORSE else "where higher is better"
    worse = difference > 0 if code in HIGHER_IS_WORSE else difference < 0
    if contribution > 0:
        effect += ", and a concern" if worse else ", though not a concern"
    elif worse:  # the model weighs it with the rest: say so rather than let it read as good news
        effect += ", though the figure is worse"
    return f"{effect}: {compared}, {polarity}."


def _compared(measure: str, difference: float) -> str:
    if measure == "change":
        if difference == 0:
            return "level with England's change on the year"
        return ("up" if difference > 0 else "down") + " on the year against England's change"
    against = "England" if measure == "level" else "its statistical neighbours"
    if difference == 0:
        return f"the same as {against}"
    return ("higher" if difference > 0 else "lower") + f" than {against}"


def settled(signal: dict) -> dict:
    """A stored signal read by today's rules: scores stored before `worse` and `sentence` were kept
    called every signal without a direction a concern, even one that lowered the risk. Its figure's side
    of the comparator is known again only for a signal with a direction (the old `concern` was exactly
    that), so its sentence then says no more than what it did to the risk."""
    if "worse" in signal:
        return signal
    code = signal["feature"].rpartition(":")[0]
    worse = bool(signal.get("concern")) if code in HIGHER_IS_WORSE | LOWER_IS_WORSE else None
    push = signal.get("contribution", 0.0)
    return signal | {
        "worse": worse,
        "concern": push > 0 and worse is True,
        "sentence": sentence(signal["feature"], push),
    }


def label(feature: str) -> str:
    if feature in HISTORY_FEATURES:
        return HISTORY_FEATURES[feature]
    code, _, measure = feature.rpartition(":")
    signal = SIGNAL_BY_CODE[code]
    return {
        "gap": f"{signal.name}, against neighbours",
        "change": f"{signal.name}, change on the year",
        "level": signal.name,
    }[measure]


def _number(value, signal) -> str:
    return "not published" if value is None else f"{signal.prefix}{value:,.{signal.decimals}f}{signal.unit}"


FOUR = {
    0: "None of the four judgments",
    1: "One of the four judgments",
    2: "Two of the four judgments",
    3: "Three of the four judgments",
    4: "All four judgments",
}


def _of_four(weak: int) -> str:
    """How many of an inspection's four judgments, in words ("All four judgments", not "4 of the four")."""
    return FOUR.get(weak, f"{weak} judgments")


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
            return f"{_of_four(int(last.weak_judgments))} below Good at the last inspection{of}."
        if feature.startswith("prev_") and last:
            return f"Judged {last.overall} overall in the inspection{of} from {last.start_date:%-d %B %Y}."
        return HISTORY_FEATURES[feature] + ("." if snap.values.get(feature) else ": no.")
    code, _, measure = feature.rpartition(":")
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

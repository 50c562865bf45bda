"""Stable URL keys for indicators (no Django: pure functions).

Codes are the publisher's ('No_of LAC Adopted', '%_3&4yr_olds', 'dfe:cla_rate_31_march'), so
they hold spaces, '%', '&' and ':'. An indicator's slug is made from its code alone:
lower case, '%' read as 'pct' and '&' as 'and', every other run of non-alphanumerics a hyphen.
Two codes that would share a slug both get a suffix from a hash of their own code, so each
slug still depends only on the codes involved, never on the order of loading.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

MAX_LENGTH = 100
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def base_slug(code: str) -> str:
    text = code.lower().replace("%", " pct ").replace("&", " and ")
    slug = _SEPARATORS.sub("-", text).strip("-")[: MAX_LENGTH - 8].strip("-")
    return slug or "indicator"


def suffixed(code: str) -> str:
    digest = hashlib.sha256(code.encode()).hexdigest()[:6]
    return f"{base_slug(code)}-{digest}"


def slugs_for(codes: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """code -> slug for these codes, none equal to another's or to one in `taken` (other sources')."""
    codes = sorted(set(codes))
    counts = Counter(base_slug(code) for code in codes)
    taken = set(taken)
    out = {}
    for code in codes:
        base = base_slug(code)
        out[code] = base if counts[base] == 1 and base not in taken else suffixed(code)
    if len(set(out.values()) | taken) != len(out) + len(taken):
        raise ValueError("indicator slugs collide even with their hash suffixes")
    return out

"""Which indicators are breakdowns of another (by ethnicity, free school meals, disadvantage, gender),
and of which: so that the profile lists them under their parent measure rather than beside it.

LAIT publishes no such link: it is read from the names ('Average Progress 8 score per pupil - Chinese'
is a breakdown of 'Average Progress 8 score per pupil') and, where the stem names no indicator, from
the codes (FSM_AVG_Prog8_Score and AVG_Prog8_Score_Chine of AVG_Prog8_Score). No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GROUPS = (
    r"Asian|Black|Chinese|Mixed|White|Other Ethnic|FSM|Non FSM|Non-FSM|FSM pupils|Boys|Girls|Male|Female|"
    r"disadvantaged|non disadvantaged"
)
_NAME_PATTERNS = (
    re.compile(rf"^(?P<stem>.+?)\s+-\s*(?P<group>{GROUPS})(?: pupils)?$", re.IGNORECASE),
    re.compile(
        rf"^(?P<stem>.+?)\s+-\s+attainment (?:in RWM )?for (?P<group>{GROUPS}) pupils$", re.IGNORECASE
    ),
    re.compile(
        r"^(?P<stem>.+?(?:per pupil|attainment pupils))\s+(?P<group>(?:not )?eligible for FSM)$",
        re.IGNORECASE,
    ),
)
_CODE_TOKENS = re.compile(
    r"^(?:NonFSM_|FSM_|NonDAP_|DAP_)|_(?:Asian|Black|Chine|Mixed|White|Other|FSM|Non_FSM|Boys|Girls)(?=_|$)",
    re.IGNORECASE,
)


# Breakdowns whose parent neither the name nor the code gives (a reviewed table, like classification.py's).
PARENTS = {
    **dict.fromkeys(
        [
            f"FSP_Gooddev_{g}"
            for g in ("White", "Mixed", "Asian", "Black", "Chinese", "Other", "FSM", "FSM_Other")
        ],
        "FSP_NEW_GOODDEV",
    ),
    **dict.fromkeys(
        [f"KS2_NEW_{g}_RWM" for g in ("White", "Mixed", "Asian", "Black", "Chine", "Other")]
        + ["FSM_NEW_KS2_RWM", "NonFSM_NEW_KS2_RWM", "DAP_NEW_KS2_RWM", "NonDAP_NEW_KS2_RWM"],
        "KS2RWM_Expected_STD",
    ),
    **dict.fromkeys(["DAP_KS4_ATT8", "NonDAP_KS4_ATT8"], "AVG_Attain8_Score"),
    **dict.fromkeys(["DAP_KS4_Prog8", "NonDAP_KS4_Prog8"], "AVG_Prog8_Score"),
    "KS1P_FSM": "KS1P_all",
    "HE_19_FSM": "HE_19_All",
    "HE_19_Non_FSM": "HE_19_All",
    "Level2_FMS_Attain": "Level2Age19",
    "Level3_FMS_Attain": "Level3Age19",
    "NonFSM_L3_aged19": "Level3Age19",
}


@dataclass(frozen=True)
class Breakdown:
    group: str  # 'Chinese', 'eligible for FSM'
    parent_code: str  # '' when no indicator given is its parent


def breakdown(code: str, name: str, codes_by_name: dict[str, str], codes: Iterable[str]) -> Breakdown | None:
    """The breakdown an indicator is (None if it is none): its group and its parent's code among
    ``codes_by_name`` (casefolded name -> code) and ``codes``."""
    name = " ".join(name.split())
    for pattern in _NAME_PATTERNS:
        found = pattern.match(name)
        if found:
            break
    else:
        return None
    known = set(codes)
    parent = PARENTS.get(code, "") if PARENTS.get(code, "") in known else ""
    parent = parent or codes_by_name.get(found["stem"].strip(" -").casefold(), "")
    if not parent:
        stripped = _CODE_TOKENS.sub("", code)
        parent = stripped if stripped != code and stripped in known else ""
    return Breakdown(found["group"], parent if parent != code else "")

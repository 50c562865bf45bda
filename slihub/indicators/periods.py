"""Period labels as DfE publishes them, normalised and ordered (no Django: pure functions).

LAIT labels: '2025', '2025 (prov)', '2018 (Rev)', '2020 (Final)', '2016-17 (OT)' (financial
outturn), '2024-25' (financial), '2015/16' (academic), '2014-16' (three calendar years),
'2013/14-15/16' (three academic years) and '0' (a placeholder DfE uses for an indicator with no
data). EES tidy files give time_period and time_identifier: ('2025', 'Reporting year'),
('202425', 'Academic year'), ('202425', 'Financial year'), ...; these become the same labels as
LAIT's, so a LAIT series and a tidy series of the same years share their periods.

Periods sort on the year they end in, then on the flag (provisional before revised before
final), then on their length (a single year before a range ending in the same year).
"""

import re
from dataclasses import dataclass

YEAR = "year"  # a calendar, reporting or census year: '2025'
FINANCIAL = "financial"  # April to March: '2024-25'
ACADEMIC = "academic"  # September to August: '2024/25'
MULTI_YEAR = "multi_year"  # a range of calendar years: '2014-16'
MULTI_ACADEMIC = "multi_academic"  # a range of academic years: '2021/22-23/24'
UNSPECIFIED = "unspecified"  # LAIT's '0'
KINDS = (YEAR, FINANCIAL, ACADEMIC, MULTI_YEAR, MULTI_ACADEMIC, UNSPECIFIED)

PROVISIONAL, REVISED, FINAL, OUTTURN = "provisional", "revised", "final", "outturn"
FLAGS = {"prov": PROVISIONAL, "rev": REVISED, "final": FINAL, "ot": OUTTURN}
_FLAG_ORDER = {"": 0, PROVISIONAL: 1, REVISED: 2, FINAL: 3, OUTTURN: 3}

_FLAGGED = re.compile(r"^(?P<body>.+?)\s*\((?P<flag>[A-Za-z]+)\)$")
_PATTERNS = [
    (YEAR, re.compile(r"^(?P<end>(19|20)\d\d)$")),
    (FINANCIAL, re.compile(r"^(?P<start>(19|20)\d\d)-(?P<end2>\d\d)$")),
    (ACADEMIC, re.compile(r"^(?P<start>(19|20)\d\d)/(?P<end2>\d\d)$")),
    (MULTI_ACADEMIC, re.compile(r"^(?P<start>(19|20)\d\d)/\d\d-(?P<last>\d\d)/(?P<end2>\d\d)$")),
]
_MULTI_YEAR = re.compile(r"^(?P<start>(19|20)\d\d)-(?P<end2>\d\d)$")


@dataclass(frozen=True, order=False)
class Period:
    label: str  # as published (LAIT) or as DfE writes it in its tables (tidy files)
    kind: str
    start_year: int  # the year the period starts in (0 for UNSPECIFIED)
    end_year: int  # the year it ends in
    flag: str = ""  # provisional, revised, final, outturn or ''

    @property
    def sort_key(self) -> int:
        """Orders periods: end year, then flag, then shorter before longer."""
        length = min(self.end_year - self.start_year, 9)
        return self.end_year * 100 + _FLAG_ORDER[self.flag] * 10 + length

    @property
    def provisional(self) -> bool:
        return self.flag == PROVISIONAL


def _century(start: int, two_digits: str) -> int:
    end = start // 100 * 100 + int(two_digits)
    return end + 100 if end < start else end


def parse_label(label: str) -> Period:
    """The period a published label names; ValueError if it is not one DfE uses."""
    text = label.strip()
    if text != label or not text:
        raise ValueError(f"{label!r} is not a period label (blank or padded)")
    if text == "0":
        return Period(label, UNSPECIFIED, 0, 0)
    flag = ""
    flagged = _FLAGGED.match(text)
    if flagged:
        key = flagged["flag"].lower()
        if key not in FLAGS:
            raise ValueError(f"{label!r}: unknown mark ({flagged['flag']})")
        text, flag = flagged["body"], FLAGS[key]
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        if kind == YEAR:
            end = int(match["end"])
            return Period(label, kind, end, end, flag)
        start = int(match["start"])
        end = _century(start, match["end2"])
        if end - start > 10:
            raise ValueError(f"{label!r}: a period of more than ten years")
        if kind == FINANCIAL and end - start > 1:
            # '2014-16' is a range of calendar years, '2024-25' a financial year.
            return Period(label, MULTI_YEAR, start, end, flag)
        if kind in (FINANCIAL, ACADEMIC) and end - start != 1:
            raise ValueError(f"{label!r}: a {kind} year spans two consecutive years")
        if kind == MULTI_ACADEMIC:
            last_start = _century(start, match["last"])
            if end - last_start != 1 or last_start <= start:
                raise ValueError(f"{label!r}: not a range of academic years")
        return Period(label, kind, start, end, flag)
    raise ValueError(f"{label!r} is not a period label DfE uses")


_IDENTIFIERS = {
    "reporting year": YEAR,
    "calendar year": YEAR,
    "census year": YEAR,
    "financial year": FINANCIAL,
    "academic year": ACADEMIC,
}
TIDY_IDENTIFIERS = frozenset(_IDENTIFIERS)


def parse_tidy(time_period: str, time_identifier: str) -> Period:
    """The period of an EES tidy row: ('2025', 'Reporting year'), ('202425', 'Academic year')..."""
    kind = _IDENTIFIERS.get(time_identifier.strip().lower())
    if kind is None:
        raise ValueError(f"unknown time_identifier {time_identifier!r}")
    if kind == YEAR:
        if not re.fullmatch(r"(19|20)\d\d", time_period):
            raise ValueError(f"{time_period!r} is not a year")
        return parse_label(time_period)
    match = re.fullmatch(r"((19|20)\d\d)(\d\d)", time_period)
    if not match or _century(int(match[1]), match[3]) - int(match[1]) != 1:
        raise ValueError(f"{time_period!r} is not a {time_identifier.lower()} written YYYYYY (202425)")
    separator = "-" if kind == FINANCIAL else "/"
    return parse_label(f"{match[1]}{separator}{match[3]}")


def ordered(periods) -> list[Period]:
    return sorted(periods, key=lambda p: (p.sort_key, p.label))


# Writing periods back out in EES's tidy format -------------------------------------------------
#
# LAIT labels a period by the year it ends in whatever its year type: '2025' is the academic
# year 2024/25 for attainment (LAIT's LAC_KS2_ExpStd_RWM 2025 is DfE's 202425 figure) and the
# year to 31 March 2025 for a financial-year indicator (LAC_Start_Rate 2025 is DfE's 2025 one).
# So the kind of a label alone cannot say how EES would write it; the indicator's year type can.
# EES has no way to write a range of years ('2014-16'): a range keeps its label, under the
# identifier of the years it is made of.

ACADEMIC_YEAR, FINANCIAL_YEAR, CALENDAR_YEAR = "Academic year", "Financial year", "Calendar year"
REPORTING_YEAR, JANUARY = "Reporting year", "January"

# Year types as LAIT's dictionary and the mappings write them (compared in lower case) -> EES's
# time_identifier. Snapshots on a day of the year (31 March, 30 September, 30 June) are what
# DfE's own tidy files call a 'Reporting year'; LAIT's January school census is EES's 'January'.
YEAR_TYPES = {
    "academic year": ACADEMIC_YEAR,
    "financial year": FINANCIAL_YEAR,
    "calendar year": CALENDAR_YEAR,
    "annual": REPORTING_YEAR,  # LAIT's rates and numbers of CIN, CPP and CLA at 31 March
    "annual (31 march)": REPORTING_YEAR,
    "annual (year to 31 march)": REPORTING_YEAR,
    "annual (end of sept)": REPORTING_YEAR,
    "annual (end of september)": REPORTING_YEAR,
    "annual (mid-year, 30 june)": REPORTING_YEAR,
    "annual - january": JANUARY,
}
# When the year type is unknown (or '0', a placeholder), the label's kind decides.
_BY_KIND = {
    YEAR: REPORTING_YEAR,
    FINANCIAL: FINANCIAL_YEAR,
    ACADEMIC: ACADEMIC_YEAR,
    MULTI_YEAR: CALENDAR_YEAR,
    MULTI_ACADEMIC: ACADEMIC_YEAR,
    UNSPECIFIED: "Unspecified",
}
_TWO_YEARS = {ACADEMIC_YEAR, FINANCIAL_YEAR}


def _body(label: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", label)


def tidy_time(period, year_type: str) -> tuple[str, str]:
    """(time_period, time_identifier) of a period as EES writes them, from the indicator's year type.

    `period` is a Period (this module's or the model's). ('2025', 'Academic Year') gives
    ('202425', 'Academic year'); ('2025', 'Financial Year') ('202425', 'Financial year');
    ('2016-17', 'Academic Year') ('201617', 'Academic year'); ('2025', 'Annual (31 March)')
    ('2025', 'Reporting year'). The flag (provisional, revised, ...) is not part of either."""
    identifier = YEAR_TYPES.get(year_type.strip().lower())
    kind = period.kind
    if kind == UNSPECIFIED or identifier is None:
        identifier = _BY_KIND.get(kind, kind)
    if kind in (MULTI_YEAR, MULTI_ACADEMIC):
        return _body(period.label), identifier
    two_years = kind in (FINANCIAL, ACADEMIC)
    if identifier in _TWO_YEARS:
        # A single year label is the year the academic or financial year ends in.
        start = period.start_year if two_years else period.end_year - 1
        return f"{start}{period.end_year % 100:02d}", identifier
    if two_years:
        # A two-year label under a one-year identifier: the label decides.
        identifier = _BY_KIND[kind]
        return f"{period.start_year}{period.end_year % 100:02d}", identifier
    if kind == UNSPECIFIED:
        return _body(period.label), identifier
    return str(period.end_year), identifier

"""Dates as GOV.UK writes them ("14 December 2026", "14 December 2026, 09:30"), for every date a template
prints without a format of its own. Django falls back to its own en_GB formats for everything else (input
formats, numbers)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

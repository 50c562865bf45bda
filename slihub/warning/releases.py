"""The real publication date of each DfE release the risk model reads, where it is known.

lags.py uses a figure from the day after its release was published (see Collection.available_on)
and falls back on the collection's rule of thumb for a release not listed here. Each date was read
from the release, GOV.UK's page for it or a copy of either, named as its source; a date that could
not be found is left out rather than guessed, so the rule applies to it. Where the only date is a
copy's own (FE News reposts GOV.UK's pages the day they appear) or a news report's saying "released
today", the source says so: such a date is never before the release, so it cannot leak.
"""

from dataclasses import dataclass
from datetime import date

# The collections' stable keys (lags.Collection.key) and the last day of the period a figure labelled
# Y covers, as (month, day, years after Y): a release can only come after it.
PERIOD_END = {
    "cin": (3, 31, 0),  # the year to 31 March Y
    "cla": (3, 31, 0),  # the year to 31 March Y
    "workforce": (9, 30, 0),  # the position at 30 September Y
    "school_census": (1, 31, 0),  # the census taken in January Y
    "expenditure": (3, 31, 0),  # the financial year to 31 March Y
}


@dataclass(frozen=True)
class Release:
    key: str  # the collection's key (PERIOD_END)
    year: int  # the period label Y, as in lags.py
    title: str  # the release's own title
    published: date
    source: str  # the page the date was read from, and what it said


_FENEWS = "https://www.fenews.co.uk/press-releases/217-resources/"
R = Release
# fmt: off
RELEASES = (
    # Characteristics of children in need (the children in need census)
    R("cin", 2018, "Characteristics of children in need: 2017 to 2018", date(2018, 10, 25),
      "https://www.gov.uk/government/statistics/characteristics-of-children-in-need-2017-to-2018"
      " (\"Published 25 October 2018\")"),
    R("cin", 2019, "Characteristics of children in need: 2018 to 2019", date(2019, 10, 31),
      "https://childhub.org/en/child-protection-online-library/characteristics-children-need-2018-2019"
      " (\"Date of publication: 31 Oct 2019\"); https://www.vulnerability360.org.uk/children-in-need-statistics/"
      " (\"Date: 31 October 2019\")"),
    R("cin", 2020, "Characteristics of children in need: 2019 to 2020", date(2020, 11, 26),
      "https://www.fenews.co.uk/resources/characteristics-of-children-in-need-2019-to-2020/"
      " (copy of GOV.UK's page: \"Published 26 November 2020\"; later than usual, in the pandemic)"),
    R("cin", 2021, "Characteristics of children in need: 2020 to 2021", date(2021, 10, 28),
      "https://www.fenews.co.uk/resources/characteristics-of-children-in-need-2020-to-2021/"
      " (copy of GOV.UK's page: \"Published 28 October 2021\")"),
    # Children looked after in England including adoptions (the SSDA903 return)
    R("cla", 2020, "Children looked after in England including adoption: 2019 to 2020", date(2020, 12, 10),
      _FENEWS + "60204-children-looked-after-in-england-including-adoption-2019-to-2020"
      " (copy of GOV.UK's page: \"Published 10 December 2020\")"),
    # Children's social work workforce (the census at 30 September)
    R("workforce", 2017,
      "Children and family social work workforce in England, year ending 30 September 2017",
      date(2018, 2, 15),
      "https://cupdf.com/document/experimental-statistics-children-and-family-social-work-contact-email-"
      "cswwstatseducationgovuk.html (copy of the release: \"SFR 09/2018, 15 February 2018\")"),
    R("workforce", 2019, "Children's social work workforce 2019", date(2020, 2, 27),
      _FENEWS + "42939-childrens-social-work-workforce-2019"
      " (copy of GOV.UK's page: \"Published 27 February 2020\"; the release itself is dated"
      " 27 February 2020)"),
    R("workforce", 2020, "Children's social work workforce: reporting year 2020", date(2021, 2, 25),
      _FENEWS + "64060-childrens-social-work-workforce-2020"
      " (copy of GOV.UK's page: \"Published 25 February 2021\")"),
    R("workforce", 2021, "Children's social work workforce 2021", date(2022, 2, 24),
      "https://www.gov.uk/government/statistics/announcements/children-social-work-workforce-year-ending-30-"
      "september-2021 (\"Published 24 February 2022\")"),
    R("workforce", 2022, "Children's social work workforce: reporting year 2022", date(2023, 2, 23),
      "https://www.communitycare.co.uk/2023/02/23/number-of-frontline-childrens-social-workers-down-8-since-"
      "2020-as-vacancies-soar/ (23 February 2023: \"The Department for Education's annual workforce census,"
      " released today\")"),
    R("workforce", 2023, "Children's social work workforce 2023", date(2024, 2, 29),
      "https://www.gov.uk/government/statistics/childrens-social-work-workforce-2023"
      " (\"Published 29 February 2024\")"),
    # Schools, pupils and their characteristics (the January school census)
    R("school_census", 2019, "Schools, pupils and their characteristics: January 2019", date(2019, 6, 27),
      "https://pdfslide.net/documents/schools-pupils-and-their-characteristics-january-2019-schools-pupils-and-"
      "their.html (copy of the release, dated 27 June 2019)"),
    R("school_census", 2020, "Schools, pupils and their characteristics: January 2020", date(2020, 6, 25),
      _FENEWS + "50047-schools-pupils-and-their-characteristics-january-2020"
      " (copy of GOV.UK's page, dated 2020-06-25)"),
    R("school_census", 2021, "Schools, pupils and their characteristics: January 2021", date(2021, 6, 17),
      "https://www.fenews.co.uk/resources/schools-pupils-and-their-characteristics-january-2021/"
      " (copy of GOV.UK's page: \"Published 17 June 2021\")"),
    R("school_census", 2022,
      "Schools, pupils and their characteristics: academic year 2021/22", date(2022, 6, 9),
      "https://www.fenews.co.uk/education/schools-pupils-and-their-characteristics/"
      " (the 2021/22 release's headlines, dated 2022-06-09)"),
    # LA and school expenditure (the S251 outturn): spending in the financial year to March Y
    R("expenditure", 2019, "LA and school expenditure: 2018 to 2019 financial year", date(2019, 12, 13),
      "https://cdn-2.fenews.co.uk/press-releases/217-resources/39728-la-and-school-expenditure-2018-to-2019-"
      "financial-year (copy of GOV.UK's page: \"Published 13 December 2019\")"),
    R("expenditure", 2020, "LA and school expenditure: 2019 to 2020 financial year", date(2021, 1, 21),
      _FENEWS + "62044-la-and-school-expenditure-2019-to-2020-financial-year"
      " (copy of GOV.UK's page: \"Published 21 January 2021\"; the S251 spending came out that day,"
      " the schools' own finances on 11 February 2021)"),
    R("expenditure", 2023, "LA and school expenditure: 2022 to 2023 financial year", date(2024, 1, 25),
      "https://www.gov.uk/government/statistics/la-and-school-expenditure-2022-to-2023-financial-year"
      " (\"Published 25 January 2024\")"),
)
# fmt: on


def period_end(key: str, year: int) -> date:
    month, day, years_after = PERIOD_END[key]
    return date(year + years_after, month, day)


def _check(releases) -> dict[tuple[str, int], Release]:
    """The table by (collection key, year); a clear error for an entry that cannot be right."""
    table = {}
    for r in releases:
        where = f"release {r.key!r} {r.year}"
        if r.key not in PERIOD_END:
            raise ValueError(f"{where}: unknown collection key; use one of {', '.join(PERIOD_END)}")
        if (r.key, r.year) in table:
            raise ValueError(f"{where} is listed twice")
        if not r.source.strip() or not r.title.strip():
            raise ValueError(f"{where} has no source or title")
        if r.published <= period_end(r.key, r.year):
            raise ValueError(f"{where}: published {r.published} is not after the period it covers")
        table[(r.key, r.year)] = r
    return table


BY_KEY_YEAR = _check(RELEASES)


def published_on(key: str, year: int) -> date | None:
    """The publication date of the collection's release for period `year`, if known."""
    release = BY_KEY_YEAR.get((key, year))
    return release.published if release else None


@dataclass(frozen=True)
class ReleaseRow:
    """One figure's publication, for the backtest page: when it came out and when the model used it."""

    collection: str
    rule: str
    year: int
    published: date | None  # None: not found, the rule applies
    source: str
    used_from: date


def release_table(years=range(2017, 2026), collections=None) -> list[ReleaseRow]:
    """Every collection's rule and, for each period year, the real publication date where known and the
    first date its figure was used."""
    if collections is None:
        from slihub.warning.lags import COLLECTIONS  # lags imports this module

        collections = COLLECTIONS
    rows = []
    for collection in collections:
        for year in years:
            release = BY_KEY_YEAR.get((collection.key, year))
            rows.append(
                ReleaseRow(
                    collection.name,
                    collection.rule,
                    year,
                    release.published if release else None,
                    release.source if release else "",
                    collection.available_on(year),
                )
            )
    return rows

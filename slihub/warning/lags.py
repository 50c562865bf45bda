"""When each statistic became public: the dates that keep every risk score honest.

A risk score for a date may use only what had been published by that date. A figure is used from
the day after its release's real publication date where releases.py knows it; otherwise by the
collection's rule of thumb: the first day of the month after the usual publication month, a little
later than the actual date in most years, never earlier than any known one. These dates are applied
everywhere features are built (scores, training and the backtest).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from slihub.warning.releases import BY_KEY_YEAR

# The day after each known release (see Collection.available_on).
_USED_FROM = {key_year: release.published + timedelta(days=1) for key_year, release in BY_KEY_YEAR.items()}


@dataclass(frozen=True)
class Collection:
    name: str
    covers: str  # what a period label Y means
    published: str  # the usual publication, in words
    month: int  # first month in which a figure for Y may be used ...
    years_after: int  # ... in year Y + years_after
    key: str = ""  # the collection's key in releases.py; none: the rule alone

    def rule_on(self, year: int) -> date:
        """The rule of thumb's first date for a figure for the period labelled `year`."""
        return date(year + self.years_after, self.month, 1)

    def available_on(self, year: int) -> date:
        """The first date a figure for the period labelled `year` may be used: the day after its real
        publication where known, else the rule. DfE publishes at 9:30, so a score dated that day may
        come before it (as with an inspection report, known from the day after it was published);
        scores are for the first of each month, so a release on 10 December is used from 1 January."""
        # called for every year of every signal in every snapshot: a lookup, no more
        return _USED_FROM.get((self.key, year)) or date(year + self.years_after, self.month, 1)

    @property
    def rule(self) -> str:
        month = f"{date(2000, self.month, 1):%B}"
        return f"{self.covers}; {self.published}. Used from 1 {month} of year Y+{self.years_after}."


CIN_CENSUS = Collection(
    "Children in need census (DfE, Characteristics of children in need)",
    "Y is the year to 31 March Y",
    "published in late October or November of Y",
    month=12,
    years_after=0,
    key="cin",
)
CLA_RETURN = Collection(
    "Children looked after return, SSDA903 (DfE, Children looked after in England)",
    "Y is the year to 31 March Y",
    "published in November of Y (10 December in 2020)",
    month=1,  # not 1 December: the 2020 release came out on 10 December, and not every year's date is known
    years_after=1,
    key="cla",
)
WORKFORCE = Collection(
    "Children's social work workforce census (DfE)",
    "Y is the position at 30 September Y",
    "published in February of Y+1",
    month=3,
    years_after=1,
    key="workforce",
)
SCHOOL_CENSUS = Collection(
    "School census, January (DfE, Schools, pupils and their characteristics)",
    "Y is the census in January Y",
    "published in June of Y",
    month=7,
    years_after=0,
    key="school_census",
)
EXPENDITURE = Collection(
    "LA and school expenditure, S251 outturn (DfE), per child of the ONS mid-year population",
    "Y is the financial year to 31 March Y, per child aged 0 to 17 at mid-year Y-1",
    "published in December of Y or January of Y+1 (the population in the summer of Y)",
    month=4,
    years_after=1,
    key="expenditure",
)
# The first statistical neighbour model in the hub is April 2021's; it stands in for DfE's earlier
# groupings before then. May 2025's model is used only from when it was published.
NEIGHBOURS_2025_FROM = date(2025, 6, 1)


def neighbour_model_on(day: date) -> str:
    return "2025" if day >= NEIGHBOURS_2025_FROM else "2021"


# School moves need the school census matched to the looked after return, so they come a year later than
# the return's other figures. The 2024 figures came out in DfE's stability update of 2025; the months of
# the earlier years' releases (2021 to 2023) are not checked: the rule assumes each year's figures were
# out by the end of November Y+1, as the 2024 figures were, and uses them from 1 December Y+1.
CLA_SCHOOL_STABILITY = Collection(
    "School stability of children looked after (DfE, Stability measures for children looked after)",
    "Y is the year to 31 March Y, matched to the school census",
    "published in Y+1 (the 2024 figures in 2025)",
    month=12,
    years_after=1,
)
# One edition, not a yearly collection: the indices of 2019 were published on 26 September 2019.
DEPRIVATION = Collection(
    "English indices of deprivation (MHCLG)",
    "Y is the edition (2019, mostly from 2015/16 data)",
    "the 2019 edition published on 26 September 2019",
    month=10,
    years_after=0,
)

COLLECTIONS = (
    CIN_CENSUS,
    CLA_RETURN,
    WORKFORCE,
    SCHOOL_CENSUS,
    EXPENDITURE,
    CLA_SCHOOL_STABILITY,
    DEPRIVATION,
)

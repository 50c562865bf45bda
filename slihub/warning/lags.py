"""When each statistic became public: the rule that keeps every risk score honest.

A risk score for a date may use only what had been published by that date. DfE publishes each
collection on a fixed rhythm, so the rule is per collection: the first day of the month after
the usual publication month, a little later than the actual date in most years, never earlier.
These rules are applied everywhere features are built (scores, training and the backtest).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Collection:
    name: str
    covers: str  # what a period label Y means
    published: str  # the usual publication, in words
    month: int  # first month in which a figure for Y may be used ...
    years_after: int  # ... in year Y + years_after

    def available_on(self, year: int) -> date:
        """The first date a figure for the period labelled `year` may be used."""
        return date(year + self.years_after, self.month, 1)

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
)
CLA_RETURN = Collection(
    "Children looked after return, SSDA903 (DfE, Children looked after in England)",
    "Y is the year to 31 March Y",
    "published in November of Y",
    month=12,
    years_after=0,
)
WORKFORCE = Collection(
    "Children's social work workforce census (DfE)",
    "Y is the position at 30 September Y",
    "published in February of Y+1",
    month=3,
    years_after=1,
)
SCHOOL_CENSUS = Collection(
    "School census, January (DfE, Schools, pupils and their characteristics)",
    "Y is the census in January Y",
    "published in June of Y",
    month=7,
    years_after=0,
)
EXPENDITURE = Collection(
    "LA and school expenditure, S251 outturn (DfE), per child of the ONS mid-year population",
    "Y is the financial year to 31 March Y, per child aged 0 to 17 at mid-year Y-1",
    "published in December of Y or January of Y+1 (the population in the summer of Y)",
    month=4,
    years_after=1,
)
# The first statistical neighbour model in the hub is April 2021's; it stands in for DfE's earlier
# groupings before then. May 2025's model is used only from when it was published.
NEIGHBOURS_2025_FROM = date(2025, 6, 1)

COLLECTIONS = (CIN_CENSUS, CLA_RETURN, WORKFORCE, SCHOOL_CENSUS, EXPENDITURE)


def neighbour_model_on(day: date) -> str:
    return "2025" if day >= NEIGHBOURS_2025_FROM else "2021"

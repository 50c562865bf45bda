"""Published estimates of what children's services need or spend, to set beside the hub's projection.

Each figure is copied from the page at `address`, where the sentence in `quote` says it (read there on 7
December 2026; curly apostrophes are written straight). They measure different things: a funding gap is
the extra money a year needed to keep services as they are, not a total; a children's social care total
covers far more than children in care; a placements total covers less. `measures` says which, so none is
read as a forecast of the figure the hub projects (gross spending on children looked after, RO3 line
'Children Looked After').
"""

from dataclasses import asdict, dataclass

GAP, CSC_TOTAL, CARE_RISE, PLACEMENTS = (
    "funding gap: extra a year needed to keep children's services at their current level",
    "children's social care in England: all spending",
    "children in care: rise in yearly spending since 2015",
    "children's social care placements: spending",
)


@dataclass(frozen=True)
class ReferencePoint:
    who: str  # whose estimate
    published: str  # when, as the source gives it
    figure: float  # GBP
    period: str  # the year the figure is for
    measures: str  # one of the kinds above
    address: str
    place: str  # where on the page
    quote: str  # the sentence that gives the figure

    def to_dict(self) -> dict:
        return asdict(self)


POINTS = (
    ReferencePoint(
        who="Local Government Association",
        published="11 May 2017 (the LGA's press release as WiredGov published it)",
        figure=2_000_000_000,
        period="2020",
        measures=GAP,
        address="https://www.wired-gov.net/wg/news.nsf/print/LGA+Councils+face+2+billion+funding+gap+to+support"
        "+vulnerable+children+by+2020+11052017094000",
        place="first paragraph",
        quote="Pressures facing children's services are rapidly becoming unsustainable, with a £2 billion "
        "funding gap expected to open by 2020, new analysis by the Local Government Association revealed "
        "yesterday.",
    ),
    ReferencePoint(
        who="Local Government Association, as cited by the House of Commons Housing, Communities and Local "
        "Government Committee, 'Funding of local authorities' children's services'",
        published="session 2017-19 (the committee's report, chapter 5)",
        figure=3_100_000_000,
        period="2025",
        measures=GAP,
        address="https://publications.parliament.uk/pa/cm201719/cmselect/cmcomloc/1638/163809.htm",
        place="paragraph 150",
        quote="The LGA calculated how much more funding was needed to deliver the current level of service "
        "in the future: £2 billion by 2020 and £3.1 billion by 2025.",
    ),
    ReferencePoint(
        who="Local Government Association (reported by Community Care)",
        published="25 October 2021",
        figure=12_600_000_000,
        period="2024-25",
        measures=CSC_TOTAL,
        address="https://www.communitycare.co.uk/2021/10/25/english-councils-need-2-7bn-more-for-childrens-"
        "social-care-by-2025-lga-warns-government/",
        place="second paragraph of the article",
        quote="The LGA estimates that costs in children's social care in England will need to increase from "
        "£10.9bn in 2021-22 to £11.4bn in 2022-23; £12.1bn in 2023-24; and £12.6bn in 2024-25",
    ),
    ReferencePoint(
        who="County Councils Network",
        published="22 November 2021",
        figure=3_600_000_000,
        period="2025",
        measures=CARE_RISE,
        address="https://www.countycouncilsnetwork.org.uk/number-of-children-in-care-could-reach-almost-"
        "100000-by-2025-as-county-leaders-call-for-an-unrelenting-focus-on-keeping-families-together/",
        place="second paragraph",
        quote="The County Councils Network (CCN) warns that unless these trends are abated through major "
        "reforms and investment, this could see local authorities in England spend £3.6bn a year more in "
        "2025 on children in care compared to 2015.",
    ),
    ReferencePoint(
        who="Local Government Association, high-cost children's social care placements survey",
        published="2023 (survey of October and November 2023)",
        figure=5_400_000_000,
        period="2023-24",
        measures=PLACEMENTS,
        address="https://local.gov.uk/publications/high-cost-childrens-social-care-placements-survey",
        place="Key findings, second bullet",
        quote="Similarly, it is estimated that local authorities across England had a projected expenditure "
        "of £5.4 billion on children's social care placements for 2023/24",
    ),
)

"""Themes and Every Child Matters outcomes of the indicators: a reviewed table, not a data file.

No published file classifies LAIT's indicators this way. Each LAIT topic has a default
(theme, outcome); INDICATOR_OVERRIDES corrects single indicators whose topic misleads (road
accidents are about staying safe, not health; care leavers' activity is about economic
well-being). 'unclassified' is allowed where no theme or outcome fits (finance, workforce).
Review changes to this table like code: it decides where an indicator appears on the maps.
"""

from django.db import models


class Theme(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    DISABLED_CHILDREN = "disabled_children", "Disabled children"
    VULNERABLE_CHILDREN = "vulnerable_children", "Vulnerable children"
    YOUTH = "youth", "Youth"
    FAMILIES = "families", "Parents, carers and families"
    SCHOOLS = "schools", "Schools and communities"
    UNCLASSIFIED = "unclassified", "Unclassified"


class Outcome(models.TextChoices):
    BE_HEALTHY = "be_healthy", "Be healthy"
    STAY_SAFE = "stay_safe", "Stay safe"
    ENJOY_ACHIEVE = "enjoy_achieve", "Enjoy and achieve"
    POSITIVE_CONTRIBUTION = "positive_contribution", "Make a positive contribution"
    ECONOMIC_WELLBEING = "economic_wellbeing", "Achieve economic well-being"
    UNCLASSIFIED = "unclassified", "Unclassified"


T, Oc = Theme, Outcome

TOPIC_DEFAULTS: dict[str, tuple[Theme, Outcome]] = {
    "Adoption": (T.VULNERABLE_CHILDREN, Oc.STAY_SAFE),
    "All Pupil Absence & Exclusions": (T.SCHOOLS, Oc.ENJOY_ACHIEVE),
    "Attainment by age 19": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "Child Protection": (T.VULNERABLE_CHILDREN, Oc.STAY_SAFE),
    "Children Looked After": (T.VULNERABLE_CHILDREN, Oc.STAY_SAFE),
    "Children in Need": (T.VULNERABLE_CHILDREN, Oc.STAY_SAFE),
    "Children with SEN": (T.DISABLED_CHILDREN, Oc.ENJOY_ACHIEVE),
    "Children's Service Finance": (T.UNCLASSIFIED, Oc.UNCLASSIFIED),
    "Children's Services Workforce": (T.VULNERABLE_CHILDREN, Oc.UNCLASSIFIED),
    "Contextual\\Other": (T.UNCLASSIFIED, Oc.UNCLASSIFIED),
    "Early Years": (T.EARLY_YEARS, Oc.ENJOY_ACHIEVE),
    "Economic Factors": (T.FAMILIES, Oc.ECONOMIC_WELLBEING),
    "Foundation Stage": (T.EARLY_YEARS, Oc.ENJOY_ACHIEVE),
    "Further & Higher Education": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "Health and Wellbeing": (T.FAMILIES, Oc.BE_HEALTHY),
    "Key Stage 1 and Phonics": (T.SCHOOLS, Oc.ENJOY_ACHIEVE),
    "Key Stage 2": (T.SCHOOLS, Oc.ENJOY_ACHIEVE),
    "Key Stage 4": (T.SCHOOLS, Oc.ENJOY_ACHIEVE),
    "Key Stage 5": (T.YOUTH, Oc.ENJOY_ACHIEVE),
    "Youth Offending": (T.YOUTH, Oc.POSITIVE_CONTRIBUTION),
}

# LAIT 'Short Desc' -> (theme, outcome), where the topic's default is wrong for the indicator.
INDICATOR_OVERRIDES: dict[str, tuple[Theme, Outcome]] = {
    "RTA": (T.SCHOOLS, Oc.STAY_SAFE),  # children killed or seriously injured on the roads
    "InfMort": (T.EARLY_YEARS, Oc.BE_HEALTHY),
    "6wksBreast": (T.EARLY_YEARS, Oc.BE_HEALTHY),
    "16-17 NEET": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "16-17Ed&Training": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "16-17YroldSEN_ET": (T.DISABLED_CHILDREN, Oc.ECONOMIC_WELLBEING),
    "16-17_not known": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "16-17_not known_NEET": (T.YOUTH, Oc.ECONOMIC_WELLBEING),
    "%_2yr_olds": (T.EARLY_YEARS, Oc.ENJOY_ACHIEVE),
    "%_3&4yr_olds": (T.EARLY_YEARS, Oc.ENJOY_ACHIEVE),
    # Care leavers' homes and activity (Every Child Matters: decent homes; education, employment
    # or training after school), as DfE's care leaver files are classified in mappings.py.
    "CareLeaverAcc": (T.VULNERABLE_CHILDREN, Oc.ECONOMIC_WELLBEING),
    "CareLeaverEET": (T.VULNERABLE_CHILDREN, Oc.ECONOMIC_WELLBEING),
    "CareLeaversNEET": (T.VULNERABLE_CHILDREN, Oc.ECONOMIC_WELLBEING),
    "LAC_19_HE": (T.VULNERABLE_CHILDREN, Oc.ECONOMIC_WELLBEING),
}


def classify(code: str, topic: str) -> tuple[str, str]:
    """(theme, outcome) of a LAIT indicator: its override, else its topic's default, else unclassified."""
    theme, outcome = INDICATOR_OVERRIDES.get(code) or TOPIC_DEFAULTS.get(
        topic, (T.UNCLASSIFIED, Oc.UNCLASSIFIED)
    )
    return theme.value, outcome.value


class FrameworkArea(models.TextChoices):
    """The outcomes and enablers of DfE's Children's social care: national framework (December 2023),
    in its order, worded as the framework words them. The headline set (headline.py) is arranged by them."""

    STAY_TOGETHER = (
        "stay_together",
        "Children, young people and families stay together and get the help they need",
    )
    FAMILY_NETWORK = "family_network", "Children and young people are supported by their family network"
    SAFE = "safe", "Children and young people are safe in and outside of their homes"
    STABLE_HOMES = "stable_homes", "Children in care and care leavers have stable, loving homes"
    WORKFORCE = "workforce", "The workforce is equipped and effective"
    LEADERS = "leaders", "Leaders drive conditions for effective practice"

    @property
    def is_enabler(self) -> bool:
        return self in (FrameworkArea.WORKFORCE, FrameworkArea.LEADERS)

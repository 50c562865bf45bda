"""The problem each starter-content outcome bears on, in the hub's words (models.PROBLEMS), so that early
warning and the alliances' priorities can ask "what works for this problem" rather than for a broad theme.

A reviewed table, each entry with its reason; an outcome in none of them has no problem (blank), and is
then never offered for one. The library's own transcriptions (content/outcomes.csv and reviews/) carry
their problem themselves and are not read here.

- EIF Guidebook outcomes: by the outcome's own name where the table names it (EIF_OUTCOMES), else by its
  EIF outcome domain (EIF_DOMAINS): the domains are broad ("Preventing crime, violence and antisocial
  behaviour" holds young children's behaviour problems, not offending), so the names come first.
- EEF Toolkit strands: their one outcome, attainment in months of progress, is school outcomes.
- What Works for Children's Social Care trial outcomes: by the outcome's own name (WWCSC_OUTCOMES), else
  by its words (WWCSC_WORDS, first match wins), so that a new trial row in the same words is read alike.
- The reference meta-analysis datasets (metadat): academic achievement is school outcomes; tuberculosis
  is no problem of children's services.
"""

from __future__ import annotations

import re

from slihub.evidence.models import PROBLEM_LABELS

EEF = "education"

#: EIF outcome domain -> (problem, reason)
EIF_DOMAINS = {
    "Enhancing school achievement & employment": ("education", "school achievement is a school outcome"),
    "Preventing crime, violence and antisocial behaviour": (
        "behaviour",
        "EIF's outcomes here are children's behaviour problems (conduct, oppositional behaviour, "
        "hyperactivity), mostly of young children; an outcome naming crime or arrest is offending",
    ),
    "Supporting children's mental health and wellbeing": ("behaviour", "children's mental health"),
    "Preventing child maltreatment": ("child_protection", "maltreatment is what child protection acts on"),
    "Preventing obesity and promoting healthy physical development": (
        "",
        "physical development: none of the hub's problems",
    ),
    "Preventing risky sexual behaviour & teen pregnancy": ("", "none of the hub's problems"),
    "Preventing substance abuse": (
        "",
        "the young person's own substance use: the hub's 'parents' problem is parents' misuse",
    ),
}
#: EIF outcome name -> (problem, reason), where the name says more than the domain
EIF_OUTCOMES = {
    "Improved reading ability": ("education", "reading is attainment"),
    "Reduced ADHD symptoms": ("behaviour", "hyperactivity, a behaviour and mental health problem"),
    "Reduced antisocial behaviour": (
        "behaviour",
        "the measure is a parent-reported child symptom scale (Parent Account of Child Symptoms), not "
        "offending",
    ),
    "Reduced frequency of behaviour problems": ("behaviour", "children's behaviour problems (Eyberg)"),
    "Reduced oppositional behaviour": ("behaviour", "children's behaviour problems (Eyberg)"),
    "Improved infant soothability": ("behaviour", "an infant's emotional regulation: mental health"),
    "Improved independent play": ("", "a play observation scale: none of the hub's problems"),
}
OFFENDING_WORDS = re.compile(r"\b(crime|criminal|offend\w*|arrest\w*|convict\w*|custody)\b", re.IGNORECASE)

#: WWCSC trial outcome name -> (problem, reason)
WWCSC_OUTCOMES = {
    "Child placed in local authority care": ("children_in_care", "entry to care"),
    "Child reunified with primary carer at end of care proceedings": (
        "children_in_care",
        "return home instead of care",
    ),
    "External expert witness assessment used": (
        "",
        "a court process measure (the cost and length of proceedings), not a child's outcome",
    ),
    "Final hearing contested": ("", "a court process measure, not a child's outcome"),
    "Parent ceased to misuse drugs or alcohol by end of proceedings": (
        "parents",
        "parents' substance misuse",
    ),
    "Care proceedings issued": ("children_in_care", "proceedings are the legal route into care"),
    "Child looked after 12 months after the pre-proceedings letter": ("children_in_care", "entry to care"),
    "Child's living arrangement remained the same vs changed": (
        "children_in_care",
        "whether the child stayed at home or moved: entry to care",
    ),
    "Days spent in care": ("children_in_care", "time in care"),
    "Likelihood of becoming looked after": ("children_in_care", "entry to care"),
    "Unplanned placement endings; foster carer de-registration; SDQ wellbeing": (
        "children_in_care",
        "placement stability and foster carer retention (the Mockingbird evaluation's outcomes)",
    ),
    "Rate of child protection (section 47) enquiries": ("child_protection", "section 47 enquiries"),
    "Proportion of contacts to children's social care resulting in no further action": (
        "front_door",
        "contacts that go no further: the front door",
    ),
}
#: (words, problem) for a trial outcome not in the table, first match wins: the most specific first
WWCSC_WORDS = (
    (r"re-?referr", "front_door"),
    (r"care leaver|leaving care|left care", "care_leavers"),
    (r"section 47|child protection|protection plan|maltreat|abuse|neglect", "child_protection"),
    (
        r"looked after|in care\b|into care|entry to care|placement|placed in|reunif|care proceedings"
        r"|foster|living arrangement",
        "children_in_care",
    ),
    (r"referr|contact|no further action|assessment|children in need|\bcin\b", "front_door"),
    (r"social worker|caseload|turnover|vacanc|agency worker|workforce|retention", "workforce"),
    (r"offend|arrest|crime|custody|youth justice", "offending"),
    (r"exclusion|exclude|attendance|absence|attainment|school", "education"),
    (r"misuse|drug|alcohol|domestic abuse|parent", "parents"),
    (r"behaviour|mental health|wellbeing|sdq", "behaviour"),
)
_WWCSC_WORDS = tuple((re.compile(words, re.IGNORECASE), problem) for words, problem in WWCSC_WORDS)

#: reference meta-analysis datasets' outcomes -> (problem, reason)
META_OUTCOMES = {
    "Academic achievement": ("education", "attainment"),
    "Tuberculosis cases": ("", "a reference dataset on BCG vaccine: no problem of children's services"),
}

#: the domain the importers give each source's outcomes, to read a stored outcome by (see problem_of)
WWCSC_DOMAIN = "Children's social care"
EDUCATION_DOMAIN = "Education"


def eif_problem(name: str, domain: str) -> str:
    """The problem of an EIF Guidebook outcome, by its name, else its domain ("" for none)."""
    if name in EIF_OUTCOMES:
        return EIF_OUTCOMES[name][0]
    if domain == "Preventing crime, violence and antisocial behaviour" and OFFENDING_WORDS.search(name):
        return "offending"
    return EIF_DOMAINS.get(domain, ("", ""))[0]


def wwcsc_problem(name: str) -> str:
    """The problem of a children's social care trial outcome, by its name, else its words."""
    if name in WWCSC_OUTCOMES:
        return WWCSC_OUTCOMES[name][0]
    for words, problem in _WWCSC_WORDS:
        if words.search(name):
            return problem
    return ""


def problem_of(name: str, domain: str = "") -> str:
    """The problem of an outcome as stored (its name and the domain its importer gave it): how the data
    migration reads the outcomes already in the library. "" where the tables give none."""
    if name in META_OUTCOMES:
        return META_OUTCOMES[name][0]
    if domain in EIF_DOMAINS or name in EIF_OUTCOMES:
        return eif_problem(name, domain)
    if domain == WWCSC_DOMAIN:
        return wwcsc_problem(name)
    if domain == EDUCATION_DOMAIN:
        return EEF
    return ""


def reason(name: str, domain: str = "") -> str:
    """Why the outcome has its problem (or none), in words: for reviewing the table."""
    for table in (META_OUTCOMES, EIF_OUTCOMES, WWCSC_OUTCOMES):
        if name in table:
            return table[name][1]
    if domain in EIF_DOMAINS:
        return EIF_DOMAINS[domain][1]
    if domain == EDUCATION_DOMAIN:
        return "the EEF's outcome, attainment"
    if domain == WWCSC_DOMAIN:
        problem = wwcsc_problem(name)
        return f"by its words: {PROBLEM_LABELS[problem].lower()}" if problem else "no words of a problem"
    return "not in the reviewed tables"


def _check() -> None:
    """Every problem named in the tables is one of models.PROBLEMS (or blank): checked on import."""
    named = [
        p for table in (EIF_DOMAINS, EIF_OUTCOMES, WWCSC_OUTCOMES, META_OUTCOMES) for p, _ in table.values()
    ]
    named += [p for _, p in WWCSC_WORDS] + [EEF]
    unknown = sorted({p for p in named if p and p not in PROBLEM_LABELS})
    if unknown:
        raise ValueError(f"unknown problem {unknown[0]!r}: use one of {', '.join(PROBLEM_LABELS)}")


_check()

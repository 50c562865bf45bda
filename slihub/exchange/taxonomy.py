"""The controlled taxonomy of expertise: the six themes, Ofsted's ILACS judgment areas and practice areas."""

THEMES = (
    ("early_years", "Early years"),
    ("disabled_children", "Disabled children"),
    ("vulnerable_children", "Vulnerable children"),
    ("youth", "Youth"),
    ("parents_carers_families", "Parents, carers and families"),
    ("schools_communities", "Schools and communities"),
)
OFSTED_AREAS = (
    ("ofsted_overall", "Ofsted: overall effectiveness"),
    ("ofsted_leaders", "Ofsted: the impact of leaders on social work practice with children and families"),
    (
        "ofsted_help_protection",
        "Ofsted: the experiences and progress of children who need help and protection",
    ),
    ("ofsted_in_care", "Ofsted: the experiences and progress of children in care"),
    ("ofsted_care_leavers", "Ofsted: the experiences and progress of care leavers"),
)
PRACTICE_AREAS = (
    ("front_door_mash", "Front door and MASH"),
    ("child_protection", "Child protection"),
    ("children_in_care", "Children in care"),
    ("care_leavers", "Care leavers"),
    ("permanence_adoption", "Permanence and adoption"),
    ("edge_of_care", "Edge of care"),
    ("send", "SEND"),
    ("practice_leadership", "Practice leadership and supervision"),
    ("quality_assurance", "Quality assurance and audit"),
    ("performance_data", "Performance and data"),
    ("workforce_recruitment", "Workforce and recruitment"),
    ("commissioning_sufficiency", "Commissioning and sufficiency"),
    ("leadership_governance", "Leadership and governance"),
)
GROUPS = (("Themes", THEMES), ("Ofsted judgment areas", OFSTED_AREAS), ("Practice areas", PRACTICE_AREAS))
EXPERTISE = THEMES + OFSTED_AREAS + PRACTICE_AREAS
LABELS = dict(EXPERTISE)


def labels(keys) -> list[str]:
    return [LABELS.get(key, key) for key in keys]


def unknown(keys) -> list[str]:
    return [key for key in keys if key not in LABELS]

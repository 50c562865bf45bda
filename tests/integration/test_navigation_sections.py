"""The service navigation's newer sections: workshops and forecasts are public; the survey is for council
staff and national admins (answers belong to the council; results are for signed-in council users)."""

import pytest

from tests.integration.html import page


def _labels(response) -> list[str]:
    return [a.text.strip() for a in page(response).find_all("a", class_="govuk-service-navigation__link")]


@pytest.mark.parametrize(
    ("persona", "survey"),
    [
        ("anonymous", False),
        ("camden_analyst", True),
        ("leeds_admin", True),
        ("camden_director", True),
        ("london_coordinator", False),
        ("national_admin", True),
        ("evidence_editor", False),
        ("no_membership", False),
        ("camden_chief_executive", True),  # reads the published results
    ],
)
def test_it_shows_workshops_and_forecasts_to_all_and_the_survey_to_council_users(
    as_persona, camden_director, persona, survey
):
    labels = _labels(as_persona(persona).get("/"))

    assert "Workshops" in labels and "Forecast" in labels
    assert ("Survey" in labels) is survey

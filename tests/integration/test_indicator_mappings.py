"""The tidy files' mappings: complete, loadable by load-public-data, and their polarity as reviewed."""

import importlib

import pytest

from slihub import sources
from slihub.indicators import periods
from slihub.indicators.classification import Outcome, Theme
from slihub.indicators.importers import mapping_indicators
from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Indicator, Polarity

command = importlib.import_module("slihub.web.management.commands.load-public-data")

MEASURES = {m.code: m for mapping in MAPPINGS.values() for m in mapping.measures}

# The review of every measure's polarity (mappings.py says why, measure by measure). A change here
# changes quartile bands, trends, strengths and concerns: review it like code.
REVIEWED = {
    "none": {
        # Rates of children in contact with social care: neither high nor low is good in itself.
        "dfe:cla_rate_31_march",
        "dfe:cla_starting_rate",
        "dfe:referral_nfa_percent",
        # Counts grow with the authority's size.
        "dfe:cla_count_31_march",
        "dfe:referrals",
        "dfe:cpp_starts",
        "dfe:cin_31_march",
        "dfe:cin_started",
        "dfe:cin_any_point",
        "dfe:sw_fte",
        "dfe:population_0_17",
        "dfe:assessment_factor_episodes",
        # Factors found at the end of assessment: need, and how well it is recognised, not performance.
        "dfe:factor_domestic_abuse_parent_percent",
        "dfe:factor_mental_health_parent_percent",
        "dfe:factor_neglect_percent",
        # Any school move counts the usual move to secondary school with the rest.
        "dfe:cla_school_move_any",
    },
    "low": {
        "dfe:rereferral_percent",
        "dfe:cpp_subsequent_percent",
        "dfe:sw_turnover_rate",
        "dfe:sw_agency_rate",
        "dfe:sw_vacancy_rate",
        "dfe:sw_caseload",
        "dfe:sw_absence_rate",
        *(
            f"dfe:absence_{kind}_{group}"
            for kind in ("overall", "persistent", "severe")
            for group in ("cla", "cino", "cppo")
        ),
        "dfe:care_leavers_neet_17_18",
        "dfe:care_leavers_neet_19_21",
        "dfe:care_leavers_not_known_17_18",
        "dfe:care_leavers_not_known_19_21",
        "dfe:cla_3_placements_year",
        "dfe:cla_3_placements_2_years",
        "dfe:cla_school_midyear_move",
    },
    "high": {
        *(f"dfe:ks2_rwm_{group}" for group in ("cla", "cino", "cppo")),
        *(
            f"dfe:ks4_{measure}_{group}"
            for measure in ("attainment8", "english_maths_4", "progress8")
            for group in ("cla", "cino", "cppo")
        ),
        "dfe:care_leavers_suitable_17_18",
        "dfe:care_leavers_suitable_19_21",
        "dfe:care_leavers_eet_17_18",
        "dfe:care_leavers_eet_19_21",
        "dfe:care_leavers_higher_education_19_21",
        "dfe:cla_long_term_stability",
    },
}


def test_every_measures_polarity_is_the_reviewed_one_with_its_reason():
    assert {code for codes in REVIEWED.values() for code in codes} == set(MEASURES)
    for polarity, codes in REVIEWED.items():
        for code in codes:
            assert MEASURES[code].polarity == polarity, code
            assert len(MEASURES[code].why) > 20, f"{code}: say why it has its polarity"


def test_the_files_asked_for_are_mapped():
    files = {mapping.filename for mapping in MAPPINGS.values()}
    assert {
        "dfecsc_ks2_la.csv",
        "dfecsc_ks4_la.csv",
        "dfecsc_absence_la.csv",
        "dfecsc_la_care_leavers_accommodation_suitability.csv",
        "dfecsc_la_care_leavers_activity.csv",
        "dfecsc_la_cla_placement_stability.csv",
        "dfecsc_ons_mid-year_population_estimates_2012_to_2024.csv",
        "dfecsc_c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
        "dfecsc_la_cla_school_moves.csv",
    } <= files


@pytest.mark.parametrize("name", list(MAPPINGS))
def test_each_mapping_is_complete_and_fits_the_catalogue(name):
    mapping = MAPPINGS[name]
    # load-public-data names a missing file with its publisher's page (services._require).
    assert sources.by_filename(mapping.filename) in sources.INDICATOR_SOURCES
    # Its year type is one the tidy export knows how to write.
    assert mapping.year_type.lower() in periods.YEAR_TYPES
    fields = {f.name: f for f in Indicator._meta.get_fields() if hasattr(f, "max_length")}
    for code, record in mapping_indicators(mapping).items():
        assert code.startswith("dfe:")
        assert record.polarity in Polarity.values
        assert record.theme in Theme.values and record.outcome in Outcome.values
        assert record.decimal_places is not None
        for field_name in ("code", "name", "short_name", "topic", "unit", "publisher", "year_type"):
            limit = fields[field_name].max_length
            assert len(getattr(record, field_name)) <= limit, (
                f"{code}: {field_name} is over {limit} characters"
            )
        assert MEASURES[code].why in record.description  # the reason is shown with the definition


def test_indicator_codes_are_unique_across_the_mappings():
    codes = [m.code for mapping in MAPPINGS.values() for m in mapping.measures]
    assert len(codes) == len(set(codes))


def test_load_public_data_loads_every_mapping_and_has_a_place_for_derived_figures():
    assert command.DATASETS["indicators"][1].__name__ == "load_indicator_data"
    assert isinstance(command.DERIVED, dict)


def test_a_share_the_hub_calculates_reads_its_count_and_total_and_is_exported_apart():
    mapping = MAPPINGS["assessment_factors"]
    share = MEASURES["dfe:factor_neglect_percent"]
    assert (share.column, share.denominator) == ("Neglect", "Episodes_with_assessment_factor")
    assert share.unit.startswith("%") and share.limits == (0, 100)
    assert {"Neglect", "Episodes_with_assessment_factor"} <= set(mapping.columns)
    record = mapping_indicators(mapping)["dfe:factor_neglect_percent"]
    assert record.short_name == "Neglect_percent"  # the export's column is not the file's count
    assert "the hub's calculation" in record.description


def test_the_indices_of_deprivation_are_declared_with_the_other_files():
    from slihub.indicators import deprivation

    source = sources.by_filename(deprivation.FILENAME)
    assert source in sources.INDICATOR_SOURCES
    assert "Housing, Communities and Local Government" in source.publisher

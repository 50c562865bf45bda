"""Ranking the catalogue's search: the stemmer, the synonyms table and the weighted fields."""

import pytest

from slihub.indicators.search import PHRASES, SYNONYMS, Document, Index, query_terms, stem, words

# A few real names and codes from LAIT's bank and DfE's tidy files, in the catalogue's default order.
BANK = [
    Document("cin", "Children in Need rate per 10,000", "CIN", "Vulnerable children Children in Need"),
    Document(
        "lac-start-rate",
        "Rate of Children starting to be looked after each year",
        "LAC_Start_Rate",
        "Vulnerable children Children Looked After",
    ),
    Document(
        "dfe-cla-starting-rate",
        "Children starting to be looked after during the year, rate per 10,000 children under 18",
        "cla_starting_rate cla starting rate",
        "Vulnerable children",
    ),
    Document(
        "lac",
        "Children looked after rate per 10,000",
        "LAC",
        "Vulnerable children Children Looked After",
        "Number of children looked after at 31 March per 10,000 population aged under 18.",
    ),
    Document(
        "dfe-cla-rate-31-march",
        "Children looked after at 31 March, rate per 10,000 children under 18",
        "cla_rate_31_march cla rate 31 march",
        "Vulnerable children",
    ),
    Document("lacnum", "Number of Children looked after", "LACnum", "Vulnerable children Looked After"),
    Document("section-47", "Section 47 enquiries rate per 10,000 children", "Section 47", "Vulnerable"),
    Document(
        "dfe-sw-agency-rate", "Agency social worker rate, FTE %", "sw_agency_rate", "Vulnerable children"
    ),
    Document("caseload", "Average caseload per case-holding social worker, FTE", "sw_caseload", ""),
    Document("he-entry", "Progression to higher education by age 19", "HE_entry", "Youth"),
    Document("sen", "% of pupils with SEN support", "SEN_sup", "Disabled children"),
]


@pytest.fixture(scope="module")
def index():
    return Index.build(BANK)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("referrals", "referral"),
        ("referred", "refer"),
        ("starting", "start"),
        ("looked", "look"),
        ("vacancies", "vacancy"),
        ("leavers", "leaver"),
        ("process", "process"),
        ("status", "status"),
        ("cla", "cla"),
        ("2024", "2024"),
    ],
)
def test_the_stemmer(word, stemmed):
    assert stem(word) == stemmed


def test_words_read_numbers_with_commas_as_one():
    assert words("Rate per 10,000 Children") == ["rate", "per", "10000", "children"]


def test_every_phrase_of_a_synonyms_row_reads_as_one_concept():
    for row in SYNONYMS:
        concepts = {PHRASES[tuple(words(phrase))] for phrase in row}
        assert len(concepts) == 1, row
    assert query_terms("CLA") == query_terms("children in care") == query_terms("Looked-after children")
    assert query_terms("re-referrals") == query_terms("rereferral")
    assert query_terms("s47") == query_terms("section 47")
    assert query_terms("SEND") == query_terms("special educational needs")
    assert query_terms("agency social workers") == query_terms("agency workers")


def test_looked_after_rate_puts_lait_and_dfe_series_first(index):
    assert set(index.rank("looked after rate")[:2]) == {"lac", "dfe-cla-rate-31-march"}
    assert set(index.rank("looked-after rate")[:2]) == {"lac", "dfe-cla-rate-31-march"}


@pytest.mark.parametrize("query", ["CLA", "children in care", "LAC", "looked after"])
def test_cla_and_children_in_care_find_both_series(index, query):
    found = index.rank(query)
    assert {"lac", "dfe-cla-rate-31-march", "lacnum"} <= set(found)
    assert "cin" not in found and "he-entry" not in found


def test_every_word_must_be_found(index):
    assert index.rank("looked after caseload") == []
    assert index.rank("nothing like this") == []


def test_the_name_outranks_the_definition(index):
    # "population" is only in LAIT's definition; "section 47" is in a name and a code.
    assert index.rank("population") == ["lac"]
    assert index.rank("section 47")[0] == "section-47"
    assert index.rank("s47") == ["section-47"]


def test_codes_and_themes_are_searched(index):
    assert index.rank("LACnum") == ["lacnum"]
    assert index.rank("youth") == ["he-entry"]
    assert index.rank("SEND") == ["sen"]
    assert index.rank("agency workers") == ["dfe-sw-agency-rate"]
    assert index.rank("caseloads") == ["caseload"]


def test_an_empty_query_keeps_the_default_order(index):
    everything = [d.key for d in BANK]
    assert index.rank("") == everything
    assert index.rank("   ") == everything


def test_a_query_of_common_words_still_searches_them(index):
    found = index.rank("children")
    assert "cin" in found and "he-entry" not in found


def test_ties_keep_the_default_order(index):
    # LAIT's and DfE's "starting" series say as much besides: the default order between them.
    found = index.rank("starting")
    assert found == ["lac-start-rate", "dfe-cla-starting-rate"]

"""The library's transcriptions (slihub/evidence/content.py): checked strictly, each bad file refused with
its name and the JSON path; effects computed from the numbers as transcribed; the reproduction check."""

import copy
import json
import math
from types import SimpleNamespace

import pytest

from slihub.evidence import content
from slihub.evidence.synthesis import Printed, check_transcribed, reproduction
from slihub.sources import DataFileError

OUTCOMES_CSV = "slug,name,problem,higher_is_better\nchild-behaviour-problems,Behaviour,behaviour,false\n"
STARTER = {"incredible-years-preschool"}
STUDY = {
    "key": "smith-2001",
    "citation": "Smith (2001)",
    "year": 2001,
    "design": "rct",
    "place": "Analysis 1.1",
    "data": {"m1": 10.0, "sd1": 2.0, "n1": 20, "m2": 8.0, "sd2": 2.0, "n2": 20},
}
REVIEW = {
    "key": "review-a",
    "citation": "A review (2020)",
    "url": "https://example.org/review",
    "type": "systematic review",
    "outcomes": [
        {"slug": "parental-stress", "name": "Stress", "problem": "parents", "higher_is_better": False}
    ],
    "practices": [
        {
            "slug": "group-parent-training",
            "name": "Group parent training",
            "kind": "approach",
            "summary": "Groups for parents.",
            "themes": ["parents_carers_families"],
            "age_groups": ["0-4"],
            "synonyms": ["parenting programme", "parent training"],
        }
    ],
    "syntheses": [
        {
            "practice": "group-parent-training",
            "outcome": "child-behaviour-problems",
            "measure": "SMD",
            "effect_size": "revman",
            "place": "Analysis 1.1",
            "published": {
                "method": "DL",
                "estimate": 0.5,
                "ci_lb": 0.1,
                "ci_ub": 0.9,
                "decimals": 2,
                "place": "Analysis 1.1",
            },
            "studies": [STUDY, {**STUDY, "key": "jones-2003", "citation": "Jones (2003)"}],
        }
    ],
}


def write(folder, *reviews, outcomes=OUTCOMES_CSV):
    (folder / "reviews").mkdir(parents=True, exist_ok=True)
    (folder / "outcomes.csv").write_text(outcomes)
    for review in reviews:
        text = review if isinstance(review, str) else json.dumps(review)
        key = "broken" if isinstance(review, str) else review["key"]
        (folder / "reviews" / f"{key}.json").write_text(text)
    return folder


def read(folder, **known):
    return content.read_content(folder, known_practices=known.pop("practices", STARTER), **known)


def changed(path: str, value):
    """REVIEW with the value at a dotted path ("syntheses.0.studies.1.data") replaced (None: removed)."""
    review = copy.deepcopy(REVIEW)
    *parents, last = path.split(".")
    node = review
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key = int(last) if last.isdigit() else last
    if value is None:
        del node[key]
    else:
        node[key] = value
    return review


def test_a_good_file_gives_practices_studies_effects_and_the_published_pool(tmp_path):
    found = read(write(tmp_path, REVIEW))
    (practice,) = found.practices
    assert practice["source"] == "review" and practice["aliases"] == "parenting programme\nparent training"
    assert practice["themes"] == " parents_carers_families "
    assert [s["key"] for s in found.studies] == ["smith-2001", "jones-2003"]
    assert {s["source"] for s in found.studies} == {"review:review-a"}
    effect = found.studies[0]["effects"][0]
    assert effect["inputs"] == STUDY["data"] and effect["source_place"] == "Analysis 1.1"
    assert effect["intervention_value"] == "mean 10.0, SD 2.0, 20 people"
    (pool,) = found.pools
    assert (pool["method"], pool["estimate"], pool["decimals"]) == ("DL", 0.5, 2)
    assert {o["slug"] for o in found.outcomes} == {"child-behaviour-problems", "parental-stress"}


BAD = [
    (
        changed("syntheses.0.studies.1.data", {"m1": 1, "sd1": 1, "n1": 5}),
        "review-a.json: syntheses[0].studies[1].data: needs m1, sd1, n1, m2, sd2, n2 or events1, n1, "
        "events2, n2 or yi, ci_lb, ci_ub or yi, se",
    ),
    (
        changed("syntheses.0.studies.0.data.sd2", -1),
        "review-a.json: syntheses[0].studies[0].data.sd2: must be more than 0",
    ),
    (
        changed("syntheses.0.studies.0.data.n1", 20.5),
        "review-a.json: syntheses[0].studies[0].data.n1: 20.5 is not a whole number",
    ),
    (
        changed("syntheses.0.studies.0.data", {"yi": 0.9, "ci_lb": 0.1, "ci_ub": 0.5}),
        "review-a.json: syntheses[0].studies[0].data.yi: 0.9 is not within its interval",
    ),
    (
        changed("syntheses.0.studies.0.data", {"events1": 3, "n1": 10, "events2": 4, "n2": 10}),
        "review-a.json: syntheses[0].studies[0].data: events by group give an OR or RR, not SMD",
    ),
    (changed("syntheses.0.publshed", {}), "review-a.json: syntheses[0]: unknown key 'publshed'"),
    (
        changed("syntheses.0.practice", "nowhere"),
        "review-a.json: syntheses[0].practice: 'nowhere' is neither",
    ),
    (changed("syntheses.0.outcome", "nothing"), "review-a.json: syntheses[0].outcome: 'nothing' is neither"),
    (
        changed("syntheses.0.published.method", "MH"),
        "review-a.json: syntheses[0].published.method: Mantel-Haenszel pools an OR or RR, not an SMD",
    ),
    (
        changed("syntheses.0.published.ci_lb", 0.6),
        "review-a.json: syntheses[0].published.estimate: is not within ci_lb and ci_ub",
    ),
    (changed("syntheses.0.studies", []), "review-a.json: syntheses[0].studies: is empty"),
    (
        changed("syntheses.0.studies.1.key", "smith-2001"),
        "review-a.json: syntheses[0].studies[1].key: appears",
    ),
    (changed("outcomes.0.problem", "health"), "review-a.json: outcomes[0].problem: 'health' is not one of"),
    (
        changed("practices.0.themes", ["sport"]),
        "review-a.json: practices[0].themes[0]: 'sport' is not one of",
    ),
    (
        changed("practices.0.cost_per_child", 1200),
        "review-a.json: practices[0].cost_per_child: needs cost_year and cost_source",
    ),
    (
        changed("practices.0.slug", "incredible-years-preschool"),
        "review-a.json: practices[0].slug: 'incredible",
    ),
    (changed("citation", None), "review-a.json: needs citation"),
    (
        changed("syntheses.0.studies.0.risk_of_bias", "low"),
        "review-a.json: syntheses[0].studies[0].risk_of_bias: needs risk_of_bias_basis",
    ),
]


@pytest.mark.parametrize(("review", "message"), BAD)
def test_a_bad_file_is_refused_naming_the_file_and_the_path(tmp_path, review, message):
    with pytest.raises(DataFileError) as error:
        read(write(tmp_path, review))
    assert str(error.value).startswith(message), str(error.value)


def test_the_key_must_be_the_files_name(tmp_path):
    folder = write(tmp_path)
    (folder / "reviews" / "other-name.json").write_text(json.dumps(REVIEW))
    with pytest.raises(DataFileError, match=r"^other-name.json: key: 'review-a' is not the file's name"):
        read(folder)


def test_broken_json_is_refused_with_its_line(tmp_path):
    with pytest.raises(DataFileError, match=r"^broken.json, line 1, column \d+: is not valid JSON"):
        read(write(tmp_path, '{"key": "broken",'))


def test_one_source_per_practice_and_outcome(tmp_path):
    other = {**changed("practices", []), "key": "review-b"}
    with pytest.raises(DataFileError) as error:
        read(write(tmp_path, REVIEW, other))
    assert str(error.value) == (
        "review-b.json: syntheses[0]: review-a.json syntheses[0] already transcribes this practice and "
        "outcome (one source for each)"
    )


def test_a_study_key_of_the_starter_content_is_not_reused(tmp_path):
    review = changed("syntheses.0.practice", "incredible-years-preschool")
    with pytest.raises(
        DataFileError, match=r"syntheses\[0\].studies\[0\].key: 'smith-2001' is already a starter"
    ):
        read(write(tmp_path, review), known_studies={("incredible-years-preschool", "smith-2001")})


def test_a_bad_outcomes_csv_names_its_line(tmp_path):
    with pytest.raises(DataFileError, match=r"^outcomes.csv, line 2: problem: 'health' is not one of"):
        read(write(tmp_path, REVIEW, outcomes="slug,name,problem,higher_is_better\nx,X,health,false\n"))


def test_a_study_in_two_syntheses_must_agree_on_what_it_is(tmp_path):
    review = copy.deepcopy(REVIEW)
    second = copy.deepcopy(review["syntheses"][0])
    second["outcome"] = "parental-stress"
    del second["published"]
    second["studies"][0]["year"] = 1999
    review["syntheses"].append(second)
    with pytest.raises(DataFileError, match=r"syntheses\[1\].studies\[0\]: differs from syntheses\[0\]"):
        read(write(tmp_path, review))
    second["studies"][0]["year"] = 2001
    second["studies"][0]["data"] = {**STUDY["data"], "n1": 18}  # numbers per outcome may differ
    found = read(write(tmp_path, review))
    assert [len(s["effects"]) for s in found.studies] == [2, 2]


# ---------------------------------------------------------------- effects


def effect_of(tmp_path, data, measure="SMD", rule="revman"):
    review = changed("syntheses.0.studies.0.data", data)
    review["syntheses"][0]["measure"] = measure
    review["syntheses"][0]["effect_size"] = rule
    review["syntheses"][0]["studies"][1]["data"] = data
    if measure in ("OR", "RR"):
        del review["syntheses"][0]["published"]
    return read(write(tmp_path, review)).studies[0]["effects"][0]


def test_revmans_smd_on_a_worked_example(tmp_path):
    # means 10 and 8, SD 2 in both groups of 20: d = 1; Hedges' adjustment 1 - 3/(4*40 - 9) = 148/151;
    # RevMan 5's variance N/(n1 n2) + g^2 / (2 (N - 3.94)) = 40/400 + g^2/72.12
    g = 148 / 151
    effect = effect_of(tmp_path, STUDY["data"])
    assert effect["yi"] == pytest.approx(g, abs=1e-12)
    assert effect["vi"] == pytest.approx(0.1 + g * g / 72.12, abs=1e-12)
    # metafor's escalc differs in both: the exact correction Gamma(19)/(sqrt(19) Gamma(18.5)) and g^2/(2N)
    metafor = effect_of(tmp_path, STUDY["data"], rule="metafor")
    exact = math.exp(math.lgamma(19) - 0.5 * math.log(19) - math.lgamma(18.5))
    assert metafor["yi"] == pytest.approx(exact, abs=1e-12) and metafor["yi"] != pytest.approx(g, abs=1e-6)
    assert metafor["vi"] == pytest.approx(0.1 + exact**2 / 80, abs=1e-12)


def test_a_mean_difference(tmp_path):
    effect = effect_of(tmp_path, {"m1": 5, "sd1": 3, "n1": 9, "m2": 7, "sd2": 4, "n2": 16}, measure="MD")
    assert (effect["yi"], effect["vi"]) == pytest.approx((-2, 1 + 1))


def test_ratios_from_counts_and_from_a_printed_interval(tmp_path):
    counts = effect_of(tmp_path, {"events1": 0, "n1": 10, "events2": 4, "n2": 10}, measure="OR")
    assert counts["yi"] == pytest.approx(math.log(0.5 * 6.5 / (10.5 * 4.5)))  # 1/2 added to every cell
    assert counts["intervention_value"] == "0 of 10"
    printed = effect_of(tmp_path, {"yi": 0.5, "ci_lb": 0.25, "ci_ub": 1.0}, measure="RR")
    assert printed["yi"] == pytest.approx(math.log(0.5))
    assert printed["vi"] == pytest.approx((math.log(4) / (2 * 1.959963984540054)) ** 2)
    none = effect_of(tmp_path, {"events1": 0, "n1": 10, "events2": 0, "n2": 12}, measure="RR")
    assert none["yi"] is None and none["statement"].startswith("Not estimable")
    se = effect_of(tmp_path, {"yi": -0.3, "se": 0.2, "n1": 50, "n2": 48}, measure="SMD")
    assert (se["yi"], se["vi"]) == pytest.approx((-0.3, 0.04))


# ---------------------------------------------------------------- reproduction


def result(estimate, lb, ub):
    return SimpleNamespace(estimate=math.log(estimate), ci_lb=math.log(lb), ci_ub=math.log(ub))


def test_reproduction_is_within_one_unit_of_the_last_printed_decimal_on_the_ratio_scale():
    printed = Printed("RR", "MH", 0.56, 0.40, 0.78, 2, 8)
    same = reproduction(printed, result(0.5612, 0.4041, 0.7799), 8)
    assert same.reproduces
    assert same.words == (
        "The source reports 0.56 (0.40 to 0.78); the hub's pooling of its 8 studies gives "
        "0.56 (0.40 to 0.78)."
    )
    assert reproduction(printed, result(0.5699, 0.3901, 0.7899), 8).reproduces  # 0.0099 off
    off = reproduction(printed, result(0.56, 0.40, 0.7999), 8)  # the upper limit 0.0199 off
    assert not off.reproduces and off.words.endswith("They differ by more than the last printed decimal.")
    fewer = reproduction(printed, result(0.56, 0.40, 0.78), 7)
    assert not fewer.reproduces and "The source pooled 8 studies." in fewer.words


def test_check_transcribed_pools_with_the_sources_model(tmp_path):
    (item,) = read(write(tmp_path, REVIEW)).syntheses
    checked, pooled = check_transcribed(item)
    g = 148 / 151  # two identical studies: every model gives g, with half the variance
    assert pooled.estimate == pytest.approx(g) and pooled.tau2 == 0
    assert not checked.reproduces and checked.words.startswith("The source reports 0.50 (0.10 to 0.90)")

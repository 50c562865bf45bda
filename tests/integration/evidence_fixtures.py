"""Small evidence folders of our own (the layout of the starter content, a few rows each), and a small
content folder of the library's own transcriptions: dat.bcg's first trials as one review."""

import csv
import json
from pathlib import Path

from django.conf import settings

PROGRAMMES_HEADER = (
    "programme_name,eif_evidence_rating,evidence_rating_basis,mixed_findings_asterisk,eif_cost_rating,"
    "eif_review_dates,eif_population_description,age_as_evaluated_foundations,level_of_need,delivery_model,"
    "setting,workforce,child_outcomes_with_evidence,uk_available,uk_tested,foundations_published,"
    "foundations_last_reviewed,eif_url,foundations_url,notes"
).split(",")
EFFECTS_HEADER = (
    "programme_name,outcome_domain,outcome,study,statement,score_as_shown,timeframe,source_note".split(",")
)
EEF_HEADER = (
    "toolkit,strand,toolkit_version,impact_months,headline_verbatim,impact_word,cost_word,cost_rating_1to5,"
    "evidence_word,evidence_padlocks_1to5,url,notes"
).split(",")
WWCSC_HEADER = (
    "intervention,study,design,evaluator,delivered_by,sample_size,local_authorities,period,outcome,"
    "primary_outcome,intervention_group_value,comparison_group_value,effect_estimate,ci_95,"
    "statistically_significant,status,source_urls,notes"
).split(",")

PROGRAMMES = [
    {
        "programme_name": "Happy Parents Group",
        "eif_evidence_rating": "3+",
        "eif_cost_rating": "2",
        "eif_population_description": "Parenting group for parents of children aged 3 to 6",
        "age_as_evaluated_foundations": "3 to 6 years old",
        "level_of_need": "Targeted-selected",
        "delivery_model": "Group",
        "setting": "Community centre",
        "child_outcomes_with_evidence": (
            "Preventing crime, violence and antisocial behaviour (Improved behaviour)"
        ),
        "eif_url": "https://guidebook.eif.org.uk/programme/happy-parents",
    },
    {
        "programme_name": "Teen Mentoring",
        "eif_evidence_rating": "",
        "age_as_evaluated_foundations": "13 to 17 years old",
        "eif_population_description": "One-to-one mentoring for young people",
    },
]
EFFECTS = [
    {
        "programme_name": "Happy Parents Group",
        "outcome_domain": "Preventing crime, violence and antisocial behaviour",
        "outcome": "Reduced behaviour problems",
        "study": "study 1",
        "statement": "10-point improvement on the ECBI",
        "score_as_shown": "20",
        "timeframe": "Immediately after the intervention",
    }
]
STRANDS = [
    {
        "toolkit": "Teaching and Learning",
        "strand": "Reading comprehension",
        "toolkit_version": "current website strand page (2021+ toolkit)",
        "impact_months": "+6",
        "headline_verbatim": "High impact for very low cost based on extensive evidence",
        "cost_rating_1to5": "1",
        "evidence_padlocks_1to5": "4",
        "url": "https://educationendowmentfoundation.org.uk/reading",
    },
    {
        "toolkit": "Teaching and Learning",
        "strand": "Reading comprehension",
        "toolkit_version": "Sutton Trust-EEF Teaching and Learning Toolkit, Spring 2013 (PDF)",
        "impact_months": "+5",
        "headline_verbatim": "Moderate impact for very low cost",
        "cost_rating_1to5": "1",
        "evidence_padlocks_1to5": "3",
    },
]
TRIALS = [
    {
        "intervention": "Family Meetings",
        "study": "RCT of family meetings",
        "design": "Individually randomised RCT",
        "sample_size": "2,000 children in 1,200 families",
        "outcome": "Child placed in care",
        "primary_outcome": "yes",
        "intervention_group_value": "30%",
        "comparison_group_value": "36%",
        "statistically_significant": "yes",
        "status": "Reported (2023)",
        "source_urls": "https://example.org/report (a note) ; https://example.org/other",
    }
]
BCG_ROWS = [
    (1, "Aronson", 1948, 4, 119, 11, 128, "random"),
    (2, "Ferguson & Simes", 1949, 6, 300, 29, 274, "random"),
    (3, "Rosenthal et al", 1960, 3, 228, 11, 209, "random"),
    (4, "Hart & Sutherland", 1977, 62, 13536, 248, 12619, "random"),
]


def _write(path: Path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})


BCG_SLUG = "bcg-vaccine-against-tuberculosis-reference-dataset"
BCG_ALLOCATION = {"random": "rct", "alternate": "qed", "systematic": "qed"}
_NON_RANDOM = (
    "dat.bcg records {how} allocation: a non-random sequence, which Cochrane's risk-of-bias criteria rate "
    "at high risk of selection bias."
)
BCG_RISK_OF_BIAS = {
    "random": {
        "risk_of_bias_basis": "dat.bcg records random allocation only; the other sources of bias (allocation "
        "concealment, blinding, missing data, reporting) are not recorded, so it is not assessed."
    },
    "alternate": {"risk_of_bias": "high", "risk_of_bias_basis": _NON_RANDOM.format(how="alternating")},
    "systematic": {"risk_of_bias": "high", "risk_of_bias_basis": _NON_RANDOM.format(how="systematic")},
}
CONTENT_OUTCOMES = "slug,name,problem,higher_is_better\n"


def bcg_review(rows=BCG_ROWS, **changes) -> dict:
    """The BCG trials as a transcribed review (content/README.md's format), pooled by the hub with REML."""
    return {
        "key": "bcg-reference",
        "citation": "Colditz GA et al. (1994), as R's metadat dat.bcg (a test fixture)",
        "url": "https://github.com/wviechtb/metadat",
        "type": "meta-analysis",
        "outcomes": [
            {
                "slug": "tuberculosis-cases",
                "name": "Tuberculosis cases",
                "problem": "",
                "higher_is_better": False,
            }
        ],
        "practices": [
            {
                "slug": BCG_SLUG,
                "name": "BCG vaccine against tuberculosis (reference dataset)",
                "kind": "approach",
                "summary": "BCG vaccine trials. Colditz GA et al. (1994)",
                "ecm_outcomes": ["be_healthy"],
                "age_groups": ["0-4", "5-11", "12-18"],
            }
        ],
        "syntheses": [
            {
                "practice": BCG_SLUG,
                "outcome": "tuberculosis-cases",
                "measure": "RR",
                "place": "dat.bcg",
                "studies": [
                    {
                        "key": f"trial-{trial}",
                        "citation": f"{author} ({year})",
                        "year": year,
                        "design": BCG_ALLOCATION[alloc],
                        **BCG_RISK_OF_BIAS[alloc],
                        "data": {"events1": a, "n1": a + b, "events2": c, "n2": c + d},
                    }
                    for trial, author, year, a, b, c, d, alloc in rows
                ],
            }
        ],
        **changes,
    }


def write_content(folder: Path, *reviews: dict, outcomes: str = CONTENT_OUTCOMES) -> Path:
    """A content folder: outcomes.csv and one reviews/<key>.json per review."""
    (folder / "reviews").mkdir(parents=True, exist_ok=True)
    for old in (folder / "reviews").glob("*.json"):
        old.unlink()
    (folder / "outcomes.csv").write_text(outcomes, encoding="utf-8")
    for review in reviews:
        (folder / "reviews" / f"{review['key']}.json").write_text(json.dumps(review), encoding="utf-8")
    return folder


def write_evidence(root: Path, **overrides) -> Path:
    """root/evidence (the four CSVs), and the BCG review in settings.EVIDENCE_CONTENT_DIR (which
    tests/integration/conftest.py points at the test's own folder); returns root/evidence.
    ``overrides`` replaces a file's rows: programmes=, effects=, strands=, trials=, bcg=."""
    folder = root / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "eif_guidebook_programmes.csv", PROGRAMMES_HEADER, overrides.get("programmes", PROGRAMMES)
    )
    _write(folder / "eif_guidebook_outcome_effects.csv", EFFECTS_HEADER, overrides.get("effects", EFFECTS))
    _write(folder / "eef_toolkit_strands.csv", EEF_HEADER, overrides.get("strands", STRANDS))
    _write(folder / "wwcsc_trials.csv", WWCSC_HEADER, overrides.get("trials", TRIALS))
    write_content(Path(settings.EVIDENCE_CONTENT_DIR), bcg_review(overrides.get("bcg", BCG_ROWS)))
    return folder
